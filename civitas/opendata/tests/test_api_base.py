"""The API's shared behaviour: JSON errors, strict filters, cursor pagination, conditional GET,
the anonymous rate limit and the documentation."""

import importlib
import pkgutil

import pytest
from django.core.cache import caches
from django.test import override_settings
from ninja import Schema

from civitas.opendata import api as api_package
from civitas.opendata.api.base import MAX_LIMIT, encode_cursor
from civitas.testing.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/municipalities"


@pytest.fixture
def towns():
    return [MunicipalityFactory(slug=f"town-{n:02d}") for n in range(7)]


def test_the_list_walks_every_municipality_once_by_cursor(client, towns):
    seen, url = [], URL + "?limit=3"
    while url:
        body = client.get(url).json()
        assert len(body["items"]) <= 3
        seen += [item["slug"] for item in body["items"]]
        url = body["next"]
    assert sorted(seen) == sorted(t.slug for t in towns)
    assert len(seen) == len(set(seen))


def test_a_page_runs_the_same_queries_whatever_its_size(client, towns, django_assert_num_queries):
    client.get(URL + "?limit=1")  # warm up the throttle table
    with django_assert_num_queries(3):  # the rate-limit counter (read, compare-and-set) and the page
        assert len(client.get(URL + "?limit=1").json()["items"]) == 1
    with django_assert_num_queries(3):
        assert len(client.get(URL + "?limit=7").json()["items"]) == 7


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?limit=0", "invalid_limit"),
        (f"?limit={MAX_LIMIT + 1}", "invalid_limit"),
        ("?limit=ten", "invalid_limit"),
        ("?cursor=%%%", "invalid_cursor"),
        ("?cursor=" + encode_cursor("x"), "invalid_cursor"),
        ("?cursor=bm90IGpzb24", "invalid_cursor"),
        ("?colour=red", "unknown_parameter"),
    ],
)
def test_bad_paging_and_unknown_filters_are_json_400s(client, towns, query, code):
    response = client.get(URL + query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == code
    assert response.json()["detail"]


def test_an_unknown_object_is_a_json_404_in_the_request_language(client, towns):
    response = client.get(URL + "/no-such-town", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
    bulgarian = client.get(URL + "/no-such-town", HTTP_ACCEPT_LANGUAGE="bg").json()["detail"]
    assert bulgarian != "Not found."


def test_a_read_carries_an_etag_and_a_repeat_gets_304_until_the_data_changes(client, towns):
    first = client.get(URL + "/town-01")
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    again = client.get(URL + "/town-01", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    towns[1].name_en = "Renamed"
    towns[1].save()
    changed = client.get(URL + "/town-01", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["name_en"] == "Renamed"


def test_anonymous_clients_are_limited_with_a_json_429(client, towns):
    caches["throttle"].clear()
    with override_settings(CIVITAS_API_ANONYMOUS_PER_MINUTE=3):
        statuses = [client.get(URL).status_code for _ in range(5)]
        refused = client.get(URL)
    assert statuses == [200, 200, 200, 429, 429]
    assert refused.json()["code"] == "rate_limited" and refused["Retry-After"] == "60"


def test_the_openapi_description_and_its_documentation_are_served_from_this_site(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Civitas API"
    assert "/api/v1/municipalities" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    text = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle" in text and "cdn" not in text.lower()
    assert "script-src 'self';" in docs["Content-Security-Policy"]


def test_no_two_schemas_of_the_api_share_a_name():
    """The OpenAPI description names each schema by its class: two classes of one name would make
    one endpoint's answer documented by the other's schema."""
    seen: dict[str, list[str]] = {}
    for info in pkgutil.iter_modules(api_package.__path__):
        module = importlib.import_module(f"{api_package.__name__}.{info.name}")
        for name, cls in vars(module).items():
            if isinstance(cls, type) and issubclass(cls, Schema) and cls.__module__ == module.__name__:
                seen.setdefault(name, []).append(module.__name__)
    assert len(seen) > 30
    assert {name: modules for name, modules in seen.items() if len(modules) > 1} == {}


@pytest.mark.parametrize("address", [URL + "?municipality=so%00pot", URL + "/so%00pot", URL + "?%00=1"])
def test_a_nul_character_is_a_json_400_before_the_database_sees_it(client, towns, address):
    response = client.get(address)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameter"
