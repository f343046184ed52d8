"""The role × service matrix of accounts: a service that acts on an account is the person's own,
signed in (their profile, the erasure of their account), whoever calls it; no staff role, and no
superuser, acts on someone else's account. Registration, confirmation and password resets take no
actor: the address or the link proves who asks."""

import pytest

from civitas.accounts import links, notifications, services, signin, tasks, twofactor
from civitas.core.models import Role
from civitas.core.permissions import Action
from civitas.testing.service_matrix import ServiceCase, assert_covers, build_world, check

PASSWORD = "correct horse battery staple"


def signed_in(world, name):
    return name != "anonymous"


def own_account(world, name):
    return name == "citizen"  # the case erases the citizen's account


CASES = {
    "profile_update": ServiceCase(
        call=lambda world, actor: services.profile_update(actor=actor, display_name="Петър", language="bg"),
        allowed=signed_in,
    ),
    "account_erase": ServiceCase(
        call=lambda world, actor: services.account_erase(
            actor=actor, user=world.actors["citizen"], password=PASSWORD
        ),
        allowed=own_account,
    ),
    "staff_invite": ServiceCase(
        call=lambda world, actor: services.staff_invite(
            actor=actor, municipality=world.municipality, email="new.planner@example.org", role=Role.PLANNER
        ),
        allowed=Action.MANAGE_STAFF,
    ),
}


@pytest.fixture
def world(db):
    world = build_world()
    citizen = world.actors["citizen"]
    citizen.set_password(PASSWORD)
    citizen.save(update_fields=["password"])
    return world


def test_every_service_has_a_case():
    assert_covers(services, CASES)
    for module in (twofactor, links, notifications, tasks, signin):  # none takes an actor
        assert_covers(module, {})


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_policy_decides_who_may_call_the_service(world, name):
    check(world, CASES[name], name)
