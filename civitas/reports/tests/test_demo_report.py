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
def demo():
    call_command("load_demo", stdout=StringIO())


def test_the_demo_has_a_sample_draft_report_and_the_command_writes_2019(demo, tmp_path):
    report = AnnualReport.objects.get(plan__slug="opr-2014-2020", municipality__slug="sopot")
    assert (report.status, report.is_sample) == (ReportStatus.DRAFT, True)
    assert report.conditions_bg.startswith("Примерни данни.")
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
