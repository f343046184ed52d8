import datetime
from decimal import Decimal

import pytest

from civitas.evaluation.engine import Status
from civitas.indicators.models import StatusOverride
from civitas.indicators.selectors import indicator_detail, plan_evaluation
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


def indicator_with(element, values, *, final=200, code=None):
    """Baseline 100 in 2013, final target `final` in 2020, latest-level values by year."""
    indicator = IndicatorFactory(
        element=element, accumulation="latest", code=code or f"I{element.pk}-{final}"
    )
    TargetFactory(indicator=indicator, year=2020, value=Decimal(final))
    for year, value in values.items():
        MeasurementFactory(indicator=indicator, year=year, value=Decimal(value))
    return indicator


def test_plan_evaluation_rolls_up_with_coverage(django_assert_max_num_queries):
    plan = PlanFactory(period_start=2014, period_end=2020)
    goal = PlanElementFactory(plan=plan, code="SG1")
    other = PlanElementFactory(plan=plan, code="SG2")
    on_track = indicator_with(goal, {2020: 200})
    indicator_with(other, {})  # no data
    tree = plan_tree(plan)
    # The municipality, the indicators, the elements they also serve, targets, values, overrides.
    with django_assert_max_num_queries(6):
        evaluation = plan_evaluation(plan, tree, today=TODAY)
    assert evaluation.as_of == datetime.date(2021, 12, 31)
    assert evaluation.elements[goal.pk].status == Status.ON_TRACK
    assert evaluation.elements[goal.pk].score == 1.0
    assert evaluation.elements[other.pk].status == Status.NO_DATA
    # Missing data is not a zero: the plan's score is SG1's, its coverage a half.
    assert evaluation.plan_result.score == 1.0
    assert evaluation.plan_result.coverage == 0.5
    assert evaluation.indicators[goal.pk][0].indicator == on_track


def test_unpublished_values_do_not_count():
    plan = PlanFactory(period_start=2014, period_end=2020)
    goal = PlanElementFactory(plan=plan)
    indicator = indicator_with(goal, {})
    MeasurementFactory(indicator=indicator, year=2020, value=Decimal(200), state="approved")
    evaluation = plan_evaluation(plan, plan_tree(plan), today=TODAY)
    assert evaluation.elements[goal.pk].status == Status.NO_DATA


def test_plan_evaluation_query_count_does_not_grow(django_assert_num_queries):
    plan = PlanFactory(period_start=2014, period_end=2020)
    goal = PlanElementFactory(plan=plan)
    indicator_with(goal, {2015: 120})
    tree = plan_tree(plan)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        plan_evaluation(plan, tree, today=TODAY)
    other = PlanElementFactory(plan=plan, code="SG9")
    for n in range(20):
        indicator = indicator_with(goal, {2014 + y: 100 + 10 * y for y in range(7)}, code=f"X{n}")
        indicator.also_elements.add(other)  # shown (and counted) under both elements
        StatusOverride.objects.create(
            indicator=indicator, year=2020, status="off_track", reason_bg="Преценка", decided_on=TODAY
        )
    tree = plan_tree(plan)
    with CaptureQueriesContext(connection) as many:
        plan_evaluation(plan, tree, today=TODAY)
    assert len(few) == len(many)


def test_indicator_detail_agrees_with_plan_evaluation():
    plan = PlanFactory(period_start=2014, period_end=2020)
    goal = PlanElementFactory(plan=plan)
    indicator = indicator_with(goal, {2016: 130, 2018: 150})
    from_plan = plan_evaluation(plan, plan_tree(plan), today=TODAY).indicators[goal.pk][0].result
    detail = indicator_detail(indicator, today=TODAY)
    assert detail.evaluated.result.score == from_plan.score
    assert detail.evaluated.result.status == from_plan.status
    assert [p.actual for p in detail.evaluated.result.series] == [p.actual for p in from_plan.series]
