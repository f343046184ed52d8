"""The register's services: what they record, and bad input refused with a clear message and
nothing saved."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from civitas.core.errors import ConflictError
from civitas.core.models import AuditEvent, Municipality
from civitas.core.permissions import OPERATOR
from civitas.publicity import services
from civitas.publicity.models import EventPhoto, Publication, PublicityEvent, PublicityMaterial
from civitas.testing.factories import MunicipalityFactory, PlanFactory, ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("messages_in_english")]

DAY = datetime.date(2014, 7, 24)


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def project(town):
    return ProjectFactory(municipality=town, code="P1")


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {1: "N", 2: (42.0, 39.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _version(town) -> int:
    return Municipality.objects.get(pk=town.pk).planning_version


def test_an_event_is_recorded_with_its_minutes_audited_and_the_pages_refreshed(
    town, project, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    before = _version(town)
    event = services.event_create(
        actor=OPERATOR, municipality=town, project=project, title_bg="Заключителна пресконференция",
        kind="press_conference", date=DAY, time=datetime.time(11, 0), place_bg="Ритуална зала – гр. Сопот",
        participants=25, minutes=SimpleUploadedFile("protokol.pdf", b"%PDF-1.4\n"),
    )  # fmt: skip
    assert event.minutes.name.endswith("-protokol.pdf") and event.minutes_content_type == "application/pdf"
    assert _version(town) == before + 1
    assert AuditEvent.objects.filter(action="create", object_type="publicity.publicityevent").count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"participants": -3}, "participants", "0 or more"),
        ({"date": datetime.date(1900, 1, 1)}, "date", "between"),
        ({"date": datetime.date(2200, 1, 1)}, "date", "between"),
        ({"date": None}, "date", "Give the date"),
        ({"title_bg": "  "}, "title_bg", "title"),
        ({"kind": "party"}, "kind", "Unknown"),
    ],
)
def test_bad_events_are_refused_and_nothing_is_saved(town, project, fields, field, message):
    arguments = {"title_bg": "Форум", "kind": "forum", "date": DAY} | fields
    with pytest.raises(ValidationError) as error:
        services.event_create(actor=OPERATOR, municipality=town, project=project, **arguments)
    assert field in error.value.message_dict and message in error.value.message_dict[field][0]
    assert not PublicityEvent.objects.exists()


def test_a_project_or_plan_of_another_municipality_is_refused(town):
    elsewhere = MunicipalityFactory(slug="karlovo")
    with pytest.raises(ValidationError) as error:
        services.material_create(actor=OPERATOR, municipality=town, title_bg="Банер", kind="banner",
                                 project=ProjectFactory(municipality=elsewhere))  # fmt: skip
    assert "not one of this municipality's" in error.value.message_dict["project"][0]
    with pytest.raises(ValidationError) as error:
        services.publication_create(actor=OPERATOR, municipality=town, title_bg="Статия", medium="newspaper",
                                    outlet_bg="Диалог днес", plan=PlanFactory(municipality=elsewhere))  # fmt: skip
    assert "plan" in error.value.message_dict
    assert not PublicityMaterial.objects.exists() and not Publication.objects.exists()


def test_a_negative_print_run_is_refused_in_bulgarian_too(town, project):
    with translation.override("bg"), pytest.raises(ValidationError) as error:
        services.material_create(actor=OPERATOR, municipality=town, project=project, title_bg="Брошури",
                                 kind="brochure", quantity=-1000)  # fmt: skip
    assert error.value.message_dict["quantity"]
    assert not PublicityMaterial.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.org/a",
        "example.org/news",
        "http://",
        "https://exa mple.org/",
        "data:text/html,x",
    ],
)
def test_a_link_that_is_not_http_or_https_is_refused(town, project, url):
    with pytest.raises(ValidationError) as error:
        services.publication_create(actor=OPERATOR, municipality=town, project=project, title_bg="Статия",
                                    medium="website", outlet_bg="Сайт", url=url)  # fmt: skip
    assert "http" in error.value.message_dict["url"][0]
    assert not Publication.objects.exists()


def test_a_publication_with_an_https_link_is_kept(town, project):
    publication = services.publication_create(
        actor=OPERATOR, municipality=town, project=project, title_bg="Статия", medium="newspaper",
        outlet_bg="вестник „Диалог днес“", url="https://dialogdnes.bg/news/1", published_on=DAY,
    )  # fmt: skip
    assert publication.url == "https://dialogdnes.bg/news/1"


def test_the_second_of_two_edits_from_the_same_version_is_refused(town, project):
    material = services.material_create(actor=OPERATOR, municipality=town, project=project, title_bg="Банер",
                                        kind="banner", quantity=1)  # fmt: skip
    seen = material.version
    services.material_update(actor=OPERATOR, material=material, expected_version=seen, quantity=2)
    stale = PublicityMaterial.objects.get(pk=material.pk)
    with pytest.raises(ConflictError):
        services.material_update(actor=OPERATOR, material=stale, expected_version=seen, quantity=3)
    assert PublicityMaterial.objects.get(pk=material.pk).quantity == 2


def test_an_edit_with_bad_input_changes_nothing(town, project):
    event = services.event_create(actor=OPERATOR, municipality=town, project=project, title_bg="Форум",
                                  kind="forum", date=DAY, participants=10)  # fmt: skip
    with pytest.raises(ValidationError):
        services.event_update(actor=OPERATOR, event=event, expected_version=event.version, participants=-1)
    stored = PublicityEvent.objects.get(pk=event.pk)
    assert (stored.participants, stored.version) == (10, 1)


def test_an_event_photo_is_reencoded_without_its_metadata_and_deleted_with_its_event(town, project, settings,
                                                                                      tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    event = services.event_create(actor=OPERATOR, municipality=town, project=project, title_bg="Форум",
                                  kind="forum", date=DAY)  # fmt: skip
    photo = services.photo_add(actor=OPERATOR, event=event, caption_bg="Залата",
                               upload=SimpleUploadedFile("p.jpg", _jpeg_with_gps()))  # fmt: skip
    with photo.file.open("rb") as stored:
        assert not Image.open(stored).getexif()
    with pytest.raises(ValidationError):
        services.photo_add(actor=OPERATOR, event=event, caption_bg="Протокол",
                           upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4\n"))  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.photo_add(actor=OPERATOR, event=event, caption_bg=" ",
                           upload=SimpleUploadedFile("p.jpg", _jpeg_with_gps()))  # fmt: skip
    assert "caption_bg" in error.value.message_dict
    services.event_delete(actor=OPERATOR, event=PublicityEvent.objects.get(pk=event.pk))
    assert not EventPhoto.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="publicity.publicityevent").exists()


def test_a_material_file_that_is_not_an_accepted_type_is_refused(town, project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError):
        services.material_create(actor=OPERATOR, municipality=town, project=project, title_bg="Банер",
                                 kind="banner", upload=SimpleUploadedFile("b.pdf", b"MZ\x90\x00" + b"\x00" * 64))  # fmt: skip
    assert not PublicityMaterial.objects.exists()
