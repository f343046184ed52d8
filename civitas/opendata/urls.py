from django.urls import include, path, re_path

from . import accessibility, calendars, downloads, feeds, history_views, sitemaps, widgets
from .api import api
from .api.base import not_found_view

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

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<path>.*)$", not_found_view),  # an address of no endpoint: JSON, not a page
    path("", include((file_patterns, "opendata_files"))),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemaps/site.xml", sitemaps.sitemap_site, name="sitemap_site"),
    path("sitemaps/<slug:municipality>.xml", sitemaps.sitemap_municipality, name="sitemap_municipality"),
]

# In the site's languages (i18n_patterns in civitas/urls.py, namespace "opendata"): the open-data
# pages, the accessibility statement and the widgets are pages; feeds and calendars carry
# translated titles.
localized_patterns = (
    [
        path("open-data/", downloads.index, name="index"),
        path("<slug:municipality>/open-data/", downloads.municipality_index, name="municipality_index"),
        path("accessibility/", accessibility.statement, name="accessibility"),
        path(
            "<slug:municipality>/accessibility/",
            accessibility.municipality_statement,
            name="municipality_accessibility",
        ),
        path("<slug:municipality>/feeds/<str:kind>.atom", feeds.municipality_feed, name="feed"),
        path(
            "<slug:municipality>/feeds/plans/<slug:plan>/<str:kind>.atom", feeds.plan_feed, name="plan_feed"
        ),
        path("<slug:municipality>/calendar.ics", calendars.calendar, name="calendar"),
        path("<slug:municipality>/embed/plans/<slug:plan>/", widgets.plan_widget, name="embed_plan"),
        path(
            "<slug:municipality>/embed/projects/<slug:project>/", widgets.project_widget, name="embed_project"
        ),
    ],
    "opendata",
)

# Pages in the visitor's language, included by the root's i18n_patterns (namespace "history").
history_patterns = [
    path("<slug:municipality>/history/plans/<slug:plan>/", history_views.plan_history, name="plan"),
    path(
        "<slug:municipality>/history/projects/<slug:project>/", history_views.project_history, name="project"
    ),
]
