"""The public pages of projects: the filtered, paginated list and a project's page."""

import pytest

from civitas.projects.models import FundingSource, ProjectStatus
from civitas.testing.factories import (
    FundingLineFactory,
    MunicipalityFactory,
    ProjectFactory,
)
from civitas.testing.pages import build_plan, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot", name_bg="Община Сопот", name_en="Sopot Municipality")


def test_project_list_filters(client, town):
    plan = build_plan(town)
    special = ProjectFactory(
        municipality=town,
        code="BIKE",
        title_bg="Велосипедна алея Сопот – Карлово",
        status=ProjectStatus.COMPLETED,
        search_text="bike велосипедна алея сопот – карлово",
    )
    FundingLineFactory(project=special, source=FundingSource.NATIONAL)
    base = url("portal:projects", "sopot")

    content = client.get(base).content.decode()
    assert "Велосипедна алея" in content and "P0-0" in content

    # Search ignores case in Cyrillic, on every database.
    content = client.get(base, {"q": "ВЕЛОСИПЕДНА"}).content.decode()
    assert "Велосипедна алея" in content and "P0-0" not in content

    content = client.get(base, {"status": "completed"}).content.decode()
    assert "Велосипедна алея" in content and "P0-0" not in content

    content = client.get(base, {"source": "national"}).content.decode()
    assert "Велосипедна алея" in content and "P0-0" not in content

    goal = plan.elements.get(code="SG1")
    content = client.get(base, {"element": goal.pk}).content.decode()
    # The goal's projects and those of the measures below it.
    assert "P0-0" in content and "P0-1" in content and "P1-0" not in content


def test_project_list_unknown_filter_values_are_reported_not_fatal(client, town):
    build_plan(town)
    response = client.get(
        url("portal:projects", "sopot"), {"element": "99999", "status": "bogus", "source": "x"}
    )
    assert response.status_code == 200
    assert "P0-0" in response.content.decode()
    assert "govuk-error-message" in response.content.decode()


def test_project_list_paginates(client, town):
    for i in range(45):
        ProjectFactory(municipality=town, code=f"Q{i:03d}")
    first = client.get(url("portal:projects", "sopot")).content.decode()
    assert "Q000" in first and "Q020" not in first
    third = client.get(url("portal:projects", "sopot"), {"page": 3}).content.decode()
    assert "Q040" in third and "Q000" not in third


def test_project_page_shows_everything(client, town):
    plan = build_plan(town, goals=1, projects_per_goal=1)
    project = plan.elements.get(code="SG1").projects.get()
    project.location = {"type": "LineString", "coordinates": [[24.754, 42.652], [24.806, 42.643]]}
    project.save()
    response = client.get(url("portal:project", "sopot", project.slug))
    content = response.content.decode()
    assert response.status_code == 200
    for text in [
        project.title_bg,
        "Община Карлово",
        "ОПРР",
        "SG1",
        "Дейност",
        "200\xa0000,00",
        "OpenStreetMap",
    ]:
        assert text in content, text
    english = client.get(url("portal:project", "sopot", project.slug, lang="en")).content.decode()
    assert project.title_en in english and "Karlovo Municipality" in english and "200,000.00" in english


def test_project_of_another_municipality_is_404(client, town):
    other = ProjectFactory(municipality=MunicipalityFactory(slug="karlovo"))
    assert client.get(url("portal:project", "sopot", other.slug)).status_code == 404
