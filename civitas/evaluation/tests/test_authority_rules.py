"""The rules for real plans and KPI reports (issue 9), sections 11–18 of docs/evaluation-rules.md,
with the document's own numbers."""

from datetime import date

import pytest

from civitas.evaluation.engine import (
    Accumulation,
    Baseline,
    Direction,
    ForecastOutcome,
    Frequency,
    IndicatorSpec,
    Measure,
    Measurement,
    Node,
    Note,
    Period,
    Status,
    StatusOverride,
    TargetKind,
    Thresholds,
    Tolerance,
    ToleranceUnit,
    actual_value,
    attainment_ratio,
    breakdown_adds_up,
    default_as_of,
    evaluate_indicator,
    evaluate_tree,
    expected_value,
    maintain_ratio,
)

Y = Period
TEN_PERCENT = Tolerance(10, ToleranceUnit.PERCENT)


# 11. Target-only indicators ------------------------------------------------------------------

SEWERAGE = IndicatorSpec("sewerage", Direction.INCREASE, targets={Y(2020): 4_000})


@pytest.mark.parametrize(
    ("actual", "ratio", "status"),
    [
        (4_100, 1.0, Status.ON_TRACK),
        (4_000, 1.0, Status.ON_TRACK),
        (3_800, 0.725, Status.AT_RISK),
        (3_600, 0.60, Status.AT_RISK),
        (3_500, 0.45, Status.OFF_TRACK),
        (3_100, 0.0, Status.OFF_TRACK),
    ],
)
def test_target_only_is_rated_with_the_plans_tolerance(actual, ratio, status):  # example 11.1
    result = evaluate_indicator(
        SEWERAGE, [Measurement(Y(2020), actual)], as_of=date(2021, 3, 1), tolerance=TEN_PERCENT
    )
    assert result.ratio == pytest.approx(ratio)
    assert result.score == pytest.approx(ratio)
    assert result.status is status
    assert result.target_tolerance == pytest.approx(400)
    assert Note.NO_BASELINE in result.notes


def test_the_indicators_own_tolerance_overrides_the_plans():  # example 11.2
    own = IndicatorSpec(
        "sewerage", Direction.INCREASE, targets={Y(2020): 4_000}, target_tolerance=Tolerance(150)
    )
    result = evaluate_indicator(
        own, [Measurement(Y(2020), 3_800)], as_of=date(2021, 3, 1), tolerance=TEN_PERCENT
    )
    assert result.target_tolerance == 150
    assert result.ratio == pytest.approx(0.6 * (2 - 200 / 150))
    assert result.status is Status.OFF_TRACK


def test_without_a_tolerance_a_missed_target_is_off_track():
    result = evaluate_indicator(SEWERAGE, [Measurement(Y(2020), 3_999)], as_of=date(2021, 3, 1))
    assert (result.status, result.score) == (Status.OFF_TRACK, 0.0)


def test_a_decreasing_target_only_indicator_misses_upwards():
    assert attainment_ratio(9, 10, Direction.DECREASE, 1) == 1.0
    assert attainment_ratio(10.5, 10, Direction.DECREASE, 1) == pytest.approx(0.725)
    assert attainment_ratio(11, 10, Direction.DECREASE, 1) == pytest.approx(0.60)


def test_a_miss_never_gets_a_negative_ratio_even_with_thresholds_of_zero():
    # Found by test_doing_better_is_never_penalised: "strictly below on-track" went below 0, so
    # a small miss rated lower (off track) than a larger one (0, on track at a threshold of 0).
    zero = Thresholds(on_track=0.0, at_risk=0.0, stale_grace_days=0)
    small = attainment_ratio(8_458, 9_379, Direction.INCREASE, 937.9, zero)
    large = attainment_ratio(-4_095, 9_379, Direction.INCREASE, 937.9, zero)
    assert small == large == 0.0
    assert maintain_ratio(10.5, 10, 0.25, zero) == 0.0


def test_target_only_scores_count_in_the_roll_up():  # example 11.3
    sewerage = evaluate_indicator(
        SEWERAGE, [Measurement(Y(2020), 3_800)], as_of=date(2021, 3, 1), tolerance=TEN_PERCENT
    )
    other = evaluate_indicator(
        IndicatorSpec("roads", Direction.INCREASE, baseline=Baseline(0, 2013), targets={Y(2020): 10}),
        [Measurement(Y(2020), 10)],
        as_of=date(2021, 3, 1),
    )
    element = evaluate_tree(Node("water", indicators=(sewerage, other)))["water"]
    assert element.score == pytest.approx((0.725 + 1.0) / 2)
    assert element.status is Status.ON_TRACK
    assert (element.coverage, element.indicators_with_data, element.indicators_total) == (1.0, 2, 2)


# 12. Thresholds ------------------------------------------------------------------------------

CALLS = IndicatorSpec(
    "calls-answered",
    Direction.INCREASE,
    measure=Measure.PERCENTAGE,
    baseline=Baseline(95, 2022),
    targets={Y(2023): 90, Y(2025): 92},
    target_kind=TargetKind.THRESHOLD,
)


def test_a_threshold_may_lie_on_either_side_of_the_baseline():
    with pytest.raises(ValueError, match="below the baseline"):
        IndicatorSpec(
            "calls", Direction.INCREASE, baseline=Baseline(95, 2022), targets={Y(2023): 90}
        )  # a trajectory still may not
    assert CALLS.target_kind is TargetKind.THRESHOLD


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Y(2022), 90),
        (Y(2023), 90),
        (Y(2024), 90),
        (Y(2025), 92),
        (Y(2026), 92),
        (Period.quarter(2024, 2), 90),
    ],
)
def test_the_standard_in_force(period, expected):  # example 12.1
    assert expected_value(CALLS, period) == expected


@pytest.mark.parametrize(
    ("actual", "ratio", "status"),
    [
        (97, 1.0, Status.ON_TRACK),  # better than the standard: never penalised
        (92, 1.0, Status.ON_TRACK),
        (88, 0.75, Status.AT_RISK),
        (84, 0.48, Status.OFF_TRACK),
    ],
)
def test_a_threshold_is_rated_by_attainment(actual, ratio, status):  # example 12.2
    result = evaluate_indicator(
        CALLS, [Measurement(Y(2023), actual)], as_of=date(2024, 2, 1), tolerance=Tolerance(5)
    )
    assert (result.expected, result.status) == (90, status)
    assert result.ratio == pytest.approx(ratio)
    assert Note.NO_BASELINE not in result.notes
    assert result.target_kind is TargetKind.THRESHOLD


def test_a_standard_to_stay_within():
    pm10 = IndicatorSpec(
        "pm10-days", Direction.DECREASE, targets={Y(2020): 35}, target_kind=TargetKind.THRESHOLD
    )
    ok = evaluate_indicator(pm10, [Measurement(Y(2018), 20)], as_of=date(2019, 2, 1))
    assert (ok.expected, ok.status) == (35, Status.ON_TRACK)  # the standard applies from the start
    over = evaluate_indicator(pm10, [Measurement(Y(2018), 40)], as_of=date(2019, 2, 1))
    assert over.status is Status.OFF_TRACK


def test_trajectory_is_the_default_kind():
    assert IndicatorSpec("x", Direction.INCREASE).target_kind is TargetKind.TRAJECTORY


# 13. Context indicators ----------------------------------------------------------------------

INCIDENTS = IndicatorSpec("incidents", Direction.INCREASE, context=True)
INCIDENT_VALUES = [Measurement(Y(2019), 410), Measurement(Y(2020), 380), Measurement(Y(2021), 450)]


def test_a_context_indicator_has_values_and_a_trend_never_no_data():  # example 13.1
    result = evaluate_indicator(INCIDENTS, INCIDENT_VALUES, as_of=date(2022, 3, 1))
    assert result.status is Status.CONTEXT and result.context
    assert (result.period, result.actual, result.expected, result.score) == (Y(2021), 450, None, None)
    assert result.forecast.outcome is ForecastOutcome.NO_TARGET
    assert result.forecast.slope_per_year == pytest.approx(20)
    assert [p.status for p in result.series] == [Status.CONTEXT] * 3
    empty = evaluate_indicator(INCIDENTS, [], as_of=date(2022, 3, 1))
    assert empty.status is Status.CONTEXT and Note.NO_MEASUREMENTS in empty.notes


def test_context_indicators_are_counted_apart():  # example 13.2
    context = evaluate_indicator(INCIDENTS, INCIDENT_VALUES, as_of=date(2022, 3, 1))
    silent = evaluate_indicator(
        IndicatorSpec("other", Direction.INCREASE, context=True), [], as_of=date(2022, 3, 1)
    )
    rated = evaluate_indicator(
        IndicatorSpec("e-services", Direction.INCREASE, targets={Y(2021): 20}),
        [Measurement(Y(2021), 22)],
        as_of=date(2022, 3, 1),
    )
    element = evaluate_tree(Node("safety", indicators=(rated, context, silent)))["safety"]
    assert (element.score, element.coverage) == (1.0, 1.0)
    assert (element.indicators_with_data, element.indicators_total) == (1, 1)
    assert (element.context_with_values, element.context_total) == (1, 2)
    assert element.counts[Status.NO_DATA] == 0 and Status.CONTEXT not in element.counts


# 14. As-of date and the plan's end -----------------------------------------------------------

ANNUAL = IndicatorSpec(
    "a",
    Direction.INCREASE,
    accumulation=Accumulation.LATEST,
    baseline=Baseline(0, 2013),
    targets={Y(2020): 10},
)


@pytest.mark.parametrize(
    ("last", "plan_end", "status", "until"),
    [
        (2020, None, Status.STALE, date(2022, 3, 31)),
        (2020, date(2020, 12, 31), Status.ON_TRACK, None),  # nothing due after the plan's end
        (2019, date(2020, 12, 31), Status.STALE, date(2021, 3, 31)),  # 2020's value is missing
    ],
)
def test_no_stale_after_the_plans_end(last, plan_end, status, until):  # example 14.1
    result = evaluate_indicator(ANNUAL, [Measurement(Y(last), 10)], as_of=date(2025, 6, 1), plan_end=plan_end)
    assert (result.status, result.stale_after) == (status, until)


@pytest.mark.parametrize(
    ("today", "plan_end", "months", "as_of"),
    [
        (date(2025, 6, 1), date(2020, 12, 31), 12, date(2021, 12, 31)),  # example 14.2
        (date(2025, 6, 1), date(2020, 12, 31), 3, date(2021, 3, 31)),
        (date(2025, 6, 1), date(2027, 12, 31), 3, date(2025, 6, 1)),  # in force: today
        (date(2021, 2, 1), date(2020, 12, 31), 3, date(2021, 2, 1)),  # values still due: today
        (date(2030, 1, 1), date(2028, 3, 31), 3, date(2028, 6, 30)),  # an April–March plan
        (date(2025, 6, 1), None, 3, date(2025, 6, 1)),
    ],
)
def test_default_as_of(today, plan_end, months, as_of):
    assert default_as_of(today=today, plan_end=plan_end, reporting_deadline_months=months) == as_of


def test_a_historical_plan_evaluated_as_of_its_report():
    values = [
        Measurement(Y(2018), 6, collected=date(2019, 3, 1)),
        Measurement(Y(2019), 8, collected=date(2020, 3, 1)),
    ]
    then = evaluate_indicator(ANNUAL, values, as_of=date(2019, 6, 30), plan_end=date(2020, 12, 31))
    assert (then.period, then.actual) == (Y(2018), 6)


# 15. Reporting years -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "label", "start", "end"),
    [
        (Period(2023, year_start=4), "2023/24", date(2023, 4, 1), date(2024, 3, 31)),  # example 15.1
        (Period.quarter(2023, 1, year_start=4), "2023/24-Q1", date(2023, 4, 1), date(2023, 6, 30)),
        (Period.quarter(2023, 4, year_start=4), "2023/24-Q4", date(2024, 1, 1), date(2024, 3, 31)),
        (Period.half(2023, 2, year_start=4), "2023/24-H2", date(2023, 10, 1), date(2024, 3, 31)),
        (Period(1999, year_start=7), "1999/00", date(1999, 7, 1), date(2000, 6, 30)),
        (Period(2023, Frequency.MONTHLY, 10, year_start=4), "2024-01", date(2024, 1, 1), date(2024, 1, 31)),
    ],
)
def test_reporting_year_periods(period, label, start, end):
    assert (period.label, period.start, period.end) == (label, start, end)
    assert Period.parse(label, year_start=period.year_start) == period


def test_months_are_calendar_months_in_any_reporting_year():
    assert Period(2023, Frequency.MONTHLY, 10, year_start=4) == Period.month(2024, 1)
    assert Period.parse("2024-01", year_start=4) == Period.month(2024, 1)


@pytest.mark.parametrize(
    ("day", "frequency", "period"),
    [
        (date(2024, 2, 10), Frequency.ANNUAL, Period(2023, year_start=4)),
        (date(2024, 4, 1), Frequency.ANNUAL, Period(2024, year_start=4)),
        (date(2024, 2, 10), Frequency.QUARTERLY, Period.quarter(2023, 4, year_start=4)),
    ],
)
def test_the_period_containing_a_date(day, frequency, period):
    assert Period.containing(day, frequency, year_start=4) == period


def test_the_same_months_named_in_two_reporting_years_are_one_period():
    spec = IndicatorSpec("n", Direction.INCREASE)
    with pytest.raises(ValueError, match="two approved"):
        evaluate_indicator(
            spec,
            [Measurement(Period.quarter(2023, 2), 1), Measurement(Period.quarter(2023, 1, year_start=4), 2)],
            as_of=date(2030, 1, 1),
        )


Q = [Period.quarter(2023, q, year_start=4) for q in (1, 2, 3, 4)] + [Period.quarter(2024, 1, year_start=4)]
HOMES = IndicatorSpec(
    "homes-improved",
    Direction.INCREASE,
    accumulation=Accumulation.CUMULATIVE,
    year_to_date=True,
    year_start=4,
    frequency=Frequency.QUARTERLY,
    targets={Period(2023, year_start=4): 200},
)
HOMES_VALUES = [Measurement(q, v) for q, v in zip(Q, (40, 60, 30, 50, 45), strict=True)]


def test_year_to_date_restarts_each_reporting_year():  # example 15.2
    result = evaluate_indicator(HOMES, HOMES_VALUES, as_of=date(2024, 8, 1), periods=Q, tolerance=TEN_PERCENT)
    rows = [(p.period.label, p.actual, p.expected, p.status) for p in result.series]
    assert rows == [
        ("2023/24-Q1", 40, 50, Status.OFF_TRACK),
        ("2023/24-Q2", 100, 100, Status.ON_TRACK),
        ("2023/24-Q3", 130, 150, Status.OFF_TRACK),
        ("2023/24-Q4", 180, 200, Status.AT_RISK),
        ("2024/25-Q1", 45, 50, Status.AT_RISK),
    ]
    assert result.series[2].ratio == pytest.approx(0.6 * (2 - 20 / 15))
    assert actual_value(HOMES, HOMES_VALUES, Period(2023, year_start=4)) == 180
    assert result.year_to_date


def test_default_periods_are_reporting_years():
    result = evaluate_indicator(HOMES, HOMES_VALUES, as_of=date(2024, 8, 1))
    assert [p.period.label for p in result.series] == ["2023/24", "2024/25"]
    assert [p.actual for p in result.series] == [180, 45]


# 16. Rates as reported -----------------------------------------------------------------------

UNEMPLOYMENT = IndicatorSpec("unemployment", Direction.DECREASE, measure=Measure.PERCENTAGE)
HALVES = [Measurement(Period.half(2023, 1), 5.8), Measurement(Period.half(2023, 2), 5.2)]


def test_a_rate_is_taken_as_reported():  # example 16.1
    assert actual_value(UNEMPLOYMENT, [Measurement(Y(2022), 6.4)], Y(2022)) == 6.4


def test_rates_are_never_averaged_a_year_needs_its_own_value():
    assert actual_value(UNEMPLOYMENT, HALVES, Y(2023)) is None  # not 5.5
    assert actual_value(UNEMPLOYMENT, HALVES, Period.half(2023, 2)) == 5.2
    assert actual_value(UNEMPLOYMENT, [*HALVES, Measurement(Y(2023), 5.6)], Y(2023)) == 5.6
    result = evaluate_indicator(UNEMPLOYMENT, HALVES, as_of=date(2024, 3, 1))
    assert result.status is Status.NO_DATA and result.actual is None
    assert Note.RATES_NOT_COMBINED in result.notes
    assert result.series[0].measured and result.series[0].note is Note.RATES_NOT_COMBINED


def test_a_latest_level_rate_is_the_last_one():
    latest = IndicatorSpec(
        "u", Direction.DECREASE, measure=Measure.PERCENTAGE, accumulation=Accumulation.LATEST
    )
    assert actual_value(latest, HALVES, Y(2023)) == 5.2


@pytest.mark.parametrize(
    ("measure", "with_counts", "adds_up"),
    [
        (Measure.NUMBER, False, True),
        (Measure.PERCENTAGE, True, True),  # the numerators add up
        (Measure.PERCENTAGE, False, False),  # rates: men's and women's unemployment
        (Measure.SCORE, False, False),
    ],
)
def test_which_breakdowns_add_up(measure, with_counts, adds_up):  # example 16.2
    assert breakdown_adds_up(measure, with_counts=with_counts) is adds_up


# 17. Status overrides ------------------------------------------------------------------------

JUDGEMENT = StatusOverride(
    Y(2020),
    Status.AT_RISK,
    "The contractor's delay is settled; the works resume in March.",
    date(2021, 2, 15),
)


def test_an_override_is_carried_beside_the_computed_status():  # example 17.1
    result = evaluate_indicator(
        SEWERAGE,
        [Measurement(Y(2020), 3_500)],
        as_of=date(2021, 3, 1),
        tolerance=TEN_PERCENT,
        overrides=[JUDGEMENT],
    )
    assert result.status is Status.OFF_TRACK  # computed, kept
    assert result.override == JUDGEMENT and result.published_status is Status.AT_RISK
    assert result.series[-1].override == JUDGEMENT and result.series[-1].status is Status.OFF_TRACK
    element = evaluate_tree(Node("water", indicators=(result,)))["water"]
    assert element.score == pytest.approx(0.45) and element.counts[Status.OFF_TRACK] == 1


def test_an_override_is_known_from_its_date_and_for_its_period_only():
    before = evaluate_indicator(
        SEWERAGE,
        [Measurement(Y(2020), 3_500)],
        as_of=date(2021, 2, 1),
        tolerance=TEN_PERCENT,
        overrides=[JUDGEMENT],
    )
    assert before.override is None and before.published_status is Status.OFF_TRACK
    later = evaluate_indicator(
        IndicatorSpec("s", Direction.INCREASE, targets={Y(2020): 4_000, Y(2021): 4_500}),
        [Measurement(Y(2020), 3_500), Measurement(Y(2021), 4_600)],
        as_of=date(2022, 3, 1),
        overrides=[JUDGEMENT],
    )
    assert later.period == Y(2021) and later.override is None
    assert later.series[0].override == JUDGEMENT


# 18. An indicator in several plan elements ---------------------------------------------------


def _scored(key, score):
    spec = IndicatorSpec(
        key,
        Direction.INCREASE,
        accumulation=Accumulation.LATEST,
        baseline=Baseline(0, 2013),
        targets={Y(2020): 1},
    )
    return evaluate_indicator(
        spec, [] if score is None else [Measurement(Y(2020), score)], as_of=date(2021, 1, 1)
    )


def test_a_shared_indicator_counts_once_in_each_roll_up():  # example 18.1
    shared = _scored("x", 0.5)
    p1 = Node("P1", indicators=(_scored("a", 1.0), shared))
    p2 = Node("P2", indicators=(shared, _scored("b", None)))
    tree = evaluate_tree(Node("G", children=(p1, p2)))
    assert tree["P1"].score == pytest.approx(0.75) and tree["P1"].indicators_total == 2
    assert tree["P2"].score == pytest.approx(0.5) and tree["P2"].coverage == pytest.approx(0.5)
    goal = tree["G"]
    assert goal.score == pytest.approx(0.625) and goal.status is Status.AT_RISK
    assert (goal.indicators_with_data, goal.indicators_total) == (2, 3)
    assert goal.counts == {
        Status.ON_TRACK: 1,
        Status.AT_RISK: 0,
        Status.OFF_TRACK: 1,
        Status.NO_DATA: 1,
        Status.STALE: 0,
    }


def test_an_indicator_listed_twice_under_one_element_counts_once():
    x = _scored("x", 0.5)
    element = evaluate_tree(Node("E", indicators=(x, x, _scored("a", 1.0))))["E"]
    assert element.score == pytest.approx(0.75) and element.indicators_total == 2
