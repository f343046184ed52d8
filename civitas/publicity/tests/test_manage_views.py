"""The back office's pages for the register: recording events (with minutes and photos),
materials and publications; bad input refused on the form with nothing saved; conflicts; who may."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from civitas.core.models import Role
from civitas.publicity.models import EventPhoto, Publication, PublicityEvent, PublicityMaterial
from civitas.testing.factories import (
    MunicipalityFactory,
    ProjectFactory,
    PublicationFactory,
    PublicityEventFactory,
    PublicityMaterialFactory,
)
from civitas.testing.signin import sign_in_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def path(name, *args):
    return reverse(f"publicity_manage:{name}", args=["sopot", *args])


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), "green").save(out, format="PNG")
    return out.getvalue()


def test_a_project_manager_records_an_event_with_its_minutes_and_a_photo(client, town, project):
    sign_in_with_role(client, town, Role.PROJECT_MANAGER)
    response = client.post(path("event_create") + f"?project={project.pk}", {
        "project": project.pk, "kind": "press_conference", "title_bg": "Начална пресконференция",
        "date": "24.1.2014", "time": "11:00", "participants": "20",
        "minutes_upload": SimpleUploadedFile("protokol.pdf", b"%PDF-1.4\n"),
    })  # fmt: skip
    event = PublicityEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == path("event_edit", event.pk)
    assert (event.project, str(event.date), event.participants) == (project, "2014-01-24", 20)
    assert event.minutes.name.endswith("-protokol.pdf")
    response = client.post(path("photo_add", event.pk), {
        "caption_bg": "Залата", "upload": SimpleUploadedFile("p.png", _png()), "version": event.version,
    })  # fmt: skip
    assert response.status_code == 302 and EventPhoto.objects.filter(event=event).count() == 1
    page = client.get(path("event_edit", event.pk)).content.decode()
    assert "Залата" in page and "-protokol.pdf" in page


def test_a_negative_participants_count_is_refused_on_the_form(client, town, project):
    sign_in_with_role(client, town, Role.PLANNER)
    response = client.post(path("event_create"), {"kind": "forum", "title_bg": "Форум", "date": "24.1.2014",
                                                  "participants": "-5"})  # fmt: skip
    assert response.status_code == 400 and not PublicityEvent.objects.exists()


def test_an_event_date_outside_the_sane_range_is_refused_with_the_services_message(client, town):
    sign_in_with_role(client, town, Role.PLANNER)
    response = client.post(path("event_create"), {"kind": "forum", "title_bg": "Форум", "date": "24.1.1024"})
    assert response.status_code == 400 and not PublicityEvent.objects.exists()
    assert "01.01.1990" in response.content.decode()


def test_a_negative_print_run_is_refused(client, town, project):
    sign_in_with_role(client, town, Role.PROJECT_MANAGER)
    response = client.post(path("material_create"), {"project": project.pk, "kind": "brochure",
                                                     "title_bg": "Брошури", "quantity": "-1000"})  # fmt: skip
    assert response.status_code == 400 and not PublicityMaterial.objects.exists()


def test_a_link_that_is_not_http_or_https_is_refused(client, town, project):
    sign_in_with_role(client, town, Role.PROJECT_MANAGER)
    response = client.post(path("publication_create"), {"project": project.pk, "medium": "website",
                                                        "outlet_bg": "Сайт", "title_bg": "Статия",
                                                        "url": "javascript:alert(1)"})  # fmt: skip
    assert response.status_code == 400 and not Publication.objects.exists()
    response = client.post(path("publication_create"), {"project": project.pk, "medium": "website",
                                                        "outlet_bg": "Сайт", "title_bg": "Статия",
                                                        "url": "ftp://example.org/a"})  # fmt: skip
    assert response.status_code == 400 and not Publication.objects.exists()


def test_a_project_of_another_municipality_cannot_be_chosen(client, town):
    other = ProjectFactory(municipality=MunicipalityFactory(slug="karlovo"))
    sign_in_with_role(client, town, Role.PROJECT_MANAGER)
    response = client.post(
        path("material_create"), {"project": other.pk, "kind": "banner", "title_bg": "Банер"}
    )
    assert response.status_code == 400 and not PublicityMaterial.objects.exists()


def test_the_second_of_two_edits_from_the_same_version_is_refused(client, town, project):
    sign_in_with_role(client, town, Role.PROJECT_MANAGER)
    publication = PublicationFactory(municipality=town, project=project)
    data = {"project": project.pk, "medium": "newspaper", "outlet_bg": "Диалог днес", "title_bg": "Статия",
            "version": publication.version}  # fmt: skip
    assert client.post(path("publication_edit", publication.pk), data).status_code == 302
    assert (
        client.post(path("publication_edit", publication.pk), data | {"title_bg": "Друго"}).status_code == 400
    )
    assert Publication.objects.get().title_bg == "Статия"


def test_the_register_lists_a_projects_records_and_deletes_them(client, town, project):
    sign_in_with_role(client, town, Role.ADMINISTRATOR)
    PublicityEventFactory(municipality=town, project=project, title_bg="Пресконференция по проекта")
    material = PublicityMaterialFactory(municipality=town, project=project, title_bg="Банер на проекта")
    PublicityMaterialFactory(municipality=town, title_bg="Банер на общината")
    page = client.get(path("register") + f"?project={project.pk}").content.decode()
    assert (
        "Пресконференция по проекта" in page
        and "Банер на проекта" in page
        and "Банер на общината" not in page
    )
    assert client.post(path("material_delete", material.pk)).status_code == 302
    assert not PublicityMaterial.objects.filter(pk=material.pk).exists()


def test_the_register_takes_the_same_queries_as_it_grows(client, town, project):
    sign_in_with_role(client, town, Role.PLANNER)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path("register")).status_code == 200
        return len(queries.captured_queries)

    PublicityEventFactory(municipality=town, project=project)
    few = count()
    PublicityEventFactory.create_batch(10, municipality=town, project=project)
    PublicityMaterialFactory.create_batch(10, municipality=town, project=project)
    PublicationFactory.create_batch(10, municipality=town, project=project)
    assert count() == few


@pytest.mark.parametrize("role", [Role.VERIFIER, Role.MODERATOR, Role.INDICATOR_OWNER])
def test_roles_without_the_right_are_refused(client, town, role):
    sign_in_with_role(client, town, role)
    assert client.get(path("register")).status_code == 403
    assert client.get(path("event_create")).status_code == 403


def test_an_event_of_another_municipality_is_not_found_through_sopot(client, town):
    other = PublicityEventFactory(municipality=MunicipalityFactory(slug="karlovo"))
    sign_in_with_role(client, town, Role.ADMINISTRATOR)
    assert client.get(path("event_edit", other.pk)).status_code == 404


def test_the_back_office_home_and_the_projects_staff_page_link_to_the_register(client, town, project):
    sign_in_with_role(client, town, Role.PROJECT_MANAGER)
    home = client.get(reverse("manage:dashboard", args=["sopot"])).content.decode()
    assert path("register") in home
    staff_page = client.get(reverse("manage:project_edit", args=["sopot", project.slug])).content.decode()
    assert f"{path('register')}?project={project.pk}" in staff_page
