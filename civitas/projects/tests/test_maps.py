"""Maps: the GeoJSON of the project list (same filters, fixed query count), the tile server in the
Content-Security-Policy, and the location field's checks (the picker's server side)."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from civitas.core import geo
from civitas.core.middleware import content_security_policy
from civitas.core.models import Role
from civitas.projects.models import Project, ProjectStatus
from civitas.testing.factories import MunicipalityFactory, ProjectFactory
from civitas.testing.signin import sign_in_with_role

from .test_manage_views import project_post

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
POINT = {"type": "Point", "coordinates": [24.754, 42.652]}
LINE = {"type": "LineString", "coordinates": [[24.754, 42.652], [24.78, 42.648], [24.806, 42.643]]}


def img_src(policy: str) -> str:
    return next(part for part in policy.split("; ") if part.startswith("img-src"))


@pytest.mark.parametrize(
    "tiles, expected",
    [
        ("", "img-src 'self' data:"),
        (OSM, "img-src 'self' data: https://tile.openstreetmap.org"),
        ("https://{s}.tiles.example.org:8443/a/{z}/{x}/{y}.png", "img-src 'self' data: https://*.tiles.example.org:8443"),
        ("not a url", "img-src 'self' data:"),
    ],
)  # fmt: skip
def test_images_are_allowed_from_the_tile_server_only_when_there_is_one(tiles, expected):
    assert img_src(content_security_policy(tiles)) == expected
    assert "script-src 'self'" in content_security_policy(tiles)


@pytest.mark.django_db
def test_the_page_header_follows_the_setting(client, settings):
    MunicipalityFactory(slug="sopot")
    settings.CIVITAS_MAP_TILES = ""
    header = client.get("/sopot/projects/").headers["Content-Security-Policy"]
    assert "openstreetmap" not in header
    settings.CIVITAS_MAP_TILES = OSM
    header = client.get("/sopot/projects/").headers["Content-Security-Policy"]
    assert img_src(header) == "img-src 'self' data: https://tile.openstreetmap.org"


def test_tests_ask_no_tile_server(settings):
    assert settings.CIVITAS_MAP_TILES == ""


@pytest.mark.django_db
def test_the_pages_give_the_maps_their_tile_server(client, settings):
    town = MunicipalityFactory(slug="sopot")
    ProjectFactory(municipality=town, slug="p1", location=POINT)
    settings.CIVITAS_MAP_TILES = OSM
    for path in ("/sopot/", "/sopot/projects/", "/sopot/projects/p1/"):
        assert f'data-tiles="{OSM}"' in client.get(path).content.decode(), path


@pytest.mark.parametrize(
    "geometry, marker",
    [
        (POINT, [24.754, 42.652]),
        (LINE, [24.78, 42.648]),
        ({"type": "MultiLineString", "coordinates": [LINE["coordinates"], [[1, 2], [3, 4]]]}, [24.78, 42.648]),
        ({"type": "Polygon", "coordinates": []}, None),
        (None, None),
    ],
)  # fmt: skip
def test_marker_point(geometry, marker):
    assert geo.marker_point(geometry) == marker


def map_data(client, **params) -> dict:
    response = client.get(reverse("portal:projects_map", args=["sopot"]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


@pytest.mark.django_db
def test_the_map_has_the_located_projects_of_the_list_with_the_same_filters(client):
    town = MunicipalityFactory(slug="sopot")
    ProjectFactory(municipality=town, code="A", slug="a", location=POINT, status=ProjectStatus.COMPLETED,
                   title_bg="Крепост", location_name_bg="Анево")  # fmt: skip
    ProjectFactory(municipality=town, code="B", slug="b", location=LINE, status=ProjectStatus.IN_PROGRESS)
    ProjectFactory(municipality=town, code="C", slug="c", location=None)
    ProjectFactory(municipality=MunicipalityFactory(slug="karlovo"), code="K", location=POINT)

    data = map_data(client)
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in data["features"]] == ["A", "B"]
    first = data["features"][0]
    assert first["geometry"] == POINT
    assert first["properties"] == {
        "code": "A", "title": "Крепост", "status": "completed", "status_label": "Завършен", "place": "Анево",
        "url": "/sopot/projects/a/", "marker": [24.754, 42.652],
    }  # fmt: skip
    assert data["features"][1]["geometry"] == LINE

    assert [f["properties"]["code"] for f in map_data(client, status="in_progress")["features"]] == ["B"]
    assert map_data(client, status="idea")["features"] == []


@pytest.mark.django_db
def test_the_list_page_points_its_map_at_its_filters(client):
    MunicipalityFactory(slug="sopot")
    content = client.get("/sopot/projects/", {"status": "completed", "q": "мост", "page": 2}).content.decode()
    assert (
        'data-geojson-url="/sopot/projects/map.geojson?status=completed&amp;q=%D0%BC%D0%BE%D1%81%D1%82"'
        in content
    )
    assert 'data-geojson-url="/sopot/projects/map.geojson"' in client.get("/sopot/projects/").content.decode()


@pytest.mark.django_db
def test_the_map_data_takes_the_same_queries_for_few_and_many_projects(client, django_assert_num_queries):
    town = MunicipalityFactory(slug="sopot")
    ProjectFactory(municipality=town, location=POINT)
    path = reverse("portal:projects_map", args=["sopot"])
    # The municipality (with its content versions, for the page cache), the projects.
    with django_assert_num_queries(2):
        assert len(json.loads(client.get(path, {"status": "in_progress"}).content)["features"]) == 1
    for _ in range(30):
        ProjectFactory(municipality=town, location=LINE)
    cache.clear()
    with django_assert_num_queries(2):
        assert len(json.loads(client.get(path, {"status": "in_progress"}).content)["features"]) == 31


@pytest.mark.django_db
def test_the_project_page_carries_its_map_and_a_page_without_a_place_none(client):
    town = MunicipalityFactory(slug="sopot")
    ProjectFactory(municipality=town, slug="a", location=LINE, location_name_bg="Сопот – Анево")
    ProjectFactory(municipality=town, slug="b", location=None)
    content = client.get("/sopot/projects/a/").content.decode()
    assert 'id="project-map-data" type="application/json"' in content
    assert '"type": "LineString"' in content and "Сопот – Анево" in content
    assert "project-map-data" not in client.get("/sopot/projects/b/").content.decode()


# The location field: the picker writes GeoJSON into it; the server checks whatever arrives.
@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "GeoJSON"),
        ("[24.75, 42.65]", "геометричен обект"),  # not an object
        ('{"type": "Polygon", "coordinates": [[[1, 2], [3, 4], [1, 2]]]}', "LineString"),
        ('{"type": "Point", "coordinates": [24.75, 95]}', "дължина"),  # latitude out of range
        ('{"type": "LineString", "coordinates": [[24.75, 42.65]]}', "дължина"),  # one point
        ('{"type": "LineString", "coordinates": [[24.75, 42.65], [200, 42]]}', "дължина"),
    ],
)  # fmt: skip
@pytest.mark.django_db
def test_bad_geojson_is_refused_at_the_field_in_the_users_language(client, town, project, text, message):
    sign_in_with_role(client, town, Role.PLANNER)
    response = client.post(
        reverse("manage:project_edit", args=["sopot", "p1"]), project_post(project, location_text=text)
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_location_text_error"' in content and message in content
    assert Project.objects.get(pk=project.pk).location is None


@pytest.mark.parametrize("geometry", [POINT, LINE])
@pytest.mark.django_db
def test_a_point_or_a_line_is_saved_and_shown_again_on_the_form(client, town, project, geometry):
    sign_in_with_role(client, town, Role.PLANNER)
    path = reverse("manage:project_edit", args=["sopot", "p1"])
    response = client.post(path, project_post(project, location_text=json.dumps(geometry)))
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).location == geometry
    content = client.get(path).content.decode()
    assert "data-civitas-picker" in content and "За напреднали: GeoJSON" in content
    assert 'data-context-url="/sopot/projects/map.geojson"' in content
    assert '<details class="govuk-details civitas-picker__advanced" data-picker-details open>' in content
    assert json.dumps(geometry, ensure_ascii=False).replace('"', "&quot;") in content


@pytest.mark.django_db
def test_an_empty_location_clears_it(client, town, project):
    project.location = POINT
    project.save()
    sign_in_with_role(client, town, Role.PLANNER)
    path = reverse("manage:project_edit", args=["sopot", "p1"])
    fresh = Project.objects.get(pk=project.pk)
    assert client.post(path, project_post(fresh, location_text="  ")).status_code == 302
    assert Project.objects.get(pk=project.pk).location is None
