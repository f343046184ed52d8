"""The bridge between stored indicators and the pure evaluation engine.

Builds the engine's inputs from model instances that are already loaded (no queries here) and
evaluates them; selectors load the data, in a fixed number of queries, and call these.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

from civitas.evaluation import engine
from civitas.plans.models import Plan

from .models import COUNTED_STATES, Indicator, IndicatorType, Measurement, StatusOverride, Target
from .rules import period_of


def thresholds_for(municipality) -> engine.Thresholds:
    return engine.Thresholds(
        on_track=float(municipality.on_track_threshold),
        at_risk=float(municipality.at_risk_threshold),
        stale_grace_days=municipality.stale_grace_days,
    )


def _tolerance(amount: Decimal | None, unit: str) -> engine.Tolerance | None:
    """A stored tolerance for missing a target; None when no amount is set."""
    if amount is None:
        return None
    return engine.Tolerance(float(amount), engine.ToleranceUnit(unit or engine.ToleranceUnit.UNIT))


def plan_tolerance(plan: Plan | None) -> engine.Tolerance:
    """A plan's tolerance for missing a target, for every indicator rated by attainment that has
    none of its own; none for a project's indicators (no plan) and a plan without one."""
    if plan is None:
        return engine.NO_TOLERANCE
    return _tolerance(plan.tolerance_amount, plan.tolerance_unit) or engine.NO_TOLERANCE


def plan_tolerance_of(indicator: Indicator) -> engine.Tolerance:
    """The tolerance of the plan the indicator hangs on (reads its element and plan: load them
    with it); none for a project's indicator."""
    return plan_tolerance(indicator.element.plan if indicator.element is not None else None)


def year_start_of(plan: Plan | None, municipality) -> int:
    """The month a reporting year starts in: the plan's own, else the municipality's (a project's
    indicators, with no plan, follow the municipality)."""
    if plan is not None and plan.year_start_month:
        return plan.year_start_month
    return municipality.year_start_month


def indicator_year_start(indicator: Indicator) -> int:
    """The reporting year start of the indicator's plan (reads its element's plan and its
    municipality: load them with it)."""
    return year_start_of(
        indicator.element.plan if indicator.element is not None else None, indicator.municipality
    )


def effective_tolerance(indicator: Indicator) -> tuple[engine.Tolerance, bool]:
    """The tolerance for missing a target that rates the indicator (its own, else its plan's), and
    whether it is the plan's (reads its element's plan: load it with it)."""
    own = _tolerance(indicator.tolerance_amount, indicator.tolerance_unit)
    if own is not None:
        return own, False
    return plan_tolerance_of(indicator), True


def spec_for(indicator: Indicator, targets: Iterable[Target], year_start: int = 1) -> engine.IndicatorSpec:
    """The engine's view of a passport. ValueError when the passport cannot be evaluated.

    A context-type indicator without targets is a context indicator for the engine: shown with
    its values and trend, never rated, never "no data". One with targets is rated as before (with
    weight 0, so it stays out of the roll-up)."""
    baseline = None
    if indicator.baseline_value is not None and indicator.baseline_year is not None:
        baseline = engine.Baseline(float(indicator.baseline_value), indicator.baseline_year)
    pairs = [
        (engine.Period.of(t.year, t.sub, indicator.frequency, year_start), float(t.value)) for t in targets
    ]
    is_context_type = indicator.type == IndicatorType.CONTEXT
    return engine.IndicatorSpec(
        key=str(indicator.pk or indicator.code),
        direction=engine.Direction(indicator.direction),
        accumulation=engine.Accumulation(indicator.accumulation),
        measure=engine.Measure(indicator.measure),
        baseline=baseline,
        targets=pairs,
        frequency=engine.Frequency(indicator.frequency),
        tolerance=float(indicator.tolerance or 0),
        scale_min=None if indicator.scale_min is None else float(indicator.scale_min),
        scale_max=None if indicator.scale_max is None else float(indicator.scale_max),
        weight=0.0 if is_context_type else float(indicator.weight),
        context=is_context_type and not pairs,
        target_kind=engine.TargetKind(indicator.target_kind),
        target_tolerance=_tolerance(indicator.tolerance_amount, indicator.tolerance_unit),
        year_start=year_start,
        year_to_date=indicator.year_to_date,
    )


def _float(number: Decimal | None) -> float | None:
    """A stored number for the engine; a missing one stays missing, for the engine to refuse."""
    return None if number is None else float(number)


def engine_measurement(indicator: Indicator, m: Measurement, year_start: int = 1) -> engine.Measurement:
    """The engine's view of a value (a missing number is the engine's to refuse, with its code). A
    percentage without counts is a rate as reported: the engine takes it as the period's value."""
    period = period_of(m.year, m.sub, indicator.frequency, year_start) or engine.Period(
        m.year, year_start=year_start
    )
    if indicator.measure == engine.Measure.PERCENTAGE and (
        m.numerator is not None or m.denominator is not None
    ):
        return engine.Measurement(
            period=period,
            numerator=_float(m.numerator),
            denominator=_float(m.denominator),
            collected=m.collected_on,
        )
    return engine.Measurement(period=period, value=_float(m.value), collected=m.collected_on)


def engine_override(
    indicator: Indicator, override: StatusOverride, year_start: int = 1
) -> engine.StatusOverride:
    """The engine's view of a verifier's status for a period, its reason in the active language
    (the Bulgarian one when there is no translation)."""
    period = period_of(override.year, override.sub, indicator.frequency, year_start) or engine.Period(
        override.year, year_start=year_start
    )
    return engine.StatusOverride(
        period=period, status=engine.Status(override.status), reason=override.reason or override.reason_bg,
        decided=override.decided_on,
    )  # fmt: skip


# Months after a plan's last month by which its last values are in (docs/evaluation-rules.md §14):
# a completed plan is evaluated as of its end plus these, the end of the next year for a calendar-year plan.
REPORTING_DEADLINE_MONTHS = 12


def plan_end_date(plan_end_year: int | None, year_start: int = 1) -> datetime.date | None:
    """The last day of a plan (or project) whose last (reporting) year is ``plan_end_year``."""
    return None if plan_end_year is None else engine.Period(plan_end_year, year_start=year_start).end


def evaluation_date(
    plan_end_year: int | None, today: datetime.date | None = None, year_start: int = 1
) -> datetime.date:
    """The date a plan is evaluated on (the engine's ``default_as_of``): today while the plan is in
    force or its last values are still due; for a completed plan its end plus the reporting
    deadline, so it keeps its final assessment instead of turning stale."""
    return engine.default_as_of(
        today=today or timezone.localdate(),
        plan_end=plan_end_date(plan_end_year, year_start),
        reporting_deadline_months=REPORTING_DEADLINE_MONTHS,
    )


def evaluate(
    indicator: Indicator,
    targets: Iterable[Target],
    measurements: Iterable[Measurement],
    *,
    as_of: datetime.date,
    thresholds: engine.Thresholds,
    years: tuple[int, int] | None = None,
    tolerance: engine.Tolerance = engine.NO_TOLERANCE,
    year_start: int = 1,
    overrides: Iterable[StatusOverride] = (),
) -> engine.IndicatorResult:
    """Evaluate one indicator with its targets and measurements (only published values count).
    ``tolerance``: its plan's tolerance for missing a target (``plan_tolerance``); the indicator's
    own wins. ``years``: its plan's (or project's) years; nothing is due after their end, so a
    value reaching it is never stale. ``year_start``: the month its reporting years start in
    (``year_start_of``). ``overrides``: the verifiers' statuses, carried beside the computed ones."""
    spec = spec_for(indicator, targets, year_start)
    counted = [
        engine_measurement(indicator, m, year_start) for m in measurements if m.state in COUNTED_STATES
    ]
    periods = None
    if years is not None:
        first = min(years[0], indicator.baseline_year or years[0])
        frequency = engine.Frequency(indicator.frequency)
        if frequency is engine.Frequency.ANNUAL:
            periods = [engine.Period(y, year_start=year_start) for y in range(first, years[1] + 1)]
        else:
            parts = frequency.parts
            periods = [
                engine.Period(y, frequency, i, year_start)
                for y in range(first, years[1] + 1)
                for i in range(1, parts + 1)
            ]
    return engine.evaluate_indicator(
        spec,
        counted,
        as_of=as_of,
        thresholds=thresholds,
        periods=periods,
        tolerance=tolerance,
        plan_end=plan_end_date(years[1] if years is not None else None, year_start),
        overrides=[engine_override(indicator, o, year_start) for o in overrides],
    )
