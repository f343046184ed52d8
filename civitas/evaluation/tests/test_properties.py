"""Properties of the rules, checked by Hypothesis on generated indicators, values and trees."""

import dataclasses
import itertools
from datetime import date

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from civitas.evaluation.engine import (
    Accumulation,
    Baseline,
    Direction,
    Frequency,
    IndicatorResult,
    IndicatorSpec,
    Measurement,
    Node,
    Period,
    Status,
    TargetKind,
    Thresholds,
    Tolerance,
    ToleranceUnit,
    actual_value,
    attainment_ratio,
    evaluate_indicator,
    evaluate_tree,
    expected_value,
    status_for_ratio,
)

# Per test, not a global profile: other apps' Hypothesis tests keep their own settings.
PROPERTY = settings(max_examples=150, deadline=None)

values = st.one_of(
    st.integers(-1_000_000, 1_000_000).map(float),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, allow_subnormal=False),
)
non_negative = st.one_of(
    st.integers(0, 100_000).map(float),
    st.floats(0, 1e6, allow_nan=False, allow_infinity=False, allow_subnormal=False),
)
thresholds = st.builds(
    lambda a, b, grace: Thresholds(on_track=max(a, b), at_risk=min(a, b), stale_grace_days=grace),
    st.floats(0, 1),
    st.floats(0, 1),
    st.integers(0, 400),
)


def sub_periods(year):
    """The periods a value for ``year`` may be reported for."""
    return st.one_of(
        st.just(Period(year)),
        st.integers(1, 2).map(lambda h: Period.half(year, h)),
        st.integers(1, 4).map(lambda q: Period.quarter(year, q)),
        st.integers(1, 12).map(lambda m: Period.month(year, m)),
    )


@st.composite
def measurement_lists(draw, first_year, last_year, value_strategy=values):
    """Approved values for distinct periods that never overlap (as an indicator's would)."""
    years = draw(st.lists(st.integers(first_year, last_year), unique=True, max_size=8))
    result = []
    for year in years:
        periods = draw(st.lists(sub_periods(year), unique=True, max_size=3))
        kept = []
        for period in periods:
            if not any(period.overlaps(other) for other in kept):
                kept.append(period)
        result.extend(Measurement(period, draw(value_strategy)) for period in kept)
    return result


@st.composite
def cases(draw, directions=(Direction.INCREASE, Direction.MAINTAIN), value_strategy=values):
    """(spec, measurements, as_of) for a numeric indicator whose targets agree with its direction."""
    direction = draw(st.sampled_from(directions))
    accumulation = draw(st.sampled_from(list(Accumulation)))
    base_year = draw(st.integers(2005, 2015))
    baseline_value = draw(values)
    has_baseline = draw(st.booleans())
    target_years = sorted(draw(st.lists(st.integers(base_year + 1, base_year + 10), unique=True, max_size=3)))
    targets = {}
    level = baseline_value
    for year in target_years:
        if direction is Direction.MAINTAIN:
            level = draw(values)
        elif not has_baseline:
            level = draw(values)
        elif direction is Direction.INCREASE:
            level = level + draw(non_negative)
        else:
            level = level - draw(non_negative)
        targets[Period(year)] = level
    spec = IndicatorSpec(
        "p",
        direction,
        accumulation=accumulation,
        baseline=Baseline(baseline_value, base_year) if has_baseline else None,
        targets=targets,
        tolerance=draw(st.sampled_from([0.0, 0.5, 10.0, 1000.0])) if direction is Direction.MAINTAIN else 0.0,
        weight=draw(st.sampled_from([0.0, 1.0, 2.5])),
    )
    measurements = draw(measurement_lists(base_year - 1, base_year + 12, value_strategy))
    as_of = date(draw(st.integers(base_year, base_year + 14)), draw(st.integers(1, 12)), 1)
    return spec, measurements, as_of


def mirror(spec: IndicatorSpec, measurements):
    """Every number negated, increase ↔ decrease."""
    flipped = {Direction.INCREASE: Direction.DECREASE, Direction.DECREASE: Direction.INCREASE}
    return (
        dataclasses.replace(
            spec,
            direction=flipped.get(spec.direction, spec.direction),
            baseline=Baseline(-spec.baseline.value, spec.baseline.year) if spec.baseline else None,
            targets=[(period, -value) for period, value in spec.targets],
        ),
        [dataclasses.replace(m, value=-m.value) for m in measurements],
    )


def neg(x):
    return None if x is None else -x


@PROPERTY
@given(cases(), thresholds)
def test_a_mirrored_decreasing_indicator_is_the_increasing_one(case, limits):
    spec, measurements, as_of = case
    spec_m, measurements_m = mirror(spec, measurements)
    a = evaluate_indicator(spec, measurements, as_of=as_of, thresholds=limits)
    b = evaluate_indicator(spec_m, measurements_m, as_of=as_of, thresholds=limits)
    assert (a.status, a.ratio, a.score, a.period, a.notes) == (b.status, b.ratio, b.score, b.period, b.notes)
    assert (a.actual, a.expected) == (neg(b.actual), neg(b.expected))
    assert a.forecast.outcome == b.forecast.outcome
    assert a.forecast.projected_value == neg(b.forecast.projected_value)
    for p, q in zip(a.series, b.series, strict=True):
        assert (p.status, p.ratio, p.score, p.period, p.measured) == (
            q.status,
            q.ratio,
            q.score,
            q.period,
            q.measured,
        )
        assert (p.actual, p.expected) == (neg(q.actual), neg(q.expected))


@PROPERTY
@given(cases(directions=tuple(Direction)), st.randoms(use_true_random=False))
def test_the_order_of_the_measurements_changes_nothing(case, rnd):
    spec, measurements, as_of = case
    shuffled = list(measurements)
    rnd.shuffle(shuffled)
    assert evaluate_indicator(spec, shuffled, as_of=as_of) == evaluate_indicator(
        spec, measurements, as_of=as_of
    )


@PROPERTY
@given(cases(directions=tuple(Direction)), thresholds)
def test_score_is_always_between_0_and_1_and_status_follows_the_ratio(case, limits):
    spec, measurements, as_of = case
    result = evaluate_indicator(spec, measurements, as_of=as_of, thresholds=limits)
    for score in [result.score, *(p.score for p in result.series)]:
        assert score is None or 0.0 <= score <= 1.0
    for point in result.series:
        if point.ratio is not None:
            assert point.status is status_for_ratio(point.ratio, limits)
        if point.actual is None:
            assert point.status is Status.NO_DATA
    if result.status not in (Status.STALE, Status.NO_DATA) and result.ratio is not None:
        assert result.status is status_for_ratio(result.ratio, limits)
    if not measurements or all(m.period.start > as_of for m in measurements):
        assert result.status is Status.NO_DATA


@PROPERTY
@given(cases(value_strategy=non_negative))
def test_cumulative_actual_never_falls_for_non_negative_values(case):
    spec, measurements, as_of = case
    spec = dataclasses.replace(spec, accumulation=Accumulation.CUMULATIVE)
    actuals = [p.actual for p in evaluate_indicator(spec, measurements, as_of=as_of).series]
    known = list(itertools.dropwhile(lambda actual: actual is None, actuals))
    assert None not in known
    assert all(x <= y for x, y in itertools.pairwise(known))


@PROPERTY
@given(cases(directions=tuple(Direction)))
def test_interpolation_at_a_target_period_is_the_target(case):
    spec, _measurements, _as_of = case
    for period, target in spec.targets:
        assert expected_value(spec, period) == target
        assert expected_value(spec, Period.quarter(period.year, 4)) == target  # same point in time
    if spec.baseline and spec.targets:
        assert expected_value(spec, spec.baseline.period) == spec.baseline.value
    anchors = ([spec.baseline.value] if spec.baseline else []) + [value for _p, value in spec.targets]
    for year in range(2000, 2030):
        expected = expected_value(spec, Period(year))
        if expected is not None:  # never outside the anchors' range
            assert min(anchors) - 1e-6 <= expected <= max(anchors) + 1e-6


@PROPERTY
@given(st.integers(1, 9998), st.sampled_from(["", "-H1", "-H2", "-Q1", "-Q4", "-01", "-12"]))
def test_period_labels_round_trip(year, suffix):
    text = f"{year:04d}{suffix}"
    assert Period.parse(text).label == text


# Roll-up -------------------------------------------------------------------------------------

_TEMPLATE = evaluate_indicator(IndicatorSpec("t", Direction.INCREASE), [], as_of=date(2020, 1, 1))


def indicator_result(key: str, score: float | None, weight: float) -> IndicatorResult:
    return dataclasses.replace(_TEMPLATE, key=key, score=score, weight=weight, status=status_for_ratio(score))


indicator_shapes = st.tuples(
    st.one_of(st.none(), st.floats(0, 1)), st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.7])
)
tree_shapes = st.recursive(
    st.tuples(st.floats(0.1, 10), st.lists(indicator_shapes, max_size=4), st.just([])),
    lambda children: st.tuples(
        st.floats(0.1, 10), st.lists(indicator_shapes, max_size=3), st.lists(children, min_size=1, max_size=3)
    ),
    max_leaves=12,
)


def build(shape, counter=None) -> Node:
    counter = counter if counter is not None else itertools.count()
    weight, indicators, children = shape
    key = f"n{next(counter)}"
    return Node(
        key,
        weight=weight,
        indicators=tuple(indicator_result(f"{key}-i{i}", s, w) for i, (s, w) in enumerate(indicators)),
        children=tuple(build(child, counter) for child in children),
    )


def summary(result):
    return (
        result.score,
        result.status,
        result.coverage,
        result.counts,
        result.indicators_total,
        result.indicators_with_data,
    )


@PROPERTY
@given(tree_shapes, st.floats(0.1, 10))
def test_roll_up_of_one_child_is_the_child(shape, weight):
    child = build(shape)
    wrapped = evaluate_tree(Node("parent", children=(child,), weight=weight))
    assert summary(wrapped["parent"]) == summary(wrapped[child.key])


@PROPERTY
@given(st.one_of(st.none(), st.floats(0, 1)), st.floats(0.1, 10))
def test_roll_up_of_one_indicator_is_the_indicator(score, weight):
    result = evaluate_tree(Node("e", indicators=(indicator_result("i", score, weight),)))["e"]
    assert (result.score, result.status) == (score, status_for_ratio(score))
    assert result.coverage == (0.0 if score is None else 1.0)


@PROPERTY
@given(tree_shapes, st.floats(0.1, 10), st.lists(st.sampled_from([0.5, 1.0, 2.0]), max_size=3))
def test_a_child_without_data_changes_coverage_not_score(shape, weight, empty_weights):
    root = build(shape)
    before = evaluate_tree(root)[root.key]
    empty = Node(
        "empty",
        weight=weight,
        indicators=tuple(indicator_result(f"x{i}", None, w) for i, w in enumerate(empty_weights)),
    )
    after = evaluate_tree(dataclasses.replace(root, children=(*root.children, empty)))[root.key]
    assert after.score == before.score
    assert after.status == before.status
    assert after.coverage <= before.coverage
    if before.coverage > 0:
        assert after.coverage < before.coverage
    assert after.counts[Status.NO_DATA] == before.counts[Status.NO_DATA] + len(empty_weights)


@PROPERTY
@given(tree_shapes)
def test_roll_up_scores_and_coverage_are_between_0_and_1(shape):
    root = build(shape)
    for result in evaluate_tree(root).values():
        assert result.score is None or 0.0 <= result.score <= 1.0
        assert 0.0 <= result.coverage <= 1.0
        assert sum(result.counts.values()) == result.indicators_total
        assert (result.score is None) == (result.status is Status.NO_DATA)


@PROPERTY
@given(tree_shapes)
def test_missing_data_is_never_counted_as_zero(shape):
    """Replacing every no-data indicator by a 0 score can only lower (or keep) the score."""
    root = build(shape)

    def zero_filled(node):
        return dataclasses.replace(
            node,
            indicators=tuple(
                dataclasses.replace(i, score=0.0) if i.score is None else i for i in node.indicators
            ),
            children=tuple(zero_filled(c) for c in node.children),
        )

    real = evaluate_tree(root)[root.key]
    filled = evaluate_tree(zero_filled(root))[root.key]
    assume(real.score is not None)
    assert filled.score <= real.score + 1e-12


# Issue 9: attainment, reporting years, context indicators, shared indicators ----------------

tolerances = st.one_of(
    st.builds(Tolerance, st.sampled_from([0.0, 0.5, 10.0, 1000.0])),
    st.builds(Tolerance, st.sampled_from([0.0, 5.0, 10.0, 50.0]), st.just(ToleranceUnit.PERCENT)),
)


@st.composite
def attainment_cases(draw):
    """(spec, measurements, as_of, plan tolerance) of an indicator rated by attainment: targets
    without a baseline, or a threshold on either side of its baseline."""
    threshold = draw(st.booleans())
    base_year = draw(st.integers(2005, 2015))
    years = sorted(draw(st.lists(st.integers(base_year + 1, base_year + 10), unique=True, max_size=3)))
    spec = IndicatorSpec(
        "t",
        draw(st.sampled_from([Direction.INCREASE, Direction.DECREASE])),
        accumulation=draw(st.sampled_from(list(Accumulation))),
        baseline=Baseline(draw(values), base_year) if threshold and draw(st.booleans()) else None,
        targets={Period(year): draw(values) for year in years},
        target_kind=TargetKind.THRESHOLD if threshold else TargetKind.TRAJECTORY,
        target_tolerance=draw(st.one_of(st.none(), tolerances)),
    )
    measurements = draw(measurement_lists(base_year - 1, base_year + 12))
    as_of = date(draw(st.integers(base_year, base_year + 14)), draw(st.integers(1, 12)), 1)
    return spec, measurements, as_of, draw(tolerances)


@PROPERTY
@given(attainment_cases(), thresholds)
def test_attainment_mirrored_and_status_follows_the_ratio(case, limits):
    spec, measurements, as_of, tolerance = case
    spec_m, measurements_m = mirror(spec, measurements)
    a = evaluate_indicator(spec, measurements, as_of=as_of, thresholds=limits, tolerance=tolerance)
    b = evaluate_indicator(spec_m, measurements_m, as_of=as_of, thresholds=limits, tolerance=tolerance)
    assert (a.status, a.ratio, a.score, a.period, a.notes) == (b.status, b.ratio, b.score, b.period, b.notes)
    for point in a.series:
        if point.ratio is not None:
            assert point.status is status_for_ratio(point.ratio, limits)
            assert 0.0 <= point.score <= 1.0
        elif point.actual is not None and point.expected is not None:
            raise AssertionError("a period with an actual and an expected value has a ratio")


@PROPERTY
@given(values, values, non_negative, st.sampled_from([Direction.INCREASE, Direction.DECREASE]), thresholds)
def test_doing_better_is_never_penalised(actual, expected, better, direction, limits):
    tolerance = abs(expected) / 10
    improved = actual + better if direction is Direction.INCREASE else actual - better
    assert attainment_ratio(improved, expected, direction, tolerance, limits) >= attainment_ratio(
        actual, expected, direction, tolerance, limits
    )


@PROPERTY
@given(
    st.integers(1, 9997),
    st.integers(2, 12),
    st.sampled_from(["", "-H1", "-H2", "-Q1", "-Q4"]),
)
def test_reporting_year_labels_round_trip(year, year_start, suffix):
    text = f"{year:04d}/{(year + 1) % 100:02d}{suffix}"
    period = Period.parse(text, year_start=year_start)
    assert period.label == text
    if suffix in ("", "-H1", "-Q1"):  # the year, its first half and quarter start with it
        assert period.start.month == year_start


@PROPERTY
@given(
    st.dates(date(2, 1, 1), date(9997, 12, 31)),
    st.sampled_from(list(Frequency)),
    st.integers(1, 12),
)
def test_the_period_containing_a_day_contains_it(day, frequency, year_start):
    period = Period.containing(day, frequency, year_start)
    assert period.start <= day <= period.end
    year = Period.containing(day, year_start=year_start)
    assert year.contains(period) and year.start.month == year_start


@PROPERTY
@given(st.integers(2, 12), st.lists(st.integers(0, 1000), min_size=1, max_size=12))
def test_year_to_date_at_the_years_end_is_the_years_sum(year_start, monthly):
    year = Period(2020, year_start=year_start)
    months = [
        Period.containing(
            date(2020 + (year_start - 1 + i) // 12, (year_start - 1 + i) % 12 + 1, 1), Frequency.MONTHLY
        )
        for i in range(len(monthly))
    ]
    ms = [Measurement(p, v) for p, v in zip(months, monthly, strict=True)]
    ytd = IndicatorSpec(
        "y",
        Direction.INCREASE,
        accumulation=Accumulation.CUMULATIVE,
        year_to_date=True,
        year_start=year_start,
    )
    per_period = IndicatorSpec("y", Direction.INCREASE, year_start=year_start)
    assert actual_value(ytd, ms, year) == actual_value(per_period, ms, year) == sum(monthly)
    next_year = Period(2021, year_start=year_start)
    assert actual_value(ytd, ms, next_year) is None  # restarts: nothing yet in the next year


@PROPERTY
@given(measurement_lists(2010, 2020), st.integers(2011, 2030))
def test_a_context_indicator_is_never_no_data(measurements, year):
    spec = IndicatorSpec("c", Direction.INCREASE, context=True)
    result = evaluate_indicator(spec, measurements, as_of=date(year, 6, 1))
    assert result.status is Status.CONTEXT and result.score is None


@PROPERTY
@given(tree_shapes, st.data())
def test_an_indicator_shared_by_elements_counts_once(shape, data):
    root = build(shape)
    nodes = []

    def walk(node):
        nodes.append(node.key)
        for child in node.children:
            walk(child)

    walk(root)
    before = evaluate_tree(root)[root.key]
    shared = indicator_result("shared", data.draw(st.one_of(st.none(), st.floats(0, 1))), 1.0)
    chosen = set(data.draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=3)))

    def add(node):
        extra = (shared,) if node.key in chosen else ()
        return dataclasses.replace(
            node, indicators=(*node.indicators, *extra), children=tuple(add(c) for c in node.children)
        )

    after = evaluate_tree(add(root))[root.key]
    assert after.indicators_total == before.indicators_total + 1
    assert sum(after.counts.values()) == after.indicators_total
