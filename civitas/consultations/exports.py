"""The table of proposals and answers ("справка за отразяване на предложенията") as DOCX
(python-docx), XLSX (openpyxl) and CSV (UTF-8 with BOM, so that spreadsheets read the Cyrillic):
the same rows as the report page, from ``selectors.report``."""

import csv
import io

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from civitas.core.text import clean as _clean
from civitas.core.text import csv_cell as _csv_cell

from . import selectors

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _title(report: selectors.Report) -> str:
    return _("Table of proposals and answers")


def _subtitle(report: selectors.Report) -> str:
    c = report.consultation
    return _("Public consultation “%(title)s”, %(start)s – %(end)s") % {
        "title": c.title, "start": date_format(localtime(c.opens_at), "SHORT_DATE_FORMAT"),
        "end": date_format(localtime(c.closes_at), "SHORT_DATE_FORMAT"),
    }  # fmt: skip


def report_csv(report: selectors.Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Section")] + selectors.report_header())
    for row in report.rows:
        writer.writerow([_csv_cell(value) for value in [row.group] + row.cells()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_xlsx(report: selectors.Report) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Proposals")[:31]
    sheet.append([_title(report)])
    sheet.append([_subtitle(report)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Section")] + selectors.report_header())
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A4"
    for row in report.rows:
        sheet.append([_clean(value) for value in [row.group] + row.cells()])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # text starting with "=": kept as text, never a formula
                cell.data_type = "s"
    for letter, width in zip("ABCDEFGHI", (30, 6, 18, 16, 12, 28, 60, 18, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    for cells in sheet.iter_rows(min_row=4):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def report_docx(report: selectors.Report) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.size = Pt(9)
    document.add_heading(_title(report), level=1)
    document.add_paragraph(_subtitle(report))
    c = report.consultation
    document.add_paragraph(c.municipality.name)
    header = selectors.report_header()
    widths = (Cm(1), Cm(2.6), Cm(2.2), Cm(2), Cm(3.5), Cm(7.5), Cm(2.4), Cm(5.5))
    for group in report.groups:
        document.add_heading(group.title, level=2)
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in group.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row.cells(), strict=True):
                cell.text = str(_clean(value))
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
    if not report.groups:
        document.add_paragraph(_("No proposals were received."))
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()
