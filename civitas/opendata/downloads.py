"""The open-data pages and files: the page that lists every dataset (per municipality and for the
whole installation), the downloads in CSV, XLSX and JSON Lines, and the DCAT-AP catalogue.

The files are made when asked for, from the data as it is then (their name carries the day):
CSV and JSON Lines stream as rows come from the database; XLSX is written to a temporary file and
sent in blocks. An unknown dataset, format or municipality is a 404. Each client may take
``DOWNLOADS_PER_MINUTE`` files a minute (a whole site's file takes a while to make); beyond that
it gets a 429 with Retry-After.
"""

import datetime

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from civitas.core import throttle
from civitas.core.models import Municipality
from civitas.core.tenancy import municipality_from_slug

from . import catalog, exports
from .datasets import BY_SLUG, DATASETS, Dataset

LICENCE_NAME = "CC BY 4.0"
DOWNLOADS_PER_MINUTE = 30


def _file(request, dataset_slug: str, fmt_slug: str, municipality: Municipality | None):
    dataset, fmt = BY_SLUG.get(dataset_slug), exports.FORMATS.get(fmt_slug)
    if dataset is None or fmt is None:
        raise Http404("No such dataset or format")
    if not throttle.hit(
        f"open-data:{throttle.client_address(request)}", limit=DOWNLOADS_PER_MINUTE, window=60
    ):
        refused = HttpResponse(
            _("Too many downloads; try again in a minute."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        refused["Retry-After"] = "60"
        return refused
    now = timezone.now()
    name = exports.filename(dataset, fmt, municipality, timezone.localdate(now))
    response: HttpResponse | FileResponse | StreamingHttpResponse
    if fmt is exports.XLSX:
        response = FileResponse(
            exports.xlsx_file([dataset], municipality), as_attachment=True, filename=name,
            content_type=fmt.content_type,
        )  # fmt: skip
    else:
        lines = (exports.csv_stream if fmt is exports.CSV else exports.jsonl_stream)(dataset, municipality)
        response = StreamingHttpResponse(lines, content_type=fmt.content_type)
        response["Content-Disposition"] = content_disposition_header(True, name)
    response["Last-Modified"] = _http_date(now)
    response["Cache-Control"] = "no-cache"
    return response


def _http_date(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


@require_safe
def download(request, dataset: str, fmt: str):
    return _file(request, dataset, fmt, None)


@require_safe
def municipality_download(request, municipality: str, dataset: str, fmt: str):
    return _file(request, dataset, fmt, municipality_from_slug(municipality))


def _catalog(municipality: Municipality | None, fmt: str) -> HttpResponse:
    graph = catalog.catalog_graph(municipality)
    if fmt == "ttl":
        return HttpResponse(catalog.turtle(graph), content_type=catalog.TURTLE)
    return HttpResponse(catalog.jsonld(graph), content_type=catalog.JSONLD)


@require_safe
def catalog_ttl(request):
    return _catalog(None, "ttl")


@require_safe
def catalog_jsonld(request):
    return _catalog(None, "jsonld")


@require_safe
def municipality_catalog_ttl(request, municipality: str):
    return _catalog(municipality_from_slug(municipality), "ttl")


@require_safe
def municipality_catalog_jsonld(request, municipality: str):
    return _catalog(municipality_from_slug(municipality), "jsonld")


def _listing(dataset: Dataset, municipality: Municipality | None) -> dict:
    return {
        "dataset": dataset,
        "rows": dataset.count(municipality),
        "files": [
            {"format": fmt, "url": catalog.download_path(dataset, fmt, municipality)}
            for fmt in exports.FORMATS.values()
        ],
    }


def _index(request, municipality: Municipality | None):
    """Every dataset with its files, row count, licence and update frequency, and its columns."""
    if municipality is not None:
        request.municipality = municipality
    catalogs = {fmt: catalog.catalog_path(municipality, fmt) for fmt in ("ttl", "jsonld")}
    return render(
        request,
        "opendata/index.html",
        {
            "municipality": municipality, "nav": "open-data",
            "datasets": [_listing(dataset, municipality) for dataset in DATASETS],
            "catalogs": catalogs, "licence": LICENCE_NAME, "licence_url": catalog.LICENCE_PAGE,
            "generated": timezone.now(), "municipalities": Municipality.objects.order_by("name_bg")
            if municipality is None else [],
        },
    )  # fmt: skip


@require_safe
def index(request):
    return _index(request, None)


@require_safe
def municipality_index(request, municipality: str):
    return _index(request, municipality_from_slug(municipality))
