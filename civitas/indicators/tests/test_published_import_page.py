"""The back office's page for values already published in a document: verifiers and
administrators only; every value published with the document, or nothing with every error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civitas.core.models import AuditEvent, Role
from civitas.indicators.models import Measurement, MeasurementState
from civitas.testing.factories import IndicatorFactory, PlanElementFactory, PlanFactory
from civitas.testing.signin import sign_in_with_role

pytestmark = pytest.mark.django_db

REPORT = "https://sopot.example/annual-report-2016.pdf"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def indicators(town):
    element = PlanElementFactory(
        plan=PlanFactory(municipality=town, slug="opr", period_start=2014, period_end=2020)
    )
    return [IndicatorFactory(element=element, code=code) for code in ("N1", "N2")]


def page():
    return reverse("indicators:data_import_published", args=["sopot"])


def values(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("values.csv", ("indicator_code,period,value\n" + text).encode(), "text/csv")


@pytest.mark.parametrize("role", list(Role))
def test_only_verifiers_and_administrators_record_published_values(client, town, indicators, role):
    sign_in_with_role(client, town, role)
    allowed = role in (Role.VERIFIER, Role.ADMINISTRATOR)
    assert client.get(page()).status_code == (200 if allowed else 403)
    home = client.get(reverse("indicators:data", args=["sopot"])).content.decode()
    assert (page() in home) == allowed
    response = client.post(page(), {"file": values("N1,2016,5\n"), "document_url": REPORT, "confirm": "on"})
    assert response.status_code == (302 if allowed else 403)
    assert Measurement.objects.filter(state=MeasurementState.PUBLISHED).exists() == allowed


def test_a_verifier_records_a_reports_values_with_the_document(client, town, indicators, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    verifier = sign_in_with_role(client, town, Role.VERIFIER)
    response = client.post(
        page(),
        {"file": values("N1,2016,5\nN2,2016,7\n"), "confirm": "on",
         "document": SimpleUploadedFile("report-2016.pdf", PDF, "application/pdf")},
    )  # fmt: skip
    assert response.status_code == 302
    stored = list(Measurement.objects.all())
    assert len(stored) == 2 and {m.state for m in stored} == {MeasurementState.PUBLISHED}
    assert {m.approved_by for m in stored} == {verifier}
    assert len({m.evidence.name for m in stored}) == 1 and stored[0].evidence.name.endswith(".pdf")
    assert AuditEvent.objects.filter(action="publish_from_document", actor=verifier).count() == 2


def test_nothing_is_recorded_with_a_wrong_row_or_without_the_document(client, town, indicators):
    sign_in_with_role(client, town, Role.VERIFIER)
    wrong = client.post(
        page(), {"file": values("N1,2016,5\nX9,2016,1\n"), "document_url": REPORT, "confirm": "on"}
    )
    assert wrong.status_code == 400
    assert "Няма индикатор с код „X9“." in wrong.content.decode()
    no_document = client.post(page(), {"file": values("N1,2016,5\n"), "confirm": "on"})
    assert no_document.status_code == 400
    unconfirmed = client.post(page(), {"file": values("N1,2016,5\n"), "document_url": REPORT})
    assert unconfirmed.status_code == 400
    not_a_document = client.post(
        page(),
        {"file": values("N1,2016,5\n"), "confirm": "on",
         "document": SimpleUploadedFile("report.exe", b"MZ\x90\x00\x03\x00\x00\x00", "application/octet-stream")},
    )  # fmt: skip
    assert not_a_document.status_code == 400
    assert not Measurement.objects.exists()
    assert not AuditEvent.objects.filter(action="publish_from_document").exists()
