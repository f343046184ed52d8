"""The Sopot demo's annual report, and the issue's command on it:
generate_report --municipality sopot --plan opr-2014-2020 --year 2019 (DOCX and PDF)."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from docx import Document as WordDocument
from pypdf import PdfReader

from civitas.reports import compose
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
