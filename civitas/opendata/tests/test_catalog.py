"""The DCAT-AP catalogue: valid against the DCAT-AP 3.0.1 SHACL shapes (and a broken one is not),
in Turtle and JSON-LD, per municipality and for the site, with every dataset and format."""

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SH

from civitas.opendata import catalog, datasets, downloads, exports
from civitas.testing import factories as f

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    graph.parse(DATA / "dcat-ap-3.0.1-shacl.ttl", format="turtle")
    graph.parse(DATA / "dcat-ap-3.0.1-ranges.ttl", format="turtle")
    # The release names five property shapes that neither file defines (no path, no constraint);
    # pyshacl refuses such a reference, and dropping it drops no rule.
    undefined = [(s, o) for s, o in graph.subject_objects(SH.property) if (o, SH.path, None) not in graph]
    assert len(undefined) == 5
    for shape, reference in undefined:
        graph.remove((shape, SH.property, reference))
    return graph


def _check(graph: Graph, shapes: Graph) -> tuple[bool, str]:
    conforms, _report, text = validate(graph, shacl_graph=shapes, inference="none", advanced=True)
    return conforms, text


@pytest.fixture
def town():
    sopot = f.MunicipalityFactory(slug="sopot", name_bg="Сопот", name_en="Sopot", email="obshtina@sopot.bg",
                                  website="https://sopot.bg/")  # fmt: skip
    f.PlanFactory(municipality=sopot, period_start=2021, period_end=2027)
    f.PlanFactory(municipality=sopot, period_start=2014, period_end=2020)
    f.MunicipalityFactory(slug="karlovo", name_bg="Карлово", name_en="")
    return sopot


@pytest.mark.parametrize(
    "url", ["/sopot/catalog.ttl", "/catalog.ttl", "/sopot/catalog.jsonld", "/catalog.jsonld"]
)
def test_the_published_catalogue_conforms_to_dcat_ap_3(client, town, shapes, url):
    response = client.get(url)
    assert response.status_code == 200
    turtle = url.endswith(".ttl")
    assert response["Content-Type"] == (catalog.TURTLE if turtle else catalog.JSONLD)
    graph = Graph().parse(data=response.content.decode(), format="turtle" if turtle else "json-ld")
    conforms, text = _check(graph, shapes)
    assert conforms, text
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == len(datasets.DATASETS)
    distributions = list(graph.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == len(datasets.DATASETS) * len(exports.FORMATS)


def test_a_municipality_without_plans_or_contact_is_still_valid(client, shapes):
    f.MunicipalityFactory(slug="empty", name_en="")
    graph = Graph().parse(data=client.get("/empty/catalog.ttl").content.decode(), format="turtle")
    conforms, text = _check(graph, shapes)
    assert conforms, text
    assert not list(graph.subjects(RDF.type, DCTERMS.PeriodOfTime))


@pytest.mark.parametrize(
    "break_it",
    [
        "no_title",
        "no_access_url",
        "publisher_not_an_agent",
        "frequency_a_literal",
    ],
)
def test_a_broken_catalogue_fails_the_shapes(town, shapes, break_it):
    graph = catalog.catalog_graph(town)
    dataset = URIRef(catalog._absolute(catalog.page_path(town)) + "#measurements")
    distribution = next(graph.objects(dataset, DCAT.distribution))
    if break_it == "no_title":
        graph.remove((dataset, DCTERMS.title, None))
    elif break_it == "no_access_url":
        graph.remove((distribution, DCAT.accessURL, None))
    elif break_it == "publisher_not_an_agent":
        publisher = next(graph.objects(dataset, DCTERMS.publisher))
        graph.remove((publisher, RDF.type, None))
    else:
        graph.remove((dataset, DCTERMS.accrualPeriodicity, None))
        graph.add((dataset, DCTERMS.accrualPeriodicity, Literal("every day")))
    conforms, _text = _check(graph, shapes)
    assert not conforms


def test_the_catalogue_describes_each_dataset_for_harvesters(client, town):
    graph = Graph().parse(data=client.get("/sopot/catalog.ttl").content.decode(), format="turtle")
    dataset = URIRef("http://testserver/sopot/open-data/#measurements".replace("http://testserver", _site()))
    titles = {literal.language: str(literal) for literal in graph.objects(dataset, DCTERMS.title)}
    assert titles["en"] == "Indicator values" and set(titles) == {"bg", "en"}
    for distribution in graph.objects(dataset, DCAT.distribution):
        assert (distribution, DCTERMS.license, catalog.LICENCE) in graph
    assert (dataset, DCTERMS.accrualPeriodicity, URIRef(catalog.EU + "frequency/CONT")) in graph
    period = next(graph.objects(dataset, DCTERMS.temporal))
    assert str(next(graph.objects(period, DCAT.startDate))) == "2014-01-01"
    assert str(next(graph.objects(period, DCAT.endDate))) == "2027-12-31"
    contact = next(graph.objects(dataset, DCAT.contactPoint))
    assert URIRef("mailto:obshtina@sopot.bg") in set(graph.objects(contact, None))
    downloads = {
        str(o) for d in graph.objects(dataset, DCAT.distribution) for o in graph.objects(d, DCAT.downloadURL)
    }
    assert downloads == {f"{_site()}/sopot/open-data/measurements.{fmt}" for fmt in ("csv", "xlsx", "jsonl")}
    media = {
        str(o) for d in graph.objects(dataset, DCAT.distribution) for o in graph.objects(d, DCAT.mediaType)
    }
    assert "http://www.iana.org/assignments/media-types/text/csv" in media


def test_every_download_in_the_catalogue_answers(client, town, monkeypatch):
    monkeypatch.setattr(downloads, "DOWNLOADS_PER_MINUTE", 1000)
    graph = catalog.catalog_graph(None)
    for url in graph.objects(None, DCAT.downloadURL):
        path = str(url).removeprefix(_site())
        assert client.get(path).status_code == 200, path


def test_the_catalogue_takes_a_fixed_number_of_queries(client, town, django_assert_num_queries):
    with django_assert_num_queries(2):  # the municipality, the years of its plans
        client.get("/sopot/catalog.ttl")


def _site() -> str:
    return catalog._absolute("")
