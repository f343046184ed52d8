"""Import of measurements from XLSX and CSV files: all or nothing, with a row-by-row error report.

Steps:

1. ``read_table`` turns the uploaded bytes into rows of cells (XLSX by its content, read once and
   streaming after its parts' sizes are checked; else CSV in UTF-8 with or without BOM, comma,
   semicolon or tab separated), within the limits on the work a file may ask for. No database.
2. ``validate_rows`` checks every row against what ``load_lookup`` loaded beforehand in a fixed
   number of queries (a code unknown in this municipality, whether or not another one uses it;
   who may enter it; a period outside the plan or not of the indicator's frequency; numbers by
   ``rules.parse_number``; duplicate rows; values already submitted or approved) and against
   ``rules.check_measurement`` (denominator 0, a score off its scale, a disaggregation that does
   not add up). No transaction: another person's save never waits for it.
3. ``import_measurements`` then writes every row through ``services.measurements_save_many``,
   which enforces every rule again in one short transaction and writes in batches. If the report
   has a single error, nothing is written, not even the audit log.
   ``import_published_measurements`` instead records the values of a file taken from an already
   published document as published at once, by a verifier, with the document as their evidence
   (``services.measurements_publish_from_document``): the same reading, checks and report.
4. Files above settings.CIVITAS_IMPORT_BACKGROUND_ROWS rows (``estimated_rows``) are kept as an
   ``ImportJob`` and imported by a background task (``tasks.import_upload`` and
   ``tasks.import_job_run``); the job's page shows the progress and the same report.

The file's columns are described in ``docs/measurement-files.md`` and on the template's second
sheet; the template itself is built by ``template_rows`` (and written by ``exports``).
"""

import csv
import datetime
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import DATA_TAG, FORMULA_TAG, ROW_TAG, WorkSheetParser
from openpyxl.xml.functions import iterparse

from civitas.core.models import Municipality
from civitas.evaluation.engine import Frequency, Period

from . import policy, rules, selectors, services
from .evaluation import indicator_year_start
from .models import Indicator, Measurement, MeasurementState
from .rules import indicator_period

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# Columns read from a sheet: the template has a dozen plus its breakdowns. A workbook may declare
# any width (up to 16,384 columns); reading only these keeps a small file from filling memory.
MAX_COLS = 300
# Work a file may ask for. An XLSX is a zip: a 1 MB upload can unpack to gigabytes (one huge
# shared string) or hold millions of cells (20,001 × 300 took a worker past its timeout), so the
# parts' unpacked sizes are checked before any XML is parsed, and the cells parsed (every cell
# element, empty or not, and every row) and the length of a cell's text are capped while reading.
MAX_CELLS = 1_000_000  # e.g. 20,000 rows of 50 columns
MAX_CELL_CHARS = 10_000
MAX_PART_BYTES = {"sheet": 60 * 1024 * 1024, "strings": 5 * 1024 * 1024, "other": 10 * 1024 * 1024}
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_PARTS = 500
# Spreadsheet XML compresses 5–25 times; a part much denser than that is a zip bomb. Small parts
# are left alone (their ratio says little and they cost nothing).
MAX_RATIO, RATIO_FROM_BYTES = 200, 1024 * 1024
PROGRESS_EVERY = 500  # rows checked between two progress reports of a background import
CELLS_PER_ROW = 25  # a template row's cells, about: to weigh a file by its cells (estimated_rows)
# Shared strings are parsed before the first row, and a few MB of them take many seconds: their
# unpacked bytes count as rows too (estimated_rows), so that a workbook full of them runs in the
# background rather than in the web request.
STRING_BYTES_PER_ROW = 200

# The columns of the template and of the export's "values" sheet, in order. Disaggregation
# columns ("dimension:category") come between DENOMINATOR and COLLECTED_ON.
CODE, NAME, UNIT, PERIOD = "indicator_code", "indicator_name", "unit", "period"
VALUE, NUMERATOR, DENOMINATOR = "value", "numerator", "denominator"
COLLECTED_ON, COMMENT, EVIDENCE_URL = "collected_on", "comment", "evidence_url"
LEADING_COLUMNS = (CODE, NAME, UNIT, PERIOD, VALUE, NUMERATOR, DENOMINATOR)
TRAILING_COLUMNS = (COLLECTED_ON, COMMENT, EVIDENCE_URL)

# Other headers accepted for each column (compared case-insensitively, spaces and underscores
# alike), so that a file with Bulgarian or English column titles also reads.
ALIASES = {
    CODE: ("code", "indicator code", "код", "код на индикатора"),
    NAME: ("name", "indicator", "indicator name", "индикатор", "наименование"),
    UNIT: ("мерна единица", "единица"),
    PERIOD: ("период",),
    VALUE: ("стойност",),
    NUMERATOR: ("числител",),
    DENOMINATOR: ("знаменател",),
    COLLECTED_ON: ("date collected", "дата на събиране", "дата"),
    COMMENT: ("коментар", "бележка"),
    EVIDENCE_URL: ("evidence link", "evidence", "доказателство", "връзка към доказателство"),
}
STATES_CLOSED = (MeasurementState.SUBMITTED, MeasurementState.APPROVED, MeasurementState.PUBLISHED)


class FileError(Exception):
    """The file as a whole cannot be read: its message says why, in the user's language."""


@dataclass(frozen=True)
class RowError:
    row: int | None  # the spreadsheet's row number (the header is row 1); None for the whole file
    column: str  # the column's header as in the file; "" for the whole row
    message: str
    letter: str = ""  # the spreadsheet column letter (A, B, …)


@dataclass
class ParsedRow:
    row: int
    indicator: Indicator
    year: int
    sub: int
    values: dict  # keyword arguments of services.measurement_save besides actor and indicator


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    saved: int = 0
    submitted: int = 0
    published: int = 0  # recorded as published from a published document
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# --------------------------------------------------------------------------------------------
# 1. Reading the file
# --------------------------------------------------------------------------------------------


def read_table(data: bytes) -> list[list]:
    """The rows of the file's first sheet as lists of cell values (strings for CSV)."""
    if len(data) > MAX_BYTES:
        raise FileError(
            _("The file is %(size)s MB; files up to %(limit)s MB are accepted: split it into smaller files.")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024 // 1024}
        )
    if not data.strip():
        raise FileError(_("The file is empty."))
    if data[:4] == b"PK\x03\x04":
        rows = _read_xlsx(data)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileError(_("This is an old Excel (.xls) file: save it as XLSX or CSV and upload it again."))
    else:
        rows = _read_csv(data)
    while rows and not any(_text(cell) for cell in rows[-1]):
        rows.pop()
    if len(rows) - 1 > MAX_ROWS:
        raise _too_many_rows(len(rows) - 1)
    return rows


def _too_many_rows(count: int) -> FileError:
    return FileError(
        _("The file has %(count)s rows; up to %(limit)s rows are accepted: split it into smaller files.")
        % {"count": count, "limit": MAX_ROWS}
    )


def _not_a_spreadsheet() -> FileError:
    return FileError(
        _("The file is not a spreadsheet Civitas can read: upload an XLSX workbook or a CSV file in UTF-8.")
    )


def _too_large() -> FileError:
    return FileError(
        _(
            "The workbook is too large to read once unpacked: keep only the values sheet (e.g. copy it "
            "into a new workbook) or save it as CSV, and upload it again."
        )
    )


def _check_parts(data: bytes) -> None:
    """Refuse a workbook whose parts would unpack to more than Civitas reads, before any of them is
    unpacked or parsed. The sizes are the zip's own: Python's zipfile never returns more bytes than
    a part declares, so a part cannot lie its way past this check."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _not_a_spreadsheet() from None
    if len(parts) > MAX_PARTS:
        raise _too_large()
    total = 0
    for part in parts:
        name = part.filename.lower()
        kind = (
            "sheet"
            if name.startswith("xl/worksheets/")
            else "strings"
            if "sharedstrings" in name
            else "other"
        )
        total += part.file_size
        dense = part.file_size > RATIO_FROM_BYTES and part.file_size > MAX_RATIO * max(part.compress_size, 1)
        if part.file_size > MAX_PART_BYTES[kind] or dense or total > MAX_UNPACKED_BYTES:
            raise _too_large()


def _read_xlsx(data: bytes) -> list[list]:
    """The first sheet's rows (at most MAX_COLS columns wide), in one streaming pass over its XML.

    A formula whose result the file does not hold (a workbook written by a program that does not
    calculate) is refused by its cell, so that no row is silently read as empty."""
    _check_parts(data)
    try:
        # What load_workbook(read_only=True) does, less the worksheets: it would parse every sheet
        # that does not declare its size, in full, just to learn it, before reading it again.
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        path = next(
            rel.target
            for _sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        )
    except FileError:
        raise
    except Exception:  # openpyxl raises its own errors (and zip, XML, key errors) for damaged files
        raise _not_a_spreadsheet() from None
    try:
        with reader.archive.open(path) as source:
            return _sheet_rows(SheetParser(source, reader))
    except FileError:
        raise
    except Exception:
        raise _not_a_spreadsheet() from None
    finally:
        reader.archive.close()


def _sheet_rows(parser) -> list[list]:
    rows: list[list] = []
    for number, cells in parser.parse():
        # The row is padded to its last cell's column: that width is work too (one cell at column
        # 300 makes 300 slots), beyond the cells the parser counted.
        width = min(max((c["column"] for c in cells), default=0), MAX_COLS)
        parser.work += max(width - len(cells), 0)
        if parser.work > MAX_CELLS:
            raise _too_many_cells()
        values = [None] * width
        for cell in cells:
            if cell["column"] <= MAX_COLS:
                values[cell["column"] - 1] = cell["value"]
        while values and values[-1] is None:
            values.pop()
        if number > MAX_ROWS + 1:
            if values:  # a row beyond the limit (its number may be anything: no gap is filled)
                raise _too_many_rows(number - 1)
            continue  # formatted empty rows below the data do no harm
        rows.extend([] for _ in range(len(rows), number - 1))
        if len(rows) > MAX_ROWS:  # the rows kept, whatever their numbers say (r="2" repeated…)
            if values:
                raise _too_many_rows(len(rows))
            continue
        rows.append(values)
    if parser.uncalculated:
        cells = parser.uncalculated
        raise FileError(
            _(
                "Cells %(cells)s hold formulas without a computed value: open the file in a "
                "spreadsheet program and save it again, or enter the values themselves."
            )
            % {"cells": ", ".join(cells[:10]) + (" …" if len(cells) > 10 else "")}
        )
    return rows


def _cell_too_long(where: str) -> FileError:
    return FileError(
        _("Cell %(cell)s holds more than %(limit)s characters: shorten it.")
        % {"cell": where, "limit": f"{MAX_CELL_CHARS:,}".replace(",", " ")}
    )


def _too_many_cells() -> FileError:
    return FileError(
        _(
            "The sheet has more than %(limit)s cells: delete the empty columns and rows, or split it into "
            "smaller files."
        )
        % {"limit": f"{MAX_CELLS:,}".replace(",", " ")}
    )


class SheetParser(WorkSheetParser):
    """openpyxl's sheet parser (types, dates, shared strings as openpyxl reads them), made to stream
    rows without keeping them, to count its work and to note formulas that have no value."""

    def __init__(self, source, reader):
        wb = reader.wb
        super().__init__(
            source, reader.shared_strings, data_only=True, epoch=wb.epoch,
            date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats,
        )  # fmt: skip
        self.work = 0
        self.uncalculated: list[str] = []

    def parse(self):
        # Only the rows; each is dropped from the tree once read, so memory stays flat.
        data = None
        for event, element in iterparse(self.source, events=("start", "end")):
            if event == "start":
                if element.tag == DATA_TAG:
                    data = element
            elif element.tag == ROW_TAG and data is not None:
                self._count()
                row = self.parse_row(element)
                data.clear()
                yield row

    def parse_row(self, row):
        number = row.get("r")
        self.row_counter = int(number) if number and number.isdigit() else self.row_counter + 1
        self.col_counter = 0
        return self.row_counter, [self.parse_cell(cell) for cell in row]

    def parse_cell(self, element):
        self._count()
        cell = super().parse_cell(element)
        value = cell["value"]
        if value is None and element.find(FORMULA_TAG) is not None:
            self.uncalculated.append(f"{get_column_letter(cell['column'])}{cell['row']}")
        elif isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise _cell_too_long(f"{get_column_letter(cell['column'])}{cell['row']}")
        return cell

    def _count(self):
        self.work += 1
        if self.work > MAX_CELLS:
            raise _too_many_cells()


def _read_csv(data: bytes) -> list[list]:
    if b"\x00" in data[:4096]:
        raise _not_a_spreadsheet()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError(
            _("The CSV file is not in UTF-8: save it as “CSV UTF-8” (or as XLSX) and upload it again.")
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        raise _not_a_spreadsheet()
    rows, work = [], 0
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
            work += 1 + len(row)
            if work > MAX_CELLS:
                raise _too_many_cells()
            for index, cell in enumerate(row):
                if len(cell) > MAX_CELL_CHARS:
                    raise _cell_too_long(f"{_letter(index)}{number}")
            rows.append(row[:MAX_COLS])
    except csv.Error:
        raise _not_a_spreadsheet() from None
    return rows


# --------------------------------------------------------------------------------------------
# 2. Validation (no database: everything it needs is passed in)
# --------------------------------------------------------------------------------------------


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).replace("\u00a0", " ").strip()


def _normal(header) -> str:
    return re.sub(r"[\s_]+", " ", _text(header)).strip().casefold()


_ALIAS_TO_KEY = {_normal(key): key for key in ALIASES} | {
    _normal(alias): key for key, aliases in ALIASES.items() for alias in aliases
}


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Header:
    """Where each known column is: {key: index}, the disaggregation columns {(dim, cat): index},
    and the headers as written in the file."""

    columns: dict[str, int]
    breakdown: dict[tuple[str, str], int]
    titles: list[str]

    def name(self, key: str) -> str:
        index = self.columns.get(key)
        return self.titles[index] if index is not None else key

    def letter(self, key: str) -> str:
        index = self.columns.get(key)
        return _letter(index) if index is not None else ""


def read_header(cells: list) -> tuple[Header, list[RowError]]:
    titles = [_text(cell) for cell in cells]
    columns: dict[str, int] = {}
    breakdown: dict[tuple[str, str], int] = {}
    errors: list[RowError] = []
    for index, title in enumerate(titles):
        if not title:
            continue
        key = _ALIAS_TO_KEY.get(_normal(title))
        if key is None and ":" in title:
            dim, cat = (part.strip() for part in title.split(":", 1))
            if dim and cat:
                breakdown[(dim, cat)] = index
            continue
        if key is None:
            continue  # columns Civitas does not read (e.g. the export's actual, status) are left alone
        if key in columns:
            errors.append(
                RowError(
                    1, title, _("The column “%(column)s” appears twice.") % {"column": title}, _letter(index)
                )
            )
            continue
        columns[key] = index
    for required in (CODE, PERIOD):
        if required not in columns:
            errors.append(
                RowError(1, required, _("The file has no column “%(column)s”.") % {"column": required})
            )
    if not {VALUE, NUMERATOR, DENOMINATOR} & set(columns):
        errors.append(RowError(1, VALUE, _("The file has no column “%(column)s”.") % {"column": VALUE}))
    return Header(columns, breakdown, titles), errors


def _number(cell) -> Decimal | None:
    """A number from a cell (rules.parse_number: 1234.5, "1 234,5", "1234,5"); None when empty.
    rules.NumberError, with its message, when the cell holds no number that can be stored."""
    return rules.parse_number(cell)


def _date(cell) -> datetime.date | None:
    if cell is None or cell == "":
        return None
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    text = _text(cell)
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%Y г.", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(cell)


def _period_text(cell) -> str:
    """A period cell as text; a date that a spreadsheet made of "2016-05" becomes "2016-05"."""
    if isinstance(cell, datetime.datetime | datetime.date):
        return f"{cell.year:04d}-{cell.month:02d}"
    return _text(cell)


PERIOD_EXAMPLES = {
    Frequency.ANNUAL: "2016",
    Frequency.SEMIANNUAL: "2016-H1",
    Frequency.QUARTERLY: "2016-Q3",
    Frequency.MONTHLY: "2016-05",
}


def _period_example(frequency: Frequency, year_start: int) -> str:
    """A period of this frequency as written in reporting years starting in month ``year_start``
    (2016/17-Q3 for April–March years; a month is always written as its calendar month)."""
    if year_start == 1 or frequency == Frequency.MONTHLY:
        return PERIOD_EXAMPLES[frequency]
    return Period(2016, frequency, Period.parse(PERIOD_EXAMPLES[frequency]).index, year_start).label


@dataclass
class Lookup:
    """What validation needs to know, loaded beforehand."""

    indicators: dict[str, Indicator]  # this municipality's indicators by code
    years: dict[int, tuple[int, int] | None]  # by indicator id: the plan's or project's years
    states: dict[tuple[int, int, int], str]  # (indicator id, year, sub) → state of the stored value
    enterable: set[int] | None = None  # ids of the indicators the user may enter (None: not asked)


def validate_rows(
    rows: list[list], header: Header, lookup: Lookup, *, progress: Callable[[int, int], None] | None = None
) -> tuple[list[RowError], list[ParsedRow]]:
    """Check every data row; return the errors and the rows that passed."""
    errors: list[RowError] = []
    parsed: list[ParsedRow] = []
    seen: dict[tuple[int, int, int], int] = {}
    for offset, cells in enumerate(rows):
        if progress is not None and offset % PROGRESS_EVERY == 0:
            progress(offset, len(rows))
        number = offset + 2  # the header is row 1
        row = _RowReader(cells, header, number)
        if row.is_empty():
            continue
        item = _validate_row(row, lookup, seen)
        errors.extend(row.errors)
        if item is not None and not row.errors:
            parsed.append(item)
    if progress is not None:
        progress(len(rows), len(rows))
    return errors, parsed


class _RowReader:
    def __init__(self, cells: list, header: Header, number: int):
        self.cells, self.header, self.number = cells, header, number
        self.errors: list[RowError] = []

    def raw(self, key: str):
        index = self.header.columns.get(key)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def text(self, key: str) -> str:
        return _text(self.raw(key))

    def error(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.number, self.header.name(key), message, self.header.letter(key)))

    def error_at(self, index: int | None, message: str) -> None:
        title = self.header.titles[index] if index is not None else ""
        self.errors.append(RowError(self.number, title, message, _letter(index) if index is not None else ""))

    def breakdown_cells(self) -> dict[tuple[str, str], object]:
        return {
            pair: self.cells[index]
            for pair, index in self.header.breakdown.items()
            if index < len(self.cells) and _text(self.cells[index])
        }

    def is_empty(self) -> bool:
        """A row with nothing entered (the template's unfilled rows): skipped."""
        entered = (VALUE, NUMERATOR, DENOMINATOR, COLLECTED_ON, COMMENT, EVIDENCE_URL)
        return not any(self.text(key) for key in entered) and not self.breakdown_cells()


def _validate_row(row: _RowReader, lookup: Lookup, seen: dict) -> ParsedRow | None:  # noqa: C901
    code = row.text(CODE)
    indicator = lookup.indicators.get(code)
    if not code:
        row.error(CODE, _("Give the indicator's code."))
    elif indicator is None:
        # Also when another municipality has this code: a file must not reveal who uses which codes.
        row.error(CODE, _("There is no indicator with the code “%(code)s”.") % {"code": code})

    values = {}
    for key in (VALUE, NUMERATOR, DENOMINATOR):
        try:
            values[key] = _number(row.raw(key))
        except rules.NumberError as error:
            row.error(key, str(error))
    breakdown: dict[str, dict[str, Decimal | None]] = {}
    breakdown_columns: dict[str, int] = {}
    for (dim, cat), cell in row.breakdown_cells().items():
        index = row.header.breakdown[(dim, cat)]
        breakdown_columns.setdefault(dim, index)
        try:
            breakdown.setdefault(dim, {})[cat] = _number(cell)
        except rules.NumberError as error:
            row.error_at(index, str(error))
    try:
        collected_on = _date(row.raw(COLLECTED_ON))
    except ValueError:
        row.error(
            COLLECTED_ON,
            _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2016-12-31.")
            % {"value": row.text(COLLECTED_ON)},
        )
        collected_on = None
    evidence_url = row.text(EVIDENCE_URL)
    _report(row, rules.check_evidence_url(evidence_url), {})

    period_text = _period_text(row.raw(PERIOD))
    year: int | None = None
    sub = 0
    if not period_text:
        row.error(PERIOD, _("Give the period, e.g. 2016, 2016-H1, 2016-Q3 or 2016-05."))
    else:
        # Periods are written in the reporting years of the indicator's plan (2016/17-Q3 for
        # April–March years), as the exports write them.
        year_start = indicator_year_start(indicator) if indicator is not None else 1
        try:
            period = Period.parse(period_text, year_start)
        except ValueError:
            if year_start == 1:
                row.error(
                    PERIOD,
                    _("“%(value)s” is not a period: write 2016, 2016-H1, 2016-Q3 or 2016-05.")
                    % {"value": period_text},
                )
            else:
                row.error(
                    PERIOD,
                    _("“%(value)s” is not a period of this indicator's reporting years: write e.g. %(example)s.")
                    % {"value": period_text, "example": ", ".join(
                        _period_example(f, year_start) for f in PERIOD_EXAMPLES)},
                )  # fmt: skip
            period = None
        if period is not None and indicator is not None:
            frequency = Frequency(indicator.frequency)
            years = lookup.years.get(indicator.pk)
            if period.frequency != frequency:
                row.error(
                    PERIOD,
                    _(
                        "%(period)s is not a reporting period of this indicator (frequency: %(frequency)s): write periods like %(example)s."
                    )
                    % {
                        "period": period_text,
                        "frequency": indicator.get_frequency_display().lower(),
                        "example": _period_example(frequency, year_start),
                    },
                )
            elif years is not None and not (years[0] <= period.year <= years[1]):
                row.error(
                    PERIOD,
                    _("%(period)s is outside the plan's period %(start)s–%(end)s.")
                    % {"period": period_text, "start": years[0], "end": years[1]},
                )
            else:
                year, sub = period.year, (0 if frequency == Frequency.ANNUAL else period.index)

    if indicator is None or year is None:
        return None
    period_key = (indicator.pk, year, sub)
    if period_key in seen:
        row.error(
            PERIOD,
            _("Row %(row)s of this file already gives %(code)s for %(period)s.")
            % {"row": seen[period_key], "code": indicator.code, "period": period_text},
        )
        return None
    seen[period_key] = row.number
    if lookup.enterable is not None and indicator.pk not in lookup.enterable:
        # policy.can_enter, asked here too so that it is reported with the file's other errors
        row.error(CODE, _("Only the indicator's owner enters its measurements."))
        return None
    state = lookup.states.get(period_key)
    if state in STATES_CLOSED:
        row.error(
            PERIOD,
            _(
                "The value of %(code)s for %(period)s is already submitted or approved: correct it in Civitas, with a reason."
            )
            % {"code": indicator.code, "period": period_text},
        )
        return None
    if row.errors:
        return None
    found = rules.check_measurement(
        year=year, sub=sub, frequency=indicator.frequency, period=lookup.years.get(indicator.pk),
        measure=indicator.measure, value=values.get(VALUE), numerator=values.get(NUMERATOR),
        denominator=values.get(DENOMINATOR), scale=(indicator.scale_min, indicator.scale_max),
        breakdown=breakdown, dimensions=indicator.disaggregation,
        accumulation=indicator.accumulation,
    )  # fmt: skip
    _report(row, found, breakdown_columns)
    return ParsedRow(
        row=row.number, indicator=indicator, year=year, sub=sub,
        values={
            "value": values.get(VALUE), "numerator": values.get(NUMERATOR),
            "denominator": values.get(DENOMINATOR), "breakdown": _jsonable(breakdown),
            "collected_on": collected_on,
            "comment": row.text(COMMENT), "evidence_url": evidence_url,
        },
    )  # fmt: skip


def _jsonable(breakdown: dict) -> dict:
    """Disaggregated values as JSON numbers (whole numbers as integers)."""
    return {
        dim: {cat: int(v) if v == v.to_integral_value() else float(v) for cat, v in values.items()}
        for dim, values in breakdown.items()
    }


_FIELD_COLUMN = {"value": VALUE, "numerator": NUMERATOR, "denominator": DENOMINATOR, "period": PERIOD,
                 "year": PERIOD, "sub": PERIOD, "collected_on": COLLECTED_ON, "comment": COMMENT,
                 "evidence_url": EVIDENCE_URL}  # fmt: skip


def _report(row: _RowReader, errors: dict, breakdown_columns: dict[str, int]) -> None:
    """Put the rules' (or services') errors {field: [messages]} on the row's columns."""
    for name, messages in errors.items():
        for message in messages:
            message = str(message)
            if name == "breakdown":
                index = next((i for dim, i in breakdown_columns.items() if f"“{dim}”" in message), None)
                if index is None and breakdown_columns:
                    index = min(breakdown_columns.values())
                row.error_at(index, message)
            elif name in _FIELD_COLUMN:
                row.error(_FIELD_COLUMN[name], message)
            else:
                row.errors.append(RowError(row.number, "", message))


# --------------------------------------------------------------------------------------------
# 3. Loading, validating and writing
# --------------------------------------------------------------------------------------------


def load_lookup(*, municipality, codes: set[str], user=None) -> Lookup:
    """Everything validation needs about the codes in a file, and which of them ``user`` may
    enter (policy.can_enter; all when None): three queries at most, whatever its size."""
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(municipality=municipality, code__in=codes).select_related(
            "element__plan", "project", "municipality"
        )
    }
    states = {
        (indicator_id, year, sub): state
        for indicator_id, year, sub, state in Measurement.objects.filter(
            indicator__in=[i.pk for i in indicators.values()]
        ).values_list("indicator_id", "year", "sub", "state")
    }
    return Lookup(
        indicators=indicators,
        years={i.pk: indicator_period(i) for i in indicators.values()},
        states=states,
        enterable=None if user is None else {i.pk for i in indicators.values() if policy.can_enter(user, i)},
    )


def import_measurements(
    *,
    actor,
    municipality,
    data: bytes,
    submit: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Read, validate and write a measurements file: every row or none.

    Reading and checking happen outside any transaction (another person's save is never kept
    waiting by them); only the writes, in batches through ``services.measurements_save_many``, hold
    one short transaction. ``progress(rows checked, rows)`` is called as the rows are checked.
    Whoever may enter no value here is refused (PermissionDenied) before the file is read."""
    policy.require_enter_values(actor, municipality)
    result = ImportResult()
    checked = _read_and_validate(
        municipality=municipality, data=data, user=actor, result=result, progress=progress
    )
    if checked is None:
        return result
    header, parsed, errors = checked
    if not errors:
        items = _inputs(parsed)
        refused = services.measurements_save_many(
            actor=actor, municipality=municipality, items=items, submit=submit
        )
        for index, refusal in refused.items():
            errors.extend(_refusal(parsed[index], header, refusal))
        if not refused:
            result.saved = len(parsed)
            result.submitted = len(parsed) if submit else 0
    result.errors = sorted(errors, key=lambda e: (e.row or 0, e.letter))
    return result


def import_published_measurements(
    *,
    actor,
    municipality,
    data: bytes,
    evidence=None,
    evidence_url: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Read, validate and record a file of values that a document has already published: every
    value published at once by ``actor``, a verifier, with the document (``evidence``, an uploaded
    file, or ``evidence_url``) as its evidence (``services.measurements_publish_from_document``).
    The same file, checks and report as ``import_measurements``, except that no owner is asked
    (the verifier records for every indicator); every row or none. Whoever is no verifier here is
    refused (PermissionDenied) before the file is read."""
    policy.require_publish_from_document(actor, municipality)
    result = ImportResult()
    if evidence is None and not (evidence_url or "").strip():
        result.errors.append(
            RowError(
                None, "", _("Give the published document the values come from: upload it or give its link.")
            )
        )
    checked = _read_and_validate(
        municipality=municipality, data=data, user=None, result=result, progress=progress
    )
    if checked is None:
        return result
    header, parsed, errors = checked
    if not errors and not result.errors:
        try:
            refused = services.measurements_publish_from_document(
                actor=actor, municipality=municipality, items=_inputs(parsed), evidence=evidence,
                evidence_url=evidence_url,
            )  # fmt: skip
        except ValidationError as error:  # the document itself (its type, its size, its link)
            result.errors.extend(RowError(None, "", message) for message in error.messages)
            return result
        for index, refusal in refused.items():
            errors.extend(_refusal(parsed[index], header, refusal))
        if not refused:
            result.saved = result.published = len(parsed)
    result.errors += sorted(errors, key=lambda e: (e.row or 0, e.letter))
    return result


def _read_and_validate(
    *, municipality, data: bytes, user, result: ImportResult, progress
) -> tuple[Header, list[ParsedRow], list[RowError]] | None:
    """Steps 1 and 2 for both imports: the header, the rows that passed and the rows' errors; None
    when the file as a whole is refused (its error put on ``result``). ``user``: whose right to
    enter each indicator is asked (None: not asked)."""
    try:
        rows = read_table(data)
    except FileError as error:
        result.errors.append(RowError(None, "", str(error)))
        return None
    if not rows:
        result.errors.append(RowError(None, "", _("The file is empty.")))
        return None
    header, header_errors = read_header(rows[0])
    if header_errors:
        result.errors.extend(header_errors)
        return None
    body = rows[1:]
    result.rows_read = len(body)
    code_index = header.columns[CODE]
    codes = {_text(cells[code_index]) for cells in body if code_index < len(cells)} - {""}
    lookup = load_lookup(municipality=municipality, codes=codes, user=user)
    errors, parsed = validate_rows(body, header, lookup, progress=progress)
    if not parsed and not errors:
        result.errors.append(RowError(None, "", _("The file has no values to import: every row is empty.")))
        return None
    return header, parsed, errors


def _inputs(parsed: list[ParsedRow]) -> list:
    return [
        services.MeasurementInput(indicator=item.indicator, year=item.year, sub=item.sub, **item.values)
        for item in parsed
    ]


def _refusal(item: ParsedRow, header: Header, error: ValidationError | PermissionDenied) -> list[RowError]:
    """A service's refusal of a row, put on the row's columns."""
    row = _RowReader([], header, item.row)
    if isinstance(error, PermissionDenied):
        row.error(CODE, str(error) or _("You may not enter values for this indicator."))
    elif hasattr(error, "error_dict"):
        _report(row, {k: [m for e in v for m in e.messages] for k, v in error.error_dict.items()}, {})
    else:
        for message in error.messages:
            row.errors.append(RowError(item.row, "", message))
    return row.errors


# --------------------------------------------------------------------------------------------
# 4. Large files: how much work a file is (the background import itself is in tasks.py)
# --------------------------------------------------------------------------------------------


def estimated_rows(data: bytes) -> int:
    """About how many rows a file has, without parsing it: the line breaks of a CSV file; the row
    elements of an XLSX file's sheets, or their cell elements by CELLS_PER_ROW if that is more (a
    few rows of thousands of cells are as much work), plus the shared strings' unpacked bytes by
    STRING_BYTES_PER_ROW. A bound of the work, not a count to report."""
    if data[:4] != b"PK\x03\x04":
        return data.count(b"\n")
    try:
        _check_parts(data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            rows = cells = strings = 0
            for info in archive.infolist():
                name = info.filename
                if "sharedstrings" in name.lower():
                    strings += info.file_size
                if name.lower().startswith("xl/worksheets/") and name.lower().endswith(".xml"):
                    with archive.open(name) as part:
                        tail = b""  # a "<row " cut in two by the chunks is counted once
                        while chunk := part.read(1024 * 1024):
                            block = tail + chunk
                            rows += block.count(b"<row ") + block.count(b"<row>")
                            cells += block.count(b"<c ") + block.count(b"<c>")
                            tail = block[-4:]
            return max(rows, cells // CELLS_PER_ROW) + strings // STRING_BYTES_PER_ROW
    except (FileError, zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, zlib.error):
        return 0  # damaged: read_table says so in the page


# --------------------------------------------------------------------------------------------
# The template
# --------------------------------------------------------------------------------------------


def enterable_indicators(*, user, municipality: Municipality, plan=None) -> QuerySet[Indicator]:
    """The indicators whose values the user may enter (selectors.enterable_indicators), for the
    template, optionally of one plan."""
    qs = selectors.enterable_indicators(user=user, municipality=municipality).select_related(
        "element__plan", "project"
    )
    if plan is not None:
        qs = qs.filter(element__plan=plan)
    return qs.order_by("position", "code", "pk")


def breakdown_columns(indicators) -> list[tuple[str, str]]:
    """The "dimension:category" columns of a set of indicators, in their passports' order."""
    pairs: list[tuple[str, str]] = []
    for indicator in indicators:
        for dimension in indicator.disaggregation or []:
            for category in dimension.get("categories", []):
                pair = (dimension["key"], category["key"])
                if pair not in pairs:
                    pairs.append(pair)
    return pairs


def template_header(pairs: list[tuple[str, str]]) -> list[str]:
    return [*LEADING_COLUMNS, *(f"{dim}:{cat}" for dim, cat in pairs), *TRAILING_COLUMNS]


def due_periods(indicator: Indicator, today: datetime.date) -> list[Period]:
    """The indicator's reporting periods in its plan's or project's years that have begun."""
    years = indicator_period(indicator)
    if years is None:
        return []
    frequency = Frequency(indicator.frequency)
    periods: list[Period] = []
    for year in range(years[0], years[1] + 1):
        parts = [Period(year)] if frequency == Frequency.ANNUAL else [
            Period(year, frequency, i) for i in range(1, frequency.parts + 1)
        ]  # fmt: skip
        periods.extend(p for p in parts if p.start <= today)
    return periods


def template_rows(*, user, municipality, plan=None, today: datetime.date | None = None):
    """(header, rows) of the template: one row per indicator and period due that has no submitted,
    approved or published value; drafts and returned values are filled in. Two queries."""
    today = today or timezone.localdate()
    indicators = list(enterable_indicators(user=user, municipality=municipality, plan=plan))
    stored = {
        (m.indicator_id, m.year, m.sub): m
        for m in Measurement.objects.filter(indicator__in=[i.pk for i in indicators])
    }
    pairs = breakdown_columns(indicators)
    header = template_header(pairs)
    rows = []
    for indicator in indicators:
        for period in due_periods(indicator, today):
            sub = 0 if period.frequency == Frequency.ANNUAL else period.index
            m = stored.get((indicator.pk, period.year, sub))
            if m is not None and m.state in STATES_CLOSED:
                continue
            rows.append(_template_row(indicator, period, m, pairs))
    return header, rows


def _template_row(indicator, period, m, pairs) -> list:
    def num(value):
        return "" if value is None else format(value.normalize(), "f")

    breakdown = (m.breakdown if m else {}) or {}
    return [
        indicator.code, indicator.name, indicator.unit, period.label,
        num(m.value) if m else "", num(m.numerator) if m else "", num(m.denominator) if m else "",
        *(_plain(breakdown.get(dim, {}).get(cat)) for dim, cat in pairs),
        m.collected_on.isoformat() if m and m.collected_on else "", m.comment if m else "",
        m.evidence_url if m else "",
    ]  # fmt: skip


def _plain(value) -> str:
    if value is None or value == "":
        return ""
    return format(Decimal(str(value)).normalize(), "f")
