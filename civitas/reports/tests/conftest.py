"""A plan with data for one reporting year (2019): indicators on track, off track (with a verifier's
reason), with no data and of context; a project with funding, spending, an activity of the year and
an output indicator; the plan's financial table; a published assessment; a value waiting for approval."""

import datetime
from decimal import Decimal

import pytest

from civitas.core.permissions import OPERATOR
from civitas.council.services import decision_create
from civitas.indicators.models import MeasurementState, StatusOverride
from civitas.plans.models import ElementAssessment, FinancialLine
from civitas.reports import services
from civitas.testing.factories import (
    ActivityFactory,
    FundingLineFactory,
    IndicatorFactory,
    MeasurementFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectContributionFactory,
    ProjectFactory,
    TargetFactory,
)

YEAR = 2019


def add_goal(plan, code: str, *, values=(190, 105)):
    """A goal with a measure under it; indicators with a final target of 200 in 2020 and a value in
    2019 each (190 on track, 105 off track), one without a value, and a project serving it."""
    goal = PlanElementFactory(plan=plan, code=code)
    measure = PlanElementFactory(plan=plan, code=f"{code}.1", parent=goal)
    indicators = []
    for value in values:
        indicator = IndicatorFactory(element=measure)
        TargetFactory(indicator=indicator)
        MeasurementFactory(indicator=indicator, year=YEAR, value=Decimal(value))
        indicators.append(indicator)
    empty = IndicatorFactory(element=goal)
    TargetFactory(indicator=empty)
    MeasurementFactory(indicator=empty, year=YEAR, value=Decimal(150), state=MeasurementState.SUBMITTED)
    project = ProjectFactory(municipality=plan.municipality, planned_end=datetime.date(2020, 12, 31))
    ProjectContributionFactory(project=project, element=measure)
    FundingLineFactory(project=project, source="eu", amount=Decimal("80000.00"), spent=Decimal("40000.00"))
    FundingLineFactory(project=project, source="municipal", amount=Decimal("20000.00"))
    ActivityFactory(project=project, due_date=datetime.date(YEAR, 6, 30), is_milestone=True)
    ActivityFactory(project=project, due_date=datetime.date(2016, 6, 30))
    output = IndicatorFactory(element=None, project=project, municipality=plan.municipality, type="output",
                              baseline_value=None, baseline_year=None)  # fmt: skip
    MeasurementFactory(indicator=output, year=YEAR, value=Decimal(8))
    FinancialLine.objects.create(plan=plan, element=goal, source="eu", year=YEAR, amount=Decimal("90000.00"))
    return goal, measure, indicators, project


@pytest.fixture
def world():
    municipality = MunicipalityFactory(slug="sopot-test")
    plan = PlanFactory(municipality=municipality, slug="opr-2014-2020")
    goal, measure, (on_track, off_track), project = add_goal(plan, "G1")
    add_goal(plan, "G2", values=(195,))
    StatusOverride.objects.create(
        indicator=off_track, year=YEAR, status="off_track", reason_bg="Забавена обществена поръчка",
        reason_en="The public procurement was delayed", decided_on=datetime.date(YEAR, 12, 20),
    )  # fmt: skip
    context = IndicatorFactory(element=goal, type="context", baseline_value=None, baseline_year=None,
                               name_bg="Население", name_en="Population")  # fmt: skip
    for year, value in ((2015, 10300), (2017, 10100), (2019, 9900)):
        MeasurementFactory(indicator=context, year=year, value=Decimal(value))
    ElementAssessment.objects.create(element=goal, year=YEAR, achieved_bg="Постигнато", achieved_en="Achieved",
                                     is_published=True)  # fmt: skip
    report = services.report_create(
        actor=OPERATOR, plan=plan, year=YEAR, conditions_bg="Общи условия", conditions_en="General conditions",
        actions_bg="Предприети действия", actions_en="Actions taken", conclusions_bg="Изводи",
        conclusions_en="Conclusions",
    )  # fmt: skip
    return type("World", (), {"municipality": municipality, "plan": plan, "report": report, "goal": goal,
                              "project": project, "off_track": off_track})  # fmt: skip


@pytest.fixture
def decision(world):
    return decision_create(
        actor=OPERATOR, municipality=world.municipality, number=123, date=datetime.date(2020, 3, 27),
        subject_bg="Одобряване на годишния доклад",
    )  # fmt: skip
