"""Generating a report's file in the background (django-tasks; inline in the embedded default):
the task reads the report's data, composes the document and renders it, writing its progress on
the ReportFile so that the staff page can show it.

It sits below ``services`` (which queue it): it reads through the selectors and writes only the
generation record it was given.
"""

import logging
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from civitas.core import content
from civitas.core.content import Content
from civitas.evaluations.models import Evaluation

from . import compose, evaluation_report, render
from .models import AnnualReport, GenerationStatus, ReportFile, ReportFormat
from .selectors import annual_report_data, evaluation_report_data

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ReportFormat.PDF: "application/pdf",
}


def report_bytes(report: AnnualReport, *, fmt: str, language: str, progress=None) -> bytes:
    """The report as a DOCX or PDF document in ``language``. ``progress(percent, message)`` is told
    how far it got."""
    step = progress or (lambda percent, message: None)
    with translation.override(language):
        step(10, _("Reading the plan's data"))
        data = annual_report_data(report, language)
        step(50, _("Composing the document"))
        document = compose.annual_report_document(data)
        step(70, _("Writing the file"))
        if fmt == ReportFormat.PDF:
            return render.render_pdf(document)
        return render.render_docx(document)


def evaluation_report_bytes(evaluation: Evaluation, *, fmt: str, language: str, progress=None) -> bytes:
    """The evaluation's report as a DOCX or PDF document in ``language``, its recommendations
    followed up as of today. ``progress(percent, message)`` is told how far it got."""
    step = progress or (lambda percent, message: None)
    with translation.override(language):
        step(10, _("Reading the evaluation"))
        data = evaluation_report_data(
            municipality=evaluation.municipality,
            pk=evaluation.pk,
            language=language,
            as_of=timezone.localdate(),
        )
        step(50, _("Composing the document"))
        document = evaluation_report.evaluation_report_document(data)
        step(70, _("Writing the file"))
        if fmt == ReportFormat.PDF:
            return render.render_pdf(document)
        return render.render_docx(document)


def report_html(report: AnnualReport, *, language: str) -> str:
    """The report as the portal's page shows it, in ``language`` (escaped markup)."""
    with translation.override(language):
        return str(render.render_html(compose.annual_report_document(annual_report_data(report, language))))


def file_name(report: AnnualReport, *, fmt: str, language: str) -> str:
    """report-<plan>-<year>-<language>.<format>, e.g. report-opr-2014-2020-2019-bg.docx."""
    return f"report-{report.plan.slug}-{report.year}-{language}.{fmt}"


def evaluation_file_name(evaluation: Evaluation, *, fmt: str, language: str) -> str:
    """evaluation-<id>-<language>.<format>, e.g. evaluation-3-bg.pdf."""
    return f"evaluation-{evaluation.pk}-{language}.{fmt}"


def queue_generation(generated: ReportFile) -> None:
    """Generate the file after the transaction that asked for it commits."""
    transaction.on_commit(partial(generate_report_file.enqueue, generated.pk))


@task()
def generate_report_file(file_id: int) -> str:
    return report_file_run(file_id=file_id)


def _record(generated: ReportFile, **fields) -> None:
    ReportFile.objects.filter(pk=generated.pk).update(**fields)


def report_file_run(*, file_id: int) -> str:
    """Generate one queued file: its status and progress are written as it goes; a failure is
    recorded with its reason, never left "running"."""
    generated = (
        ReportFile.objects.select_related(
            "report__plan", "report__municipality", "report__decision", "evaluation__municipality"
        )
        .filter(pk=file_id)
        .first()
    )
    if generated is None or generated.status == GenerationStatus.DONE:
        return "skipped"
    report, evaluation = generated.report, generated.evaluation
    fmt, language = generated.format, generated.language
    _record(generated, status=GenerationStatus.RUNNING, progress=5, message="")

    def progress(percent: int, message: str) -> None:
        _record(generated, progress=percent, message=message)

    try:
        if evaluation is not None:
            written = evaluation_report_bytes(evaluation, fmt=fmt, language=language, progress=progress)
            name = evaluation_file_name(evaluation, fmt=fmt, language=language)
        else:
            assert report is not None  # a file is a report's or an evaluation's (a constraint)
            written = report_bytes(report, fmt=fmt, language=language, progress=progress)
            name = file_name(report, fmt=fmt, language=language)
    except Exception as error:
        logger.exception("report file %s failed", file_id)
        with translation.override(generated.language):
            message = _("The report could not be generated: %(error)s") % {"error": error}
        _record(generated, status=GenerationStatus.FAILED, message=message[:500])
        return "failed"
    generated.file.save(name, ContentFile(written), save=False)
    _record(
        generated, file=generated.file.name, status=GenerationStatus.DONE, progress=100, message="",
        generated_at=timezone.now(),
    )  # fmt: skip
    if evaluation is not None and generated.is_published:
        # The evaluation's public page (cached) offers its published files: it refreshes.
        content.changed(evaluation.municipality, Content.PLANNING)
    return "done"
