"""The role × service matrix: every service that takes an ``actor`` proves that it refuses a caller
without the right, whoever calls it (a view, a command, a task, the API).

Each app's ``tests/test_service_permissions.py`` gives one ``ServiceCase`` per service: how to call
it with valid arguments in a ``World``, and who may (an ``Action`` of ``core.permissions``, or a
predicate of the app's policy). The matrix is generated from that: every actor of ``ACTORS`` calls
every service; those who may must succeed, the others must get PermissionDenied, and
``assert_covers`` fails when a service has no case, so a new service cannot be forgotten.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from inspect import Parameter, getmembers, isfunction, signature
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from civitas.core.models import Municipality, Role
from civitas.core.permissions import RULES, Action

from .factories import MembershipFactory, MunicipalityFactory, UserFactory

ROLES = tuple(Role)
# Who calls: nobody signed in, a citizen, each staff role here, an administrator of another
# municipality, a superuser, and an administrator here whose web session lacks the second factor.
ACTORS = (
    "anonymous",
    "citizen",
    *ROLES,
    "administrator_elsewhere",
    "superuser",
    "administrator_without_second_factor",
)


@dataclass
class World:
    municipality: Municipality
    other: Municipality
    actors: dict = field(default_factory=dict)

    def role_of(self, name: str) -> frozenset[str]:
        """The roles that actor ``name`` may act in here."""
        if name == "superuser":
            return frozenset(Role.values)
        return frozenset({name}) if name in Role.values else frozenset()


def build_world() -> World:
    world = World(
        municipality=cast(Municipality, MunicipalityFactory(slug="sopot")),
        other=cast(Municipality, MunicipalityFactory(slug="karlovo")),
    )
    world.actors["anonymous"] = AnonymousUser()
    world.actors["citizen"] = UserFactory(username="citizen")
    for role in ROLES:
        world.actors[role] = MembershipFactory(municipality=world.municipality, role=role).user
    world.actors["administrator_elsewhere"] = MembershipFactory(
        municipality=world.other, role=Role.ADMINISTRATOR
    ).user
    world.actors["superuser"] = UserFactory(username="platform", is_superuser=True, is_staff=True)
    lacking: Any = MembershipFactory(municipality=world.municipality, role=Role.ADMINISTRATOR).user
    lacking.civitas_second_factor_passed = False  # as SecondFactorMiddleware marks such a session
    world.actors["administrator_without_second_factor"] = lacking
    return world


@dataclass(frozen=True)
class ServiceCase:
    """``call(world, actor)`` calls the service with valid arguments (creating what it needs);
    ``allowed`` is the Action whose roles may call it here, or ``allowed(world, actor_name)``."""

    call: Callable
    allowed: Action | Callable[[World, str], bool]

    def expects(self, world: World, name: str) -> bool:
        if isinstance(self.allowed, Action):
            return bool(world.role_of(name) & RULES[self.allowed])
        return self.allowed(world, name)


def services_taking_actor(module) -> set[str]:
    """The public functions defined in ``module`` that take a keyword-only ``actor`` (the services'
    convention, ``<thing>_<verb>(*, actor, ...)``)."""
    return {
        name
        for name, function in getmembers(module, isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and "actor" in (parameters := signature(function).parameters)
        and parameters["actor"].kind is Parameter.KEYWORD_ONLY
    }


def assert_covers(module, cases: dict[str, ServiceCase], exempt: dict[str, str] | None = None) -> None:
    """Every service of ``module`` that takes an actor has a case, unless ``exempt`` names it with
    the reason (e.g. the audit log itself, which services call after their own check)."""
    found = services_taking_actor(module) - set(exempt or {})
    assert not found - set(cases), f"services without a permission case: {sorted(found - set(cases))}"
    assert not set(cases) - found, f"cases for no service: {sorted(set(cases) - found)}"


def check(world: World, case: ServiceCase, service: str) -> None:
    """Call the service as every actor, each in a savepoint rolled back afterwards."""
    wrong = []
    for name in ACTORS:
        actor = world.actors[name]
        expected = case.expects(world, name)
        savepoint = transaction.savepoint()
        try:
            case.call(world, actor)
        except PermissionDenied:
            if expected:
                wrong.append(f"{name}: refused, but the policy allows it")
        except Exception as error:  # an allowed call must succeed: the case's arguments are valid
            wrong.append(f"{name}: {type(error).__name__}: {error}")
        else:
            if not expected:
                wrong.append(f"{name}: allowed, but the policy refuses it")
        finally:
            transaction.savepoint_rollback(savepoint)
    assert not wrong, f"{service}: " + "; ".join(wrong)
