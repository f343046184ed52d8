"""The Sopot demo's annual report, and the issue's command on it:
generate_report --municipality sopot --plan opr-2014-2020 --year 2019 (DOCX and PDF)."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from docx import Document as WordDocument
from pypdf import PdfReader

from civitas.evaluations.models import Evaluation, EvaluationKind
from civitas.reports import compose, evaluation_report
from civitas.reports.models import AnnualReport, ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    # The work queued after commit (the approved report's files) runs as it does after load_demo.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())


def test_the_demo_has_an_approved_and_a_draft_sample_report_and_the_command_writes_2019(demo, tmp_path):
    approved, draft = AnnualReport.objects.filter(
        plan__slug="opr-2014-2020", municipality__slug="sopot"
    ).order_by("year")
    assert (approved.year, approved.status, approved.decision.number, approved.decision.year) == (
        2015, ReportStatus.APPROVED, 42, 2016,
    )  # fmt: skip
    # Approved: its published files were made in both languages and both formats.
    assert sorted(approved.files.filter(status="done").values_list("language", "format")) == [
        ("bg", "docx"), ("bg", "pdf"), ("en", "docx"), ("en", "pdf"),
    ]  # fmt: skip
    assert (draft.status, draft.is_sample) == (ReportStatus.DRAFT, True)
    assert draft.year > approved.year and draft.conditions_bg.startswith("Примерни данни.")
    output = tmp_path / "report.docx"
    args = ["--municipality", "sopot", "--plan", "opr-2014-2020", "--year", "2019"]
    call_command("generate_report", *args, "--format", "docx", "-o", str(output), stdout=StringIO())
    doc = WordDocument(io.BytesIO(output.read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    for number, title in enumerate(compose.section_titles(), start=1):  # Bulgarian, the default
        assert f"{number}. {title}" in text
    assert len(doc.tables) >= 3
    assert any("image" in rel.reltype for rel in doc.part.rels.values())
    pdf = tmp_path / "report.pdf"
    call_command(
        "generate_report", *args, "--format", "pdf", "--language", "en", "-o", str(pdf), stdout=StringIO()
    )
    words = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages
    )
    with translation.override("en"):
        for title in compose.section_titles():
            assert title in words


def test_the_command_writes_the_demos_mid_term_evaluation(demo, tmp_path):
    """generate_report --municipality sopot --evaluation <id>: the demo's mid-term evaluation of the
    2014–2020 plan, as DOCX (Bulgarian) and PDF (English)."""
    evaluation = Evaluation.objects.get(
        municipality__slug="sopot", kind=EvaluationKind.MID_TERM, plan__slug="opr-2014-2020"
    )
    args = ["--municipality", "sopot", "--evaluation", str(evaluation.pk)]
    output = tmp_path / "evaluation.docx"
    call_command("generate_report", *args, "--format", "docx", "-o", str(output), stdout=StringIO())
    doc = WordDocument(io.BytesIO(output.read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert evaluation.title_bg in text
    for number, title in enumerate(evaluation_report.section_titles(), start=1):
        assert f"{number}. {title}" in text
    assert len(doc.inline_shapes) == 1
    pdf = tmp_path / "evaluation.pdf"
    call_command(
        "generate_report", *args, "--format", "pdf", "--language", "en", "-o", str(pdf), stdout=StringIO()
    )
    words = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages
    )
    assert evaluation.title_en in words
    assert "This evaluation is sample data." in words
    for recommendation in evaluation.recommendations.all():
        assert " ".join(recommendation.text_en.split())[:40] in words
