from django.urls import path

from . import views

app_name = "manage"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<slug:plan>/", views.plan_elements, name="plan_elements"),
    path("plans/<slug:plan>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<slug:plan>/status/", views.plan_status, name="plan_status"),
    path("plans/<slug:plan>/delete/", views.plan_delete, name="plan_delete"),
    path("plans/<slug:plan>/elements/new/", views.element_create, name="element_create"),
    path("plans/<slug:plan>/elements/<int:pk>/edit/", views.element_edit, name="element_edit"),
    path("plans/<slug:plan>/elements/<int:pk>/move/", views.element_move, name="element_move"),
    path("plans/<slug:plan>/elements/<int:pk>/delete/", views.element_delete, name="element_delete"),
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<slug:project>/", views.project_edit, name="project_edit"),
    path("projects/<slug:project>/delete/", views.project_delete, name="project_delete"),
    path("projects/<slug:project>/documents/new/", views.document_add, name="document_add"),
    path("projects/<slug:project>/documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("projects/<slug:project>/activities/<int:pk>/move/", views.activity_move, name="activity_move"),
    path("projects/<slug:project>/<str:part>/new/", views.part_edit, name="part_add"),
    path("projects/<slug:project>/<str:part>/<int:pk>/", views.part_edit, name="part_edit"),
    path("projects/<slug:project>/<str:part>/<int:pk>/delete/", views.part_delete, name="part_delete"),
]
