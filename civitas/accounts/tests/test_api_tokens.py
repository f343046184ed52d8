"""Personal API tokens: made by staff in their profile, shown once, stored as a hash only, refused
once revoked or expired or when the account is closed, their use recorded at most once a minute,
audit-logged without their secret, and gone with an erased account."""

import datetime
import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from civitas.accounts import services
from civitas.accounts.models import ApiToken
from civitas.core.models import AuditEvent, Membership, Role
from civitas.testing.factories import MembershipFactory, MunicipalityFactory, UserFactory
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def planner(town):
    return MembershipFactory(municipality=town, role=Role.PLANNER).user


def test_a_token_is_shown_once_and_only_its_hash_is_kept(planner):
    new = services.api_token_create(actor=planner, name="  Monitoring sync ")
    assert re.fullmatch(r"civitas_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", new.secret)
    stored = ApiToken.objects.get()
    assert stored.name == "Monitoring sync"
    assert stored.secret_hash == hashlib.sha256(new.secret.encode()).hexdigest()
    assert new.secret.startswith(f"civitas_{stored.prefix}_")
    secret_part = new.secret.rpartition("_")[2]
    assert all(secret_part not in str(value) for value in ApiToken.objects.values().get().values())
    event = AuditEvent.objects.get(action="create_api_token")
    assert event.actor == planner
    assert event.changes == {"name": "Monitoring sync", "prefix": stored.prefix, "expires_on": None}
    assert secret_part not in str(event.changes) + event.object_repr
    assert services.api_token_user(secret=new.secret) == planner
    # Two tokens never share a secret or a prefix.
    other = services.api_token_create(actor=planner, name="Second")
    assert other.secret != new.secret and other.token.prefix != stored.prefix


@pytest.mark.parametrize(
    ("name", "expires_on", "field"),
    [
        ("", None, "name"),
        ("   ", None, "name"),
        ("x" * 81, None, "name"),
        ("sync", datetime.date(2020, 1, 1), "expires_on"),
        ("sync", "today", "expires_on"),
    ],
)
def test_a_token_needs_a_name_and_a_future_expiry(planner, name, expires_on, field):
    if expires_on == "today":
        expires_on = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.api_token_create(actor=planner, name=name, expires_on=expires_on)
    assert field in refused.value.message_dict
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action="create_api_token").exists()


def test_only_staff_make_tokens(town):
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=UserFactory(), name="mine")
    lacking = MembershipFactory(municipality=town, role=Role.ADMINISTRATOR).user
    lacking.civitas_second_factor_passed = False  # a web session without the second factor
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=lacking, name="mine")
    assert not ApiToken.objects.exists()


def test_a_revoked_token_is_refused_and_only_its_holder_revokes_it(town, planner):
    new = services.api_token_create(actor=planner, name="sync")
    administrator = MembershipFactory(municipality=town, role=Role.ADMINISTRATOR).user
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=administrator, token=new.token)
    assert services.api_token_user(secret=new.secret) == planner
    services.api_token_revoke(actor=planner, token=new.token)
    assert services.api_token_user(secret=new.secret) is None
    assert ApiToken.objects.get().revoked_at is not None
    services.api_token_revoke(actor=planner, token=ApiToken.objects.get())  # twice: nothing more
    assert AuditEvent.objects.filter(action="revoke_api_token", actor=planner).count() == 1


def test_a_token_works_until_the_end_of_its_last_day(planner):
    new = services.api_token_create(
        actor=planner, name="sync", expires_on=timezone.localdate() + datetime.timedelta(days=1)
    )
    assert services.api_token_user(secret=new.secret) == planner
    ApiToken.objects.update(expires_on=timezone.localdate())
    assert services.api_token_user(secret=new.secret) == planner
    ApiToken.objects.update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    assert services.api_token_user(secret=new.secret) is None


@pytest.mark.parametrize(
    "altered",
    [
        lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),
        lambda s: s.replace("civitas_", "civitas_0"),
        lambda s: s.removeprefix("civitas_"),
        lambda s: "",
        lambda s: "civitas_",
        lambda s: s + "x",
    ],
)
def test_an_altered_token_is_refused(planner, altered):
    new = services.api_token_create(actor=planner, name="sync")
    assert services.api_token_user(secret=altered(new.secret)) is None


def test_a_closed_account_s_token_is_refused(planner):
    new = services.api_token_create(actor=planner, name="sync")
    planner.is_active = False
    planner.save(update_fields=["is_active"])
    assert services.api_token_user(secret=new.secret) is None


def test_its_use_is_recorded_at_most_once_a_minute(planner, django_assert_num_queries):
    new = services.api_token_create(actor=planner, name="sync")
    with django_assert_num_queries(2):  # the token with its holder, and the first use recorded
        services.api_token_user(secret=new.secret)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # within the minute: read only
        services.api_token_user(secret=new.secret)
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - datetime.timedelta(seconds=61))
    services.api_token_user(secret=new.secret)
    assert ApiToken.objects.get().last_used_at > first


def test_an_erased_account_takes_its_tokens_along(town, planner):
    planner.set_password(PASSWORD)
    planner.save(update_fields=["password"])
    services.api_token_create(actor=planner, name="sync")
    Membership.objects.filter(user=planner).delete()  # roles handed over first
    services.account_erase(actor=planner, user=planner, password=PASSWORD)
    assert not ApiToken.objects.exists()


def test_the_personal_data_lists_the_tokens_without_their_secrets(planner):
    new = services.api_token_create(actor=planner, name="sync")
    data = services.account_data(user=planner)
    assert f'"prefix": "{new.token.prefix}"' in data
    # The part after the prefix (it may itself hold "_": token_urlsafe's alphabet has it).
    assert new.secret.split("_", 2)[2] not in data


# --- The profile page --------------------------------------------------------------------------


def test_staff_create_a_token_in_the_profile_and_see_it_once(client, planner):
    sign_in(client, planner)
    page = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert 'id="api-tokens"' in page.content.decode()
    response = client.post(
        reverse("accounts:api_token_create"),
        {"token-name": "Monitoring sync", "token-expires_on": "31.12.2099"},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    assert token.expires_on == datetime.date(2099, 12, 31)
    secret = re.search(r'value="(civitas_[^"]+)"', response.content.decode()).group(1)
    assert services.api_token_user(secret=secret) == planner
    assert "govuk-warning-text" in response.content.decode()
    listed = client.get(reverse("accounts:profile")).content.decode()
    assert "Monitoring sync" in listed and f"civitas_{token.prefix}_" in listed
    assert secret not in listed


def test_a_bad_token_form_shows_its_errors_and_makes_nothing(client, planner):
    sign_in(client, planner)
    response = client.post(
        reverse("accounts:api_token_create"), {"token-name": "", "token-expires_on": "1.1.2020"}
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_staff_revoke_a_token_in_the_profile_but_not_someone_elses(client, town, planner):
    new = services.api_token_create(actor=planner, name="sync")
    other = services.api_token_create(
        actor=MembershipFactory(municipality=town, role=Role.PLANNER).user, name="theirs"
    )
    sign_in(client, planner)
    assert client.post(reverse("accounts:api_token_revoke", args=[other.token.pk])).status_code == 404
    assert client.get(reverse("accounts:api_token_revoke", args=[new.token.pk])).status_code == 405
    response = client.post(reverse("accounts:api_token_revoke", args=[new.token.pk]))
    assert response.status_code == 302
    assert services.api_token_user(secret=new.secret) is None
    assert services.api_token_user(secret=other.secret) is not None


def test_citizens_see_no_token_section_and_cannot_make_one(client):
    citizen = UserFactory()
    sign_in(client, citizen)
    assert 'id="api-tokens"' not in client.get(reverse("accounts:profile")).content.decode()
    response = client.post(reverse("accounts:api_token_create"), {"token-name": "mine"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_a_former_member_of_staff_still_sees_and_revokes_their_tokens(client, planner):
    new = services.api_token_create(actor=planner, name="sync")
    Membership.objects.filter(user=planner).delete()
    sign_in(client, planner)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "sync" in page and 'name="token-name"' not in page
    client.post(reverse("accounts:api_token_revoke", args=[new.token.pk]))
    assert ApiToken.objects.get().revoked_at is not None
