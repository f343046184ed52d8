"""The pages of plan files and plan versions: ``public_patterns`` are included by the portal before
the plans' own, so that ``versions/`` is not read as an element's code (``portal:plan_versions``,
``portal:plan_version``, ``portal:plan_version_compare``); ``staff_patterns`` by the back office
(``manage:plan_file_upload`` ...)."""

from django.urls import path

from . import manage_views, views

public_patterns = [
    path("<slug:municipality>/plans/<slug:plan>/versions/", views.version_list, name="plan_versions"),
    path(
        "<slug:municipality>/plans/<slug:plan>/versions/compare/",
        views.version_compare,
        name="plan_version_compare",
    ),
    path(
        "<slug:municipality>/plans/<slug:plan>/versions/<int:number>/",
        views.version_detail,
        name="plan_version",
    ),
]

staff_patterns = [
    path("plan-files/new/", manage_views.plan_file_upload, name="plan_file_upload"),
    path("plan-files/<int:pk>/", manage_views.plan_file_preview, name="plan_file_preview"),
    path("plans/<slug:plan>/file.yaml", manage_views.plan_file_download, name="plan_file_download"),
]
