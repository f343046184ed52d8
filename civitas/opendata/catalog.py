"""The DCAT-AP 3 catalogue of the open datasets, for national and European portals to harvest.

One catalogue per municipality (its datasets, published by the municipality, its e-mail as the
contact point) and one for the whole installation (the same datasets over every municipality).
Each dataset has a distribution per file format with its download address and media type, the
licence (CC BY 4.0), the update frequency and data theme from the EU vocabularies, and the years
its plans cover. Titles and descriptions are given in Bulgarian and English. The tests check it
against the DCAT-AP 3.0.1 SHACL shapes.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from civitas.core.models import Municipality

from . import exports
from .datasets import DATASETS, Dataset, temporal_coverage

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
LICENCE = URIRef(EU + "licence/CC_BY_4_0")
LICENCE_PAGE = "https://creativecommons.org/licenses/by/4.0/"
LANGUAGES = (URIRef(EU + "language/BUL"), URIRef(EU + "language/ENG"))
THEMES = URIRef(EU + "data-theme")
COUNTRY = URIRef(EU + "country/BGR")
IANA = "http://www.iana.org/assignments/media-types/"
LANGUAGE_CODES = ("bg", "en")

INSTALLATION_TITLE = gettext_lazy("Open data of the municipalities on this Civitas site")
INSTALLATION_DESCRIPTION = gettext_lazy(
    "The plans, projects, indicators with their published values, consultations and survey results "
    "of every municipality on this Civitas site, in files that cover them all."
)
TURTLE = "text/turtle; charset=utf-8"
JSONLD = "application/ld+json"


def _both(value) -> list[Literal]:
    """A lazily translated text in Bulgarian and in English."""
    literals = []
    for code in LANGUAGE_CODES:
        with translation.override(code):
            literals.append(Literal(str(value), lang=code))
    return literals


def _add_both(graph: Graph, subject, predicate, value) -> None:
    for literal in _both(value):
        graph.add((subject, predicate, literal))


def _absolute(path: str) -> str:
    return settings.CIVITAS_SITE_URL.rstrip("/") + path


def page_path(municipality: Municipality | None) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # the address without a language prefix
        if municipality is None:
            return reverse("opendata:index")
        return reverse("opendata:municipality_index", args=[municipality.slug])


def download_path(dataset: Dataset, fmt: exports.Format, municipality: Municipality | None) -> str:
    if municipality is None:
        return reverse("opendata_files:download", args=[dataset.slug, fmt.slug])
    return reverse("opendata_files:municipality_download", args=[municipality.slug, dataset.slug, fmt.slug])


def catalog_path(municipality: Municipality | None, fmt: str) -> str:
    """The catalogue's address: ``fmt`` is "ttl" or "jsonld"."""
    if municipality is None:
        return reverse(f"opendata_files:catalog_{fmt}")
    return reverse(f"opendata_files:municipality_catalog_{fmt}", args=[municipality.slug])


def catalog_graph(municipality: Municipality | None, *, today: datetime.date | None = None) -> Graph:
    """The catalogue as an RDF graph (two queries: the municipality is already loaded)."""
    today = today or datetime.date.today()
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("skos", SKOS),
        ("vcard", VCARD),
    ):
        graph.bind(prefix, namespace)
    home = _absolute(page_path(municipality))
    catalog = URIRef(home + "#catalog")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    if municipality is None:
        _add_both(graph, catalog, DCTERMS.title, INSTALLATION_TITLE)
        _add_both(graph, catalog, DCTERMS.description, INSTALLATION_DESCRIPTION)
    else:
        for code in LANGUAGE_CODES:
            with translation.override(code):
                names = {"name": municipality.name}
                graph.add((catalog, DCTERMS.title, Literal(_("Open data of %(name)s") % names, lang=code)))
                description = _(
                    "The plans, projects, indicators with their published values, consultations and survey "
                    "results of %(name)s, as published on its Civitas portal."
                )
                graph.add((catalog, DCTERMS.description, Literal(description % names, lang=code)))
    publisher = _publisher(graph, municipality)
    contact = _contact(graph, municipality, home)
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, FOAF.homepage, _document(graph, home)))
    graph.add((catalog, DCTERMS.license, _licence(graph)))
    graph.add((catalog, DCTERMS.modified, Literal(today, datatype=XSD.date)))
    graph.add((catalog, DCTERMS.spatial, _country(graph)))
    graph.add((catalog, DCAT.themeTaxonomy, THEMES))
    graph.add((THEMES, RDF.type, SKOS.ConceptScheme))
    graph.add((THEMES, DCTERMS.title, Literal("Data theme", lang="en")))
    for language in LANGUAGES:
        graph.add((catalog, DCTERMS.language, language))
        graph.add((language, RDF.type, DCTERMS.LinguisticSystem))
    coverage = temporal_coverage(municipality)
    for dataset in DATASETS:
        node = URIRef(f"{home}#{dataset.slug}")
        graph.add((catalog, DCAT.dataset, node))
        _dataset(graph, node, dataset, municipality, publisher, contact, home, coverage)
    return graph


def _dataset(graph, node, dataset: Dataset, municipality, publisher, contact, home: str, coverage) -> None:
    graph.add((node, RDF.type, DCAT.Dataset))
    _add_both(graph, node, DCTERMS.title, dataset.title)
    _add_both(graph, node, DCTERMS.description, dataset.description)
    scope = municipality.slug if municipality is not None else "all"
    graph.add((node, DCTERMS.identifier, Literal(f"{scope}/{dataset.slug}")))
    graph.add((node, DCTERMS.publisher, publisher))
    graph.add((node, DCAT.contactPoint, contact))
    graph.add((node, DCAT.landingPage, _document(graph, f"{home}#{dataset.slug}")))
    frequency = URIRef(EU + "frequency/" + dataset.frequency)
    graph.add((node, DCTERMS.accrualPeriodicity, frequency))
    graph.add((frequency, RDF.type, DCTERMS.Frequency))
    theme = URIRef(EU + "data-theme/" + dataset.theme)
    graph.add((node, DCAT.theme, theme))
    graph.add((theme, RDF.type, SKOS.Concept))
    graph.add((theme, SKOS.inScheme, THEMES))
    graph.add((theme, SKOS.prefLabel, Literal(dataset.theme, lang="en")))
    graph.add((node, DCTERMS.spatial, _country(graph)))
    for language in LANGUAGES:
        graph.add((node, DCTERMS.language, language))
    if coverage is not None:
        period = BNode()
        graph.add((node, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        graph.add((period, DCAT.startDate, Literal(datetime.date(coverage[0], 1, 1), datatype=XSD.date)))
        graph.add((period, DCAT.endDate, Literal(datetime.date(coverage[1], 12, 31), datatype=XSD.date)))
    for fmt in exports.FORMATS.values():
        distribution = URIRef(_absolute(download_path(dataset, fmt, municipality)))
        graph.add((node, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        for literal in _both(dataset.title):
            graph.add(
                (distribution, DCTERMS.title, Literal(f"{literal} ({fmt.name})", lang=literal.language))
            )
        graph.add((distribution, DCAT.accessURL, URIRef(home)))
        graph.add((distribution, DCAT.downloadURL, distribution))
        media_type = URIRef(IANA + fmt.media_type)
        graph.add((distribution, DCAT.mediaType, media_type))
        graph.add((media_type, RDF.type, DCTERMS.MediaType))
        file_type = URIRef(EU + "file-type/" + fmt.file_type)
        graph.add((distribution, DCTERMS.format, file_type))
        graph.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
        graph.add((distribution, DCTERMS.license, _licence(graph)))


def _publisher(graph: Graph, municipality: Municipality | None):
    """The municipality (its own page as its identity), or this site for the whole installation."""
    agent = URIRef(_absolute(page_path(municipality)) + "#publisher")
    graph.add((agent, RDF.type, FOAF.Agent))
    if municipality is None:
        graph.add((agent, FOAF.name, Literal("Civitas")))
    else:
        graph.add((agent, FOAF.name, Literal(municipality.name_bg, lang="bg")))
        if municipality.name_en:
            graph.add((agent, FOAF.name, Literal(municipality.name_en, lang="en")))
        graph.add((agent, DCTERMS.type, URIRef("http://purl.org/adms/publishertype/LocalAuthority")))
        graph.add((URIRef("http://purl.org/adms/publishertype/LocalAuthority"), RDF.type, SKOS.Concept))
        graph.add(
            (URIRef("http://purl.org/adms/publishertype/LocalAuthority"), SKOS.prefLabel,
             Literal("Local Authority", lang="en"))
        )  # fmt: skip
    return agent


def _contact(graph: Graph, municipality: Municipality | None, home: str):
    """The municipality's e-mail and website where it gave them, else the open-data page."""
    contact = URIRef(home + "#contact")
    graph.add((contact, RDF.type, VCARD.Kind))
    if municipality is None:
        graph.add((contact, VCARD.fn, Literal("Civitas")))
    else:
        graph.add((contact, VCARD.fn, Literal(municipality.name_bg, lang="bg")))
        if municipality.email:
            graph.add((contact, VCARD.hasEmail, URIRef("mailto:" + municipality.email)))
    website = municipality.website if municipality is not None and municipality.website else home
    graph.add((contact, VCARD.hasURL, URIRef(website)))
    return contact


def _document(graph: Graph, address: str) -> URIRef:
    page = URIRef(address)
    graph.add((page, RDF.type, FOAF.Document))
    return page


def _licence(graph: Graph) -> URIRef:
    graph.add((LICENCE, RDF.type, DCTERMS.LicenseDocument))
    graph.add((LICENCE, DCTERMS.type, URIRef("http://purl.org/adms/licencetype/Attribution")))
    graph.add((URIRef("http://purl.org/adms/licencetype/Attribution"), RDF.type, SKOS.Concept))
    graph.add(
        (
            URIRef("http://purl.org/adms/licencetype/Attribution"),
            SKOS.prefLabel,
            Literal("Attribution", lang="en"),
        )
    )
    graph.add((LICENCE, RDF.type, DCTERMS.LicenseDocument))
    return LICENCE


def _country(graph: Graph) -> URIRef:
    graph.add((COUNTRY, RDF.type, DCTERMS.Location))
    return COUNTRY


def turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")


def jsonld(graph: Graph) -> str:
    return graph.serialize(format="json-ld", context={
        "dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF), "skos": str(SKOS), "vcard": str(VCARD),
    })  # fmt: skip
