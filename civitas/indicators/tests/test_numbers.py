"""One reading of a measurement's number (rules.parse_number) on every way in: the value form, the
file import, the services and the command. A number the database column cannot hold exactly is
refused with a message, and nothing is stored (issue 8, finding 6)."""

import importlib
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from civitas.core.models import AuditEvent, Role
from civitas.indicators import imports, rules, services
from civitas.indicators.models import Measurement
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    UserFactory,
)
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db

# Each of these was accepted by the importer and, once stored, made the indicator's pages answer
# 500 on SQLite (or was stored as another number than the one written).
BAD = {
    "17 digits": ("12345678901234567", "too large"),
    "huge exponent": ("1e999999", "too large"),
    "tiny exponent": ("1e-999999", "digits after the decimal point"),
    "five decimals": ("0.00001", "digits after the decimal point"),
    "Arabic-Indic digits": ("١٢٣", "digits 0–9"),
    "full-width digits": ("１２", "digits 0–9"),
    "NaN": ("NaN", "is not a number"),
    "Infinity": ("Infinity", "is not a number"),
    "minus infinity": ("-inf", "is not a number"),
}


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def owner(town):
    user = UserFactory(username="owner")
    MembershipFactory(user=user, municipality=town, role=Role.INDICATOR_OWNER)
    return user


DIMENSIONS = [
    {
        "key": "settlement",
        "name": {"bg": "Населено място", "en": "Settlement"},
        "categories": [{"key": "sopot", "bg": "Сопот", "en": "Sopot"}, {"key": "anevo", "bg": "Анево"}],
    }
]


@pytest.fixture
def element(town):
    return PlanElementFactory(
        plan=PlanFactory(municipality=town, slug="opr", period_start=2014, period_end=2020)
    )


@pytest.fixture
def indicator(element, owner):
    return IndicatorFactory(element=element, owner=owner, code="N1", disaggregation=DIMENSIONS)


@pytest.fixture
def percentage(element, owner):
    return IndicatorFactory(
        element=element, owner=owner, code="P1", measure="percentage", baseline_value=Decimal(40)
    )


# The rule ---------------------------------------------------------------------------------------


def test_the_rule_fits_the_model():
    for name in ("value", "numerator", "denominator"):
        field = Measurement._meta.get_field(name)
        assert (field.max_digits, field.decimal_places) == (rules.MAX_DIGITS, rules.DECIMAL_PLACES)


@pytest.mark.parametrize(
    "raw, number",
    [
        ("12.5", Decimal("12.5")), ("12,5", Decimal("12.5")), ("1 234,5", Decimal("1234.5")),
        ("1\u00a0234", Decimal(1234)), ("-3", Decimal(-3)), ("1e3", Decimal(1000)),
        ("12.50000", Decimal("12.5")), ("99999999999999.9999", Decimal("99999999999999.9999")),
        (150, Decimal(150)), (12.3, Decimal("12.3")), (0.1 + 0.2, Decimal("0.3")),
        (Decimal("7.25"), Decimal("7.25")), ("0e-999999", Decimal(0)), ("", None), (None, None),
    ],
)  # fmt: skip
def test_numbers_that_fit_are_read(raw, number):
    assert rules.parse_number(raw) == number


@pytest.mark.parametrize("case", list(BAD))
def test_numbers_that_do_not_fit_are_refused_with_a_reason(case):
    raw, message = BAD[case]
    with translation.override("en"), pytest.raises(rules.NumberError) as error:
        rules.parse_number(raw)
    assert message in str(error.value)


@pytest.mark.parametrize(
    "raw", [float("inf"), float("nan"), 1e300, 10**20, True, "12%", "1,234.5", "1" * 10_000]
)
def test_other_values_are_refused(raw):
    with pytest.raises(rules.NumberError):
        rules.parse_number(raw)


def test_the_message_is_in_the_users_language():
    with translation.override("bg"), pytest.raises(rules.NumberError) as error:
        rules.parse_number("1e999999")
    assert "е твърде голямо" in str(error.value)


# The file import --------------------------------------------------------------------------------


def _import(town, owner, header, rows, *, kind="csv"):
    data = (
        ("\n".join(",".join(r) for r in [header, *rows]) + "\n").encode()
        if kind == "csv"
        else _xlsx([header, *rows])
    )
    with translation.override("en"):
        return imports.import_measurements(actor=owner, municipality=town, data=data)


def _xlsx(rows) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for r in rows:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("case", list(BAD))
def test_the_import_names_the_row_and_column_and_stores_nothing(town, owner, indicator, case, kind):
    raw, message = BAD[case]
    result = _import(
        town,
        owner,
        ["indicator_code", "period", "value"],
        [["N1", "2015", "5"], ["N1", "2016", raw]],
        kind=kind,
    )
    assert [(e.row, e.column, e.letter) for e in result.errors] == [(3, "value", "C")], result.errors
    assert message in result.errors[0].message
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("column", ["numerator", "denominator"])
def test_the_import_checks_numerator_and_denominator(town, owner, percentage, column):
    cells = {"numerator": "5", "denominator": "10", column: "1e999999"}
    result = _import(town, owner, ["indicator_code", "period", "numerator", "denominator"],
                     [["P1", "2016", cells["numerator"], cells["denominator"]]])  # fmt: skip
    assert [(e.row, e.column) for e in result.errors] == [(2, column)]
    assert not Measurement.objects.exists()


def test_the_import_checks_the_breakdown(town, owner, indicator):
    result = _import(town, owner, ["indicator_code", "period", "value", "settlement:sopot", "settlement:anevo"],
                     [["N1", "2016", "10", "1e999999", "3"]])  # fmt: skip
    assert [(e.row, e.column, e.letter) for e in result.errors] == [(2, "settlement:sopot", "D")]
    assert "too large" in result.errors[0].message
    assert not Measurement.objects.exists()


def test_a_huge_number_typed_in_a_spreadsheet_is_refused(town, owner, indicator):
    data = _xlsx([["indicator_code", "period", "value"], ["N1", 2016, 1e300]])
    with translation.override("en"):
        result = imports.import_measurements(actor=owner, municipality=town, data=data)
    assert [(e.row, e.column) for e in result.errors] == [(2, "value")]
    assert not Measurement.objects.exists()


def test_the_command_names_the_row_and_column(tmp_path, town, owner, indicator, capsys):
    path = tmp_path / "values.csv"
    path.write_text("indicator_code,period,value\nN1,2016,١٢٣\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_measurements", "sopot", str(path), "--user", "owner")
    assert "row 2, column value (C)" in capsys.readouterr().err
    assert not Measurement.objects.exists()


# The services (and so every caller: views, commands, an API) -------------------------------------


@pytest.mark.parametrize("case", list(BAD))
def test_the_service_refuses_the_value(town, owner, indicator, case):
    raw, message = BAD[case]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.measurement_save(actor=owner, indicator=indicator, year=2016, value=raw)
    assert message in " ".join(error.value.message_dict["value"])
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("field", ["numerator", "denominator"])
def test_the_service_names_the_field(town, owner, percentage, field):
    values = {"numerator": "5", "denominator": "10", field: Decimal("1e999999")}
    with pytest.raises(ValidationError) as error:
        services.measurement_save(actor=owner, indicator=percentage, year=2016, **values)
    assert set(error.value.message_dict) == {field}
    assert not Measurement.objects.exists()


def test_the_service_refuses_a_breakdown_that_does_not_fit(town, owner, indicator):
    with pytest.raises(ValidationError) as error:
        services.measurement_save(
            actor=owner, indicator=indicator, year=2016, value=10,
            breakdown={"settlement": {"sopot": "1e999999", "anevo": 3}},
        )  # fmt: skip
    assert "breakdown" in error.value.message_dict
    assert not Measurement.objects.exists()


def test_a_correction_is_checked_the_same_way(town, owner, indicator):
    measurement = MeasurementFactory(indicator=indicator, year=2016, value=Decimal(5), state="approved")
    with pytest.raises(ValidationError) as error:
        services.measurement_correct(actor=owner, measurement=measurement, reason="typo", value="1e-999999")
    assert "value" in error.value.message_dict
    measurement.refresh_from_db()
    assert (measurement.value, measurement.state) == (Decimal(5), "approved")


# The value form ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(BAD))
def test_the_value_form_refuses_it(client, town, owner, indicator, case):
    raw, message = BAD[case]
    sign_in(client, owner)
    response = client.post(
        f"/en/{town.slug}/manage/indicators/indicator/N1/value/",
        {"period": "2016", "value": raw, "action": "draft"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Measurement.objects.exists()


def test_the_value_form_reads_a_decimal_comma_and_refuses_a_breakdown_that_does_not_fit(
    client, town, owner, indicator
):
    sign_in(client, owner)
    url = f"/en/{town.slug}/manage/indicators/indicator/N1/value/"
    bad = client.post(url, {"period": "2016", "value": "10", "breakdown__settlement__sopot": "١٠",
                            "breakdown__settlement__anevo": "0"})  # fmt: skip
    assert bad.status_code == 400 and not Measurement.objects.exists()
    good = client.post(url, {"period": "2016", "value": "12,5"})
    assert good.status_code == 302
    assert Measurement.objects.get().value == Decimal("12.5")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite ever stored such numbers")
def test_numbers_stored_before_that_cannot_be_read_are_returned_to_their_owner(town, indicator, client):
    """The migration that repairs values stored before every path checked numbers: an infinity and
    17 digits made the indicator's pages fail; they are cleared, returned with a note and logged."""
    from django.apps import apps

    repair = importlib.import_module("civitas.indicators.migrations.0007_unreadable_values")
    broken = MeasurementFactory(indicator=indicator, year=2015, value=Decimal(1), state="published")
    long = MeasurementFactory(indicator=indicator, year=2016, value=Decimal(1), state="submitted")
    fine = MeasurementFactory(indicator=indicator, year=2017, value=Decimal("12.5"), state="published")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE indicators_measurement SET value = 1e999 WHERE id = %s", [broken.pk])
        cursor.execute("UPDATE indicators_measurement SET value = 12345678901234567 WHERE id = %s", [long.pk])
    with pytest.raises(Exception):  # noqa: B017 - what the pages met: Django cannot read it back
        list(Measurement.objects.filter(pk=broken.pk))

    repair.return_unreadable_values(apps, SimpleNamespace(connection=connection))

    for made in (broken, long):
        made.refresh_from_db()
        assert made.value is None and made.state == "returned"
        assert "enter it again" in made.return_note
    assert "Inf" in broken.return_note and "12345678901234567" in long.return_note
    fine.refresh_from_db()
    assert fine.value == Decimal("12.5") and fine.state == "published"
    logged = AuditEvent.objects.filter(action="return", object_id=str(broken.pk)).get()
    assert logged.changes["state"] == ["published", "returned"]
