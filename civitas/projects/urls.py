"""The pages of projects: ``public_patterns`` are included by the portal (``portal:projects``,
``portal:project``), ``staff_patterns`` by the back office (``manage:project_edit`` ...)."""

from django.urls import path

from . import manage_views, views

public_patterns = [
    path("<slug:municipality>/projects/", views.project_list, name="projects"),
    path("<slug:municipality>/projects/map.geojson", views.project_map, name="projects_map"),
    path("<slug:municipality>/projects/<slug:project>/", views.project_detail, name="project"),
]

staff_patterns = [
    path("projects/", manage_views.project_list, name="projects"),
    path("projects/new/", manage_views.project_create, name="project_create"),
    path("projects/<slug:project>/", manage_views.project_edit, name="project_edit"),
    path("projects/<slug:project>/delete/", manage_views.project_delete, name="project_delete"),
    path("projects/<slug:project>/documents/new/", manage_views.document_add, name="document_add"),
    path(
        "projects/<slug:project>/documents/<int:pk>/delete/",
        manage_views.document_delete,
        name="document_delete",
    ),
    path(
        "projects/<slug:project>/activities/<int:pk>/move/", manage_views.activity_move, name="activity_move"
    ),
    path("projects/<slug:project>/<str:part>/new/", manage_views.part_edit, name="part_add"),
    path("projects/<slug:project>/<str:part>/<int:pk>/", manage_views.part_edit, name="part_edit"),
    path("projects/<slug:project>/<str:part>/<int:pk>/delete/", manage_views.part_delete, name="part_delete"),
]
