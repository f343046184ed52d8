"""The council's register through its services: what is refused (a number reused in its year, a
date in the future, votes no council casts, a stale edit, a document of the wrong kind, deleting a
decision something points at) changes nothing; what is accepted is logged."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from civitas.consultations import services as consultation_services
from civitas.consultations.models import ConsultationStatus
from civitas.core.errors import ConflictError
from civitas.core.models import AuditEvent
from civitas.core.permissions import OPERATOR
from civitas.council import rules, services
from civitas.council.models import Decision
from civitas.projects import services as project_services
from civitas.testing.factories import DecisionFactory, MunicipalityFactory, ProjectFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = datetime.date(2016, 4, 20)


def _zip(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot", name_bg="Сопот", name_en="Sopot")


def create(town, **fields):
    data = {"number": 42, "date": DAY, "subject_bg": "Приемане на план"} | fields
    return services.decision_create(actor=OPERATOR, municipality=town, **data)


def test_a_decision_is_recorded_with_its_year_and_logged(town):
    decision = create(town, protocol_number=7, votes_for=15, votes_against=0, votes_abstained=2,
                      subject_en="Adoption of the plan")  # fmt: skip
    assert (decision.year, decision.number, decision.protocol_number) == (2016, 42, 7)
    assert "приемане на план" in decision.search_text and "adoption" in decision.search_text
    assert AuditEvent.objects.filter(action="create", object_type="council.decision").count() == 1


def test_a_number_is_unique_in_its_year_only(town):
    create(town)
    with pytest.raises(ValidationError) as refused:
        create(town, date=datetime.date(2016, 12, 1))
    assert "number" in refused.value.message_dict
    assert create(town, date=datetime.date(2017, 1, 26)).year == 2017
    assert Decision.objects.count() == 2


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"date": timezone.localdate() + datetime.timedelta(days=1)}, "date"),
        ({"votes_for": 90, "votes_against": 20}, "votes_for"),
        ({"number": 0}, "number"),
        ({"subject_bg": "  "}, "subject_bg"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(town, fields, field):
    with pytest.raises(ValidationError) as refused:
        create(town, **fields)
    assert field in refused.value.message_dict
    assert not Decision.objects.exists()


def test_the_rules_alone():
    today = datetime.date(2020, 1, 1)
    good = {"number": 1, "date": today, "subject_bg": "Тема"}
    assert rules.check_decision(good, today=today) == {}
    assert "votes_for" in rules.check_decision(good | {"votes_for": -1}, today=today)


def test_an_edit_keeps_the_number_unique_and_refuses_a_stale_version(town):
    first = create(town)
    second = create(town, number=43)
    with pytest.raises(ValidationError) as refused:
        services.decision_update(actor=OPERATOR, decision=second, expected_version=second.version, number=42)
    assert "number" in refused.value.message_dict
    second.refresh_from_db()
    assert second.number == 43
    # Moved into another year, the number is free there.
    moved = services.decision_update(actor=OPERATOR, decision=second, expected_version=second.version,
                                     number=42, date=datetime.date(2015, 6, 1))  # fmt: skip
    assert (moved.year, moved.number, moved.version) == (2015, 42, 2)
    with pytest.raises(ConflictError):
        services.decision_update(
            actor=OPERATOR, decision=first, expected_version=first.version + 5, subject_en="x"
        )
    first.refresh_from_db()
    assert first.subject_en == ""
    assert AuditEvent.objects.filter(action="update", object_id=str(second.pk)).count() == 1


def test_the_document_is_a_pdf_docx_or_odt(town):
    decision = create(town)
    services.decision_document_upload(
        actor=OPERATOR,
        decision=decision,
        upload=SimpleUploadedFile("r.pdf", PDF),
        expected_version=decision.version,
    )
    assert decision.document.name.startswith("decisions/") and decision.document.name.endswith(".pdf")
    docx = _zip({"[Content_Types].xml": "<x/>", "word/document.xml": "<w/>"})
    services.decision_document_upload(
        actor=OPERATOR, decision=decision, upload=SimpleUploadedFile("r.docx", docx)
    )
    assert decision.document.name.endswith(".docx")
    odt = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
    services.decision_document_upload(
        actor=OPERATOR, decision=decision, upload=SimpleUploadedFile("r.odt", odt)
    )
    assert decision.document.name.endswith(".odt")
    for name, data in (("r.txt", b"plain text"), ("r.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
                       ("r.xlsx", _zip({"xl/workbook.xml": "<x/>"}))):  # fmt: skip
        with pytest.raises(ValidationError):
            services.decision_document_upload(
                actor=OPERATOR, decision=decision, upload=SimpleUploadedFile(name, data)
            )
    decision.refresh_from_db()
    assert decision.document.name.endswith(".odt")


def test_a_decision_something_points_at_is_not_deleted(town):
    decision = create(town)
    project = ProjectFactory(municipality=town, cofinancing_decision=decision)
    with pytest.raises(ValidationError) as refused:
        services.decision_delete(actor=OPERATOR, decision=decision)
    assert "проекти" in refused.value.messages[0]
    assert Decision.objects.filter(pk=decision.pk).exists()
    project.cofinancing_decision = None
    project.save()
    services.decision_delete(actor=OPERATOR, decision=decision)
    assert not Decision.objects.exists()
    event = AuditEvent.objects.get(action="delete", object_type="council.decision")
    assert event.changes["number"] == 42 and event.changes["subject_bg"] == "Приемане на план"


def test_a_project_and_a_consultation_take_only_their_municipalitys_decisions(town):
    foreign = DecisionFactory(municipality=MunicipalityFactory(slug="karlovo"))
    with pytest.raises(ValidationError) as refused:
        project_services.project_create(actor=OPERATOR, municipality=town, code="P1", title_bg="Проект",
                                        cofinancing_decision=foreign)  # fmt: skip
    assert "cofinancing_decision" in refused.value.message_dict
    now = timezone.now()
    consultation = consultation_services.consultation_create(
        actor=OPERATOR, municipality=town, slug="c", title_bg="Консултация",
        opens_at=now - datetime.timedelta(days=40), closes_at=now - datetime.timedelta(days=1),
    )  # fmt: skip
    own = create(town)
    with pytest.raises(ValidationError):  # a draft has no results yet
        consultation_services.consultation_results_decision_set(
            actor=OPERATOR, consultation=consultation, decision=own, expected_version=consultation.version
        )
    consultation.status = ConsultationStatus.CLOSED
    consultation.save()
    with pytest.raises(ValidationError):
        consultation_services.consultation_results_decision_set(
            actor=OPERATOR, consultation=consultation, decision=foreign, expected_version=consultation.version
        )
    done = consultation_services.consultation_results_decision_set(
        actor=OPERATOR, consultation=consultation, decision=own, expected_version=consultation.version
    )
    assert done.results_decision == own
