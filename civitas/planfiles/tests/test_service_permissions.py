"""The role × service matrix of planfiles.imports: an import refuses whoever may not write every part
of the file here (before the file is read), and replacing a plan needs who may delete plans."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from civitas.core.models import Role
from civitas.core.permissions import OPERATOR, RULES, Action
from civitas.planfiles import imports, policy, services
from civitas.planfiles.models import PlanFileUpload
from civitas.plans.models import Plan, PlanVersion
from civitas.projects.models import Project
from civitas.testing.factories import DecisionFactory, MembershipFactory, MunicipalityFactory, PlanFactory
from civitas.testing.service_matrix import ServiceCase, World, assert_covers, build_world, check

from .test_planfile import GOOD

pytestmark = pytest.mark.django_db


def may_import(world: World, name: str) -> bool:
    """Every action the import needs is allowed by the actor's roles here."""
    roles = world.role_of(name)
    return all(roles & RULES[action] for action in policy.import_actions(replace=False))


def planfile_import(world, actor):
    imports.planfile_import(actor=actor, municipality=world.municipality, data=GOOD.encode())


CASES = {"planfile_import": ServiceCase(planfile_import, may_import)}


def upload_create(world, actor):
    services.planfile_upload_create(actor=actor, municipality=world.municipality, file_name="p.yaml",
                                    data=GOOD.encode())  # fmt: skip


def upload_import(world, actor):
    """An upload of whoever calls (a superuser's stand-in owner for those who may not upload)."""
    owner = actor if getattr(actor, "pk", None) else world.actors[Role.ADMINISTRATOR]
    upload = PlanFileUpload.objects.create(municipality=world.municipality, created_by=owner, file_name="p.yaml",
                                           data=GOOD.encode())  # fmt: skip
    services.planfile_upload_import(actor=actor, upload=upload)


def _plan(world, *, draft: bool):
    plan = PlanFactory(municipality=world.municipality)
    if draft:
        PlanVersion.objects.create(plan=plan, number=1, kind="draft")
    return plan


def version_start_draft(world, actor):
    services.plan_version_start_draft(actor=actor, plan=_plan(world, draft=False))


def version_publish(world, actor):
    services.plan_version_publish_for_consultation(actor=actor, plan=_plan(world, draft=True))


def version_adopt(world, actor):
    decision = DecisionFactory(municipality=world.municipality)
    services.plan_version_adopt(actor=actor, plan=_plan(world, draft=True), decision=decision)


SERVICE_CASES = {
    "planfile_upload_create": ServiceCase(upload_create, may_import),
    "planfile_upload_import": ServiceCase(upload_import, may_import),
    "plan_version_start_draft": ServiceCase(version_start_draft, Action.EDIT_PLAN),
    "plan_version_publish_for_consultation": ServiceCase(version_publish, Action.EDIT_PLAN),
    "plan_version_adopt": ServiceCase(version_adopt, Action.EDIT_PLAN),
}


@pytest.fixture
def world():
    return build_world()


def test_every_service_has_a_case():
    assert_covers(imports, CASES)
    assert_covers(services, SERVICE_CASES)


@pytest.mark.parametrize("name", sorted(CASES | SERVICE_CASES))
def test_only_those_allowed_may_call(world, name):
    check(world, (CASES | SERVICE_CASES)[name], name)


def test_a_file_with_values_needs_who_may_verify(world):
    """The person recorded as having published the file's values must be a verifier here."""
    from .test_planfile_v2 import V2  # noqa: PLC0415 - a large sample, read here only

    for role in Role:
        allowed = role in RULES[Action.VERIFY_MEASUREMENT]
        savepoint = transaction.savepoint()
        try:
            imports.planfile_import(actor=OPERATOR, municipality=world.municipality, data=V2.encode(),
                                    verifier=world.actors[role], dry_run=True)  # fmt: skip
        except PermissionDenied:
            assert not allowed, role
        except imports.PlanImportError:  # the owner of V2's indicator does not exist here
            assert allowed, role
        else:
            raise AssertionError(role)
        finally:
            transaction.savepoint_rollback(savepoint)


def test_a_file_is_refused_before_it_is_read():
    """Who may not import learns nothing about the file: not even that it is not a plan file."""
    town = MunicipalityFactory()
    manager = MembershipFactory(municipality=town, role=Role.PROJECT_MANAGER).user
    with pytest.raises(PermissionDenied):
        imports.planfile_import(actor=manager, municipality=town, data=b"\x00 not a plan file")


def test_replacing_a_plan_needs_who_may_delete_plans():
    town = MunicipalityFactory()
    imports.planfile_import(actor=OPERATOR, municipality=town, data=GOOD.encode())
    planner = MembershipFactory(municipality=town, role=Role.PLANNER).user
    with pytest.raises(PermissionDenied):
        imports.planfile_import(actor=planner, municipality=town, data=GOOD.encode(), replace=True)
    administrator = MembershipFactory(municipality=town, role=Role.ADMINISTRATOR).user
    result = imports.planfile_import(actor=administrator, municipality=town, data=GOOD.encode(), replace=True)
    assert (result.projects_created, result.projects_updated) == (0, 1)
    assert Plan.objects.filter(municipality=town).count() == 1 and Project.objects.count() == 1
