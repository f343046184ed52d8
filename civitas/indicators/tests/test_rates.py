"""Issue 9, rates as reported (docs/evaluation-rules.md §16) on the Django side: a percentage given
as a value without counts is accepted by the rules, the services and the file import, reaches the
engine as the period's value, and a breakdown of rates is not summed; counts still must add up."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from civitas.core.models import Role
from civitas.evaluation import engine
from civitas.indicators import imports, rules, services
from civitas.indicators.evaluation import engine_measurement
from civitas.indicators.forms import MeasurementForm
from civitas.indicators.models import Indicator, Measurement
from civitas.indicators.selectors import indicator_detail
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    TargetFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2021, 6, 1)

SEX = [
    {
        "key": "sex",
        "name": {"bg": "Пол", "en": "Sex"},
        "categories": [
            {"key": "men", "bg": "Мъже", "en": "Men"},
            {"key": "women", "bg": "Жени", "en": "Women"},
        ],
    }
]


def check(measure="percentage", *, value=None, numerator=None, denominator=None, breakdown=None, **kw):
    return rules.check_measurement(
        year=2020, sub=0, frequency="annual", period=(2014, 2020), measure=measure,
        value=None if value is None else Decimal(value),
        numerator=None if numerator is None else Decimal(numerator),
        denominator=None if denominator is None else Decimal(denominator),
        scale=(None, None), breakdown=breakdown or {}, dimensions=SEX, **kw,
    )  # fmt: skip


def test_a_percentage_without_counts_is_a_rate_and_accepted():
    assert check(value="5.7") == {}


def test_a_percentage_with_counts_is_still_accepted():
    assert check(numerator="57", denominator="1000") == {}


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({}, "value"),
        ({"value": "5.7", "numerator": "57", "denominator": "1000"}, "value"),
        ({"numerator": "57"}, "denominator"),
        ({"numerator": "57", "denominator": "0"}, "denominator"),
        ({"value": "5.7", "accumulation": "cumulative"}, "denominator"),
    ],
)
def test_a_percentage_is_refused_when(kwargs, field):
    assert field in check(**kwargs)


def test_a_breakdown_of_rates_need_not_add_up():
    rates = {"sex": {"men": "5.1", "women": "6.3"}}
    assert check(value="5.7", breakdown=rates) == {}


def test_a_breakdown_of_counts_must_still_add_up():
    assert "breakdown" in check(
        numerator="57", denominator="1000", breakdown={"sex": {"men": 20, "women": 30}}
    )
    assert check(numerator="57", denominator="1000", breakdown={"sex": {"men": 27, "women": 30}}) == {}
    assert "breakdown" in check("number", value="57", breakdown={"sex": {"men": 20, "women": 30}})


def test_a_breakdown_of_rates_must_still_be_numbers_of_known_categories():
    assert "breakdown" in check(value="5.7", breakdown={"sex": {"men": "5.1", "other": "6"}})


def unemployment(**fields):
    element = PlanElementFactory(plan=PlanFactory(period_start=2014, period_end=2020))
    return IndicatorFactory(
        element=element, measure="percentage", direction="decrease", unit_bg="%", unit_en="%",
        baseline_value=Decimal("8"), baseline_year=2013, disaggregation=SEX, **fields,
    )  # fmt: skip


def owner_of(indicator):
    user = UserFactory(username="owner")
    MembershipFactory(user=user, municipality=indicator.municipality, role=Role.INDICATOR_OWNER)
    Indicator.objects.filter(pk=indicator.pk).update(owner=user)
    indicator.refresh_from_db()
    return user


def test_the_service_saves_a_rate_with_its_breakdown_of_rates():
    indicator = unemployment()
    owner = owner_of(indicator)
    m = services.measurement_save(
        actor=owner, indicator=indicator, year=2020, value="5.7",
        breakdown={"sex": {"men": "5.1", "women": "6.3"}},
    )  # fmt: skip
    m.refresh_from_db()
    assert (m.value, m.numerator, m.denominator) == (Decimal("5.7"), None, None)
    assert m.breakdown == {"sex": {"men": 5.1, "women": 6.3}}


def test_the_service_refuses_counts_that_do_not_add_up():
    indicator = unemployment()
    owner = owner_of(indicator)
    with pytest.raises(ValidationError) as error:
        services.measurement_save(
            actor=owner, indicator=indicator, year=2020, numerator="57", denominator="1000",
            breakdown={"sex": {"men": "20", "women": "30"}},
        )  # fmt: skip
    assert "breakdown" in error.value.message_dict


def test_a_rate_reaches_the_engine_as_a_value_and_is_evaluated():
    indicator = unemployment()
    TargetFactory(indicator=indicator, year=2020, value=Decimal("5"))
    MeasurementFactory(indicator=indicator, year=2020, value=Decimal("5.7"))
    stored = Measurement.objects.get(indicator=indicator)
    assert engine_measurement(indicator, stored) == engine.Measurement(period=engine.Period(2020), value=5.7)
    found = Indicator.objects.select_related("element__plan", "project").get(pk=indicator.pk)
    result = indicator_detail(found, today=TODAY).evaluated.result
    assert result.actual == pytest.approx(5.7)
    assert result.status in engine.RATED_STATUSES and result.status is not engine.Status.NO_DATA


def test_counts_still_reach_the_engine_as_counts():
    indicator = unemployment()
    m = MeasurementFactory.build(
        indicator=indicator, year=2020, value=None, numerator=Decimal(57), denominator=Decimal(1000)
    )
    assert engine_measurement(indicator, m).numerator == 57.0


def test_the_file_import_accepts_rates_and_their_breakdown():
    town = MunicipalityFactory(slug="sopot")
    element = PlanElementFactory(plan=PlanFactory(municipality=town, period_start=2014, period_end=2020))
    indicator = IndicatorFactory(
        element=element, code="U1", measure="percentage", direction="decrease", disaggregation=SEX,
    )  # fmt: skip
    owner = owner_of(indicator)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator_code", "period", "value", "numerator", "denominator", "sex:men", "sex:women"])
    writer.writerow(["U1", "2019", "5.7", "", "", "5.1", "6.3"])
    writer.writerow(["U1", "2020", "", "57", "1000", "27", "30"])
    with translation.override("en"):
        result = imports.import_measurements(actor=owner, municipality=town, data=out.getvalue().encode())
    assert result.errors == []
    stored = {m.year: m for m in Measurement.objects.filter(indicator=indicator)}
    assert stored[2019].value == Decimal("5.7") and stored[2019].numerator is None
    assert stored[2020].numerator == 57


def test_the_file_import_refuses_counts_that_do_not_add_up():
    town = MunicipalityFactory(slug="sopot")
    element = PlanElementFactory(plan=PlanFactory(municipality=town, period_start=2014, period_end=2020))
    indicator = IndicatorFactory(element=element, code="U1", measure="percentage", disaggregation=SEX)
    owner = owner_of(indicator)
    data = "indicator_code,period,value,numerator,denominator,sex:men,sex:women\nU1,2020,,57,1000,20,30\n"
    with translation.override("en"):
        result = imports.import_measurements(actor=owner, municipality=town, data=data.encode())
    assert result.errors and not Measurement.objects.filter(indicator=indicator).exists()


def test_the_entry_form_offers_the_percentage_beside_its_counts():
    indicator = unemployment()
    form = MeasurementForm(data={"period": "2020", "value": "5,7"}, indicator=indicator)
    assert {"value", "numerator", "denominator"} <= set(form.fields)
    assert form.is_valid(), form.errors
    assert form.service_values()["value"] == Decimal("5.7")
