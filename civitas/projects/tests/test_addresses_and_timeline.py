"""A project's address: transliterated from a Cyrillic code, and old addresses redirecting to the
current one; its activities as a timeline that warns of overdue ones; documents and photos."""

import datetime

import pytest
from django.core.files.base import ContentFile

from civitas.core.permissions import OPERATOR
from civitas.projects import rules, services
from civitas.projects.models import ActivityState, DocumentKind, ProjectDocument, ProjectFormerSlug
from civitas.testing.factories import ActivityFactory, MunicipalityFactory, ProjectFactory
from civitas.testing.pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot", name_bg="Община Сопот", name_en="Sopot Municipality")


def test_a_cyrillic_code_gives_a_transliterated_address(client, town):
    project = services.project_create(actor=OPERATOR, municipality=town, code="ПР-1", title_bg="Ремонт")
    assert project.slug == "pr-1"
    response = client.get(url("portal:project", "sopot", "pr-1"))
    assert response.status_code == 200 and "Ремонт" in response.content.decode()


def test_a_changed_address_redirects_permanently(client, town):
    project = services.project_create(actor=OPERATOR, municipality=town, code="ПР-1", title_bg="Ремонт")
    services.project_update(actor=OPERATOR, project=project, expected_version=project.version, slug="remont")
    response = client.get(url("portal:project", "sopot", "pr-1"))
    assert response.status_code == 301
    assert response["Location"] == url("portal:project", "sopot", "remont")
    english = client.get(url("portal:project", "sopot", "pr-1", lang="en"))
    assert english.status_code == 301 and english["Location"] == url(
        "portal:project", "sopot", "remont", lang="en"
    )
    # Changed again: both earlier addresses lead to the current one.
    project.refresh_from_db()
    services.project_update(
        actor=OPERATOR, project=project, expected_version=project.version, slug="remont-2"
    )
    assert client.get(url("portal:project", "sopot", "pr-1"))["Location"].endswith("/remont-2/")
    assert client.get(url("portal:project", "sopot", "remont"))["Location"].endswith("/remont-2/")


def test_a_former_address_taken_by_another_project_leads_to_that_project(client, town):
    project = services.project_create(actor=OPERATOR, municipality=town, code="ПР-1", title_bg="Ремонт")
    services.project_update(actor=OPERATOR, project=project, expected_version=project.version, slug="remont")
    services.project_create(actor=OPERATOR, municipality=town, code="ПР-2", title_bg="Друг", slug="pr-1")
    assert client.get(url("portal:project", "sopot", "pr-1")).status_code == 200
    assert not ProjectFormerSlug.objects.filter(slug="pr-1").exists()


def test_a_slug_back_to_a_former_one_is_no_longer_redirected(client, town):
    project = services.project_create(actor=OPERATOR, municipality=town, code="ПР-1", title_bg="Ремонт")
    services.project_update(actor=OPERATOR, project=project, expected_version=project.version, slug="remont")
    project.refresh_from_db()
    services.project_update(actor=OPERATOR, project=project, expected_version=project.version, slug="pr-1")
    assert client.get(url("portal:project", "sopot", "pr-1")).status_code == 200
    assert client.get(url("portal:project", "sopot", "remont"))["Location"].endswith("/pr-1/")


def test_an_unknown_address_is_still_404(client, town):
    assert client.get(url("portal:project", "sopot", "3")).status_code == 404


def test_the_old_numeric_address_redirects_after_the_data_migration(client, town):
    """The data migration (0005) moves a project whose address dropped its Cyrillic letters ("3")
    to the transliterated one and keeps the old one as a former address."""
    from importlib import import_module  # Imported here: the migration module's name starts with a digit.

    from django.apps import apps

    migration = import_module("civitas.projects.migrations.0005_pages_transliterated_slugs")
    numeric = ProjectFactory(municipality=town, code="ОПР-3", slug="3")
    chosen = ProjectFactory(municipality=town, code="ОПР-4", slug="my-own")
    migration.transliterate_slugs(apps, None)
    numeric.refresh_from_db()
    chosen.refresh_from_db()
    assert numeric.slug == "opr-3" and chosen.slug == "my-own"
    response = client.get(url("portal:project", "sopot", "3"))
    assert response.status_code == 301 and response["Location"] == url("portal:project", "sopot", "opr-3")


@pytest.mark.parametrize(
    ("state", "due", "completed", "overdue"),
    [
        (ActivityState.PLANNED, datetime.date(2020, 1, 31), None, True),
        (ActivityState.IN_PROGRESS, datetime.date(2020, 1, 31), None, True),
        (ActivityState.DELAYED, datetime.date(2020, 1, 31), None, True),
        (ActivityState.PLANNED, datetime.date(2020, 2, 1), None, False),  # due today: not yet
        (ActivityState.PLANNED, None, None, False),
        (ActivityState.DONE, datetime.date(2020, 1, 31), datetime.date(2020, 1, 30), False),
        (ActivityState.CANCELLED, datetime.date(2020, 1, 31), None, False),
        (ActivityState.IN_PROGRESS, datetime.date(2020, 1, 31), datetime.date(2020, 1, 31), False),
    ],
)
def test_overdue_rule(state, due, completed, overdue):
    today = datetime.date(2020, 2, 1)
    assert rules.activity_overdue(state=state, due_date=due, completed_on=completed, today=today) is overdue


def test_project_page_marks_overdue_activities_and_shows_a_timeline(client, town):
    project = ProjectFactory(municipality=town)
    ActivityFactory(project=project, title_bg="Закъсняла", state=ActivityState.PLANNED,
                    due_date=datetime.date(2016, 3, 1))  # fmt: skip
    ActivityFactory(project=project, title_bg="Бъдеща", state=ActivityState.PLANNED,
                    due_date=datetime.date.today() + datetime.timedelta(days=30), is_milestone=True)  # fmt: skip
    content = client.get(url("portal:project", "sopot", project.slug)).content.decode()
    assert content.count("govuk-tag--red civitas-activity-state") == 1
    assert "Закъсняла" in content and "is-overdue" in content and "is-milestone" in content
    english = client.get(url("portal:project", "sopot", project.slug, lang="en")).content.decode()
    assert "Overdue" in english and "was due 1 Mar 2016" in english


def test_back_office_marks_overdue_activities(client, town):
    from civitas.testing.signin import sign_in_with_role  # Imported here: testing sits above projects.

    project = ProjectFactory(municipality=town)
    ActivityFactory(project=project, state=ActivityState.IN_PROGRESS, due_date=datetime.date(2016, 3, 1))
    sign_in_with_role(client, town, "project_manager")
    content = client.get(url("manage:project_edit", "sopot", project.slug)).content.decode()
    assert "govuk-tag--red civitas-activity-state" in content


def test_project_page_shows_photos_as_a_gallery_and_documents_with_type_and_size(
    client, town, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory(municipality=town)
    photo = ProjectDocument(project=project, kind=DocumentKind.PHOTO, title_bg="Площадът", size=120)
    photo.file.save("square.png", ContentFile(b"png"), save=True)
    document = ProjectDocument(project=project, kind=DocumentKind.DOCUMENT, title_bg="Договор", size=2048)
    document.file.save("contract.pdf", ContentFile(b"%PDF"), save=True)
    content = client.get(url("portal:project", "sopot", project.slug)).content.decode()
    assert 'alt="Площадът"' in content and "civitas-gallery" in content
    assert "Договор" in content and "PDF, 2,0" in content
