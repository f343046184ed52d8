"""The role × service matrix for core's services (see civitas.testing.service_matrix)."""

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import civitas
from civitas.core import services
from civitas.core.models import Role
from civitas.core.permissions import Action
from civitas.testing.factories import MembershipFactory, UserFactory
from civitas.testing.service_matrix import (
    ServiceCase,
    assert_covers,
    build_world,
    check,
    services_taking_actor,
)

pytestmark = pytest.mark.django_db

CASES = {
    "membership_grant": ServiceCase(
        call=lambda world, actor: services.membership_grant(
            actor=actor, user=UserFactory(), municipality=world.municipality, role=Role.VERIFIER
        ),
        allowed=Action.MANAGE_STAFF,
    ),
    "membership_revoke": ServiceCase(
        call=lambda world, actor: services.membership_revoke(
            actor=actor, membership=MembershipFactory(municipality=world.municipality, role=Role.VERIFIER)
        ),
        allowed=Action.MANAGE_STAFF,
    ),
    "membership_change": ServiceCase(
        call=lambda world, actor: services.membership_change(
            actor=actor,
            membership=MembershipFactory(municipality=world.municipality, role=Role.VERIFIER),
            role=Role.PLANNER,
        ),
        allowed=Action.MANAGE_STAFF,
    ),
    # Platform superusers (with the second factor) and the operator only: no municipality's role.
    "municipality_create": ServiceCase(
        call=lambda world, actor: services.municipality_create(
            actor=actor, slug="karlovo2", name_bg="Карлово"
        ),
        allowed=lambda world, name: name == "superuser",
    ),
}


def test_every_service_has_a_case():
    assert_covers(
        services, CASES, exempt={"audit_record": "the log itself, written by services after their check"}
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_service_refuses_whoever_may_not(name):
    check(build_world(), CASES[name], name)


def _modules_with_services() -> dict[str, set[str]]:
    """Every module of Civitas (tests, migrations and the demo aside) with services taking an actor."""
    found = {}
    for info in pkgutil.walk_packages(civitas.__path__, "civitas."):
        if any(part in info.name for part in (".tests", ".migrations", ".management")):
            continue
        names = services_taking_actor(importlib.import_module(info.name))
        if names:
            found[info.name] = names
    return found


def test_every_module_with_services_is_in_its_apps_matrix():
    """A module whose functions take an actor is called by its app's role × service matrix
    (tests/test_service_permissions.py imports it and asserts that every service has a case)."""
    root = Path(civitas.__file__).parent
    uncovered = []
    for name in _modules_with_services():
        app, module = name.split(".")[1], name.split(".")[-1]
        test = root / app / "tests" / "test_service_permissions.py"
        source = test.read_text() if test.exists() else ""
        tree = ast.parse(source)
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == f"civitas.{app}"
            for alias in node.names
        }
        if module not in imported or "assert_covers(" not in source:
            uncovered.append(name)
    assert uncovered == []


def test_the_walk_finds_the_services():
    found = _modules_with_services()
    assert "civitas.plans.services" in found and "plan_create" in found["civitas.plans.services"]
