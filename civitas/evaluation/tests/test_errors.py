"""Every refusal of the engine carries a stable code and the values it names (the callers translate
the code; docs/evaluation-rules.md, section 9)."""

import ast
import pickle
from pathlib import Path

import pytest

from civitas.evaluation import engine
from civitas.evaluation.engine import EngineError, ErrorCode, Period, Quantity

from .refusals import REFUSALS


@pytest.mark.parametrize(
    ("code", "call"), REFUSALS, ids=[f"{code}-{i}" for i, (code, _c) in enumerate(REFUSALS)]
)
def test_each_refusal_carries_its_code(code, call):
    with pytest.raises(EngineError) as refused:
        call()
    assert refused.value.code is code
    assert isinstance(refused.value, ValueError)  # callers that catch ValueError keep working


def test_every_code_is_refused_somewhere_in_the_examples():
    assert {code for code, _call in REFUSALS} == set(ErrorCode)


def test_every_code_has_an_english_message():
    assert set(engine._ENGLISH) == set(ErrorCode)


def test_the_engine_raises_only_engine_errors():
    """No ``raise ValueError("…")`` with an English text that a page could show."""
    tree = ast.parse(Path(engine.__file__).read_text(encoding="utf-8"))
    raised = {
        node.exc.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise)
        and isinstance(node.exc, ast.Call)
        and isinstance(node.exc.func, ast.Name)
    }
    assert raised == {"EngineError"}


def test_the_parameters_are_the_values_not_their_text():
    with pytest.raises(EngineError) as refused:
        engine.IndicatorSpec(
            "T1", engine.Direction.INCREASE, baseline=engine.Baseline(10, 2013), targets={Period(2020): 8}
        )
    assert refused.value.params == {
        "indicator": "T1",
        "target": 8.0,
        "period": Period(2020),
        "baseline": 10.0,
    }
    assert str(refused.value) == (
        "indicator T1: target 8 for 2020 is below the baseline 10 of an increasing indicator"
    )


def test_a_number_error_names_its_quantity():
    with pytest.raises(EngineError) as refused:
        engine.Measurement(Period(2016), numerator="five", denominator=2)
    assert refused.value.params["quantity"] is Quantity.NUMERATOR
    assert str(refused.value) == "measurement for 2016: numerator must be a number, got 'five'"


def test_an_engine_error_pickles_with_its_code_and_parameters():
    error = EngineError(ErrorCode.MEASUREMENT_TWICE, indicator="n", period=Period(2016))
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.params, str(copy)) == (error.code, error.params, str(error))
