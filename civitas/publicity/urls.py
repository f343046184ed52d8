"""The public pages (``public_patterns``, namespace "publicity", under <municipality>/publicity/) and the
staff's (``staff_patterns``, namespace "publicity_manage", under <municipality>/manage/publicity/)."""

from django.urls import path

from . import manage_views, views

public_patterns: tuple[list, str] = (
    [
        path("", views.events_calendar, name="calendar"),
        path("events/<int:pk>/", views.event_detail, name="event"),
    ],
    "publicity",
)

staff_patterns: tuple[list, str] = (
    [
        path("", manage_views.register, name="register"),
        path("events/new/", manage_views.event_create, name="event_create"),
        path("events/<int:pk>/", manage_views.event_edit, name="event_edit"),
        path("events/<int:pk>/delete/", manage_views.event_delete, name="event_delete"),
        path("events/<int:pk>/photos/new/", manage_views.photo_add, name="photo_add"),
        path("events/<int:pk>/photos/<int:photo>/delete/", manage_views.photo_delete, name="photo_delete"),
        path("materials/new/", manage_views.material_create, name="material_create"),
        path("materials/<int:pk>/", manage_views.material_edit, name="material_edit"),
        path("materials/<int:pk>/delete/", manage_views.material_delete, name="material_delete"),
        path("publications/new/", manage_views.publication_create, name="publication_create"),
        path("publications/<int:pk>/", manage_views.publication_edit, name="publication_edit"),
        path("publications/<int:pk>/delete/", manage_views.publication_delete, name="publication_delete"),
    ],
    "publicity_manage",
)
