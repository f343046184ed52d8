"""The public pages (``public_patterns``, namespace "council", under <municipality>/decisions/) and the
staff's (``staff_patterns``, namespace "council_manage", under <municipality>/manage/decisions/)."""

from django.urls import path

from . import manage_views, views

public_patterns: tuple[list, str] = (
    [
        path("", views.decision_list, name="list"),
        path("<int:year>/<int:number>/", views.decision_detail, name="detail"),
    ],
    "council",
)

staff_patterns: tuple[list, str] = (
    [
        path("", manage_views.decision_list, name="list"),
        path("new/", manage_views.decision_create, name="create"),
        path("<int:pk>/edit/", manage_views.decision_edit, name="edit"),
        path("<int:pk>/document/", manage_views.decision_document, name="document"),
        path("<int:pk>/delete/", manage_views.decision_delete, name="delete"),
    ],
    "council_manage",
)
