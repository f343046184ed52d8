"""The role × service matrix for core's services (see civitas.testing.service_matrix)."""

import pytest

from civitas.core import services
from civitas.core.models import Role
from civitas.core.permissions import Action
from civitas.testing.factories import UserFactory
from civitas.testing.service_matrix import ServiceCase, assert_covers, build_world, check

pytestmark = pytest.mark.django_db

CASES = {
    "membership_grant": ServiceCase(
        call=lambda world, actor: services.membership_grant(
            actor=actor, user=UserFactory(), municipality=world.municipality, role=Role.VERIFIER
        ),
        allowed=Action.MANAGE_STAFF,
    ),
}


def test_every_service_has_a_case():
    assert_covers(
        services, CASES, exempt={"audit_record": "the log itself, written by services after their check"}
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_service_refuses_whoever_may_not(name):
    check(build_world(), CASES[name], name)
