"""The role × service matrix of reports.services: every service refuses whoever may not call it here."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from civitas.core.permissions import OPERATOR, Action
from civitas.council.services import decision_create
from civitas.reports import services
from civitas.testing.factories import EvaluationFactory, PlanFactory
from civitas.testing.service_matrix import ServiceCase, assert_covers, build_world, check

pytestmark = pytest.mark.django_db


def plan(world):
    return PlanFactory(municipality=world.municipality)


def report(world):
    return services.report_create(actor=OPERATOR, plan=plan(world), year=2019)


def report_create(world, actor):
    services.report_create(actor=actor, plan=plan(world), year=2019, conditions_bg="Условия")


def report_update_narrative(world, actor):
    found = report(world)
    services.report_update_narrative(
        actor=actor, report=found, expected_version=found.version, conclusions_bg="Изводи"
    )


def report_generate(world, actor):
    services.report_generate(actor=actor, report=report(world), format="docx", language="bg")


def report_approve(world, actor):
    found = report(world)
    decision = decision_create(
        actor=OPERATOR, municipality=world.municipality, number=7, date=datetime.date(2020, 3, 27),
        subject_bg="Одобряване на доклада",
    )  # fmt: skip
    services.report_approve(actor=actor, report=found, decision=decision, expected_version=found.version)


def evaluation_report_generate(world, actor):
    evaluation = EvaluationFactory(municipality=world.municipality)
    services.evaluation_report_generate(actor=actor, evaluation=evaluation, format="pdf", language="en")


CASES = {
    "report_create": ServiceCase(report_create, Action.EDIT_REPORT),
    "report_update_narrative": ServiceCase(report_update_narrative, Action.EDIT_REPORT),
    "report_generate": ServiceCase(report_generate, Action.EDIT_REPORT),
    "report_approve": ServiceCase(report_approve, Action.EDIT_REPORT),
    "evaluation_report_generate": ServiceCase(evaluation_report_generate, Action.WRITE_EVALUATION),
}


@pytest.fixture
def world():
    return build_world()


def test_every_service_has_a_case():
    assert_covers(services, CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_only_those_allowed_may_call(world, name):
    check(world, CASES[name], name)


def test_a_report_of_another_municipality_is_refused_to_its_staff_here(world):
    other = services.report_create(actor=OPERATOR, plan=PlanFactory(municipality=world.other), year=2019)
    with pytest.raises(PermissionDenied):
        services.report_update_narrative(
            actor=world.actors["administrator"],
            report=other,
            expected_version=other.version,
            conclusions_bg="x",
        )


def test_an_evaluation_of_another_municipality_is_refused_to_its_evaluator_here(world):
    other = EvaluationFactory(municipality=world.other)
    with pytest.raises(PermissionDenied):
        services.evaluation_report_generate(
            actor=world.actors["evaluator"], evaluation=other, format="docx", language="bg"
        )
