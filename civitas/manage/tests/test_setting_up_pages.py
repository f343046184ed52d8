"""The set-up in the back office: the platform's page of municipalities (platform superusers with
the second factor) and a municipality's staff page (its administrators): invitations by e-mail
with a role, roles changed and taken away; refusals in Bulgarian, nothing changed on them."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civitas.core.models import AuditEvent, Membership, Municipality, Role
from civitas.testing.factories import MembershipFactory, UserFactory
from civitas.testing.signin import sign_in, sign_in_with_role

pytestmark = pytest.mark.django_db

MUNICIPALITIES = "/manage/municipalities/"


@pytest.fixture
def superuser(client):
    user = UserFactory(username="platform", is_superuser=True, is_staff=True)
    sign_in(client, user)
    return user


def test_a_platform_superuser_lists_and_creates_municipalities(client, town, superuser):
    assert reverse("platform:municipalities") == MUNICIPALITIES
    page = client.get(MUNICIPALITIES)
    assert page.status_code == 200
    assert town.name_bg in page.content.decode() and 'id="new"' in page.content.decode()
    response = client.post(
        MUNICIPALITIES,
        {"slug": "karlovo", "name_bg": "Община Карлово", "name_en": "Karlovo", "ekatte": "36498",
         "nuts": "BG421", "year_start_month": "4", "email": ""},
    )  # fmt: skip
    assert response.status_code == 302 and response.url == reverse("manage:staff", args=["karlovo"])
    created = Municipality.objects.get(slug="karlovo")
    assert created.year_start_month == 4 and created.ekatte == "36498"
    assert AuditEvent.objects.get(action="create_municipality").actor == superuser


def test_a_refused_municipality_shows_the_reason_in_bulgarian_and_creates_nothing(client, town, superuser):
    response = client.post(
        MUNICIPALITIES, {"slug": "sopot", "name_bg": "Община Сопот", "year_start_month": "1"}
    )
    assert response.status_code == 400
    assert "Вече има община с това адресно име." in response.content.decode()
    bad = client.post(MUNICIPALITIES, {"slug": "x", "name_bg": "X", "ekatte": "12", "year_start_month": "1"})
    assert bad.status_code == 400
    assert Municipality.objects.count() == 1


def test_only_platform_superusers_see_the_municipalities(client, town):
    anonymous = client.get(MUNICIPALITIES)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    sign_in_with_role(client, town, Role.ADMINISTRATOR)
    assert client.get(MUNICIPALITIES).status_code == 403
    assert client.post(MUNICIPALITIES, {"slug": "karlovo", "name_bg": "Карлово"}).status_code == 403
    client.logout()
    lacking = UserFactory(username="platform", is_superuser=True)
    client.force_login(lacking)  # no second factor in this session
    response = client.get(MUNICIPALITIES)
    assert response.status_code == 302 and reverse("accounts:second_factor") in response.url
    assert Municipality.objects.count() == 1


def test_the_dashboard_links_the_staff_page_and_for_superusers_the_platform(client, town, superuser):
    page = client.get(reverse("manage:dashboard", args=["sopot"])).content.decode()
    assert reverse("manage:staff", args=["sopot"]) in page and MUNICIPALITIES in page
    client.logout()
    sign_in_with_role(client, town, Role.PLANNER)
    page = client.get(reverse("manage:dashboard", args=["sopot"])).content.decode()
    assert reverse("manage:staff", args=["sopot"]) not in page and MUNICIPALITIES not in page


@pytest.mark.parametrize("role", list(Role))
def test_only_administrators_manage_staff(client, town, role):
    sign_in_with_role(client, town, role)
    expected = 200 if role == Role.ADMINISTRATOR else 403
    assert client.get(reverse("manage:staff", args=["sopot"])).status_code == expected
    if role != Role.ADMINISTRATOR:
        before = Membership.objects.count()
        client.post(reverse("manage:staff", args=["sopot"]), {"email": "a@b.bg", "role": "planner"})
        assert Membership.objects.count() == before


def test_an_administrator_invites_a_person_with_a_role(client, town, django_capture_on_commit_callbacks):
    sign_in_with_role(client, town, Role.ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("manage:staff", args=["sopot"]),
            {"email": "Nova@Sopot.bg", "role": "verifier", "name": "Нова"},
        )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nova@sopot.bg")
    assert membership.role == Role.VERIFIER and membership.municipality == town
    [message] = mail.outbox
    assert message.to == ["nova@sopot.bg"] and "/password-reset/" in message.body
    page = client.get(reverse("manage:staff", args=["sopot"])).content.decode()
    assert "nova@sopot.bg" in page and "Нова" in page


def test_a_refused_invitation_says_why_in_bulgarian_and_changes_nothing(client, town):
    sign_in_with_role(client, town, Role.ADMINISTRATOR)
    before = (Membership.objects.count(), AuditEvent.objects.count())
    response = client.post(
        reverse("manage:staff", args=["sopot"]), {"email": "not an address", "role": "planner"}
    )
    assert response.status_code == 400
    assert "Въведете валиден имейл адрес." in response.content.decode()
    assert (Membership.objects.count(), AuditEvent.objects.count()) == before
    assert mail.outbox == []


def test_an_administrator_changes_and_takes_away_roles_but_not_the_last_administrators(client, town):
    admin = sign_in_with_role(client, town, Role.ADMINISTRATOR)
    verifier = MembershipFactory(municipality=town, role=Role.VERIFIER)
    change = reverse("manage:staff_role_change", args=["sopot", verifier.pk])
    assert client.post(change, {"role": "planner"}).status_code == 302
    planner = Membership.objects.get(user=verifier.user)
    assert planner.role == Role.PLANNER
    revoke = reverse("manage:staff_role_revoke", args=["sopot", planner.pk])
    assert client.get(revoke).status_code == 200  # asks first
    assert client.post(revoke).status_code == 302
    assert not Membership.objects.filter(user=verifier.user).exists()
    assert AuditEvent.objects.filter(action="revoke_role").count() == 1
    own = Membership.objects.get(user=admin, role=Role.ADMINISTRATOR)
    response = client.post(reverse("manage:staff_role_revoke", args=["sopot", own.pk]), follow=True)
    assert "last administrator" in response.content.decode() or "последния" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()
    client.post(reverse("manage:staff_role_change", args=["sopot", own.pk]), {"role": "planner"})
    assert Membership.objects.get(pk=own.pk).role == Role.ADMINISTRATOR


def test_roles_of_another_municipality_are_not_found(client, town):
    sign_in_with_role(client, town, Role.ADMINISTRATOR)
    elsewhere = MembershipFactory(role=Role.VERIFIER)
    assert client.post(reverse("manage:staff_role_revoke", args=["sopot", elsewhere.pk])).status_code == 404
    assert (
        client.post(
            reverse("manage:staff_role_change", args=["sopot", elsewhere.pk]), {"role": "planner"}
        ).status_code
        == 404
    )
    assert Membership.objects.filter(pk=elsewhere.pk, role=Role.VERIFIER).exists()


def test_the_staff_page_and_the_municipalities_keep_their_query_counts(client, town, superuser):
    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    staff_page = reverse("manage:staff", args=["sopot"])
    few_staff, few_towns = count(staff_page), count(MUNICIPALITIES)
    for _n in range(6):
        MembershipFactory(municipality=town, role=Role.PLANNER)
        MembershipFactory(role=Role.VERIFIER)  # and another municipality each time
    assert count(staff_page) == few_staff
    assert count(MUNICIPALITIES) == few_towns
