"""One bad input per ErrorCode, refused by the engine: the engine's tests check each code and its
parameters, the indicators' tests (pure Python here, no Django) check each message a person reads."""

from collections.abc import Callable
from datetime import date

from civitas.evaluation.engine import (
    Accumulation,
    Baseline,
    Direction,
    ErrorCode,
    Frequency,
    IndicatorSpec,
    Measure,
    Measurement,
    Node,
    Period,
    Status,
    StatusOverride,
    Thresholds,
    Tolerance,
    budget_execution,
    cost_per_unit,
    default_as_of,
    evaluate_indicator,
    evaluate_tree,
    progress_ratio,
    stale_after,
    validate_measurements,
    validate_spec,
)

AS_OF = date(2030, 1, 1)
SCORE = dict(accumulation=Accumulation.LATEST, measure=Measure.SCORE, scale_min=1, scale_max=5)
PERCENT = IndicatorSpec("online", Direction.INCREASE, measure=Measure.PERCENTAGE)
# A rate without its counts is taken as reported, but never added up: a cumulative one is refused.
CUMULATIVE_PERCENT = IndicatorSpec(
    "online", Direction.INCREASE, measure=Measure.PERCENTAGE, accumulation=Accumulation.CUMULATIVE
)
CONTEXT = IndicatorSpec("incidents", Direction.INCREASE, context=True)
YEAR_TO_DATE = IndicatorSpec(
    "calls", Direction.INCREASE, accumulation=Accumulation.CUMULATIVE, year_to_date=True, year_start=4
)
JUDGED = StatusOverride(Period(2016), Status.AT_RISK, "the survey changed its method")
NUMBER = IndicatorSpec("n", Direction.INCREASE)
PLAN = IndicatorSpec("x", Direction.INCREASE, baseline=Baseline(1, 2013), targets={Period(2021): 3})


def _result():
    return evaluate_indicator(NUMBER, [], as_of=AS_OF)


# (code, a call that the engine refuses with that code)
REFUSALS: list[tuple[ErrorCode, Callable[[], object]]] = [
    (ErrorCode.NOT_A_NUMBER, lambda: Measurement(Period(2016), "many")),
    (ErrorCode.NOT_FINITE, lambda: Measurement(Period(2016), float("nan"))),
    (ErrorCode.PERIOD_YEAR, lambda: Period(0)),
    (ErrorCode.PERIOD_FREQUENCY, lambda: Period(2016, "weekly")),  # type: ignore[arg-type]
    (ErrorCode.PERIOD_INDEX, lambda: Period(2016, Frequency.QUARTERLY, 5)),
    (ErrorCode.PERIOD_TEXT, lambda: Period.parse("2016-Q5")),
    (ErrorCode.BASELINE_YEAR, lambda: Baseline(10, 0)),
    (ErrorCode.BASELINE_TYPE, lambda: IndicatorSpec("x", Direction.INCREASE, baseline=10)),  # type: ignore[arg-type]
    (ErrorCode.INDICATOR_KEY, lambda: IndicatorSpec("", Direction.INCREASE)),
    (ErrorCode.UNKNOWN_DIRECTION, lambda: IndicatorSpec("x", "sideways")),  # type: ignore[arg-type]
    (ErrorCode.UNKNOWN_ACCUMULATION, lambda: IndicatorSpec("x", Direction.INCREASE, accumulation="avg")),  # type: ignore[arg-type]
    (ErrorCode.UNKNOWN_MEASURE, lambda: IndicatorSpec("x", Direction.INCREASE, measure="money")),  # type: ignore[arg-type]
    (ErrorCode.UNKNOWN_FREQUENCY, lambda: IndicatorSpec("x", Direction.INCREASE, frequency="weekly")),  # type: ignore[arg-type]
    (ErrorCode.TOLERANCE_NEGATIVE, lambda: IndicatorSpec("x", Direction.MAINTAIN, tolerance=-1)),
    (ErrorCode.WEIGHT_NEGATIVE, lambda: IndicatorSpec("x", Direction.INCREASE, weight=-1)),
    (ErrorCode.SCALE_MISSING, lambda: IndicatorSpec("x", Direction.INCREASE, measure=Measure.SCORE)),
    (ErrorCode.SCALE_ORDER, lambda: IndicatorSpec("x", Direction.INCREASE, **{**SCORE, "scale_min": 5})),
    (
        ErrorCode.SCORE_NOT_LATEST,
        lambda: IndicatorSpec("x", Direction.INCREASE, measure=Measure.SCORE, scale_min=1, scale_max=5),
    ),
    (ErrorCode.SCALE_NOT_SCORE, lambda: IndicatorSpec("x", Direction.INCREASE, scale_min=1, scale_max=5)),
    (ErrorCode.TARGET_PAIR, lambda: IndicatorSpec("x", Direction.INCREASE, targets=[2020])),  # type: ignore[list-item]
    (ErrorCode.TARGET_PERIOD_TYPE, lambda: IndicatorSpec("x", Direction.INCREASE, targets={2020: 1})),  # type: ignore[dict-item]
    (
        ErrorCode.TARGET_TWICE,
        lambda: IndicatorSpec("x", Direction.INCREASE, targets=[(Period(2020), 1), (Period(2020), 2)]),
    ),
    (
        ErrorCode.TARGETS_SAME_MONTH,
        lambda: IndicatorSpec("x", Direction.INCREASE, targets={Period(2020): 1, Period.quarter(2020, 4): 2}),
    ),
    (
        ErrorCode.BASELINE_OUTSIDE_SCALE,
        lambda: IndicatorSpec("x", Direction.INCREASE, baseline=Baseline(7, 2013), **SCORE),
    ),
    (
        ErrorCode.TARGET_OUTSIDE_SCALE,
        lambda: IndicatorSpec("x", Direction.INCREASE, targets={Period(2020): 6}, **SCORE),
    ),
    (
        ErrorCode.VALUE_OUTSIDE_SCALE,
        lambda: evaluate_indicator(
            IndicatorSpec("x", Direction.INCREASE, **SCORE), [Measurement(Period(2016), 6)], as_of=AS_OF
        ),
    ),
    (
        ErrorCode.TARGET_NOT_AFTER_BASELINE,
        lambda: IndicatorSpec(
            "x", Direction.INCREASE, baseline=Baseline(10, 2013), targets={Period(2013): 12}
        ),
    ),
    (
        ErrorCode.TARGET_BELOW_BASELINE,
        lambda: IndicatorSpec(
            "x", Direction.INCREASE, baseline=Baseline(10, 2013), targets={Period(2020): 8}
        ),
    ),
    (
        ErrorCode.TARGET_ABOVE_BASELINE,
        lambda: IndicatorSpec(
            "x", Direction.DECREASE, baseline=Baseline(10, 2013), targets={Period(2020): 12}
        ),
    ),
    (ErrorCode.MEASUREMENT_PERIOD_TYPE, lambda: Measurement(2016, 3)),  # type: ignore[arg-type]
    (ErrorCode.VALUE_AND_RATIO, lambda: Measurement(Period(2016), 3, numerator=5, denominator=9)),
    (ErrorCode.VALUE_MISSING, lambda: Measurement(Period(2016))),
    (ErrorCode.RATIO_INCOMPLETE, lambda: Measurement(Period(2016), numerator=5)),
    (ErrorCode.DENOMINATOR_ZERO, lambda: Measurement(Period(2016), numerator=5, denominator=0)),
    (ErrorCode.DENOMINATOR_NEGATIVE, lambda: Measurement(Period(2016), numerator=5, denominator=-2)),
    (ErrorCode.NUMERATOR_NEGATIVE, lambda: Measurement(Period(2016), numerator=-5, denominator=2)),
    (ErrorCode.COLLECTED_TYPE, lambda: Measurement(Period(2016), 1, collected="2016-12-31")),  # type: ignore[arg-type]
    (ErrorCode.THRESHOLDS_ORDER, lambda: Thresholds(on_track=0.5, at_risk=0.6)),
    (ErrorCode.GRACE_DAYS, lambda: Thresholds(stale_grace_days=-1)),
    (ErrorCode.ELEMENT_WEIGHT, lambda: Node("n", weight=0)),
    (
        ErrorCode.PERCENTAGE_NEEDS_RATIO,
        lambda: evaluate_indicator(CUMULATIVE_PERCENT, [Measurement(Period(2016), 45.0)], as_of=AS_OF),
    ),
    (
        ErrorCode.NUMBER_NEEDS_VALUE,
        lambda: evaluate_indicator(
            NUMBER, [Measurement(Period(2016), numerator=1, denominator=2)], as_of=AS_OF
        ),
    ),
    (ErrorCode.MEASUREMENT_TYPE, lambda: evaluate_indicator(NUMBER, [45], as_of=AS_OF)),  # type: ignore[list-item]
    (
        ErrorCode.MEASUREMENT_TWICE,
        lambda: evaluate_indicator(
            NUMBER, [Measurement(Period(2016), 1), Measurement(Period(2016), 2)], as_of=AS_OF
        ),
    ),
    (
        ErrorCode.MEASUREMENT_SPANS_PERIODS,
        lambda: evaluate_indicator(
            NUMBER,
            [Measurement(Period(2016), 5)],
            as_of=AS_OF,
            periods=[Period.half(2016, 1), Period.half(2016, 2)],
        ),
    ),
    (ErrorCode.SPEC_TYPE, lambda: evaluate_indicator("n", [], as_of=AS_OF)),  # type: ignore[arg-type]
    (ErrorCode.AS_OF_TYPE, lambda: evaluate_indicator(NUMBER, [], as_of="2030-01-01")),  # type: ignore[arg-type]
    (
        ErrorCode.PERIODS_ORDER,
        lambda: evaluate_indicator(NUMBER, [], as_of=AS_OF, periods=[Period(2016), Period.quarter(2016, 2)]),
    ),
    (ErrorCode.NODE_TYPE, lambda: evaluate_tree("plan")),  # type: ignore[arg-type]
    (ErrorCode.ELEMENT_TWICE, lambda: evaluate_tree(Node("plan", children=(Node("a"), Node("a"))))),
    (ErrorCode.RESULT_TYPE, lambda: evaluate_tree(Node("plan", indicators=("n",)))),  # type: ignore[arg-type]
    (ErrorCode.BUDGET_NEGATIVE, lambda: budget_execution(-1, 10)),
    (ErrorCode.COST_NEGATIVE, lambda: cost_per_unit(-1, 10)),
    (ErrorCode.OUTPUT_NEGATIVE, lambda: cost_per_unit(10, -1)),
    (ErrorCode.PLAN_PERIOD, lambda: validate_spec(PLAN, plan_start=2020, plan_end=2014)),
    (ErrorCode.TARGET_OUTSIDE_PLAN, lambda: validate_spec(PLAN, plan_start=2014, plan_end=2020)),
    (
        ErrorCode.BASELINE_AFTER_PLAN,
        lambda: validate_spec(
            IndicatorSpec("y", Direction.INCREASE, baseline=Baseline(1, 2013)), plan_start=2008, plan_end=2012
        ),
    ),
    (
        ErrorCode.MEASUREMENT_OUTSIDE_PLAN,
        lambda: validate_measurements(PLAN, [Measurement(Period(2012), 1)], plan_start=2014, plan_end=2020),
    ),
    # Vocabularies named by their values where the engine takes a member.
    (ErrorCode.UNKNOWN_DIRECTION, lambda: progress_ratio(1, 2, 0, "sideways")),  # type: ignore[arg-type]
    (ErrorCode.UNKNOWN_FREQUENCY, lambda: stale_after(Period(2016), "weekly", 90)),  # type: ignore[arg-type]
    (ErrorCode.PERIOD_FREQUENCY, lambda: Period.of(2016, 1, "weekly")),
    # Target kinds, tolerances, context indicators, overrides, as-of dates, reporting years.
    (ErrorCode.UNKNOWN_TARGET_KIND, lambda: IndicatorSpec("x", Direction.INCREASE, target_kind="standard")),  # type: ignore[arg-type]
    (ErrorCode.UNKNOWN_TOLERANCE_UNIT, lambda: Tolerance(5, "points")),  # type: ignore[arg-type]
    (ErrorCode.TOLERANCE_NEGATIVE, lambda: Tolerance(-5)),
    (ErrorCode.NOT_A_NUMBER, lambda: Tolerance("five")),  # type: ignore[arg-type]
    (ErrorCode.TOLERANCE_TYPE, lambda: IndicatorSpec("x", Direction.INCREASE, target_tolerance=5)),  # type: ignore[arg-type]
    (ErrorCode.TOLERANCE_TYPE, lambda: evaluate_indicator(NUMBER, [], as_of=AS_OF, tolerance=0.5)),  # type: ignore[arg-type]
    (
        ErrorCode.CONTEXT_TARGETS,
        lambda: IndicatorSpec("x", Direction.INCREASE, context=True, targets={Period(2020): 1}),
    ),
    (ErrorCode.OVERRIDE_TYPE, lambda: StatusOverride(2016, Status.AT_RISK, "why")),  # type: ignore[arg-type]
    (ErrorCode.OVERRIDE_TYPE, lambda: evaluate_indicator(NUMBER, [], as_of=AS_OF, overrides=["at risk"])),  # type: ignore[list-item]
    (ErrorCode.OVERRIDE_STATUS, lambda: StatusOverride(Period(2016), Status.STALE, "why")),
    (ErrorCode.OVERRIDE_STATUS, lambda: StatusOverride(Period(2016), "amber", "why")),  # type: ignore[arg-type]
    (ErrorCode.OVERRIDE_REASON, lambda: StatusOverride(Period(2016), Status.AT_RISK, "  ")),
    (
        ErrorCode.OVERRIDE_TWICE,
        lambda: evaluate_indicator(NUMBER, [], as_of=AS_OF, overrides=[JUDGED, JUDGED]),
    ),
    (ErrorCode.OVERRIDE_CONTEXT, lambda: evaluate_indicator(CONTEXT, [], as_of=AS_OF, overrides=[JUDGED])),
    (ErrorCode.PLAN_END_TYPE, lambda: evaluate_indicator(NUMBER, [], as_of=AS_OF, plan_end=2020)),  # type: ignore[arg-type]
    (
        ErrorCode.REPORTING_DEADLINE,
        lambda: default_as_of(today=AS_OF, plan_end=date(2020, 12, 31), reporting_deadline_months=-1),
    ),
    (ErrorCode.YEAR_START, lambda: Period(2023, year_start=13)),
    (ErrorCode.YEAR_START, lambda: IndicatorSpec("x", Direction.INCREASE, year_start=0)),
    (ErrorCode.PERIOD_TEXT_REPORTING_YEAR, lambda: Period.parse("2023", year_start=4)),
    (ErrorCode.PERIOD_TEXT_REPORTING_YEAR, lambda: Period.parse("2023/25", year_start=4)),
    (ErrorCode.PERIOD_TEXT, lambda: Period.parse("2023/24")),
    (
        ErrorCode.MEASUREMENT_SPANS_YEARS,
        lambda: evaluate_indicator(YEAR_TO_DATE, [Measurement(Period(2023), 5)], as_of=AS_OF),
    ),
    (
        ErrorCode.YEAR_TO_DATE_NOT_CUMULATIVE,
        lambda: IndicatorSpec("x", Direction.INCREASE, year_to_date=True),
    ),
]
