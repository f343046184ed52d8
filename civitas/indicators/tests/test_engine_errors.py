"""The engine refuses with a code; people read the rules layer's message for it, in their language."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from civitas.core.permissions import OPERATOR
from civitas.evaluation.engine import EngineError, ErrorCode, Measurement, Period, Quantity
from civitas.evaluation.tests.refusals import REFUSALS
from civitas.indicators import rules, services
from civitas.indicators.passport import IndicatorPassport
from civitas.indicators.selectors import plan_evaluation
from civitas.plans.selectors import plan_tree
from civitas.testing.factories import IndicatorFactory, PlanElementFactory, PlanFactory, TargetFactory

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
CYRILLIC = re.compile("[а-яА-Я]")


def refusal(call) -> EngineError:
    with pytest.raises(EngineError) as refused:
        call()
    return refused.value


def test_every_code_has_a_message_and_every_quantity_a_name():
    assert set(rules.ENGINE_ERROR_MESSAGES) == set(ErrorCode)
    assert set(rules.QUANTITY_LABELS) == set(Quantity)


@pytest.mark.parametrize(
    ("code", "call"), REFUSALS, ids=[f"{code}-{i}" for i, (code, _c) in enumerate(REFUSALS)]
)
def test_a_bulgarian_user_reads_each_refusal_in_bulgarian(code, call):
    error = refusal(call)
    with translation.override("en"):
        english_template = str(rules.ENGINE_ERROR_MESSAGES[code])
        english = rules.engine_error_message(error)
    with translation.override("bg"):
        bulgarian_template = str(rules.ENGINE_ERROR_MESSAGES[code])
        bulgarian = rules.engine_error_message(error)
    # Every value a message names, the error carries; the translation names the same values.
    assert set(PLACEHOLDER.findall(english_template)) <= set(error.params)
    assert set(PLACEHOLDER.findall(bulgarian_template)) == set(PLACEHOLDER.findall(english_template))
    assert bulgarian != english and CYRILLIC.search(bulgarian), bulgarian
    assert english != str(error)  # the user's English is not the developer's
    assert "%(" not in bulgarian


def test_the_values_read_as_entered():
    error = EngineError(
        ErrorCode.TARGET_BELOW_BASELINE,
        indicator="7",
        target=0.1 + 0.2,
        period=Period.quarter(2020, 3),
        baseline=1.0,
    )
    with translation.override("bg"):
        message = rules.engine_error_message(error)
    assert message == (
        "Целевата стойност 0.3 за 2020-Q3 е под базовата стойност 1, а индикаторът трябва да се увеличава."
    )


def test_a_number_error_names_the_quantity_in_the_users_language():
    error = refusal(lambda: Measurement(Period(2016), "many"))
    with translation.override("bg"):
        assert rules.engine_error_message(error) == "Стойността трябва да е число, а не „many“."
    with translation.override("en"):
        assert rules.engine_error_message(error) == "The value must be a number, not “many”."


def test_another_value_error_keeps_its_text():
    assert rules.engine_error_message(ValueError("unexpected")) == "unexpected"


@pytest.mark.django_db
def test_a_passport_the_engine_refuses_is_explained_in_bulgarian():
    element = PlanElementFactory(plan=PlanFactory(period_start=2014, period_end=2020))
    passport = IndicatorPassport(
        code="T2", name_bg="Нощувки", type="result", baseline_value=Decimal(1000), baseline_year=2013
    )
    with translation.override("bg"), pytest.raises(ValidationError) as refused:
        services.indicator_create(
            actor=OPERATOR,
            municipality=element.plan.municipality,
            element=element,
            passport=passport,
            targets=[{"year": 2020, "value": 500}],
        )
    assert refused.value.message_dict["targets"] == [
        "Паспортът не може да бъде оценен в този вид: Целевата стойност 500 за 2020 е под базовата стойност "
        "1000, а индикаторът трябва да се увеличава."
    ]


@pytest.mark.django_db
def test_a_cached_evaluation_error_is_shown_in_the_language_of_the_page():
    plan = PlanFactory(period_start=2014, period_end=2020)
    element = PlanElementFactory(plan=plan)
    indicator = IndicatorFactory(element=element, code="BAD")  # increasing, baseline 100 in 2013
    TargetFactory(indicator=indicator, year=2020, value=Decimal(50))  # below the baseline
    with translation.override("en"):
        evaluation = plan_evaluation(plan, plan_tree(plan), today=datetime.date(2026, 11, 23))
    (item,) = evaluation.indicators[element.pk]
    assert item.result is None
    with translation.override("bg"):
        assert str(item.error) == (
            "Целевата стойност 50 за 2020 е под базовата стойност 100, а индикаторът трябва да се увеличава."
        )
    with translation.override("en"):
        assert str(item.error) == (
            "The target value 50 for 2020 is below the baseline value 100, and the indicator should increase."
        )
