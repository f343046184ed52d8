"""One set of numbers everywhere: the public plan page, the public indicator page and the CSV and
XLSX exports show the same actuals, expected values, statuses, ratios, scores and coverage.

The pages and the exports are rendered and read back as a visitor or a spreadsheet would read
them; nothing here calls the engine. The staff monitoring dashboard is read the same way and
compared with them in ``test_staff_dashboard_agrees``.
"""

import csv
import html
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    TargetFactory,
)
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db

CODES = ["INC", "DEC", "CUM", "PCT", "OFF", "NODATA", "QTR"]


@pytest.fixture
def plan():
    town = MunicipalityFactory(slug="sopot")
    plan = PlanFactory(municipality=town, slug="opr", period_start=2014, period_end=2020)
    tourism = PlanElementFactory(plan=plan, code="SG1", position=1)
    housing = PlanElementFactory(plan=plan, code="SG2", position=2)
    measure = PlanElementFactory(plan=plan, parent=housing, code="SG2.1", position=3)

    def indicator(code, element, *, target, values, **passport):
        made = IndicatorFactory(element=element, code=code, **passport)
        for year, value in target.items():
            TargetFactory(indicator=made, year=year, value=Decimal(value), is_final=year == 2020)
        for period, value in values.items():
            year, sub = period if isinstance(period, tuple) else (period, 0)
            if isinstance(value, tuple):
                MeasurementFactory(
                    indicator=made, year=year, sub=sub, value=None, numerator=Decimal(value[0]),
                    denominator=Decimal(value[1]),
                )  # fmt: skip
            else:
                MeasurementFactory(indicator=made, year=year, sub=sub, value=Decimal(value))
        return made

    # Overnight stays: increasing, per period, on track.
    indicator(
        "INC", tourism, target={2017: 160, 2020: 200}, values={2014: 112, 2015: 125, 2016: 141, 2020: 195}
    )
    # Empty municipal dwellings: decreasing, latest level, at risk.
    indicator(
        "DEC", measure, direction="decrease", accumulation="latest", baseline_value=Decimal(50),
        target={2020: 20}, values={2015: 47, 2017: 41, 2020: 30},
    )  # fmt: skip
    # Renovated buildings: cumulative.
    indicator(
        "CUM", measure, accumulation="cumulative", baseline_value=Decimal(0), target={2020: 70},
        values={2014: 8, 2015: 12, 2016: 9, 2017: 10, 2018: 6, 2020: 5},
    )  # fmt: skip
    # Share of households with separate collection: a percentage from numerators and denominators.
    indicator(
        "PCT", tourism, measure="percentage", baseline_value=Decimal(40), target={2020: 70},
        values={2016: (450, 1000), 2020: (1100, 2000)},
    )  # fmt: skip
    # Off track, with weight 2.
    indicator("OFF", housing, weight=Decimal(2), target={2020: 300}, values={2020: 105})
    # No data: counts in coverage, never as a zero.
    indicator("NODATA", housing, target={2020: 300}, values={})
    # Quarterly, latest level.
    indicator(
        "QTR", tourism, frequency="quarterly", accumulation="latest", baseline_value=Decimal(10),
        target={}, values={(2019, 1): 14, (2019, 2): 15, (2020, 4): 19},
    )  # fmt: skip
    TargetFactory(indicator=plan.elements.get(code="SG1").indicators.get(code="QTR"), year=2020, sub=4,
                  value=Decimal(20), is_final=True)  # fmt: skip
    return plan


# Reading the pages as a visitor does --------------------------------------------------------------


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _number(text: str) -> float | None:
    """A number as the English pages show it (e.g. "1,234.5"); None for "–"."""
    match = re.search(r"-?[\d,]+(?:\.\d+)?", text)
    if "–" in text.split("(")[0] and not match:
        return None
    return float(match.group(0).replace(",", "")) if match else None


def _percent(text: str) -> int | None:
    match = re.search(r"(-?\d+)\s*%", text)
    return int(match.group(1)) if match else None


def _status(fragment: str) -> str:
    return re.search(r"civitas-status--(\w+)", fragment).group(1)


def read_plan_page(client, plan) -> dict:
    page = client.get(f"/en/{plan.municipality.slug}/plans/{plan.slug}/").content.decode()
    indicators = {}
    for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page, re.S):
        link = re.search(r"/indicators/([^/]+)/\"", row)
        if not link:
            continue
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        period = re.search(r"\((\d{4}(?:-\w+)?)\)", _text(cells[1]))
        indicators[link.group(1)] = {
            "actual": _number(_text(cells[1])),
            "period": period.group(1) if period else "",
            "expected": _number(_text(cells[2])),
            "status": _status(cells[3]),
        }
    elements = {}
    for code, block in re.findall(
        r'<span class="civitas-tree__code">([^<]+)</span>.*?<p class="govuk-body civitas-assessment">(.*?)</p>',
        page,
        re.S,
    ):
        score, coverage = re.findall(r"(-?\d+)\s*%", _text(block))
        elements[code] = {"status": _status(block), "score": int(score), "coverage": int(coverage)}
    whole = re.search(r"Assessment of the whole plan</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S).group(1)
    coverage = re.search(r"Coverage</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S).group(1)
    elements[plan.slug] = {
        "status": _status(whole),
        "score": _percent(_text(whole)),
        "coverage": _percent(coverage),
    }
    return {"indicators": indicators, "elements": elements}


def read_indicator_page(client, plan, code) -> dict:
    page = client.get(f"/en/{plan.municipality.slug}/indicators/{code}/").content.decode()

    def summary(key):
        return re.search(rf"{key}</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S).group(1)

    latest = _text(summary("Latest actual"))
    period = re.search(r"\((\d{4}(?:-\w+)?)\)", latest)
    series = {}
    table = page.split("Values by period", 1)[1]
    for row in re.findall(
        r'<tr class="govuk-table__row[^"]*">(.*?)</tr>', table.split("</table>", 1)[0], re.S
    ):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if not cells:
            continue  # the header row
        period_label = _text(re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1))
        actual = _text(cells[0])
        series[period_label] = {
            # A period without a report says so, with the last reported level the evaluation uses;
            # one not ended yet shows no value ("–").
            "reported": "not reported" not in actual and actual != "–",
            "not_due": actual == "–",
            "actual": _number(actual.split("assessed on the last reported level,")[-1]),
            "target": _number(_text(cells[1])),
            "expected": _number(_text(cells[2])),
            "status": _status(cells[3]) if "civitas-status" in cells[3] else "",
        }
    return {
        "status": _status(summary("Status")),
        "actual": _number(latest),
        "period": period.group(1) if period else "",
        "expected": _number(_text(summary("Expected by then"))),
        "ratio": _percent(_text(summary("Progress ratio"))),
        "series": series,
    }


# Reading the exports as a spreadsheet does ----------------------------------------------------


def _csv_table(client, plan, table) -> list[dict]:
    response = client.get(f"/en/{plan.municipality.slug}/plans/{plan.slug}/indicators.csv?table={table}")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    return [{k: (None if v == "" else v) for k, v in r.items()} for r in rows]


def read_csv_export(client, plan) -> dict:
    return {table: _csv_table(client, plan, table) for table in ("values", "passports", "elements")}


def read_xlsx_export(client, plan) -> dict:
    response = client.get(f"/en/{plan.municipality.slug}/plans/{plan.slug}/indicators.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    tables = {}
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        tables[sheet.title] = [
            {k: (None if v == "" else v) for k, v in zip(rows[0], r, strict=True)} for r in rows[1:]
        ]
    return tables


def _f(value) -> float | None:
    return None if value is None else float(value)


def _shown(value) -> float | None:
    """A figure as the pages show it: at most two decimals."""
    return None if value is None else float(round(Decimal(str(value)), 2))


def _pct(value) -> int | None:
    return None if value is None else round(float(value) * 100)


# The test ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", [read_csv_export, read_xlsx_export], ids=["csv", "xlsx"])
def test_pages_and_exports_agree(client, plan, reader):
    plan_page = read_plan_page(client, plan)
    indicator_pages = {code: read_indicator_page(client, plan, code) for code in CODES}
    export = reader(client, plan)
    passports = {r["indicator_code"]: r for r in export["passports"]}
    assert set(passports) == set(CODES) == set(plan_page["indicators"])

    # The statuses are varied, so that agreement means something.
    assert {p["status"] for p in passports.values()} >= {"on_track", "at_risk", "off_track", "no_data"}

    for code in CODES:
        row, on_plan, page = passports[code], plan_page["indicators"][code], indicator_pages[code]
        # status
        assert row["status"] == on_plan["status"] == page["status"], code
        # actual and the period it is for
        assert _shown(row["actual"]) == on_plan["actual"] == page["actual"], code
        assert (row["assessed_period"] or "") == on_plan["period"] == page["period"], code
        # expected value
        assert _shown(row["expected"]) == on_plan["expected"] == page["expected"], code
        # progress ratio
        assert _pct(row["ratio"]) == page["ratio"], code
        # the score is the ratio within 0..1
        if row["ratio"] is not None:
            assert _f(row["score"]) == min(max(_f(row["ratio"]), 0.0), 1.0), code

        # period by period: the values sheet and the indicator page's table
        values = {r["period"]: r for r in export["values"] if r["indicator_code"] == code}
        assert list(values) == list(page["series"]), code
        for period, shown in page["series"].items():
            r = values[period]
            # Reported on the page exactly when a value is published for the period.
            assert shown["reported"] == (r["value"] is not None or r["numerator"] is not None), (code, period)
            if shown["not_due"]:
                continue  # a period not ended yet: the page shows no value and no status for it
            assert _shown(r["actual"]) == shown["actual"], (code, period)
            assert _shown(r["target"]) == shown["target"], (code, period)
            assert _shown(r["expected"]) == shown["expected"], (code, period)
            assert (r["status"] or "") == shown["status"], (code, period)
            assert (r["assessed"] == "yes") == (period == page["period"]), (code, period)

    # the goal tree's roll-up: status, score and coverage of the plan and of each element
    elements = {r["code"]: r for r in export["elements"]}
    assert set(elements) == set(plan_page["elements"]) == {"opr", "SG1", "SG2", "SG2.1"}
    for code, shown in plan_page["elements"].items():
        r = elements[code]
        assert r["status"] == shown["status"], code
        assert _pct(r["score"]) == shown["score"], code
        assert _pct(r["coverage"]) == shown["coverage"], code


def test_raw_values_in_the_export_are_the_published_ones(client, plan):
    """The measured columns are the stored values; what the engine made of them is beside them."""
    export = read_csv_export(client, plan)
    pct = {r["period"]: r for r in export["values"] if r["indicator_code"] == "PCT"}
    assert (pct["2020"]["numerator"], pct["2020"]["denominator"], _f(pct["2020"]["actual"])) == (
        "1100",
        "2000",
        55.0,
    )
    cum = {r["period"]: r for r in export["values"] if r["indicator_code"] == "CUM"}
    assert cum["2016"]["value"] == "9" and _f(cum["2016"]["actual"]) == 29.0  # 8 + 12 + 9


def read_staff_dashboard(client, plan) -> dict:
    """The staff monitoring dashboard, read as a member of staff reads it."""
    from civitas.core.models import Role
    from civitas.testing.factories import MembershipFactory, UserFactory

    staff = UserFactory(username="verifier")
    MembershipFactory(user=staff, municipality=plan.municipality, role=Role.VERIFIER)
    sign_in(client, staff)
    page = client.get(f"/en/{plan.municipality.slug}/manage/indicators/dashboard/").content.decode()
    client.logout()
    counts = {key: int(value) for key, value in re.findall(r'data-count="(\w+)">(\d+)<', page)}
    rows = {}
    for code, row in re.findall(r'<tr class="govuk-table__row" data-code="([^"]+)">(.*?)</tr>', page, re.S):
        figures = dict(re.findall(r'data-figure="(\w+)">(.*?)</td>', row, re.S))
        actual = _text(figures["actual"])
        period = re.search(r"\((\d{4}(?:-\w+)?)\)", actual)
        rows[code] = {
            "status": _status(row),
            "actual": _number(actual),
            "period": period.group(1) if period else "",
            "expected": _number(_text(figures["expected"])),
            "ratio": _percent(_text(figures["ratio"])),
        }
    return {"counts": counts, "rows": rows}


@pytest.mark.parametrize("reader", [read_csv_export, read_xlsx_export], ids=["csv", "xlsx"])
def test_staff_dashboard_agrees(client, plan, reader):
    """The staff monitoring dashboard shows the same statuses and figures as the plan page, the
    indicator pages and the exports: its counts by status, and every off-track or at-risk
    indicator it lists with its actual, period, expected value and progress ratio."""
    dashboard = read_staff_dashboard(client, plan)
    plan_page = read_plan_page(client, plan)
    export = reader(client, plan)
    passports = {r["indicator_code"]: r for r in export["passports"]}

    for status in ("on_track", "at_risk", "off_track", "no_data", "stale"):
        expected = sum(1 for r in passports.values() if r["status"] == status)
        assert dashboard["counts"][status] == expected, status
        assert sum(1 for i in plan_page["indicators"].values() if i["status"] == status) == expected, status

    listed = {code for code, r in passports.items() if r["status"] in ("off_track", "at_risk")}
    assert set(dashboard["rows"]) == listed and {"OFF", "DEC"} <= listed
    for code, shown in dashboard["rows"].items():
        row, on_plan, page = (
            passports[code],
            plan_page["indicators"][code],
            read_indicator_page(client, plan, code),
        )
        assert shown["status"] == row["status"] == on_plan["status"] == page["status"], code
        assert shown["actual"] == _shown(row["actual"]) == on_plan["actual"] == page["actual"], code
        assert shown["period"] == (row["assessed_period"] or "") == on_plan["period"] == page["period"], code
        assert shown["expected"] == _shown(row["expected"]) == on_plan["expected"] == page["expected"], code
        assert shown["ratio"] == _pct(row["ratio"]) == page["ratio"], code
