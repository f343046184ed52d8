"""Survey exports with constant memory, whatever the number of answers.

The responses (one row per response, one column per question) are read with two server-side
iterators in response order — the responses and their answers — merged as they stream, so no
more than one chunk of rows is in memory at a time. CSV goes out line by line through a
StreamingHttpResponse; XLSX is written by openpyxl's write-only mode row by row to a temporary
file, which is then sent in blocks.
"""

import csv
import tempfile
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from civitas.core.text import csv_cell, sheet_cell

from . import selectors
from .models import Answer, QuestionKind, Response, Survey

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000


class _Echo:
    def write(self, value):
        return value


def _number(value):
    if value is None:
        return ""
    value = value.normalize() if isinstance(value, Decimal) else value
    return format(value, "f") if isinstance(value, Decimal) else value


def responses_header(survey: Survey) -> list[str]:
    questionnaire = selectors.questionnaire(survey)
    return [_("response"), _("submitted at"), _("source")] + [
        f"{q.number}. {q.text_bg}" for q in questionnaire.questions
    ]


def response_rows(survey: Survey) -> Iterator[list]:
    """One list per response: id, time, source, then each question's answer as text (multiple
    choices joined by “; ”, a ranking as “first > second > …”)."""
    questionnaire = selectors.questionnaire(survey)
    column = {q.pk: i for i, q in enumerate(questionnaire.questions)}
    kinds = {q.pk: q.kind for q in questionnaire.questions}
    labels = {o.pk: o.label_bg for q in questionnaire.questions for o in q.option_list}
    responses = (
        Response.objects.filter(survey=survey)
        .order_by("pk")
        .values_list("pk", "submitted_at", "source")
        .iterator(chunk_size=CHUNK)
    )
    answers = iter(
        Answer.objects.filter(response__survey=survey)
        .order_by("response_id", "question_id", "rank", "pk")
        .values_list("response_id", "question_id", "option_id", "number", "text")
        .iterator(chunk_size=CHUNK)
    )
    pending = next(answers, None)
    width = len(column)
    for response_id, submitted_at, source in responses:
        cells: list[list[str]] = [[] for _ in range(width)]
        while pending is not None and pending[0] <= response_id:
            _rid, question_id, option_id, number, text = pending
            if pending[0] == response_id and question_id in column:
                if option_id is not None:
                    value = labels.get(option_id, str(option_id))
                elif number is not None:
                    value = _number(number)
                else:
                    value = text
                cells[column[question_id]].append(value)
            pending = next(answers, None)
        row = [response_id, submitted_at.isoformat(timespec="seconds"), source]
        for question_id, i in column.items():
            separator = " > " if kinds[question_id] == QuestionKind.RANKING else "; "
            row.append(separator.join(cells[i]))
        yield row


def csv_lines(header: list[str], rows) -> Iterator[str]:
    """CSV text line by line: UTF-8 with BOM (so that spreadsheets read the Cyrillic), commas."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def responses_csv_lines(survey: Survey) -> Iterator[str]:
    return csv_lines(responses_header(survey), response_rows(survey))


def responses_xlsx(survey: Survey, stream=None):
    """The responses as an XLSX workbook written row by row (openpyxl write-only) to a temporary
    file; returns the file positioned at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("responses"))
    sheet.freeze_panes = "A2"
    header = []
    for name in responses_header(survey):
        cell = sheet_cell(sheet, name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in response_rows(survey):
        sheet.append([sheet_cell(sheet, value) for value in row])
    stream = stream or tempfile.TemporaryFile()
    workbook.save(stream)
    stream.seek(0)
    return stream


def results_rows(survey: Survey) -> Iterator[list]:
    """The published results: per question and answer, respondents and share (%)."""
    results = selectors.survey_results(survey)
    for result in results.questions:
        question = f"{result.question.number}. {result.question.text}"
        for option in result.options:
            percent = "" if option.percent is None else f"{option.percent:.1f}"
            yield [question, option.label, option.count, percent]
        if result.mean is not None:
            yield [question, _("mean"), result.respondents, _number(Decimal(str(result.mean)))]
        if result.kind == QuestionKind.NUMBER and result.minimum is not None:
            yield [question, _("smallest"), result.respondents, _number(result.minimum)]
            yield [question, _("largest"), result.respondents, _number(result.maximum)]
        if result.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            yield [question, _("written answers"), result.respondents, ""]


def results_csv_lines(survey: Survey) -> Iterator[str]:
    return csv_lines([_("question"), _("answer"), _("respondents"), _("share, %")], results_rows(survey))
