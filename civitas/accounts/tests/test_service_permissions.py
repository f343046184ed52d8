"""The role × service matrix of accounts: a service that acts on an account is the person's own,
signed in (their profile, the erasure of their account, revoking their API tokens), whoever calls
it; no staff role, and no superuser, acts on someone else's account. API tokens are made by staff
with a role in some municipality, in a session that passed the second factor. Registration, confirmation and password resets take no
actor: the address or the link proves who asks."""

import pytest

from civitas.accounts import links, notifications, services, signin, tasks, twofactor
from civitas.accounts.models import ApiToken
from civitas.core.models import Role
from civitas.core.permissions import Action
from civitas.testing.service_matrix import ServiceCase, assert_covers, build_world, check

PASSWORD = "correct horse battery staple"


def signed_in(world, name):
    return name != "anonymous"


def own_account(world, name):
    return name == "citizen"  # the case erases the citizen's account


def holds_a_role_somewhere(world, name):
    return name in Role.values or name == "administrator_elsewhere"


def planners_token(world):
    return ApiToken.objects.create(
        user=world.actors["planner"], name="sync", prefix="0a1b2c3d", secret_hash="0" * 64
    )


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
    "api_token_create": ServiceCase(
        call=lambda world, actor: services.api_token_create(actor=actor, name="Monitoring sync"),
        allowed=holds_a_role_somewhere,
    ),
    "api_token_revoke": ServiceCase(
        call=lambda world, actor: services.api_token_revoke(actor=actor, token=planners_token(world)),
        allowed=lambda world, name: name == Role.PLANNER,
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
