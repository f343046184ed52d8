"""Issue 9, the as-of date and the plan's end (docs/evaluation-rules.md §14) on the Django side: the
bridge's default date is the engine's ``default_as_of`` (the plan's end plus 12 months for a
completed plan), and nothing is due after the plan's end, so a plan that ended in 2020 and is
looked at today is not "stale" on any page, export or calendar."""

import datetime
from decimal import Decimal

import pytest

from civitas.evaluation import engine
from civitas.indicators import reporting
from civitas.indicators.evaluation import evaluation_date, plan_end_date
from civitas.indicators.models import Indicator
from civitas.indicators.reporting import CalendarKind
from civitas.indicators.selectors import (
    indicator_detail,
    indicators_evaluation,
    plan_evaluation,
    reporting_calendar,
)
from civitas.plans.selectors import plan_tree
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    PlanElementFactory,
    PlanFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(
    "end_year, today, expected",
    [
        (2020, datetime.date(2025, 6, 1), datetime.date(2021, 12, 31)),  # example 14.2
        (2027, datetime.date(2025, 6, 1), datetime.date(2025, 6, 1)),
        (2020, datetime.date(2021, 2, 1), datetime.date(2021, 2, 1)),
        (None, datetime.date(2025, 6, 1), datetime.date(2025, 6, 1)),
    ],
)
def test_the_default_date_is_the_engines_and_keeps_the_old_cap(end_year, today, expected):
    assert evaluation_date(end_year, today) == expected
    old_cap = today if end_year is None else min(today, datetime.date(end_year + 1, 12, 31))
    assert evaluation_date(end_year, today) == old_cap


def test_the_plans_end_is_the_last_day_of_its_last_year():
    assert plan_end_date(2020) == datetime.date(2020, 12, 31) and plan_end_date(None) is None


@pytest.fixture
def ended_plan():
    """A plan 2014–2020 with a quarterly and an annual indicator, each reported to the plan's end."""
    plan = PlanFactory(period_start=2014, period_end=2020)
    element = PlanElementFactory(plan=plan)
    quarterly = IndicatorFactory(element=element, code="Q1", frequency="quarterly", accumulation="latest")
    TargetFactory(indicator=quarterly, year=2020, sub=4, value=Decimal("200"))
    for quarter, value in ((3, "180"), (4, "200")):
        MeasurementFactory(indicator=quarterly, year=2020, sub=quarter, value=Decimal(value))
    annual = IndicatorFactory(element=element, code="A1")
    TargetFactory(indicator=annual, year=2020, value=Decimal("200"))
    MeasurementFactory(indicator=annual, year=2020, value=Decimal("200"))
    return plan


def results(plan, today=TODAY):
    evaluation = plan_evaluation(plan, plan_tree(plan), today=today)
    found = list(Indicator.objects.filter(element__plan=plan).select_related("element__plan", "project"))
    on_plan = [item.result for items in evaluation.indicators.values() for item in items]
    on_page = [indicator_detail(i, today=today).evaluated.result for i in found]
    listed = [item.result for item in indicators_evaluation(found, today=today)]
    return evaluation, on_plan + on_page + listed


def test_a_plan_that_ended_in_2020_is_not_stale_today(ended_plan):
    evaluation, found = results(ended_plan)
    assert evaluation.as_of == datetime.date(2021, 12, 31)
    assert len(found) == 6
    for result in found:
        assert result.status is engine.Status.ON_TRACK
        assert engine.Note.STALE not in result.notes
    assert evaluation.plan_result.counts[engine.Status.STALE] == 0


def test_a_value_missing_before_the_plans_end_is_still_stale(ended_plan):
    """Only the periods after the end are never due: a quarterly indicator last reported in
    2020-Q2 has its 2020-Q3 and Q4 values missing."""
    element = ended_plan.elements.first()
    late = IndicatorFactory(element=element, code="Q2", frequency="quarterly", accumulation="latest")
    TargetFactory(indicator=late, year=2020, sub=4, value=Decimal("200"))
    MeasurementFactory(indicator=late, year=2020, sub=2, value=Decimal("200"))
    found = Indicator.objects.select_related("element__plan", "project").get(pk=late.pk)
    assert indicator_detail(found, today=TODAY).evaluated.result.status is engine.Status.STALE


def test_the_reporting_calendar_calls_no_value_after_the_plans_end_stale(ended_plan):
    calendar = reporting_calendar(municipality=ended_plan.municipality, today=TODAY)
    assert not [entry for entry in calendar.entries if entry.kind is CalendarKind.STALE]


def test_is_stale_knows_the_plans_end():
    last = [engine.Period(2020, engine.Frequency.QUARTERLY, 4)]
    as_of = datetime.date(2021, 12, 31)
    assert reporting.is_stale(frequency="quarterly", published=last, as_of=as_of, grace_days=90)
    assert not reporting.is_stale(
        frequency="quarterly",
        published=last,
        as_of=as_of,
        grace_days=90,
        plan_end=datetime.date(2020, 12, 31),
    )
