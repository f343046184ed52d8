import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civitas.core.errors import ConflictError
from civitas.core.models import AuditEvent
from civitas.core.permissions import OPERATOR
from civitas.projects import services
from civitas.projects.models import FundingLine, Project, ProjectDocument
from civitas.testing.factories import MunicipalityFactory, PlanElementFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def project(town):
    return services.project_create(
        actor=OPERATOR, municipality=town, code="P1", title_bg="Велоалея Сопот – Карлово"
    )


def test_create_sets_slug_search_text_and_elements(town):
    goal = PlanElementFactory(plan=PlanFactory(municipality=town))
    project = services.project_create(
        actor=OPERATOR, municipality=town, code="SG4-P3", title_bg="Велосипедна АЛЕЯ", element_ids=[goal.pk]
    )
    assert project.slug == "sg4-p3"
    assert "велосипедна алея" in project.search_text
    assert list(project.elements.all()) == [goal]


@pytest.mark.parametrize(
    "fields, field",
    [
        (
            {"planned_start": datetime.date(2016, 1, 1), "planned_end": datetime.date(2015, 1, 1)},
            "planned_end",
        ),
        ({"actual_start": datetime.date(2016, 1, 1), "actual_end": datetime.date(2015, 1, 1)}, "actual_end"),
        ({"progress": 101}, "progress"),
        ({"status": "dreaming"}, "status"),
        ({"location": {"type": "Point", "coordinates": [200, 42]}}, "location"),
        ({"location": {"type": "Polygon", "coordinates": []}}, "location"),
        ({"code": "P1"}, "code"),
    ],
)
def test_bad_projects_are_refused(town, project, fields, field):
    data = {"code": "P2", "title_bg": "Проект", **fields}
    with pytest.raises(ValidationError) as error:
        services.project_create(actor=OPERATOR, municipality=town, **data)
    assert field in error.value.message_dict
    assert Project.objects.count() == 1


def test_elements_of_another_municipality_are_refused(town):
    foreign = PlanElementFactory(plan=PlanFactory(municipality=MunicipalityFactory(slug="karlovo")))
    with pytest.raises(ValidationError):
        services.project_create(
            actor=OPERATOR, municipality=town, code="P9", title_bg="x", element_ids=[foreign.pk]
        )
    assert not Project.objects.filter(code="P9").exists()


def test_second_of_two_concurrent_saves_is_refused(project):
    first = Project.objects.get(pk=project.pk)
    second = Project.objects.get(pk=project.pk)
    services.project_update(actor=OPERATOR, project=first, expected_version=1, progress=50)
    with pytest.raises(ConflictError):
        services.project_update(actor=OPERATOR, project=second, expected_version=1, progress=10)
    assert Project.objects.get(pk=project.pk).progress == 50


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"source": "lottery", "amount": 1}, "source"),
        ({"source": "municipal", "amount": -5}, "amount"),
        ({"source": "municipal", "amount": "много"}, "amount"),
        ({"source": "eu", "amount": 10}, "programme_bg"),
        ({"source": "eu", "amount": 10, "programme_bg": "ОПАК", "grant_share": 120}, "grant_share"),
    ],
)
def test_bad_funding_lines_are_refused(project, fields, field):
    with pytest.raises(ValidationError) as error:
        services.funding_line_add(actor=OPERATOR, project=project, **fields)
    assert field in error.value.message_dict
    assert FundingLine.objects.count() == 0


def test_funding_line_with_grant(project):
    line = services.funding_line_add(
        actor=OPERATOR, project=project, source="eu", amount="391000.50", programme_bg="ОП „Административен капацитет“",
        grant_share=100, contract_number="13-13-146", contract_date=datetime.date(2013, 10, 31),
    )  # fmt: skip
    assert line.amount == Decimal("391000.50") and line.grant_share == 100


def test_child_edit_with_stale_version_is_refused(project):
    services.partner_add(actor=OPERATOR, project=project, name_bg="Община Карлово", expected_version=1)
    with pytest.raises(ConflictError):
        services.activity_add(actor=OPERATOR, project=project, title_bg="Дейност", expected_version=1)


def test_activities_dates_and_order(project):
    with pytest.raises(ValidationError):
        services.activity_add(
            actor=OPERATOR, project=project, title_bg="x", start_date=datetime.date(2015, 5, 1),
            due_date=datetime.date(2015, 1, 1),
        )  # fmt: skip
    a = services.activity_add(actor=OPERATOR, project=project, title_bg="Първа", state="done")
    assert a.completed_on == datetime.date.today()
    b = services.activity_add(actor=OPERATOR, project=project, title_bg="Втора")
    services.activity_reorder(actor=OPERATOR, project=project, ordered_ids=[b.pk, a.pk])
    assert list(project.activities.values_list("title_bg", flat=True)) == ["Втора", "Първа"]
    with pytest.raises(ValidationError):
        services.activity_reorder(actor=OPERATOR, project=project, ordered_ids=[b.pk])


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {1: "N", 2: (42.0, 39.0, 0.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_is_reencoded_without_metadata(project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif()
    document = services.document_add(
        actor=OPERATOR,
        project=project,
        kind="photo",
        title_bg="Снимка",
        upload=SimpleUploadedFile("p.jpg", data),
    )
    with document.file.open("rb") as stored:
        assert not Image.open(stored).getexif()


def test_uploads_are_checked_by_content_and_size(project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    exe = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(ValidationError):
        services.document_add(actor=OPERATOR, project=project, kind="document", title_bg="Отчет", upload=exe)
    settings.CIVITAS_MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 2048)
    with pytest.raises(ValidationError) as error:
        services.document_add(actor=OPERATOR, project=project, kind="document", title_bg="Отчет", upload=big)
    assert "MB" in str(error.value)
    with pytest.raises(ValidationError):
        services.document_add(
            actor=OPERATOR, project=project, kind="photo", title_bg="Снимка",
            upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4\n..."),
        )  # fmt: skip
    ok = services.document_add(
        actor=OPERATOR,
        project=project,
        kind="document",
        title_bg="Отчет",
        upload=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n"),
    )
    assert ok.content_type == "application/pdf"
    assert ProjectDocument.objects.count() == 1


def test_project_delete_is_recorded(project):
    services.funding_line_add(actor=OPERATOR, project=project, source="municipal", amount=100)
    services.partner_add(actor=OPERATOR, project=project, name_bg="Община Карлово")
    services.project_delete(actor=OPERATOR, project=project)
    event = AuditEvent.objects.get(action="delete", object_type="projects.project")
    assert Decimal(event.changes["funding"][0]["amount"]) == 100
    assert event.changes["partners"][0]["name_bg"] == "Община Карлово"
    assert event.changes["title_bg"] == project.title_bg and "description_bg" in event.changes
    assert not Project.objects.exists()


def test_update_keeps_search_text_current(project):
    services.project_update(actor=OPERATOR, project=project, expected_version=1, title_bg="Нова Улица")
    assert "нова улица" in Project.objects.get(pk=project.pk).search_text


def test_a_small_file_holding_a_huge_picture_is_refused_before_decoding(project, settings, tmp_path):
    """A decompression bomb: 10,000 × 5,000 black pixels compress to a few dozen kilobytes."""
    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(out, format="PNG", optimize=True)
    assert len(out.getvalue()) < 200_000
    upload = SimpleUploadedFile("bomb.png", out.getvalue())
    with pytest.raises(ValidationError) as error:
        services.document_add(actor=OPERATOR, project=project, kind="photo", title_bg="Снимка", upload=upload)
    assert "40" in str(error.value)
    assert not ProjectDocument.objects.exists()
