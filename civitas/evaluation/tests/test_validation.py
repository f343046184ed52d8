"""Bad input is refused with a clear message (docs/evaluation-rules.md, section 9), and periods."""

from datetime import date

import pytest

from civitas.evaluation.engine import (
    Accumulation,
    Baseline,
    Direction,
    Frequency,
    IndicatorSpec,
    Measure,
    Measurement,
    Node,
    Period,
    Thresholds,
    evaluate_indicator,
    validate_measurements,
    validate_spec,
)

SCORE = IndicatorSpec(
    "satisfaction",
    Direction.INCREASE,
    accumulation=Accumulation.LATEST,
    measure=Measure.SCORE,
    scale_min=1,
    scale_max=5,
    baseline=Baseline(2, 2013),
    targets={Period(2020): 4},
)
PERCENT = IndicatorSpec(
    "online", Direction.INCREASE, measure=Measure.PERCENTAGE, accumulation=Accumulation.CUMULATIVE
)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Measurement(Period(2016), numerator=5, denominator=0), "denominator is 0"),
        (lambda: Measurement(Period(2016), numerator=5, denominator=-2), "denominator must be positive"),
        (lambda: Measurement(Period(2016), numerator=-5, denominator=2), "numerator must not be negative"),
        (lambda: Measurement(Period(2016), numerator=5), "both a numerator and a denominator"),
        (lambda: Measurement(Period(2016), 3, numerator=5, denominator=9), "not both"),
        (lambda: Measurement(Period(2016)), "is required"),
        (lambda: Measurement(Period(2016), float("nan")), "finite"),
        (lambda: Measurement(Period(2016), "many"), "must be a number"),
        (lambda: Measurement(2016, 3), "must be a Period"),
        (lambda: Period(2016, Frequency.QUARTERLY, 5), "index from 1 to 4"),
        (lambda: Period(2016, "weekly"), "unknown period frequency"),
        (lambda: Period.parse("2016-Q5"), "not a period"),
        (lambda: IndicatorSpec("x", "sideways"), "unknown direction"),
        (
            lambda: IndicatorSpec("x", Direction.INCREASE, measure=Measure.SCORE),
            "needs scale_min and scale_max",
        ),
        (
            lambda: IndicatorSpec("x", Direction.INCREASE, measure=Measure.SCORE, scale_min=1, scale_max=5),
            "accumulation must be 'latest'",
        ),
        (
            lambda: IndicatorSpec(
                "x",
                Direction.INCREASE,
                accumulation=Accumulation.LATEST,
                measure=Measure.SCORE,
                scale_min=1,
                scale_max=5,
                targets={Period(2020): 6},
            ),
            "outside the scale 1–5",
        ),
        (
            lambda: IndicatorSpec("x", Direction.INCREASE, scale_min=1, scale_max=5),
            "only to a qualitative score",
        ),
        (
            lambda: IndicatorSpec(
                "x", Direction.INCREASE, baseline=Baseline(10, 2013), targets={Period(2013): 12}
            ),
            "does not end after the baseline year",
        ),
        (
            lambda: IndicatorSpec(
                "x", Direction.INCREASE, baseline=Baseline(10, 2013), targets={Period(2020): 8}
            ),
            "below the baseline",
        ),
        (
            lambda: IndicatorSpec(
                "x", Direction.DECREASE, baseline=Baseline(10, 2013), targets={Period(2020): 12}
            ),
            "above the baseline",
        ),
        (
            lambda: IndicatorSpec("x", Direction.INCREASE, targets=[(Period(2020), 1), (Period(2020), 2)]),
            "two targets",
        ),
        (
            lambda: IndicatorSpec(
                "x", Direction.INCREASE, targets={Period(2020): 1, Period.quarter(2020, 4): 2}
            ),
            "end in the same month",
        ),
        (lambda: IndicatorSpec("x", Direction.MAINTAIN, tolerance=-1), "tolerance must not be negative"),
        (lambda: IndicatorSpec("x", Direction.INCREASE, weight=-1), "weight must not be negative"),
        (lambda: IndicatorSpec("", Direction.INCREASE), "non-empty"),
        (lambda: Thresholds(on_track=0.5, at_risk=0.6), "at_risk ≤ on_track"),
        (lambda: Thresholds(stale_grace_days=-1), "grace"),
        (lambda: Node("n", weight=0), "weight must be positive"),
    ],
)
def test_bad_input_is_refused(build, message):
    with pytest.raises(ValueError, match=message):
        build()


@pytest.mark.parametrize(
    ("spec", "values", "message"),
    [
        (SCORE, [Measurement(Period(2016), 6)], "outside the scale 1–5"),
        (SCORE, [Measurement(Period(2016), 0.5)], "outside the scale 1–5"),
        (PERCENT, [Measurement(Period(2016), 45.0)], "needs a numerator and a denominator"),
        (
            IndicatorSpec("n", Direction.INCREASE),
            [Measurement(Period(2016), numerator=1, denominator=2)],
            "is a number",
        ),
        (
            IndicatorSpec("n", Direction.INCREASE),
            [Measurement(Period(2016), 1), Measurement(Period(2016), 2)],
            "two approved measurements for 2016",
        ),
    ],
)
def test_bad_measurements_are_refused_by_evaluation(spec, values, message):
    with pytest.raises(ValueError, match=message):
        evaluate_indicator(spec, values, as_of=date(2030, 1, 1))


def test_unapproved_duplicates_do_not_matter():
    spec = IndicatorSpec("n", Direction.INCREASE)
    values = [Measurement(Period(2016), 1), Measurement(Period(2016), 2, approved=False)]
    assert evaluate_indicator(spec, values, as_of=date(2030, 1, 1)).actual == 1


def test_evaluation_periods_must_not_overlap_and_values_must_fit_them():
    spec = IndicatorSpec("n", Direction.INCREASE)
    with pytest.raises(ValueError, match="not overlap"):
        evaluate_indicator(spec, [], as_of=date(2030, 1, 1), periods=[Period(2016), Period.quarter(2016, 2)])
    with pytest.raises(ValueError, match="spans more than one evaluation period"):
        evaluate_indicator(
            spec,
            [Measurement(Period(2016), 5)],
            as_of=date(2030, 1, 1),
            periods=[Period.half(2016, 1), Period.half(2016, 2)],
        )


def test_validate_spec_against_the_plan_period():
    spec = IndicatorSpec("x", Direction.INCREASE, baseline=Baseline(1, 2013), targets={Period(2021): 3})
    with pytest.raises(ValueError, match="target for 2021 is outside the plan period 2014–2020"):
        validate_spec(spec, plan_start=2014, plan_end=2020)
    validate_spec(spec, plan_start=2014, plan_end=2021)  # no error
    with pytest.raises(ValueError, match="baseline year 2013 is after the plan period"):
        validate_spec(
            IndicatorSpec("y", Direction.INCREASE, baseline=Baseline(1, 2013)), plan_start=2008, plan_end=2012
        )
    with pytest.raises(ValueError, match="plan period"):
        validate_spec(spec, plan_start=2020, plan_end=2014)


def test_validate_measurements_against_the_plan_period():
    spec = IndicatorSpec("x", Direction.INCREASE, baseline=Baseline(1, 2013), targets={Period(2020): 3})
    validate_measurements(
        spec, [Measurement(Period(2013), 1), Measurement(Period(2020), 3)], plan_start=2014, plan_end=2020
    )
    with pytest.raises(ValueError, match="measurement for 2021-Q1 is outside the plan period"):
        validate_measurements(spec, [Measurement(Period.quarter(2021, 1), 1)], plan_start=2014, plan_end=2020)
    with pytest.raises(ValueError, match="2012 is outside"):
        validate_measurements(spec, [Measurement(Period(2012), 1)], plan_start=2014, plan_end=2020)
    with pytest.raises(ValueError, match="two approved"):
        validate_measurements(
            spec, [Measurement(Period(2015), 1), Measurement(Period(2015), 2)], plan_start=2014, plan_end=2020
        )


@pytest.mark.parametrize(
    ("text", "period", "start", "end"),
    [
        ("2020", Period(2020), date(2020, 1, 1), date(2020, 12, 31)),
        ("2020-H1", Period.half(2020, 1), date(2020, 1, 1), date(2020, 6, 30)),
        ("2020-Q1", Period.quarter(2020, 1), date(2020, 1, 1), date(2020, 3, 31)),
        ("2020-02", Period.month(2020, 2), date(2020, 2, 1), date(2020, 2, 29)),
        ("2021-Q4", Period.quarter(2021, 4), date(2021, 10, 1), date(2021, 12, 31)),
    ],
)
def test_periods(text, period, start, end):
    assert Period.parse(text) == period
    assert period.label == text == str(period)
    assert (period.start, period.end) == (start, end)


def test_period_order_and_nesting():
    year, q4, q1 = Period(2020), Period.quarter(2020, 4), Period.quarter(2020, 1)
    assert sorted([q4, year, q1, Period(2019)]) == [Period(2019), q1, year, q4]
    assert year.contains(q4) and year.contains(year) and not q4.contains(year)
    assert Period.of(2020) == year and Period.of(2020, 4, "quarterly") == q4
    assert Period(2020).time == 2021.0 and Period.half(2020, 1).time == 2020.5


def test_decimal_inputs_from_the_database_are_accepted():
    from decimal import Decimal

    spec = IndicatorSpec(
        "d",
        Direction.INCREASE,
        baseline=Baseline(Decimal("10.5"), 2013),
        targets={Period(2020): Decimal("20")},
    )
    result = evaluate_indicator(spec, [Measurement(Period(2020), Decimal("20"))], as_of=date(2021, 1, 1))
    assert result.ratio == 1.0
