"""The role × action matrix, written out by hand so that a change to the rules shows up here."""

import pytest

from civitas.core.models import Role
from civitas.core.permissions import RULES, Action, allowed_actions, can
from civitas.testing.factories import MembershipFactory, MunicipalityFactory, UserFactory
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db

A = Action
# role -> the actions it allows; every other action is refused.
EXPECTED = {
    Role.ADMINISTRATOR: set(Action),
    Role.PLANNER: {
        A.VIEW_BACK_OFFICE,
        A.EDIT_PLAN,
        A.EDIT_PROJECT,
        A.UPDATE_PROJECT_PROGRESS,
        A.DELETE_PROJECT,
        A.MANAGE_CONSULTATION,
        A.MANAGE_SURVEY,
        A.MANAGE_PUBLICITY,
        A.RESPOND_TO_RECOMMENDATION,
        A.EDIT_REPORT,
    },
    Role.PROJECT_MANAGER: {A.VIEW_BACK_OFFICE, A.EDIT_PROJECT, A.UPDATE_PROJECT_PROGRESS, A.MANAGE_PUBLICITY},
    Role.INDICATOR_OWNER: {A.VIEW_BACK_OFFICE, A.ENTER_MEASUREMENT},
    Role.VERIFIER: {A.VIEW_BACK_OFFICE, A.VERIFY_MEASUREMENT},
    Role.MODERATOR: {A.VIEW_BACK_OFFICE, A.MODERATE},
    Role.COUNCIL_SECRETARY: {A.VIEW_BACK_OFFICE, A.MANAGE_DECISIONS},
    Role.EVALUATOR: {A.VIEW_BACK_OFFICE, A.WRITE_EVALUATION},
}


def test_every_action_has_a_rule():
    assert set(RULES) == set(Action)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_role_action_matrix(role, action):
    sopot = MunicipalityFactory(slug="sopot")
    karlovo = MunicipalityFactory(slug="karlovo")
    user = MembershipFactory(municipality=sopot, role=role).user
    assert can(user, sopot, action) is (action in EXPECTED[role])
    # A role counts only in its own municipality.
    assert can(user, karlovo, action) is False


def test_roles_add_up():
    sopot = MunicipalityFactory(slug="sopot")
    user = UserFactory()
    MembershipFactory(user=user, municipality=sopot, role=Role.INDICATOR_OWNER)
    MembershipFactory(user=user, municipality=sopot, role=Role.MODERATOR)
    assert allowed_actions(user, sopot) == EXPECTED[Role.INDICATOR_OWNER] | EXPECTED[Role.MODERATOR]


def test_anonymous_and_plain_users_can_do_nothing():
    from django.contrib.auth.models import AnonymousUser

    sopot = MunicipalityFactory(slug="sopot")
    assert allowed_actions(AnonymousUser(), sopot) == frozenset()
    assert allowed_actions(UserFactory(), sopot) == frozenset()


def test_superuser_acts_as_administrator_everywhere():
    sopot = MunicipalityFactory(slug="sopot")
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert allowed_actions(admin, sopot) == frozenset(Action)


def test_roles_are_read_once_per_request(django_assert_num_queries):
    sopot = MunicipalityFactory(slug="sopot")
    user = MembershipFactory(municipality=sopot, role=Role.PLANNER).user
    with django_assert_num_queries(1):
        for action in Action:
            can(user, sopot, action)


def test_admin_site_is_for_superusers_only(client):
    sopot = MunicipalityFactory(slug="sopot")
    staff = MembershipFactory(municipality=sopot, role=Role.ADMINISTRATOR).user
    staff.is_staff = True
    staff.save()
    sign_in(client, staff)
    assert client.get("/admin/").status_code == 302
    sign_in(client, UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get("/admin/").status_code == 200


def test_admin_pages_of_the_domain_answer_for_superusers(client):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    sign_in(client, UserFactory(username="root2", is_superuser=True, is_staff=True))
    for path in [
        "/admin/plans/plan/",
        "/admin/projects/project/",
        "/admin/forum/topic/",
        "/admin/core/auditevent/",
    ]:
        assert client.get(path).status_code == 200, path
