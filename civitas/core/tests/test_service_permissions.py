"""The role × service matrix for core's services (see civitas.testing.service_matrix)."""

import ast
import importlib
import pkgutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

import civitas
from civitas.core import content, services
from civitas.core.models import AuditEvent, Role
from civitas.core.permissions import Action
from civitas.testing.factories import MembershipFactory, UserFactory
from civitas.testing.service_matrix import (
    ServiceCase,
    assert_covers,
    build_world,
    check,
    services_taking_actor,
)
from civitas.testing.signin import sign_in_with_role

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
    "municipality_evaluation_update": ServiceCase(
        call=lambda world, actor: services.municipality_evaluation_update(
            actor=actor,
            municipality=world.municipality,
            on_track_threshold=Decimal("0.9"),
            at_risk_threshold=Decimal("0.7"),
            stale_grace_days=60,
            year_start_month=4,
        ),  # fmt: skip
        allowed=Action.MANAGE_MUNICIPALITY,
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


def test_the_evaluation_settings_are_checked_and_change_the_public_pages(client):
    world = build_world()
    town = world.municipality
    admin = world.actors[Role.ADMINISTRATOR]
    version = town.planning_version
    with pytest.raises(ValidationError) as refused:
        services.municipality_evaluation_update(
            actor=admin, municipality=town, on_track_threshold=Decimal("0.5"), at_risk_threshold=Decimal("0.7"),
            stale_grace_days=-1, year_start_month=13,
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"at_risk_threshold", "stale_grace_days", "year_start_month"}
    sign_in_with_role(client, town, Role.ADMINISTRATOR)
    path = f"/en/{town.slug}/manage/settings/evaluation/"
    assert client.get(path).status_code == 200
    data = {
        "on_track_threshold": "0.9",
        "at_risk_threshold": "0.7",
        "stale_grace_days": "60",
        "year_start_month": "4",
    }
    assert client.post(path, data).status_code == 302
    town.refresh_from_db()
    assert (town.year_start_month, town.on_track_threshold, town.stale_grace_days) == (4, Decimal("0.9"), 60)
    assert content.versions(town, (content.Content.PLANNING,))[0] > version
    assert AuditEvent.objects.filter(object_type="core.municipality", action="update").exists()
