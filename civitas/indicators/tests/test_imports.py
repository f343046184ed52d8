"""Import of measurements from XLSX and CSV: valid files, every kind of error, all or nothing."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import Workbook, load_workbook

from civitas.core.models import AuditEvent, Role
from civitas.indicators import imports
from civitas.indicators.models import Measurement, MeasurementState
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

HEADER = [
    "indicator_code", "indicator_name", "unit", "period", "value", "numerator", "denominator",
    "settlement:sopot", "settlement:anevo", "collected_on", "comment", "evidence_url",
]  # fmt: skip
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


@pytest.fixture
def owner(town):
    return staff(town, Role.INDICATOR_OWNER, "owner")


@pytest.fixture
def indicators(element, owner):
    return {
        "N1": IndicatorFactory(element=element, owner=owner, code="N1"),
        "P1": IndicatorFactory(
            element=element,
            owner=owner,
            code="P1",
            measure="percentage",
            unit_bg="%",
            unit_en="%",
            baseline_value=Decimal("40"),
        ),  # fmt: skip
        "S1": IndicatorFactory(
            element=element,
            owner=owner,
            code="S1",
            measure="score",
            scale_min=Decimal(1),
            scale_max=Decimal(5),
            baseline_value=Decimal(2),
        ),  # fmt: skip
        "Q1": IndicatorFactory(element=element, owner=owner, code="Q1", frequency="quarterly"),
        "D1": IndicatorFactory(element=element, owner=owner, code="D1", disaggregation=DIMENSIONS),
    }


def row(
    code, period, value="", numerator="", denominator="", sopot="", anevo="", collected="", comment="", url=""
):
    return [code, "", "", period, value, numerator, denominator, sopot, anevo, collected, comment, url]


def csv_bytes(rows, *, delimiter=",", bom=False, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(town, owner, data, *, language="en", **kwargs):
    with translation.override(language):
        return imports.import_measurements(actor=owner, municipality=town, data=data, **kwargs)


VALID_ROWS = [
    row(
        "N1", "2016", "150", collected="2017-01-15", comment="From the register", url="https://example.org/r"
    ),
    row("P1", "2016", numerator="45", denominator="100"),
    row("S1", "2016", "4"),
    row("Q1", "2016-Q3", "12.5"),
    row("D1", "2016", "10", sopot="7", anevo="3"),
    row("N1", "2017", ""),  # an empty template row: skipped
]


def assert_valid_import(town):
    stored = {(m.indicator.code, m.year, m.sub): m for m in Measurement.objects.select_related("indicator")}
    assert set(stored) == {
        ("N1", 2016, 0),
        ("P1", 2016, 0),
        ("S1", 2016, 0),
        ("Q1", 2016, 3),
        ("D1", 2016, 0),
    }
    n1 = stored[("N1", 2016, 0)]
    assert n1.value == Decimal("150")
    assert n1.collected_on == datetime.date(2017, 1, 15)
    assert n1.comment == "From the register"
    assert n1.evidence_url == "https://example.org/r"
    assert n1.state == MeasurementState.DRAFT
    assert n1.entered_by.username == "owner"
    assert (stored[("P1", 2016, 0)].numerator, stored[("P1", 2016, 0)].denominator) == (45, 100)
    assert stored[("Q1", 2016, 3)].value == Decimal("12.5")
    assert stored[("D1", 2016, 0)].breakdown == {"settlement": {"sopot": 7, "anevo": 3}}


def test_valid_csv(town, owner, indicators):
    result = run(town, owner, csv_bytes(VALID_ROWS))
    assert result.errors == []
    assert result.saved == 5
    assert_valid_import(town)


def test_valid_semicolon_csv_with_bom_and_decimal_commas(town, owner, indicators):
    rows = [list(r) for r in VALID_ROWS]
    rows[3][4] = "12,5"
    result = run(town, owner, csv_bytes(rows, delimiter=";", bom=True))
    assert result.errors == []
    assert_valid_import(town)


def test_valid_xlsx_with_typed_cells(town, owner, indicators):
    rows = [list(r) for r in VALID_ROWS]
    rows[0][3] = 2016  # a period typed as a number
    rows[0][4] = 150  # numbers as numbers
    rows[0][9] = datetime.datetime(2017, 1, 15)  # a date as a date
    rows[3][4] = 12.5
    rows[4][7], rows[4][8] = 7, 3
    result = run(town, owner, xlsx_bytes(rows))
    assert result.errors == []
    assert_valid_import(town)


def test_headers_in_bulgarian_are_read(town, owner, indicators):
    header = ["Код на индикатора", "Период", "Стойност", "Дата на събиране"]
    result = run(town, owner, csv_bytes([["N1", "2016", "150", "15.01.2017"]], header=header))
    assert result.errors == []
    assert Measurement.objects.get().collected_on == datetime.date(2017, 1, 15)


def test_submit_sends_every_value_for_approval(town, owner, indicators):
    result = run(town, owner, csv_bytes(VALID_ROWS), submit=True)
    assert result.ok and result.submitted == 5
    assert set(Measurement.objects.values_list("state", flat=True)) == {MeasurementState.SUBMITTED}


def test_a_draft_is_updated_by_the_import(town, owner, indicators):
    MeasurementFactory(
        indicator=indicators["N1"], year=2016, value=Decimal(1), state="draft", entered_by=owner
    )
    result = run(town, owner, csv_bytes([row("N1", "2016", "150")]))
    assert result.ok
    assert Measurement.objects.get().value == Decimal(150)


ERROR_CASES = {
    "unknown code": (
        row("NOPE", "2016", "1"),
        "indicator_code",
        "There is no indicator with the code “NOPE”",
    ),
    # Another municipality's code reads as unknown here: the file does not learn who uses it.
    "other municipality": (
        row("X9", "2016", "1"),
        "indicator_code",
        "There is no indicator with the code “X9”",
    ),
    "period outside the plan": (row("N1", "2022", "1"), "period", "outside the plan's period 2014–2020"),
    "period before the plan": (row("N1", "2013", "1"), "period", "outside the plan's period"),
    "period of another frequency": (row("N1", "2016-Q1", "1"), "period", "not a reporting period of this"),
    "quarterly given a year": (row("Q1", "2016", "1"), "period", "write periods like 2016-Q3"),
    "not a period": (row("N1", "last year", "1"), "period", "is not a period"),
    "non-numeric value": (row("N1", "2016", "many"), "value", "“many” is not a number"),
    "denominator 0": (row("P1", "2016", numerator="5", denominator="0"), "denominator", "cannot be zero"),
    "percentage without denominator": (row("P1", "2016", numerator="5"), "denominator", "needs a numerator"),
    "score off its scale": (row("S1", "2016", "7"), "value", "on the scale from 1"),
    "disaggregation not adding up": (
        row("D1", "2016", "10", sopot="3", anevo="4"),
        "settlement:sopot",
        "add up to 7, not to the total 10",
    ),
    "missing value": (row("N1", "2016", comment="forgot"), "value", "Enter a value"),
    "bad date": (row("N1", "2016", "1", collected="yesterday"), "collected_on", "is not a date"),
    "bad link": (row("N1", "2016", "1", url="javascript:alert(1)"), "evidence_url", "web address"),
}


@pytest.mark.parametrize("case", list(ERROR_CASES))
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_each_error_is_reported_at_its_row_and_column_and_nothing_is_written(
    town, owner, indicators, case, kind
):
    other = MunicipalityFactory(slug="karlovo")
    IndicatorFactory(element=PlanElementFactory(plan=PlanFactory(municipality=other)), code="X9")
    bad, column, message = ERROR_CASES[case]
    rows = [row("N1", "2015", "140"), bad, row("Q1", "2016-Q1", "3")]
    data = csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows)
    events = AuditEvent.objects.count()
    result = run(town, owner, data)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(3, column)], result.errors
    assert message in result.errors[0].message
    assert result.errors[0].letter == "ABCDEFGHIJKL"[HEADER.index(column)]
    assert Measurement.objects.count() == 0  # not even the valid rows 2 and 4
    assert AuditEvent.objects.count() == events


def test_another_municipalitys_code_is_reported_like_a_code_that_exists_nowhere(town, owner, indicators):
    """Issue 8, finding 12: the report must not tell a user which codes other municipalities use."""
    other = MunicipalityFactory(slug="karlovo")
    IndicatorFactory(element=PlanElementFactory(plan=PlanFactory(municipality=other)), code="X9")
    for language in ("en", "bg"):
        result = run(
            town, owner, csv_bytes([row("X9", "2016", "1"), row("Y9", "2016", "1")]), language=language
        )
        foreign, nowhere = (e.message for e in result.errors)
        assert foreign == nowhere.replace("Y9", "X9")
        assert "another municipality" not in foreign and "друга община" not in foreign


def test_messages_are_in_the_users_language(town, owner, indicators):
    result = run(town, owner, csv_bytes([row("N1", "2016", "many")]), language="bg")
    assert result.errors[0].message == "„many“ не е число."


def test_duplicate_row(town, owner, indicators):
    result = run(
        town, owner, csv_bytes([row("N1", "2016", "1"), row("Q1", "2016-Q1", "1"), row("N1", "2016", "2")])
    )
    assert [(e.row, e.column) for e in result.errors] == [(4, "period")]
    assert "Row 2 of this file already gives N1 for 2016" in result.errors[0].message
    assert Measurement.objects.count() == 0


@pytest.mark.parametrize("state", ["submitted", "approved", "published"])
def test_a_value_already_submitted_or_approved_is_refused(town, owner, indicators, state):
    MeasurementFactory(indicator=indicators["N1"], year=2016, value=Decimal(1), state=state)
    result = run(town, owner, csv_bytes([row("N1", "2015", "1"), row("N1", "2016", "2")]))
    assert [(e.row, e.column) for e in result.errors] == [(3, "period")]
    assert "correct it in Civitas" in result.errors[0].message
    assert Measurement.objects.count() == 1
    assert Measurement.objects.get().value == Decimal(1)


def test_only_the_owner_enters_values(town, owner, indicators, element):
    someone = staff(town, Role.INDICATOR_OWNER, "someone")
    IndicatorFactory(element=element, owner=someone, code="O1")
    result = run(town, owner, csv_bytes([row("N1", "2016", "1"), row("O1", "2016", "2")]))
    assert [(e.row, e.column) for e in result.errors] == [(3, "indicator_code")]
    assert "owner" in result.errors[0].message
    assert Measurement.objects.count() == 0


def test_a_user_without_the_role_enters_nothing(town, indicators):
    """Refused before the file is read (policy.require_enter_values), as every service refuses a
    caller without the right."""
    planner = staff(town, Role.PLANNER, "planner")
    with pytest.raises(PermissionDenied):
        run(town, planner, csv_bytes([row("N1", "2016", "1")]))
    assert Measurement.objects.count() == 0


def test_every_error_of_a_file_is_reported_at_once(town, owner, indicators):
    rows = [
        row("NOPE", "2016", "1"),
        row("N1", "2016", "x"),
        row("P1", "2016", numerator="1", denominator="0"),
    ]
    result = run(town, owner, csv_bytes(rows))
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "indicator_code"),
        (3, "value"),
        (4, "denominator"),
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old Excel (.xls)"),
        (b"PK\x03\x04 not really a zip", "not a spreadsheet"),
        ("indicator_code,period,value\nN1,2016,1\n".encode("cp1251") + "Ь".encode("cp1251"), "not in UTF-8"),
        (b"just some text without columns\n", "not a spreadsheet"),
        (b"code,value\nN1,1\n", "no column “period”"),
        (b"indicator_code,period,comment\nN1,2016,x\n", "no column “value”"),
        (b"indicator_code,period,value\n,,\n", "every row is empty"),
    ],
)
def test_file_level_errors(town, owner, indicators, data, message):
    result = run(town, owner, data)
    assert not result.ok
    assert message in result.errors[0].message
    assert Measurement.objects.count() == 0


def test_size_limit(town, owner, indicators):
    data = csv_bytes([row("N1", "2016", "1")]) + b"#" * imports.MAX_BYTES
    result = run(town, owner, data)
    assert "files up to 5 MB" in result.errors[0].message
    assert Measurement.objects.count() == 0


# The template ----------------------------------------------------------------------------------


def test_template_lists_the_periods_without_a_submitted_value(town, owner, indicators):
    MeasurementFactory(indicator=indicators["N1"], year=2014, value=Decimal(1), state="published")
    MeasurementFactory(indicator=indicators["N1"], year=2015, value=Decimal(2), state="submitted")
    MeasurementFactory(
        indicator=indicators["N1"], year=2016, value=Decimal(3), state="draft", comment="draft note"
    )
    header, rows = imports.template_rows(user=owner, municipality=town, today=datetime.date(2026, 1, 1))
    assert header == HEADER
    n1 = [r for r in rows if r[0] == "N1"]
    assert [r[3] for r in n1] == ["2016", "2017", "2018", "2019", "2020"]
    assert n1[0][4] == "3" and n1[0][10] == "draft note"  # the draft is filled in
    q1 = [r[3] for r in rows if r[0] == "Q1"]
    assert q1[:5] == ["2014-Q1", "2014-Q2", "2014-Q3", "2014-Q4", "2015-Q1"] and len(q1) == 28


def test_template_stops_at_periods_that_have_begun(town, owner, indicators):
    _header, rows = imports.template_rows(user=owner, municipality=town, today=datetime.date(2016, 8, 1))
    assert [r[3] for r in rows if r[0] == "N1"] == ["2014", "2015", "2016"]
    assert [r[3] for r in rows if r[0] == "Q1"][-1] == "2016-Q3"


def test_template_has_only_the_users_indicators(town, owner, indicators, element):
    someone = staff(town, Role.INDICATOR_OWNER, "someone")
    IndicatorFactory(element=element, owner=someone, code="O1")
    _header, rows = imports.template_rows(user=owner, municipality=town)
    assert "O1" not in {r[0] for r in rows}
    assert {r[0] for r in rows} == {"N1", "P1", "S1", "Q1", "D1"}


def test_filled_template_imports(town, owner, indicators, client):
    sign_in(client, owner)
    response = client.get(f"/{town.slug}/manage/indicators/data/template.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["values", "help"]
    assert workbook["help"].sheet_state == "hidden" and workbook["help"].protection.sheet
    help_text = " ".join(str(c.value) for r in workbook["help"].iter_rows() for c in r)
    assert "Отчетен период" in help_text and "Reporting period" in help_text
    sheet = workbook["values"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    for r in rows[1:]:
        if r[0] == "N1" and r[3] == "2016":
            r[4] = 150
    out = io.BytesIO()
    fresh = Workbook()
    for r in rows:
        fresh.active.append(r)
    fresh.save(out)
    result = run(town, owner, out.getvalue())
    assert result.errors == [] and result.saved == 1
    assert Measurement.objects.get().value == 150


def test_template_csv(town, owner, indicators, client):
    sign_in(client, owner)
    response = client.get(f"/{town.slug}/manage/indicators/data/template.csv?plan=opr")
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == HEADER
    assert ["N1", indicators["N1"].name_bg, "брой", "2014"] in [r[:4] for r in rows]
    assert len(rows) == 1 + 4 * 7 + 28  # four annual indicators and a quarterly one, 2014–2020


def test_a_workbook_declaring_a_huge_width_is_read_without_filling_memory(tmp_path):
    """A small file can declare 16,384 columns; only the columns a template can have are read."""
    import tracemalloc
    import zipfile as zf

    from openpyxl import Workbook

    from civitas.indicators.imports import _read_xlsx

    book = Workbook()
    for n in range(2000):
        book.active.append(["ОПР-1", 2016, n])
    path = tmp_path / "wide.xlsx"
    book.save(path)
    with zf.ZipFile(path) as src, zf.ZipFile(tmp_path / "wider.xlsx", "w", zf.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:C2000"/>', b'<dimension ref="A1:XFD2000"/>')
                assert b"XFD2000" in data
            out.writestr(item, data)
    tracemalloc.start()
    rows = _read_xlsx((tmp_path / "wider.xlsx").read_bytes())
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(rows) == 2000 and max(len(r) for r in rows) == 3
    assert peak < 50_000_000, peak


def test_a_formula_without_a_computed_value_is_refused_by_its_cell():
    """Written by a program that does not calculate, the formula has no value: not a silent blank row."""
    import io

    from openpyxl import Workbook

    from civitas.indicators.imports import FileError, _read_xlsx

    book = Workbook()
    book.active.append(["code", "period", "value"])
    book.active.append(["ОПР-1", "2016", "=10*2"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(FileError) as error:
        _read_xlsx(out.getvalue())
    assert "C2" in str(error.value)


# Hostile workbooks (issue 8, finding 5) ----------------------------------------------------------


def _workbook(rows) -> bytes:
    book = Workbook()
    for r in rows:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one part replaced (or added), as a hand-made file can be."""
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item.filename))
        target.writestr(name, content)
    return out.getvalue()


def _not_parsed(monkeypatch):
    """Fail the test if openpyxl starts reading the workbook."""
    import openpyxl
    from openpyxl.reader import excel

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to parse a workbook that should have been refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    monkeypatch.setattr(excel, "load_workbook", refuse)
    monkeypatch.setattr(excel, "ExcelReader", refuse)


SST = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'


@pytest.mark.parametrize(
    "part, content",
    [
        # One shared string of 30 MB, in a file of a few dozen KB: the 817 KB / 2.9 GB case.
        ("xl/sharedStrings.xml", SST + b"A" * (30 * 1024 * 1024) + b"</t></si></sst>"),
        ("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * (70 * 1024 * 1024) + b"</worksheet>"),
        # Small enough for its own limit, but denser than any spreadsheet XML: a zip bomb.
        ("xl/styles.xml", b"<styleSheet>" + b" " * (5 * 1024 * 1024) + b"</styleSheet>"),
    ],
    ids=["shared-string", "sheet", "dense-part"],
)
def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_parsed(
    town, owner, indicators, monkeypatch, part, content
):
    data = _with_part(_workbook([["indicator_code", "period", "value"], ["N1", "2016", "x"]]), part, content)
    assert len(data) < 1024 * 1024
    _not_parsed(monkeypatch)
    result = run(town, owner, data)
    assert [e.row for e in result.errors] == [None]
    assert "too large to read once unpacked" in result.errors[0].message
    assert Measurement.objects.count() == 0


def test_a_workbook_of_too_many_parts_is_refused_before_it_is_parsed(monkeypatch):
    import zipfile

    data = _workbook([["indicator_code", "period", "value"]])

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        for n in range(imports.MAX_PARTS):
            target.writestr(f"xl/media/{n}.bin", b"")
    _not_parsed(monkeypatch)
    with translation.override("en"), pytest.raises(imports.FileError, match="too large"):
        imports.read_table(out.getvalue())


@pytest.fixture
def parsed_cells(monkeypatch):
    """How many cell elements openpyxl's sheet parser reads."""
    from openpyxl.worksheet._reader import WorkSheetParser

    calls = []
    parse_cell = WorkSheetParser.parse_cell

    def counting(self, element):
        calls.append(1)
        return parse_cell(self, element)

    monkeypatch.setattr(WorkSheetParser, "parse_cell", counting)
    return calls


def test_the_sheet_is_read_once(parsed_cells):
    rows = [["indicator_code", "period", "value"], *(["N1", str(2000 + n), n] for n in range(50))]
    assert len(imports.read_table(_workbook(rows))) == 51
    assert len(parsed_cells) == 51 * 3


def test_the_cells_read_are_capped(monkeypatch, parsed_cells):
    """20,001 × 300 cells (a 258 KB file) took a worker past its timeout: reading stops at the cap."""
    monkeypatch.setattr(imports, "MAX_CELLS", 1000)
    rows = [[f"c{c}" for c in range(30)], *([n] * 30 for n in range(100))]
    with translation.override("en"), pytest.raises(imports.FileError) as error:
        imports.read_table(_workbook(rows))
    assert "more than 1 000 cells" in str(error.value)
    assert len(parsed_cells) <= 1000


def test_the_cells_of_a_csv_are_capped(monkeypatch):
    monkeypatch.setattr(imports, "MAX_CELLS", 1000)
    with pytest.raises(imports.FileError):
        imports.read_table(("a,b,c\n" + "1,2,3\n" * 400).encode())


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_cell_too_long_is_refused_by_its_cell(kind):
    rows = [["indicator_code", "period", "comment"], ["N1", "2016", "x" * (imports.MAX_CELL_CHARS + 1)]]
    data = _workbook(rows) if kind == "xlsx" else csv_bytes(rows[1:], header=rows[0])
    with translation.override("en"), pytest.raises(imports.FileError) as error:
        imports.read_table(data)
    assert "Cell C2 holds more than 10 000 characters" in str(error.value)


def test_empty_rows_below_the_limit_do_no_harm_but_one_row_too_many_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 5)
    book = Workbook()
    sheet = book.active
    for r in [["indicator_code", "period", "value"], *(["N1", "2016", 1] for _ in range(5))]:
        sheet.append(r)
    sheet.row_dimensions[40].height = 30  # a formatted, empty row far below
    out = io.BytesIO()
    book.save(out)
    assert len(imports.read_table(out.getvalue())) == 6
    sheet.cell(row=8, column=1, value="N1")
    out = io.BytesIO()
    book.save(out)
    with translation.override("en"), pytest.raises(imports.FileError, match="up to 5 rows"):
        imports.read_table(out.getvalue())


# Cost (issue 8, finding 7) ------------------------------------------------------------------------


@pytest.fixture
def monthly(element, owner):
    """Ten monthly indicators: 84 periods each from 2014 to 2020."""
    return [
        IndicatorFactory(element=element, owner=owner, code=f"M{n}", frequency="monthly") for n in range(10)
    ]


def _monthly_rows(count: int, shift: int = 0) -> bytes:
    return csv_bytes(
        [
            row(f"M{n % 10}", f"{2014 + (n // 10) // 12}-{(n // 10) % 12 + 1:02d}", str(n + shift))
            for n in range(count)
        ]
    )


def _queries_of_an_import(town, owner, rows: int, *, submit: bool = False, shift: int = 0) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    owner = type(owner).objects.get(pk=owner.pk)  # no roles remembered from an earlier import
    with CaptureQueriesContext(connection) as queries:
        result = run(town, owner, _monthly_rows(rows, shift), submit=submit)
    assert result.ok and result.saved == rows, result.errors[:3]
    return len(queries)


@pytest.mark.parametrize("submit", [False, True])
def test_the_queries_of_an_import_do_not_grow_with_its_rows(town, owner, monthly, submit):
    """9,360 rows took a worker past its timeout: each row cost several queries (its own savepoint,
    lock, insert, audit event and cache bump, and the same again to submit). Now the writes go in
    batches: what grows with the rows is the number of batches, one query per dozens of rows."""
    small = _queries_of_an_import(town, owner, 50, submit=submit)
    Measurement.objects.all().delete()
    large = _queries_of_an_import(town, owner, 500, submit=submit)
    assert large - small <= (500 - 50) // 20, (small, large)
    assert large < 500 // 10, large
    assert Measurement.objects.count() == 500
    assert AuditEvent.objects.filter(action="submit").count() == (550 if submit else 0)


def test_an_import_updates_drafts_in_batches_too(town, owner, monthly):
    _queries_of_an_import(town, owner, 300)
    queries = _queries_of_an_import(town, owner, 300, shift=1)
    assert queries < 300 // 10, queries
    assert sorted(Measurement.objects.values_list("value", flat=True))[:2] == [1, 2]
    assert set(Measurement.objects.values_list("version", flat=True)) == {2}
    assert AuditEvent.objects.filter(action="update").count() == 300


def test_a_row_numbered_far_below_fills_no_gap():
    """A hand-made sheet can number its only data row 1,000,000: it is refused, not padded."""
    data = _workbook([["indicator_code", "period", "value"], ["N1", "2016", 1]])
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b'<row r="2"', b'<row r="1000000"').replace(b'r="A2"', b'r="A1000000"')
    sheet = sheet.replace(b'r="B2"', b'r="B1000000"').replace(b'r="C2"', b'r="C1000000"')
    import tracemalloc

    data = _with_part(data, "xl/worksheets/sheet1.xml", sheet)
    tracemalloc.start()
    try:
        with translation.override("en"), pytest.raises(imports.FileError, match="999999 rows"):
            imports.read_table(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000, peak  # a million empty rows made up in between would take far more


def test_periods_are_read_in_the_plans_reporting_years(town, owner, indicators, plan):
    """A plan with April–March years: its exports write 2016/17-Q3, and the import reads them so."""
    plan.year_start_month = 4
    plan.save()
    result = run(town, owner, csv_bytes([row("Q1", "2016/17-Q3", "12.5"), row("N1", "2016/17", "150")]))
    assert result.errors == []
    assert {(m.indicator.code, m.year, m.sub) for m in Measurement.objects.all()} == {
        ("Q1", 2016, 3),
        ("N1", 2016, 0),
    }
    refused = run(town, owner, csv_bytes([row("Q1", "2016-Q3", "1")]))
    assert [error.message for error in refused.errors] == [
        "“2016-Q3” is not a period of this indicator's reporting years: write e.g. 2016/17, 2016/17-H1, "
        "2016/17-Q3, 2016-05."
    ]
