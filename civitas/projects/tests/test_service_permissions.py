"""The role × service matrix of projects.services: every service refuses whoever may not call it here."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from civitas.core.permissions import OPERATOR, Action
from civitas.projects import services
from civitas.testing.factories import (
    ActivityFactory,
    FundingLineFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectFactory,
    ProjectPartnerFactory,
)
from civitas.testing.service_matrix import ServiceCase, assert_covers, build_world, check

pytestmark = pytest.mark.django_db


def project(world):
    return ProjectFactory(municipality=world.municipality, code="P1")


def pdf():
    return SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n")


def project_create(world, actor):
    goal = PlanElementFactory(plan=PlanFactory(municipality=world.municipality))
    services.project_create(actor=actor, municipality=world.municipality, code="P9", title_bg="Проект",
                            element_ids=[goal.pk])  # fmt: skip


def project_update(world, actor):
    found = project(world)
    services.project_update(actor=actor, project=found, expected_version=found.version, title_en="Project")


def project_touch_progress(world, actor):
    found = project(world)
    services.project_touch_progress(actor=actor, project=found, progress=55, expected_version=found.version)


def project_delete(world, actor):
    services.project_delete(actor=actor, project=project(world))


def partner_add(world, actor):
    services.partner_add(actor=actor, project=project(world), name_bg="Община Карлово")


def partner_update(world, actor):
    services.partner_update(
        actor=actor, partner=ProjectPartnerFactory(project=project(world)), role_bg="партньор"
    )


def partner_delete(world, actor):
    services.partner_delete(actor=actor, partner=ProjectPartnerFactory(project=project(world)))


def funding_line_add(world, actor):
    services.funding_line_add(actor=actor, project=project(world), source="municipal", amount="1000")


def funding_line_update(world, actor):
    services.funding_line_update(actor=actor, line=FundingLineFactory(project=project(world)), spent="10")


def funding_line_delete(world, actor):
    services.funding_line_delete(actor=actor, line=FundingLineFactory(project=project(world)))


def activity_add(world, actor):
    services.activity_add(actor=actor, project=project(world), title_bg="Дейност")


def activity_update(world, actor):
    services.activity_update(
        actor=actor, activity=ActivityFactory(project=project(world)), title_en="Activity"
    )


def activity_delete(world, actor):
    services.activity_delete(actor=actor, activity=ActivityFactory(project=project(world)))


def activity_reorder(world, actor):
    found = project(world)
    first, second = ActivityFactory(project=found), ActivityFactory(project=found)
    services.activity_reorder(actor=actor, project=found, ordered_ids=[second.pk, first.pk])


def document_add(world, actor):
    services.document_add(
        actor=actor, project=project(world), kind="document", title_bg="Отчет", upload=pdf()
    )


def document_delete(world, actor):
    found = project(world)
    document = services.document_add(
        actor=OPERATOR, project=found, kind="document", title_bg="Отчет", upload=pdf()
    )
    services.document_delete(actor=actor, document=document)


CASES = {
    "project_create": ServiceCase(project_create, Action.EDIT_PROJECT),
    "project_update": ServiceCase(project_update, Action.EDIT_PROJECT),
    "project_touch_progress": ServiceCase(project_touch_progress, Action.UPDATE_PROJECT_PROGRESS),
    "project_delete": ServiceCase(project_delete, Action.DELETE_PROJECT),
    "partner_add": ServiceCase(partner_add, Action.EDIT_PROJECT),
    "partner_update": ServiceCase(partner_update, Action.EDIT_PROJECT),
    "partner_delete": ServiceCase(partner_delete, Action.EDIT_PROJECT),
    "funding_line_add": ServiceCase(funding_line_add, Action.EDIT_PROJECT),
    "funding_line_update": ServiceCase(funding_line_update, Action.EDIT_PROJECT),
    "funding_line_delete": ServiceCase(funding_line_delete, Action.EDIT_PROJECT),
    "activity_add": ServiceCase(activity_add, Action.EDIT_PROJECT),
    "activity_update": ServiceCase(activity_update, Action.EDIT_PROJECT),
    "activity_delete": ServiceCase(activity_delete, Action.EDIT_PROJECT),
    "activity_reorder": ServiceCase(activity_reorder, Action.EDIT_PROJECT),
    "document_add": ServiceCase(document_add, Action.EDIT_PROJECT),
    "document_delete": ServiceCase(document_delete, Action.EDIT_PROJECT),
}


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def test_every_service_has_a_case():
    assert_covers(services, CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_only_those_allowed_may_call(world, name):
    check(world, CASES[name], name)


def test_a_project_of_another_municipality_is_refused_to_its_staff_here(world):
    """A role counts only in its municipality: an administrator here cannot touch Karlovo's project."""
    other = ProjectFactory(municipality=world.other)
    with pytest.raises(PermissionDenied):
        services.partner_add(actor=world.actors["administrator"], project=other, name_bg="Партньор")
    assert not other.partners.exists()
