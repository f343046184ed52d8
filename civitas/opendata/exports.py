"""The open datasets as files: CSV, XLSX and JSON Lines, with constant memory.

CSV and JSON Lines go out line by line as the dataset's rows come from the database (for a
StreamingHttpResponse). XLSX is written row by row by openpyxl's write-only mode to a temporary
file, which is then sent in blocks. The CSV and XLSX writers are the indicator exports' (UTF-8
with BOM so that spreadsheets read the Cyrillic; a cell that starts with "=", "+", "-" or "@"
stays text and never runs as a formula: ``core.text``).
"""

import datetime
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from civitas.core import text
from civitas.core.models import Municipality
from civitas.indicators.exports import csv_lines, write_xlsx

from .datasets import Dataset


@dataclass(frozen=True)
class Format:
    slug: str  # the file name's extension
    name: str  # as people know it
    content_type: str  # of the response
    media_type: str  # the IANA media type, for the catalogue
    file_type: str  # the EU file-type vocabulary's code, for the catalogue


CSV = Format("csv", "CSV", "text/csv; charset=utf-8", "text/csv", "CSV")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX = Format("xlsx", "XLSX", XLSX_TYPE, XLSX_TYPE, "XLSX")
JSONL = Format("jsonl", "JSON Lines", "application/jsonl; charset=utf-8", "application/jsonl", "JSON")
FORMATS = {f.slug: f for f in (CSV, XLSX, JSONL)}


def filename(dataset: Dataset, fmt: Format, municipality: Municipality | None, day: datetime.date) -> str:
    """``sopot-measurements-2026-12-02.csv``; ``civitas-…`` for the whole installation."""
    scope = municipality.slug if municipality is not None else "civitas"
    return f"{scope}-{dataset.slug}-{day.isoformat()}.{fmt.slug}"


def _moment(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _number(value: Decimal):
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else value


def _csv_value(value):
    """A cell for ``csv_lines`` (which makes text formula-safe and writes decimals in full)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return _moment(value)


def _sheet_value(value):
    """A cell for ``write_xlsx``: moments as ISO text (a spreadsheet has no time zones)."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    return value


def _json_value(value):
    if isinstance(value, Decimal):
        number = _number(value)
        return number if isinstance(number, int) else float(number)
    if isinstance(value, str):
        return text.clean(value)
    return _moment(value)


def csv_stream(dataset: Dataset, municipality: Municipality | None) -> Iterator[str]:
    rows = ([_csv_value(cell) for cell in row] for row in dataset.rows(municipality))
    return csv_lines(dataset.header, rows)


def jsonl_stream(dataset: Dataset, municipality: Municipality | None) -> Iterator[str]:
    """One JSON object per line, keys as the CSV's header; numbers as numbers, no BOM."""
    header = dataset.header
    for row in dataset.rows(municipality):
        record = dict(zip(header, (_json_value(cell) for cell in row), strict=True))
        yield json.dumps(record, ensure_ascii=False) + "\n"


def xlsx_file(datasets: Iterable[Dataset], municipality: Municipality | None, stream=None):
    """A workbook with a sheet per dataset, in a temporary file positioned at its start."""
    sheets = [
        (
            dataset.slug[:31],
            dataset.header,
            ([_sheet_value(c) for c in row] for row in dataset.rows(municipality)),
        )
        for dataset in datasets
    ]
    return write_xlsx(sheets, stream=stream)
