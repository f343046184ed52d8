"""The back office's pages for projects: editing with conflicts detected, bad input refused, parts and files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civitas.core.models import Role
from civitas.projects.models import FundingLine, Project
from civitas.testing.factories import (
    MunicipalityFactory,
    ProjectFactory,
)
from civitas.testing.signin import sign_in_with_role

pytestmark = pytest.mark.django_db


def test_a_karlovo_project_is_not_found_through_sopot(client, town):
    other = ProjectFactory(municipality=MunicipalityFactory(slug="karlovo"), slug="k1")
    sign_in_with_role(client, town, Role.PLANNER)
    assert client.get(reverse("manage:project_edit", args=["sopot", other.slug])).status_code == 404


def project_post(project, **changes):
    data = {
        "version": project.version, "code": project.code, "slug": project.slug, "title_bg": project.title_bg,
        "title_en": project.title_en, "status": project.status, "progress": project.progress,
        "planned_start": "2015-01-01", "planned_end": "2017-12-31", "declared_currency": project.declared_currency,
    }  # fmt: skip
    data.update(changes)
    return data


def test_project_edit_saves(client, town, plan, project):
    sign_in_with_role(client, town, Role.PROJECT_MANAGER)
    element = plan.elements.first()
    path = reverse("manage:project_edit", args=["sopot", "p1"])
    response = client.post(
        path, project_post(project, progress=65, title_bg="Ново заглавие", element_ids=[element.pk])
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.progress, project.title_bg, project.version) == (65, "Ново заглавие", 2)
    assert list(project.elements.all()) == [element]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"planned_start": "2018-01-01", "planned_end": "2016-01-01"}, "края"),
        ({"location_text": "{not json"}, "JSON"),
        ({"location_text": '{"type": "Point", "coordinates": [500, 1]}'}, "дължина"),
        ({"progress": 140}, "100"),
    ],
)
def test_bad_project_input_changes_nothing(client, town, project, changes, message):
    sign_in_with_role(client, town, Role.PLANNER)
    response = client.post(
        reverse("manage:project_edit", args=["sopot", "p1"]), project_post(project, **changes)
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    fresh = Project.objects.get(pk=project.pk)
    assert (fresh.version, fresh.progress) == (1, project.progress)


def test_second_of_two_editors_gets_a_conflict_and_keeps_their_input(client, town, project):
    sign_in_with_role(client, town, Role.PLANNER)
    path = reverse("manage:project_edit", args=["sopot", "p1"])
    assert client.post(path, project_post(project, progress=50)).status_code == 302
    response = client.post(
        path, project_post(project, progress=70, title_bg="Мои промени")
    )  # still version 1
    content = response.content.decode()
    assert response.status_code == 400
    assert "Някой друг" in content and "Мои промени" in content
    assert Project.objects.get(pk=project.pk).progress == 50


def test_an_edit_without_the_version_it_was_opened_on_is_refused(client, town, project):
    """A form that cannot say which version it was opened on is not saved over the stored one."""
    sign_in_with_role(client, town, Role.PLANNER)
    path = reverse("manage:project_edit", args=["sopot", "p1"])
    data = project_post(project, progress=70)
    data.pop("version")
    response = client.post(path, data)
    assert response.status_code == 400 and "Някой друг" in response.content.decode()
    assert Project.objects.get(pk=project.pk).progress != 70


def test_funding_line_bad_input(client, town, project):
    sign_in_with_role(client, town, Role.PLANNER)
    path = reverse("manage:part_add", args=["sopot", "p1", "funding"])
    base = {"version": 1, "source": "municipal", "amount": "-10", "currency": "EUR", "spent": "0"}
    assert client.post(path, base).status_code == 400
    assert client.post(path, {**base, "amount": "10", "source": "lottery"}).status_code == 400
    assert FundingLine.objects.count() == 0
    assert client.post(path, {**base, "amount": "1000"}).status_code == 302
    assert FundingLine.objects.get().amount == 1000


def test_oversize_upload_is_refused(client, town, project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CIVITAS_MAX_UPLOAD_BYTES = 1024
    sign_in_with_role(client, town, Role.PLANNER)
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 4096)
    response = client.post(
        reverse("manage:document_add", args=["sopot", "p1"]),
        {"kind": "document", "title_bg": "Отчет", "upload": upload, "version": 1},
    )
    assert response.status_code == 400 and "MB" in response.content.decode()
    assert project.documents.count() == 0


def test_contribution_choices_are_grouped_by_plan_with_full_titles(client, town, plan, project):
    sign_in_with_role(client, town, Role.PLANNER)
    element = plan.elements.first()
    content = client.get(reverse("manage:project_edit", args=["sopot", "p1"])).content.decode()
    select = content[content.index('<select name="element_ids"') :]
    select = select[: select.index("</select>")]
    assert "multiple" in select.split(">")[0]
    group = select[select.index(f'<optgroup label="{plan}">') :]
    assert f'<option value="{element.pk}"' in group.split("</optgroup>")[0]
    assert f"{element.code} {element.title_bg}" in group
