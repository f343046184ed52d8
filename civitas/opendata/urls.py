from django.urls import include, path

from . import downloads
from .api import api

# The files and the catalogue: for programs, the same address in every language.
file_patterns = [
    path("catalog.ttl", downloads.catalog_ttl, name="catalog_ttl"),
    path("catalog.jsonld", downloads.catalog_jsonld, name="catalog_jsonld"),
    path("open-data/<slug:dataset>.<slug:fmt>", downloads.download, name="download"),
    path(
        "<slug:municipality>/catalog.ttl", downloads.municipality_catalog_ttl, name="municipality_catalog_ttl"
    ),
    path(
        "<slug:municipality>/catalog.jsonld",
        downloads.municipality_catalog_jsonld,
        name="municipality_catalog_jsonld",
    ),
    path(
        "<slug:municipality>/open-data/<slug:dataset>.<slug:fmt>",
        downloads.municipality_download,
        name="municipality_download",
    ),
]

# The open-data pages, for people: included by the root's i18n_patterns (/en/… in English).
page_patterns = (
    [
        path("open-data/", downloads.index, name="index"),
        path("<slug:municipality>/open-data/", downloads.municipality_index, name="municipality_index"),
    ],
    "opendata",
)

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include((file_patterns, "opendata_files"))),
]
