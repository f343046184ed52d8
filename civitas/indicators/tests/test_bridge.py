"""The bridge hands the engine what the stored passport says: a context-type indicator without
targets is a context indicator (shown with its values, never rated, never "no data")."""

import datetime
from decimal import Decimal

from civitas.evaluation import engine
from civitas.indicators.evaluation import evaluate, spec_for
from civitas.testing.factories import IndicatorFactory, MeasurementFactory, TargetFactory

AS_OF = datetime.date(2017, 3, 1)


def context_indicator(**fields):
    return IndicatorFactory.build(type="context", baseline_value=None, baseline_year=None, **fields)


def test_a_context_indicator_with_values_is_context_not_no_data():
    indicator = context_indicator()
    values = [MeasurementFactory.build(indicator=indicator, year=2016, value=Decimal("42"))]
    result = evaluate(indicator, [], values, as_of=AS_OF, thresholds=engine.Thresholds())
    assert spec_for(indicator, []).context
    assert result.status is engine.Status.CONTEXT
    assert result.context and result.actual == 42.0
    assert result.score is None and result.ratio is None


def test_a_context_indicator_without_values_is_still_context():
    result = evaluate(context_indicator(), [], [], as_of=AS_OF, thresholds=engine.Thresholds())
    assert result.status is engine.Status.CONTEXT


def test_a_context_type_indicator_with_targets_is_rated_and_stays_out_of_the_roll_up():
    indicator = context_indicator()
    targets = [TargetFactory.build(indicator=indicator, year=2016, value=Decimal("40"))]
    values = [MeasurementFactory.build(indicator=indicator, year=2016, value=Decimal("42"))]
    spec = spec_for(indicator, targets)
    assert not spec.context and spec.weight == 0.0
    result = evaluate(indicator, targets, values, as_of=AS_OF, thresholds=engine.Thresholds())
    assert result.status is engine.Status.ON_TRACK


def test_other_indicator_types_are_never_context():
    indicator = IndicatorFactory.build(type="result")
    assert not spec_for(indicator, []).context
