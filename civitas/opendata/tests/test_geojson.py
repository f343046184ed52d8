"""The projects' GeoJSON (RFC 7946) at <municipality>/projects/map.geojson: a FeatureCollection of
the projects of the list, with the list's filters, whose coordinates are [longitude, latitude]."""

import json

import pytest
from django.core.cache import cache

from civitas.plans.models import PlanStatus
from civitas.projects.models import FundingSource
from civitas.testing.factories import (
    FundingLineFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectContributionFactory,
    ProjectFactory,
)
from civitas.testing.pages import url

pytestmark = pytest.mark.django_db

SOPOT = [24.4716, 42.6553]  # lon, lat


@pytest.fixture
def projects(town):
    plan = PlanFactory(municipality=town, slug="opr", status=PlanStatus.ADOPTED)
    goal = PlanElementFactory(plan=plan, code="G1")
    measure = PlanElementFactory(plan=plan, parent=goal, code="M1")
    other = PlanElementFactory(plan=plan, code="G2")
    made = {}
    rows = [  # code, status, element, source, title, located
        ("A1", "in_progress", measure, FundingSource.EU, "Алея край реката", True),
        ("A2", "completed", goal, FundingSource.MUNICIPAL, "Училище", True),
        ("A3", "in_progress", other, FundingSource.EU, "Алея в парка", True),
        ("A4", "in_progress", measure, FundingSource.EU, "Алея без място", False),
        ("A5", "idea", None, FundingSource.NATIONAL, "Площад", True),
    ]
    for n, (code, status, element, source, title, located) in enumerate(rows):
        location = (
            {"type": "Point", "coordinates": [SOPOT[0] + n / 100, SOPOT[1] + n / 1000]} if located else None
        )
        project = ProjectFactory(
            municipality=town, code=code, status=status, title_bg=title, location=location
        )
        if element is not None:
            ProjectContributionFactory(project=project, element=element)
        FundingLineFactory(project=project, source=source)
        made[code] = project
    ProjectFactory(
        municipality=MunicipalityFactory(slug="anevo"),
        code="X1",
        location={"type": "Point", "coordinates": SOPOT},
    )
    return made, {"goal": goal, "measure": measure, "other": other}


def geojson(client, query: str) -> dict:
    cache.clear()
    response = client.get(url("portal:projects_map", "sopot") + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def listed(client, query: str) -> set[str]:
    cache.clear()
    response = client.get(url("portal:projects", "sopot") + query)
    assert response.status_code == 200
    return {project.code for project in response.context["page"].object_list}


def test_the_collection_is_rfc_7946_with_longitude_first(client, projects):
    made, _elements = projects
    body = geojson(client, "")
    assert body["type"] == "FeatureCollection"
    assert "crs" not in body  # RFC 7946 has no crs: WGS 84 longitude, latitude
    for feature in body["features"]:
        assert feature["type"] == "Feature"
        assert set(feature) == {"type", "geometry", "properties"}
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert 22 < lon < 29 and 41 < lat < 45  # Bulgaria: longitude first
        project = made[feature["properties"]["code"]]
        assert feature["geometry"] == project.location
        assert feature["properties"]["url"] == f"/sopot/projects/{project.slug}/"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status=in_progress",
        "?element={measure}",
        "?element={goal}",  # the goal and everything under it
        "?source=eu",
        "?q=алея",
        "?status=in_progress&source=eu&element={goal}&q=реката",
        "?status=nonsense",  # an unknown value is reported by the list and not used by either
        "?element=99999",
        "?element=abc",
        "?source=gold",
    ],
)
def test_the_map_shows_the_located_projects_of_the_same_list(client, projects, query):
    made, elements = projects
    query = query.format(**{name: element.pk for name, element in elements.items()})
    codes = {feature["properties"]["code"] for feature in geojson(client, query)["features"]}
    on_list = listed(client, query)
    assert codes == {code for code in on_list if made[code].location}
    assert "X1" not in codes


def test_the_map_is_the_same_for_the_list_pages_query(client, projects):
    """The list's page links to the map with its own filters."""
    made, elements = projects
    cache.clear()
    response = client.get(
        url("portal:projects", "sopot") + f"?status=in_progress&element={elements['goal'].pk}"
    )
    map_url = response.context["map_url"]
    assert "status=in_progress" in map_url and f"element={elements['goal'].pk}" in map_url
    codes = {f["properties"]["code"] for f in geojson(client, map_url.split("map.geojson", 1)[1])["features"]}
    assert codes == {"A1"}


def test_the_map_runs_the_same_queries_whatever_its_size(client, projects, town, django_assert_num_queries):
    for size in (0, 6):
        for _n in range(size):
            ProjectFactory(municipality=town, location={"type": "Point", "coordinates": SOPOT})
        cache.clear()
        with django_assert_num_queries(2):  # the municipality, the projects
            client.get(url("portal:projects_map", "sopot"))
        cache.clear()
        with django_assert_num_queries(4):  # and the element of the filter, and the ids under it
            client.get(url("portal:projects_map", "sopot") + f"?element={projects[1]['goal'].pk}&status=idea")
