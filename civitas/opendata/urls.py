from django.urls import path

from . import accessibility, calendars, feeds, history_views, sitemaps, widgets
from .api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemaps/site.xml", sitemaps.sitemap_site, name="sitemap_site"),
    path("sitemaps/<slug:municipality>.xml", sitemaps.sitemap_municipality, name="sitemap_municipality"),
]

# In the site's languages (i18n_patterns in civitas/urls.py, namespace "opendata"): feeds and
# calendars carry translated titles, widgets and the accessibility statement are pages.
localized_patterns = (
    [
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
