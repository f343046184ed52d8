"""The publicity register's API: events with their photos, materials and publications, each with
the project it is about; filters, pagination and a fixed number of queries."""

import datetime

import pytest

from civitas.publicity.models import Publication, PublicityEvent, PublicityMaterial
from civitas.testing.factories import (
    EventPhotoFactory,
    MunicipalityFactory,
    ProjectFactory,
    PublicationFactory,
    PublicityEventFactory,
    PublicityMaterialFactory,
)

from .participation_checks import load_sopot, refused, same_queries_at_two_sizes, walk, without_rate_limit

pytestmark = pytest.mark.django_db

URL = "/api/v1/publicity"


@pytest.fixture(autouse=True)
def _unlimited(settings):
    without_rate_limit(settings)


def test_the_sopot_register(client):
    sopot = load_sopot()
    events = walk(client, f"{URL}/events?municipality=sopot")
    assert sorted(e["id"] for e in events) == sorted(
        PublicityEvent.objects.filter(municipality=sopot).values_list("pk", flat=True)
    )
    event = events[0]
    stored = PublicityEvent.objects.get(pk=event["id"])
    assert event["web_url"].endswith(f"/sopot/publicity/events/{stored.pk}/")
    assert len(event["photos"]) == stored.photos.count()
    assert client.get(event["url"]).json() == event
    materials = walk(client, f"{URL}/materials?municipality=sopot")
    assert {m["quantity"] for m in materials} == set(
        PublicityMaterial.objects.filter(municipality=sopot).values_list("quantity", flat=True)
    )
    publications = walk(client, f"{URL}/publications?municipality=sopot")
    assert len(publications) == Publication.objects.filter(municipality=sopot).count()
    for record in [*materials, *publications]:  # their page is the project's
        if record["project"]:
            assert record["web_url"].endswith(f"/sopot/projects/{record['project']}/")


def test_filters_by_municipality_project_year_kind_and_medium(client):
    town, other = MunicipalityFactory(), MunicipalityFactory()
    project = ProjectFactory(municipality=town)
    hearing = PublicityEventFactory(municipality=town, project=project, kind="public_hearing")
    later = PublicityEventFactory(municipality=town, date=datetime.date(2015, 2, 1))
    PublicityEventFactory(municipality=other)
    assert {e["id"] for e in walk(client, f"{URL}/events?municipality={town.slug}")} == {hearing.pk, later.pk}
    assert [e["id"] for e in walk(client, f"{URL}/events?project={project.slug}")] == [hearing.pk]
    assert [e["id"] for e in walk(client, f"{URL}/events?municipality={town.slug}&year=2015")] == [later.pk]
    assert [e["id"] for e in walk(client, f"{URL}/events?kind=public_hearing")] == [hearing.pk]
    banner = PublicityMaterialFactory(municipality=town, kind="banner")
    PublicityMaterialFactory(municipality=town)
    assert [m["id"] for m in walk(client, f"{URL}/materials?kind=banner")] == [banner.pk]
    website = PublicationFactory(municipality=town, medium="website")
    PublicationFactory(municipality=town)
    assert [p["id"] for p in walk(client, f"{URL}/publications?medium=website")] == [website.pk]
    assert walk(client, f"{URL}/publications?updated_since=2999-01-01") == []


@pytest.mark.parametrize(
    ("path", "query", "code"),
    [
        ("events", "?kind=banner", "invalid_parameter"),
        ("events", "?year=last", "invalid_parameter"),
        ("materials", "?kind=press_conference", "invalid_parameter"),
        ("publications", "?medium=pigeon", "invalid_parameter"),
        ("publications", "?kind=banner", "unknown_parameter"),
        ("materials", "?municipality=nowhere", "invalid_parameter"),
    ],
)
def test_bad_filters_are_json_400s(client, path, query, code):
    refused(client, f"{URL}/{path}{query}", code)


def test_pages_cost_the_same_whatever_their_size(client, django_assert_num_queries):
    town = MunicipalityFactory()
    project = ProjectFactory(municipality=town)
    events = [PublicityEventFactory(municipality=town, project=project) for _ in range(12)]
    for event in events:
        EventPhotoFactory(event=event)
        EventPhotoFactory(event=event)
    for _ in range(12):
        PublicityMaterialFactory(municipality=town, project=project)
        PublicationFactory(municipality=town)
    assert sorted(e["id"] for e in walk(client, f"{URL}/events?limit=5")) == sorted(e.pk for e in events)
    # Events: the page and its photos; materials and publications: the page alone.
    same_queries_at_two_sizes(client, django_assert_num_queries, f"{URL}/events", 2, small=2, large=12)
    same_queries_at_two_sizes(client, django_assert_num_queries, f"{URL}/materials", 1, small=2, large=12)
    same_queries_at_two_sizes(client, django_assert_num_queries, f"{URL}/publications", 1, small=2, large=12)
