"""Each rule of docs/evaluation-rules.md, table-driven, with the document's own numbers."""

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
    Thresholds,
    actual_value,
    budget_execution,
    cost_per_unit,
    evaluate_efficiency,
    evaluate_indicator,
    evaluate_tree,
    expected_value,
    forecast,
    maintain_ratio,
    progress_ratio,
    score_for_ratio,
    stale_after,
    status_for_ratio,
)

Y = Period  # Y(2016) is the year 2016


def number(key, direction=Direction.INCREASE, **kwargs):
    return IndicatorSpec(key, direction, **kwargs)


# 1. Actual value -----------------------------------------------------------------------------

VISITORS = number("visitors", frequency=Frequency.QUARTERLY)
VISITORS_2016 = [
    Measurement(Period.quarter(2016, 1), 1200),
    Measurement(Period.quarter(2016, 2), 3400),
    Measurement(Period.quarter(2016, 3), 4100),
    Measurement(Period.quarter(2016, 4), 1300),
]
RENOVATED = number("renovated", accumulation=Accumulation.CUMULATIVE)
RENOVATED_VALUES = [Measurement(Y(2014), 3), Measurement(Y(2015), 5), Measurement(Y(2016), 4)]
DWELLINGS = number("dwellings", Direction.MAINTAIN, accumulation=Accumulation.LATEST)
DWELLINGS_VALUES = [Measurement(Y(2014), 120), Measurement(Y(2016), 118)]
ONLINE = number("online", measure=Measure.PERCENTAGE, frequency=Frequency.SEMIANNUAL)
ONLINE_VALUES = [
    Measurement(Period.half(2016, 1), numerator=45, denominator=60),
    Measurement(Period.half(2016, 2), numerator=30, denominator=90),
]


@pytest.mark.parametrize(
    ("spec", "values", "period", "expected"),
    [
        (VISITORS, VISITORS_2016, Y(2016), 10_000),  # example 1.1
        (VISITORS, VISITORS_2016, Y(2017), None),  # a year without values: no actual, not 0
        (VISITORS, VISITORS_2016, Period.half(2016, 1), 4_600),
        (RENOVATED, RENOVATED_VALUES, Y(2014), 3),  # example 1.2
        (RENOVATED, RENOVATED_VALUES, Y(2015), 8),
        (RENOVATED, RENOVATED_VALUES, Y(2016), 12),
        (RENOVATED, RENOVATED_VALUES, Y(2017), 12),
        (RENOVATED, RENOVATED_VALUES, Y(2013), None),
        (DWELLINGS, DWELLINGS_VALUES, Y(2013), None),  # example 1.3
        (DWELLINGS, DWELLINGS_VALUES, Y(2014), 120),
        (DWELLINGS, DWELLINGS_VALUES, Y(2015), 120),
        (DWELLINGS, DWELLINGS_VALUES, Y(2016), 118),
        (DWELLINGS, DWELLINGS_VALUES, Y(2017), 118),
        (ONLINE, ONLINE_VALUES, Y(2016), 50.0),  # example 1.4: 75 / 150, not mean(75, 33.3)
        (ONLINE, ONLINE_VALUES, Period.half(2016, 2), 100 * 30 / 90),
    ],
)
def test_actual_value(spec, values, period, expected):
    actual = actual_value(spec, values, period)
    if expected is None:
        assert actual is None
    else:
        assert actual == pytest.approx(expected)


def test_percentages_are_not_averaged():
    assert actual_value(ONLINE, ONLINE_VALUES, Y(2016)) != pytest.approx((75 + 100 * 30 / 90) / 2)


def test_only_approved_values_known_on_the_as_of_date_count():
    values = [
        Measurement(Y(2014), 3),
        Measurement(Y(2015), 100, approved=False),
        Measurement(Y(2016), 4, collected=date(2017, 2, 1)),
    ]
    assert actual_value(RENOVATED, values, Y(2016)) == 7
    assert actual_value(RENOVATED, values, Y(2016), as_of=date(2017, 1, 31)) == 3
    assert actual_value(RENOVATED, values, Y(2016), as_of=date(2015, 6, 1)) == 3


# 2. Expected value ---------------------------------------------------------------------------

STAYS = number(
    "overnight-stays",
    baseline=Baseline(20_000, 2013),
    targets={Period(2017): 28_000, Period(2020): 34_000},
)


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Y(2012), None),
        (Y(2013), 20_000),
        (Y(2014), 22_000),
        (Y(2015), 24_000),
        (Period.half(2015, 1), 23_000),
        (Y(2017), 28_000),
        (Y(2018), 30_000),
        (Y(2019), 32_000),
        (Y(2020), 34_000),
        (Y(2021), 34_000),
    ],
)
def test_expected_value(period, expected):
    value = expected_value(STAYS, period)
    if expected is None:
        assert value is None
    else:
        assert value == pytest.approx(expected)


@pytest.mark.parametrize(
    ("spec", "period", "expected"),
    [
        # no target at all: nothing expected
        (number("ctx"), Y(2016), None),
        (number("ctx2", baseline=Baseline(5, 2013)), Y(2016), None),
        # maintain without targets keeps its baseline; before its first anchor too
        (number("m", Direction.MAINTAIN, baseline=Baseline(12, 2013)), Y(2016), 12),
        (number("m2", Direction.MAINTAIN, targets={Y(2020): 12}), Y(2015), 12),
        # no baseline: nothing before the first target, interpolation between targets
        (number("e", targets={Y(2020): 20}), Y(2018), None),
        (number("e2", targets={Y(2016): 10, Y(2020): 20}), Y(2018), 15),
    ],
)
def test_expected_value_edges(spec, period, expected):
    assert expected_value(spec, period) == expected


# 3. Progress ratio ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected", "baseline", "direction", "ratio"),
    [
        (24_800, 24_000, 20_000, Direction.INCREASE, 1.2),  # example 3.1
        (23_000, 24_000, 20_000, Direction.INCREASE, 0.75),
        (21_000, 24_000, 20_000, Direction.INCREASE, 0.25),
        (19_000, 24_000, 20_000, Direction.INCREASE, -0.25),
        (20, 21, 30, Direction.DECREASE, 10 / 9),  # example 3.2
        (24, 21, 30, Direction.DECREASE, 6 / 9),
        (32, 21, 30, Direction.DECREASE, -2 / 9),
        (50, 50, 50, Direction.INCREASE, 1.0),  # example 3.3
        (53, 50, 50, Direction.INCREASE, 1.0),
        (49, 50, 50, Direction.INCREASE, 0.0),
        (49, 50, 50, Direction.DECREASE, 1.0),
        (53, 50, 50, Direction.DECREASE, 0.0),
    ],
)
def test_progress_ratio(actual, expected, baseline, direction, ratio):
    assert progress_ratio(actual, expected, baseline, direction) == pytest.approx(ratio)


PERMITS = number("permit-days", Direction.DECREASE, baseline=Baseline(30, 2013), targets={Y(2019): 12})


@pytest.mark.parametrize(
    ("spec", "year", "actual", "ratio", "score", "status"),
    [
        (STAYS, 2015, 24_800, 1.2, 1.0, Status.ON_TRACK),
        (STAYS, 2015, 23_000, 0.75, 0.75, Status.AT_RISK),
        (STAYS, 2015, 21_000, 0.25, 0.25, Status.OFF_TRACK),
        (STAYS, 2015, 19_000, -0.25, 0.0, Status.OFF_TRACK),
        (PERMITS, 2016, 20, 10 / 9, 1.0, Status.ON_TRACK),
        (PERMITS, 2016, 24, 6 / 9, 6 / 9, Status.AT_RISK),
        (PERMITS, 2016, 32, -2 / 9, 0.0, Status.OFF_TRACK),
    ],
)
def test_indicator_ratio_score_status(spec, year, actual, ratio, score, status):
    result = evaluate_indicator(spec, [Measurement(Y(year), actual)], as_of=date(year + 1, 2, 1))
    assert result.period == Y(year)
    assert result.actual == actual
    assert result.ratio == pytest.approx(ratio)
    assert result.score == pytest.approx(score)
    assert result.status is status


FLAT_START = number("flat-start", baseline=Baseline(50, 2013), targets={Y(2015): 50, Y(2020): 80})


@pytest.mark.parametrize(
    ("actual", "ratio", "status"),
    [(50, 1, Status.ON_TRACK), (53, 1, Status.ON_TRACK), (49, 0, Status.OFF_TRACK)],
)
def test_expected_equal_to_baseline(actual, ratio, status):  # example 3.3
    assert expected_value(FLAT_START, Y(2014)) == 50
    result = evaluate_indicator(FLAT_START, [Measurement(Y(2014), actual)], as_of=date(2015, 2, 1))
    assert (result.ratio, result.status) == (ratio, status)


E_SERVICES = number("e-services", targets={Y(2020): 20})


@pytest.mark.parametrize(
    ("actual", "status", "score"),
    [(22, Status.ON_TRACK, 1.0), (20, Status.ON_TRACK, 1.0), (15, Status.OFF_TRACK, 0.0)],
)
def test_no_baseline_is_assessed_by_attainment(actual, status, score):  # example 3.4
    # Issue 9 changed this rule: a target-only indicator now has a score (1 met, 0 missed without a
    # tolerance) that counts in the roll-up; it used to have no ratio and no score.
    result = evaluate_indicator(E_SERVICES, [Measurement(Y(2020), actual)], as_of=date(2021, 2, 1))
    assert result.status is status
    assert result.ratio == score and result.score == score
    assert Note.NO_BASELINE in result.notes


def test_no_baseline_before_the_first_target_is_not_assessed():
    result = evaluate_indicator(E_SERVICES, [Measurement(Y(2018), 9)], as_of=date(2019, 2, 1))
    assert result.expected is None
    assert result.status is Status.NO_DATA
    assert Note.BEFORE_START in result.notes


GREEN = number(
    "green-space", Direction.MAINTAIN, accumulation=Accumulation.LATEST, targets={Y(2020): 12}, tolerance=0.5
)


@pytest.mark.parametrize(
    ("actual", "ratio", "status"),
    [
        (12.3, 1.0, Status.ON_TRACK),  # example 3.5
        (12.5, 1.0, Status.ON_TRACK),
        (11.3, 0.75, Status.AT_RISK),
        (11.0, 0.60, Status.AT_RISK),
        (10.8, 0.36, Status.OFF_TRACK),
        (10.4, 0.0, Status.OFF_TRACK),
        (12.7, 0.75, Status.AT_RISK),  # above the band: symmetric
    ],
)
def test_maintain_band(actual, ratio, status):
    assert maintain_ratio(actual, 12, 0.5) == pytest.approx(ratio)
    result = evaluate_indicator(GREEN, [Measurement(Y(2016), actual)], as_of=date(2017, 2, 1))
    assert result.ratio == pytest.approx(ratio)
    assert result.status is status


def test_maintain_just_outside_the_band_is_never_on_track():
    assert status_for_ratio(maintain_ratio(12.5 + 1e-12, 12, 0.5)) is Status.AT_RISK
    assert maintain_ratio(12.0001, 12, 0) == 0.0
    assert maintain_ratio(12, 12, 0) == 1.0


def test_maintain_follows_custom_thresholds():
    custom = Thresholds(on_track=0.9, at_risk=0.7)
    assert maintain_ratio(11.0, 12, 0.5, custom) == pytest.approx(0.7)
    assert status_for_ratio(maintain_ratio(11.3, 12, 0.5, custom), custom) is Status.AT_RISK


# 4. Score and 5. status ----------------------------------------------------------------------


@pytest.mark.parametrize(("ratio", "score"), [(1.2, 1.0), (0.75, 0.75), (-0.25, 0.0), (None, None)])
def test_score(ratio, score):
    assert score_for_ratio(ratio) == score


@pytest.mark.parametrize(
    ("ratio", "thresholds", "status"),
    [
        (0.85, Thresholds(), Status.ON_TRACK),  # example 5.1
        (0.8499, Thresholds(), Status.AT_RISK),
        (0.60, Thresholds(), Status.AT_RISK),
        (0.5999, Thresholds(), Status.OFF_TRACK),
        (None, Thresholds(), Status.NO_DATA),
        (0.85, Thresholds(on_track=0.9, at_risk=0.7), Status.AT_RISK),
        (0.65, Thresholds(on_track=0.9, at_risk=0.7), Status.OFF_TRACK),
    ],
)
def test_status_for_ratio(ratio, thresholds, status):
    assert status_for_ratio(ratio, thresholds) is status


def test_status_values_are_stable():
    # Issue 9 added "context" (context indicators are never "no data"); the others are unchanged.
    assert [s.value for s in Status] == ["on_track", "at_risk", "off_track", "no_data", "stale", "context"]


@pytest.mark.parametrize(
    ("frequency", "last", "until"),
    [
        (Frequency.ANNUAL, Y(2019), date(2021, 3, 31)),  # example 5.2
        (Frequency.QUARTERLY, Period.quarter(2020, 3), date(2021, 3, 31)),
        (Frequency.MONTHLY, Period.month(2021, 1), date(2021, 5, 29)),
    ],
)
def test_stale_after(frequency, last, until):
    assert stale_after(last, frequency, 90) == until


@pytest.mark.parametrize(
    ("frequency", "last", "as_of", "status"),
    [
        (Frequency.ANNUAL, Y(2019), date(2021, 3, 31), Status.ON_TRACK),
        (Frequency.ANNUAL, Y(2019), date(2021, 4, 1), Status.STALE),
        (Frequency.QUARTERLY, Period.quarter(2020, 3), date(2021, 3, 31), Status.ON_TRACK),
        (Frequency.QUARTERLY, Period.quarter(2020, 3), date(2021, 4, 1), Status.STALE),
        (Frequency.MONTHLY, Period.month(2021, 1), date(2021, 4, 1), Status.ON_TRACK),
    ],
)
def test_stale_status(frequency, last, as_of, status):
    spec = number(
        "s",
        accumulation=Accumulation.LATEST,
        frequency=frequency,
        baseline=Baseline(0, 2013),
        targets={Y(2022): 10},
    )
    result = evaluate_indicator(spec, [Measurement(last, 10)], as_of=as_of)
    assert result.status is status
    assert result.score == 1.0  # a stale indicator keeps its score
    assert (Note.STALE in result.notes) is (status is Status.STALE)


def test_no_values_is_no_data_never_stale():
    result = evaluate_indicator(STAYS, [], as_of=date(2030, 1, 1))
    assert result.status is Status.NO_DATA
    assert result.score is None and result.period is None
    assert result.notes == (Note.NO_MEASUREMENTS,)
    assert [p.expected for p in result.series][:2] == [22_000, 24_000]


def test_headline_is_the_latest_ended_period_with_a_value():
    values = [
        Measurement(Y(y), v) for y, v in [(2014, 21_000), (2015, 23_000), (2016, 24_000), (2017, 26_000)]
    ]
    result = evaluate_indicator(STAYS, values, as_of=date(2018, 3, 1))
    assert (result.period, result.actual, result.expected) == (Y(2017), 26_000, 28_000)
    assert result.ratio == pytest.approx(0.75)
    assert result.status is Status.AT_RISK
    assert [p.period.year for p in result.series] == list(range(2014, 2021))
    assert [p.measured for p in result.series] == [True] * 4 + [False] * 3


def test_partial_period_is_used_only_when_no_period_has_ended():
    early = [Measurement(Period.quarter(2014, 1), 5_000)]
    result = evaluate_indicator(STAYS, early, as_of=date(2014, 5, 1))
    assert result.period == Y(2014)
    assert Note.PARTIAL_PERIOD in result.notes
    later = [*early, Measurement(Y(2013), 20_000)]
    result = evaluate_indicator(STAYS, later, as_of=date(2014, 5, 1))
    assert result.period == Y(2013)


# 6. Forecast ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "outcome", "projected", "slope"),
    [
        ({2014: 21_000, 2015: 23_000, 2016: 24_000, 2017: 26_000}, ForecastOutcome.UNLIKELY, 30_700, 1_600),
        ({2014: 21_000, 2015: 23_000, 2016: 24_000, 2017: 29_000}, ForecastOutcome.LIKELY, 35_500, 2_500),
        ({2014: 21_000}, ForecastOutcome.INSUFFICIENT_DATA, None, None),
        ({}, ForecastOutcome.INSUFFICIENT_DATA, None, None),
    ],
)
def test_forecast(values, outcome, projected, slope):  # example 6.1
    result = forecast(STAYS, [(Y(year), value) for year, value in values.items()])
    assert result.outcome is outcome
    assert result.target_period == Y(2020) and result.target_value == 34_000
    if projected is None:
        assert result.projected_value is None
    else:
        assert result.projected_value == pytest.approx(projected)
        assert result.slope_per_year == pytest.approx(slope)


def test_forecast_without_a_target():
    assert forecast(number("ctx"), [(Y(2014), 1), (Y(2015), 2)]).outcome is ForecastOutcome.NO_TARGET


def test_forecast_of_a_decreasing_and_a_maintain_indicator():
    assert forecast(PERMITS, [(Y(2014), 27), (Y(2015), 24)]).outcome is ForecastOutcome.LIKELY  # 12 by 2019
    assert forecast(PERMITS, [(Y(2014), 29), (Y(2015), 28)]).outcome is ForecastOutcome.UNLIKELY
    assert forecast(GREEN, [(Y(2014), 12.1), (Y(2015), 12.0)]).outcome is ForecastOutcome.LIKELY
    assert forecast(GREEN, [(Y(2014), 12.0), (Y(2015), 12.4)]).outcome is ForecastOutcome.UNLIKELY


def test_forecast_is_part_of_the_indicator_result():
    values = [
        Measurement(Y(y), v) for y, v in [(2014, 21_000), (2015, 23_000), (2016, 24_000), (2017, 26_000)]
    ]
    result = evaluate_indicator(STAYS, values, as_of=date(2018, 3, 1))
    assert result.forecast.outcome is ForecastOutcome.UNLIKELY
    assert result.forecast.projected_value == pytest.approx(30_700)


# 7. Roll-up ----------------------------------------------------------------------------------


def scored(key, score, status, weight=1.0):
    """An indicator result with a given score, built through the engine (latest level vs a
    target 1 from baseline 0, so the ratio equals the value)."""
    spec = number(
        key, accumulation=Accumulation.LATEST, baseline=Baseline(0, 2013), targets={Y(2020): 1}, weight=weight
    )
    values = [] if score is None else [Measurement(Y(2020), score)]
    result = evaluate_indicator(spec, values, as_of=date(2021, 1, 1))
    assert result.status is status and result.score == score
    return result


def example_goal(extra=()):
    a = Node(
        "A", weight=2, indicators=(scored("a1", 1.0, Status.ON_TRACK), scored("a2", 0.5, Status.OFF_TRACK))
    )
    b = Node("B", weight=2, indicators=(scored("b1", None, Status.NO_DATA),))
    c = scored("C", 0.4, Status.OFF_TRACK)
    return Node("G", children=(a, b, *extra), indicators=(c,))


def test_roll_up():  # example 7.1
    tree = evaluate_tree(example_goal())
    assert list(tree) == ["G", "A", "B"]
    assert tree["A"].score == pytest.approx(0.75) and tree["A"].coverage == 1
    assert tree["B"].score is None and tree["B"].coverage == 0 and tree["B"].status is Status.NO_DATA
    goal = tree["G"]
    assert goal.score == pytest.approx(1.9 / 3)
    assert goal.status is Status.AT_RISK
    assert goal.coverage == pytest.approx(0.6)
    assert (goal.indicators_with_data, goal.indicators_total) == (3, 4)
    assert goal.counts == {
        Status.ON_TRACK: 1,
        Status.AT_RISK: 0,
        Status.OFF_TRACK: 2,
        Status.NO_DATA: 1,
        Status.STALE: 0,
    }
    assert goal.children == ("A", "B")


def test_roll_up_adding_an_element_without_data():
    tree = evaluate_tree(example_goal(extra=(Node("D"),)))
    assert tree["G"].score == pytest.approx(1.9 / 3)
    assert tree["G"].coverage == pytest.approx(0.5)


def test_roll_up_weight_zero_indicators_are_counted_but_not_scored():
    context = scored("ctx", 0.0, Status.OFF_TRACK, weight=0)
    tree = evaluate_tree(Node("G", indicators=(scored("x", 1.0, Status.ON_TRACK), context)))
    assert tree["G"].score == 1.0 and tree["G"].coverage == 1.0
    assert tree["G"].counts[Status.OFF_TRACK] == 1


def test_roll_up_empty_element_and_duplicate_keys():
    assert evaluate_tree(Node("empty"))["empty"].score is None
    assert evaluate_tree(Node("empty"))["empty"].coverage == 0.0
    with pytest.raises(ValueError, match="appears twice"):
        evaluate_tree(Node("G", children=(Node("A"), Node("A"))))


# 8. Efficiency -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("planned", "spent", "output", "execution", "per_unit"),
    [
        (200_000, 150_000, 12, 0.75, 12_500),
        (0, 150_000, 12, None, 12_500),
        (200_000, 0, 0, 0.0, None),
        (200_000, 150_000, None, 0.75, None),
    ],
)
def test_efficiency(planned, spent, output, execution, per_unit):
    result = evaluate_efficiency(planned=planned, spent=spent, output=output)
    assert result.execution == execution
    assert result.cost_per_unit == per_unit
    assert budget_execution(spent, planned) == execution
    assert cost_per_unit(spent, output) == per_unit


@pytest.mark.parametrize(("planned", "spent"), [(-1, 0), (1, -1)])
def test_efficiency_refuses_negative_amounts(planned, spent):
    with pytest.raises(ValueError, match="negative"):
        budget_execution(spent, planned)
