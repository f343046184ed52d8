"""Exports of indicator sets: CSV streamed, XLSX in sheets, constant queries, permissions, round trip."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from civitas.core.models import Role
from civitas.indicators import exports, imports, services, views
from civitas.indicators.models import IndicatorChange, Measurement, StatusOverride
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
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db

DIMENSIONS = [
    {
        "key": "settlement",
        "name": {"bg": "Населено място", "en": "Settlement"},
        "categories": [
            {"key": "sopot", "bg": "Сопот", "en": "Sopot"},
            {"key": "anevo", "bg": "Анево", "en": "Anevo"},
        ],
    }
]


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def plan(town):
    return PlanFactory(municipality=town, slug="opr", period_start=2014, period_end=2020)


@pytest.fixture
def element(plan):
    return PlanElementFactory(plan=plan, code="SG1")


def staff(town, role, username):
    user = UserFactory(username=username)
    MembershipFactory(user=user, municipality=town, role=role)
    return user


def fill(element, count, *, prefix="I"):
    """``count`` indicators with a target and seven years of published values each."""
    made = []
    for n in range(count):
        indicator = IndicatorFactory(element=element, code=f"{prefix}{n:03d}", accumulation="latest")
        TargetFactory(indicator=indicator, year=2020, value=Decimal(200))
        for year in range(2014, 2021):
            MeasurementFactory(indicator=indicator, year=year, value=Decimal(100 + 10 * (year - 2013)))
        made.append(indicator)
    return made


def read_csv(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def read_xlsx(response) -> dict[str, list[dict]]:
    data = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    sheets = {}
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        sheets[sheet.title] = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    return sheets


@pytest.fixture
def rich(town, element):
    """A numeric indicator with a breakdown, a corrected value (public history), a non-public
    change, a draft that must not appear, and a percentage indicator."""
    owner = staff(town, Role.INDICATOR_OWNER, "owner")
    n1 = IndicatorFactory(element=element, code="N1", owner=owner, disaggregation=DIMENSIONS, position=1)
    TargetFactory(indicator=n1, year=2020, value=Decimal(200))
    MeasurementFactory(
        indicator=n1, year=2015, value=Decimal(120), breakdown={"settlement": {"sopot": 100, "anevo": 20}},
        collected_on=datetime.date(2016, 1, 20), comment="internal note", evidence_url="https://example.org/e",
    )  # fmt: skip
    MeasurementFactory(indicator=n1, year=2016, value=Decimal(999), state="draft")
    IndicatorChange.objects.create(
        indicator=n1,
        field="target",
        period="2020",
        old_value="180",
        new_value="200",
        reason="Council decision 12",
    )
    IndicatorChange.objects.create(indicator=n1, field="baseline_value", reason="typo", is_public=False)
    p1 = IndicatorFactory(
        element=element, code="P1", owner=owner, measure="percentage", position=2, baseline_value=Decimal(40)
    )
    TargetFactory(indicator=p1, year=2020, value=Decimal(60))
    MeasurementFactory(indicator=p1, year=2016, value=None, numerator=Decimal(45), denominator=Decimal(90))
    return {"N1": n1, "P1": p1, "owner": owner}


def test_public_csv_is_streamed_with_published_values_only(client, town, plan, rich):
    response = client.get(f"/{town.slug}/plans/{plan.slug}/indicators.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="sopot-opr-values.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert "comment" not in rows[0] and "evidence_url" not in rows[0]
    n1 = {r["period"]: r for r in rows if r["indicator_code"] == "N1"}
    assert list(n1)[:3] == ["2013", "2014", "2015"]  # from the baseline year to the plan's end
    assert n1["2015"]["value"] == "120"
    assert n1["2015"]["settlement:sopot"] == "100" and n1["2015"]["settlement:anevo"] == "20"
    assert n1["2015"]["collected_on"] == "2016-01-20"
    assert n1["2016"]["value"] == ""  # a draft is not published
    assert n1["2015"]["actual"] == "120" and n1["2015"]["target"] == ""
    assert n1["2020"]["target"] == "200"
    p1 = {r["period"]: r for r in rows if r["indicator_code"] == "P1"}
    assert (p1["2016"]["numerator"], p1["2016"]["denominator"], p1["2016"]["actual"]) == ("45", "90", "50"), (
        p1
    )


def test_public_csv_tables(client, town, plan, rich):
    history = read_csv(client.get(f"/{town.slug}/plans/{plan.slug}/indicators.csv?table=history"))
    assert [(r["indicator_code"], r["field"], r["reason"]) for r in history] == [
        ("N1", "target", "Council decision 12")
    ]
    assert "changed_by" not in history[0]
    passports = read_csv(client.get(f"/{town.slug}/plans/{plan.slug}/indicators.csv?table=passports"))
    assert [r["indicator_code"] for r in passports] == ["N1", "P1"]
    assert passports[0]["targets"] == "2020: 200" and passports[0]["plan"] == "opr"
    elements = read_csv(client.get(f"/{town.slug}/plans/{plan.slug}/indicators.csv?table=elements"))
    assert [r["code"] for r in elements] == ["opr", "SG1"]
    assert client.get(f"/{town.slug}/plans/{plan.slug}/indicators.csv?table=secrets").status_code == 404


def test_staff_xlsx_has_every_sheet_and_the_internal_details(client, town, plan, rich):
    sign_in(client, staff(town, Role.VERIFIER, "verifier"))
    response = client.get(f"/{town.slug}/manage/indicators/data/export.xlsx?plan=opr")
    assert response.status_code == 200
    assert response["Content-Type"] == views.XLSX
    sheets = read_xlsx(response)
    assert list(sheets) == ["values", "history", "passports", "elements"]
    n1 = {r["period"]: r for r in sheets["values"] if r["indicator_code"] == "N1"}
    assert n1["2015"]["value"] == 120 and n1["2015"]["comment"] == "internal note"
    assert n1["2015"]["evidence_url"] == "https://example.org/e"
    assert {r["field"] for r in sheets["history"]} == {"target", "baseline_value"}
    assert {r["is_public"] for r in sheets["history"]} == {"yes", "no"}
    assert [r["indicator_code"] for r in sheets["passports"]] == ["N1", "P1"]


def test_public_xlsx_has_only_public_history(client, town, plan, rich):
    sheets = read_xlsx(client.get(f"/{town.slug}/plans/{plan.slug}/indicators.xlsx"))
    assert [r["field"] for r in sheets["history"]] == ["target"]
    assert "comment" not in sheets["values"][0]


def test_municipality_export_agrees_with_the_plan_export(client, town, plan, rich):
    """The two evaluation paths (plan_evaluation and the indicator-set helper) give one result."""
    other = PlanElementFactory(
        plan=PlanFactory(municipality=town, slug="strategy", period_start=2015, period_end=2025)
    )
    fill(other, 2, prefix="S")
    sign_in(client, staff(town, Role.VERIFIER, "verifier"))
    whole = read_csv(client.get(f"/{town.slug}/manage/indicators/data/export.csv?table=passports"))
    of_plan = read_csv(client.get(f"/{town.slug}/manage/indicators/data/export.csv?table=passports&plan=opr"))
    assert {r["indicator_code"] for r in whole} == {"N1", "P1", "S000", "S001"}
    by_code = {r["indicator_code"]: r for r in whole}
    for r in of_plan:
        assert by_code[r["indicator_code"]] == r
    some = read_csv(client.get(f"/{town.slug}/manage/indicators/data/export.csv?codes=S001,P1"))
    assert {r["indicator_code"] for r in some} == {"S001", "P1"}


@pytest.mark.parametrize("url", ["/{m}/plans/opr/indicators.csv", "/{m}/plans/opr/indicators.xlsx",
                                 "/{m}/manage/indicators/data/export.csv?plan=opr",
                                 "/{m}/manage/indicators/data/export.xlsx?plan=opr"])  # fmt: skip
def test_export_queries_do_not_grow_with_the_indicators(client, town, plan, element, url):
    sign_in(client, staff(town, Role.VERIFIER, "verifier"))
    url = url.format(m=town.slug)
    fill(element, 5)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            content = b"".join(response.streaming_content)
        assert response.status_code == 200 and content
        return len(queries)

    few = count()
    # More indicators, each judged by the municipality and also serving other elements, one of
    # them in another plan: the queries stay the same.
    other = PlanElementFactory(plan=plan, code="SG2")
    elsewhere = PlanElementFactory(
        plan=PlanFactory(municipality=town, slug="pir", status="adopted"), code="P1"
    )
    for indicator in fill(element, 45, prefix="J"):
        indicator.also_elements.add(other, elsewhere)
        StatusOverride.objects.create(
            indicator=indicator,
            year=2020,
            status="at_risk",
            reason_bg="Преценка",
            decided_on=datetime.date(2021, 1, 5),
        )
    assert count() == few


def test_the_csv_export_reads_values_in_chunks(town, plan, element):
    fill(element, 3)
    export = exports.plan_export_set(plan, public=True)
    with CaptureQueriesContext(connection) as queries:
        lines = list(exports.export_csv_lines(export))
    assert len(lines) == 1 + 3 * 8  # the header; 2013–2020 for each indicator
    assert len(queries) == 1  # the published values, read with iterator()


def test_anonymous_staff_export_asks_to_sign_in(client, town, plan):
    for url in ("data/export.csv", "data/export.xlsx", "data/", "data/template.xlsx", "data/import/"):
        response = client.get(f"/{town.slug}/manage/indicators/{url}")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_another_municipalitys_plan_is_not_found(client, town, plan):
    other = MunicipalityFactory(slug="karlovo")
    PlanFactory(municipality=other, slug="their-plan")
    sign_in(client, staff(town, Role.VERIFIER, "verifier"))
    assert client.get(f"/{town.slug}/manage/indicators/data/export.csv?plan=their-plan").status_code == 404
    assert client.get(f"/{town.slug}/manage/indicators/data/template.csv?plan=their-plan").status_code in (
        403,
        404,
    )
    assert client.get(f"/{town.slug}/plans/their-plan/indicators.csv").status_code == 404
    # and staff of one municipality cannot export another's
    assert client.get(f"/{other.slug}/manage/indicators/data/export.csv").status_code == 403


def test_a_draft_plan_has_no_public_export(client, town):
    PlanFactory(municipality=town, slug="draft", status="draft")
    assert client.get(f"/{town.slug}/plans/draft/indicators.csv").status_code == 404


def test_round_trip_export_then_import_gives_the_same_values(client, town, plan, rich):
    """Export the published values, import them into a fresh copy of the indicators: same values."""
    sign_in(client, staff(town, Role.VERIFIER, "verifier"))
    data = b"".join(client.get(f"/{town.slug}/manage/indicators/data/export.xlsx?plan=opr").streaming_content)
    fresh_town = MunicipalityFactory(slug="fresh")
    fresh_element = PlanElementFactory(
        plan=PlanFactory(municipality=fresh_town, period_start=2014, period_end=2020)
    )
    owner = staff(fresh_town, Role.INDICATOR_OWNER, "fresh-owner")
    IndicatorFactory(element=fresh_element, code="N1", owner=owner, disaggregation=DIMENSIONS)
    IndicatorFactory(element=fresh_element, code="P1", owner=owner, measure="percentage")
    with translation.override("en"):
        result = imports.import_measurements(actor=owner, municipality=fresh_town, data=data)
    assert result.errors == [] and result.saved == 2

    def values(municipality, **states):
        return {
            (m.indicator.code, m.year, m.sub): (
                m.value,
                m.numerator,
                m.denominator,
                m.breakdown,
                m.collected_on,
            )
            for m in Measurement.objects.filter(
                indicator__municipality=municipality, **states
            ).select_related("indicator")
        }

    assert values(fresh_town) == values(town, state="published")
    assert len(values(fresh_town)) == 2


def test_round_trip_through_csv(town, plan, rich):
    export = exports.plan_export_set(plan, public=True)
    data = "".join(exports.export_csv_lines(export)).encode("utf-8")
    fresh_town = MunicipalityFactory(slug="fresh")
    fresh_element = PlanElementFactory(
        plan=PlanFactory(municipality=fresh_town, period_start=2014, period_end=2020)
    )
    owner = staff(fresh_town, Role.INDICATOR_OWNER, "fresh-owner")
    IndicatorFactory(element=fresh_element, code="N1", owner=owner, disaggregation=DIMENSIONS)
    IndicatorFactory(element=fresh_element, code="P1", owner=owner, measure="percentage")
    result = imports.import_measurements(actor=owner, municipality=fresh_town, data=data)
    assert result.ok
    got = {(m.indicator.code, m.year): (m.value, m.numerator, m.denominator, m.breakdown) for m in
           Measurement.objects.filter(indicator__municipality=fresh_town).select_related("indicator")}  # fmt: skip
    assert got == {
        ("N1", 2015): (Decimal(120), None, None, {"settlement": {"sopot": 100, "anevo": 20}}),
        ("P1", 2016): (None, Decimal(45), Decimal(90), {}),
    }


def test_corrected_values_appear_in_the_history(client, town, plan, rich):
    verifier = staff(town, Role.VERIFIER, "verifier")
    m = Measurement.objects.get(indicator=rich["N1"], year=2015)
    services.measurement_correct(actor=rich["owner"], measurement=m, reason="Recount", value=Decimal(130),
                                 breakdown={"settlement": {"sopot": 110, "anevo": 20}})  # fmt: skip
    services.measurement_approve(actor=verifier, measurement=m, publish=True)
    history = read_csv(client.get(f"/{town.slug}/plans/{plan.slug}/indicators.csv?table=history"))
    assert ("measurement", "2015", "120", "130", "Recount") in {
        (r["field"], r["period"], r["old_value"], r["new_value"], r["reason"]) for r in history
    }


def test_export_command(tmp_path, town, plan, rich, capsys):
    call_command("export_measurements", "sopot", "--plan", "opr", "--format", "csv", "--table", "passports")
    assert "N1" in capsys.readouterr().out
    target = tmp_path / "out.xlsx"
    call_command("export_measurements", "sopot", "--format", "xlsx", "-o", str(target))
    assert load_workbook(target).sheetnames == ["values", "history", "passports"]
