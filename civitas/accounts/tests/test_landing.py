"""Where a person lands after signing in: the page that asked for it (a safe ``next``) first;
otherwise staff in their own municipality's back office, whatever municipality the site's root
shows, a platform superuser on the platform's page, and citizens on the portal."""

import pytest
from django.urls import reverse

from civitas.core.models import Role
from civitas.testing.factories import MembershipFactory, MunicipalityFactory, UserFactory

from .test_two_factor import PASSWORD, authenticator, code_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sopot():
    """The site's first municipality: the portal's root shows it."""
    return MunicipalityFactory(slug="sopot", name_bg="Сопот")


def staff(username, *towns, role=Role.PLANNER):
    user = UserFactory(username=username)
    for town in towns:
        MembershipFactory(user=user, municipality=town, role=role)
    return user


def signs_in(client, user, next_url=None):
    """The password step, then the code if asked; returns where the person is sent."""
    url = reverse("accounts:login") + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    if response["Location"].startswith(reverse("accounts:second_factor")):
        device = authenticator(user)
        response = client.post(reverse("accounts:second_factor"), {"code": code_of(device)})
        assert response.status_code == 302
    return response["Location"]


def test_staff_of_another_municipality_land_in_their_own_back_office(client):
    karlovo = MunicipalityFactory(slug="karlovo", name_bg="Карлово")
    assert signs_in(client, staff("k", karlovo)) == "/karlovo/manage/"
    assert client.get("/karlovo/manage/").status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_every_role_lands_on_a_page_it_may_see(client, sopot, role):
    landed = signs_in(client, staff("s", sopot, role=role))
    assert landed == "/sopot/manage/" and client.get(landed).status_code == 200


def test_a_safe_next_still_wins(client, sopot):
    assert signs_in(client, staff("s", sopot), next_url="/sopot/plans/") == "/sopot/plans/"


def test_a_next_to_another_site_is_ignored(client):
    karlovo = MunicipalityFactory(slug="karlovo", name_bg="Карлово")
    assert signs_in(client, staff("k", karlovo), next_url="https://evil.example/") == "/karlovo/manage/"


def test_a_person_of_several_municipalities_lands_in_the_first_by_name(client):
    karlovo = MunicipalityFactory(slug="karlovo", name_bg="Карлово")
    anevo = MunicipalityFactory(slug="anevo", name_bg="Анево")
    assert signs_in(client, staff("both", karlovo, anevo)) == "/anevo/manage/"


def test_citizens_land_where_they_were_or_on_the_portal(client):
    citizen = UserFactory(username="citizen@example.org")
    assert signs_in(client, citizen, next_url="/sopot/forum/") == "/sopot/forum/"
    client.logout()
    assert signs_in(client, citizen) == reverse("portal:root")


def test_a_platform_superuser_with_no_municipality_lands_on_the_platforms_page(client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    landed = signs_in(client, root)
    assert landed == reverse("platform:municipalities")
    assert client.get(landed).status_code == 200
