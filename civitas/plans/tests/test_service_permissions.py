"""The role × service matrix of plans.services: every service refuses whoever may not call it here."""

import pytest
from django.core.exceptions import PermissionDenied

from civitas.core.permissions import OPERATOR, Action
from civitas.plans import services
from civitas.testing.factories import PlanElementFactory, PlanFactory
from civitas.testing.service_matrix import ServiceCase, assert_covers, build_world, check

pytestmark = pytest.mark.django_db


def plan(world):
    return PlanFactory(municipality=world.municipality, level_names=[{"bg": "Цел"}, {"bg": "Мярка"}])


def element(world):
    return PlanElementFactory(plan=plan(world), code="G1")


def plan_create(world, actor):
    services.plan_create(actor=actor, municipality=world.municipality, slug="new", kind="programme",
                         title_bg="Програма", period_start=2021, period_end=2027)  # fmt: skip


def plan_update(world, actor):
    found = plan(world)
    services.plan_update(actor=actor, plan=found, expected_version=found.version, title_en="Programme")


def plan_change_status(world, actor):
    found = plan(world)
    services.plan_change_status(
        actor=actor, plan=found, status="implementation", expected_version=found.version
    )


def plan_delete(world, actor):
    services.plan_delete(actor=actor, plan=plan(world))


def element_create(world, actor):
    services.element_create(actor=actor, plan=plan(world), code="G9", title_bg="Цел")


def element_create_tree(world, actor):
    services.element_create_tree(
        actor=actor,
        plan=plan(world),
        elements=[services.NewElement("G", "Цел"), services.NewElement("G.1", "Мярка", parent_code="G")],
    )


def element_update(world, actor):
    found = element(world)
    services.element_update(actor=actor, element=found, expected_version=found.version, title_bg="Нова цел")


def element_move(world, actor):
    found = element(world)
    services.element_move(actor=actor, element=found, parent=None, position=0)


def element_delete(world, actor):
    services.element_delete(actor=actor, element=element(world))


def financial_line(world):
    found = plan(world)
    return services.financial_line_create(actor=OPERATOR, plan=found, source="eu", amount="1000")


def financial_line_create(world, actor):
    services.financial_line_create(
        actor=actor, plan=plan(world), source="municipal", amount="1000", year=2015
    )


def financial_line_update(world, actor):
    services.financial_line_update(actor=actor, line=financial_line(world), amount="2000")


def financial_line_delete(world, actor):
    services.financial_line_delete(actor=actor, line=financial_line(world))


def financial_table_fill(world, actor):
    services.financial_table_fill(
        actor=actor, plan=plan(world), lines=[{"element": None, "source": "eu", "year": None, "amount": "10"}]
    )


def assessment_save(world, actor):
    services.assessment_save(
        actor=actor, element=element(world), year=2019, achieved_bg="Ремонтирани 3 училища",
        obstacles_bg="Забавени обществени поръчки", publish=True, expected_version=None,
    )  # fmt: skip


CASES = {
    "plan_create": ServiceCase(plan_create, Action.EDIT_PLAN),
    "plan_update": ServiceCase(plan_update, Action.EDIT_PLAN),
    "plan_change_status": ServiceCase(plan_change_status, Action.EDIT_PLAN),
    "plan_delete": ServiceCase(plan_delete, Action.DELETE_PLAN),
    "element_create": ServiceCase(element_create, Action.EDIT_PLAN),
    "element_create_tree": ServiceCase(element_create_tree, Action.EDIT_PLAN),
    "element_update": ServiceCase(element_update, Action.EDIT_PLAN),
    "element_move": ServiceCase(element_move, Action.EDIT_PLAN),
    "element_delete": ServiceCase(element_delete, Action.EDIT_PLAN),
    "financial_line_create": ServiceCase(financial_line_create, Action.EDIT_PLAN),
    "financial_line_update": ServiceCase(financial_line_update, Action.EDIT_PLAN),
    "financial_line_delete": ServiceCase(financial_line_delete, Action.EDIT_PLAN),
    "financial_table_fill": ServiceCase(financial_table_fill, Action.EDIT_PLAN),
    "assessment_save": ServiceCase(assessment_save, Action.EDIT_PLAN),
}


@pytest.fixture
def world():
    return build_world()


def test_every_service_has_a_case():
    assert_covers(services, CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_only_those_allowed_may_call(world, name):
    check(world, CASES[name], name)


def test_a_plan_of_another_municipality_is_refused_to_its_staff_here(world):
    """A role counts only in its municipality: an administrator here cannot touch Karlovo's plan."""
    other = PlanFactory(municipality=world.other)
    with pytest.raises(PermissionDenied):
        services.plan_update(
            actor=world.actors["administrator"], plan=other, expected_version=other.version, title_en="x"
        )
