"""Issue 9 on the Django side: the kind of target and the tolerance for missing a target are stored
(per indicator and per plan), checked by the rules, in the passport's form and export, and passed by
the bridge to the engine, so the plan page, the indicator page and the export rate alike
(docs/evaluation-rules.md §11–12)."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from civitas.core.permissions import OPERATOR
from civitas.evaluation import engine
from civitas.indicators import exports, forms, rules, services
from civitas.indicators.models import Indicator
from civitas.indicators.passport import IndicatorPassport
from civitas.indicators.selectors import indicator_detail, indicators_evaluation, plan_evaluation
from civitas.plans import rules as plan_rules
from civitas.plans import services as plan_services
from civitas.plans.models import PlanToleranceUnit
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


def sewerage(plan, actual, **fields):
    """Example 11.1: households connected, no baseline, target 2020 = 4,000."""
    indicator = IndicatorFactory(
        element=PlanElementFactory(plan=plan), baseline_value=None, baseline_year=None,
        baseline_unavailable_reason_bg="Няма данни", accumulation="latest", **fields,
    )  # fmt: skip
    TargetFactory(indicator=indicator, year=2020, value=Decimal("4000"))
    MeasurementFactory(indicator=indicator, year=2020, value=Decimal(actual))
    return indicator


def results(plan, indicator, today=TODAY):
    """The indicator's result on the plan page, the indicator page and the export/dashboard path."""
    on_plan = plan_evaluation(plan, plan_tree(plan), today=today).indicators[indicator.element_id][0].result
    found = Indicator.objects.select_related("element__plan", "project").get(pk=indicator.pk)
    on_page = indicator_detail(found, today=today).evaluated.result
    (listed,) = indicators_evaluation([found], today=today)
    return on_plan, on_page, listed.result


def test_the_engine_units_are_the_plans_units():
    assert set(PlanToleranceUnit.values) == {unit.value for unit in engine.ToleranceUnit}


def test_a_target_missed_by_less_than_the_plans_tolerance_is_at_risk_everywhere():
    plan = PlanFactory(tolerance_amount=Decimal("10"), tolerance_unit="percent")
    indicator = sewerage(plan, 3800)
    for result in results(plan, indicator):
        assert result.status is engine.Status.AT_RISK
        assert result.ratio == pytest.approx(0.725)


def test_without_a_tolerance_any_miss_is_off_track():
    plan = PlanFactory()
    (result, *_) = results(plan, sewerage(plan, 3800))
    assert result.status is engine.Status.OFF_TRACK and result.ratio == 0


def test_the_indicators_own_tolerance_wins_over_the_plans():
    plan = PlanFactory(tolerance_amount=Decimal("10"), tolerance_unit="percent")
    indicator = sewerage(plan, 3800, tolerance_amount=Decimal("150"), tolerance_unit="unit")
    for result in results(plan, indicator):
        assert result.status is engine.Status.OFF_TRACK
        assert result.ratio == pytest.approx(0.40)


def test_a_plans_changed_tolerance_is_not_hidden_by_the_cached_evaluation():
    plan = PlanFactory()
    indicator = sewerage(plan, 3800)
    tree = plan_tree(plan)
    before = plan_evaluation(plan, tree, today=TODAY, planning_version=1)
    plan.tolerance_amount, plan.tolerance_unit = Decimal("10"), "percent"
    after = plan_evaluation(plan, plan_tree(plan), today=TODAY, planning_version=1)
    assert before.indicators[indicator.element_id][0].result.status is engine.Status.OFF_TRACK
    assert after.indicators[indicator.element_id][0].result.status is engine.Status.AT_RISK


def calls_answered(element, **fields) -> IndicatorPassport:
    """Example 12.1: calls answered within 20 seconds, 95 % in 2022."""
    return IndicatorPassport(
        code="CALLS", name_bg="Обаждания", type="result", unit_bg="%", direction="increase",
        accumulation="latest", baseline_value=Decimal("95"), baseline_year=2022, **fields,
    )  # fmt: skip


def test_a_threshold_below_the_baseline_is_accepted_and_rated_on_track_when_met():
    plan = PlanFactory(period_start=2021, period_end=2027)
    element = PlanElementFactory(plan=plan)
    indicator = services.indicator_create(
        actor=OPERATOR, municipality=plan.municipality, element=element,
        passport=calls_answered(element, target_kind="threshold"),
    )  # fmt: skip
    services.target_set(actor=OPERATOR, indicator=indicator, year=2023, value=Decimal("90"), is_final=True)
    MeasurementFactory(indicator=indicator, year=2023, value=Decimal("92"))
    for result in results(plan, indicator, today=datetime.date(2024, 3, 1)):
        assert result.status is engine.Status.ON_TRACK and result.ratio == 1.0
        assert result.target_kind is engine.TargetKind.THRESHOLD


def test_the_same_target_as_a_trajectory_is_refused():
    plan = PlanFactory(period_start=2021, period_end=2027)
    element = PlanElementFactory(plan=plan)
    indicator = services.indicator_create(
        actor=OPERATOR, municipality=plan.municipality, element=element, passport=calls_answered(element)
    )
    with pytest.raises(ValidationError) as refused:
        services.target_set(actor=OPERATOR, indicator=indicator, year=2023, value=Decimal("90"))
    assert "targets" in refused.value.message_dict


@pytest.mark.parametrize(
    ("amount", "unit", "field"),
    [
        (Decimal("-1"), "unit", "tolerance_amount"),
        (Decimal("101"), "percent", "tolerance_amount"),
        (Decimal("5"), "", "tolerance_unit"),
    ],
)
def test_the_rules_refuse_a_wrong_tolerance(amount, unit, field):
    passport = replace(calls_answered(None), tolerance_amount=amount, tolerance_unit=unit)
    assert field in rules.check_passport(passport, period=None)
    assert field in plan_rules.check_tolerance(amount, unit)


@pytest.mark.parametrize(
    ("amount", "unit"), [(None, ""), (None, "percent"), (Decimal("0"), "unit"), (Decimal("100"), "percent")]
)
def test_the_rules_accept_a_right_tolerance(amount, unit):
    passport = replace(calls_answered(None), tolerance_amount=amount, tolerance_unit=unit)
    errors = rules.check_passport(passport, period=None)
    assert "tolerance_amount" not in errors and "tolerance_unit" not in errors


def test_the_plan_service_refuses_a_wrong_tolerance():
    plan = PlanFactory()
    with pytest.raises(ValidationError) as refused:
        plan_services.plan_update(
            actor=OPERATOR, plan=plan, expected_version=plan.version,
            tolerance_amount=Decimal("150"), tolerance_unit="percent",
        )  # fmt: skip
    assert "tolerance_amount" in refused.value.message_dict
    plan = plan_services.plan_update(
        actor=OPERATOR, plan=plan, expected_version=plan.version,
        tolerance_amount=Decimal("5"), tolerance_unit="percent",
    )  # fmt: skip
    plan.refresh_from_db()
    assert (plan.tolerance_amount, plan.tolerance_unit) == (Decimal("5"), "percent")


def test_the_form_round_trips_the_new_fields():
    plan = PlanFactory(period_start=2021, period_end=2027)
    element = PlanElementFactory(plan=plan)
    data = {
        "attached_to": f"element:{element.pk}", "code": "CALLS", "name_bg": "Обаждания", "type": "result",
        "measure": "number", "direction": "increase", "accumulation": "latest", "frequency": "annual",
        "baseline_value": "95", "baseline_year": "2022", "weight": "1", "position": "0",
        "target_kind": "threshold", "tolerance_amount": "5", "tolerance_unit": "unit",
    }  # fmt: skip
    choices = [(f"element:{element.pk}", "1")]
    form = forms.PassportForm(data, municipality=plan.municipality, attach_choices=choices)
    assert form.is_valid(), form.errors
    passport = form.passport()
    assert passport.target_kind is engine.TargetKind.THRESHOLD
    assert (passport.tolerance_amount, passport.tolerance_unit) == (Decimal("5"), engine.ToleranceUnit.UNIT)
    made = services.indicator_create(
        actor=OPERATOR, municipality=plan.municipality, element=element, passport=passport
    )
    stored = Indicator.objects.get(pk=made.pk)
    assert IndicatorPassport.of(stored) == passport
    again = forms.PassportForm(instance=stored, municipality=plan.municipality, attach_choices=choices)
    assert (again["target_kind"].value(), again["tolerance_unit"].value()) == ("threshold", "unit")
    assert Decimal(again["tolerance_amount"].value()) == Decimal("5")


def test_the_form_refuses_a_percent_above_100():
    plan = PlanFactory(period_start=2021, period_end=2027)
    element = PlanElementFactory(plan=plan)
    passport = calls_answered(element, tolerance_amount=Decimal("120"), tolerance_unit="percent")
    with pytest.raises(ValidationError) as refused:
        services.indicator_create(
            actor=OPERATOR, municipality=plan.municipality, element=element, passport=passport
        )
    assert "tolerance_amount" in refused.value.message_dict


def test_the_export_has_the_new_columns():
    indicator = IndicatorFactory(
        target_kind="threshold", tolerance_amount=Decimal("2.5"), tolerance_unit="percent"
    )
    export = exports.indicators_export_set(municipality=indicator.municipality)
    header = exports.passports_header(export)
    assert {"target_kind", "tolerance_amount", "tolerance_unit"} <= set(header)
    with translation.override("en"):
        (row,) = [dict(zip(header, r, strict=True)) for r in exports.passports_rows(export)]
    assert (row["target_kind"], row["tolerance_amount"], row["tolerance_unit"]) == (
        "threshold", Decimal("2.5"), "percent",
    )  # fmt: skip
