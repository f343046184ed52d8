"""The pages of plans: ``public_patterns`` are included by the portal (``portal:plans``,
``portal:plan``, ``portal:plan_element``), ``staff_patterns`` by the back office (``manage:plan_edit`` ...)."""

from django.urls import path

from . import manage_views, views

public_patterns = [
    path("<slug:municipality>/plans/", views.plan_list, name="plans"),
    path("<slug:municipality>/plans/<slug:plan>/", views.plan_detail, name="plan"),
    # An element by its code, as the plan writes it ("СЦ1", "М1.2"; a code may hold a slash).
    path("<slug:municipality>/plans/<slug:plan>/<path:element>/", views.element_detail, name="plan_element"),
]

staff_patterns = [
    path("plans/new/", manage_views.plan_create, name="plan_create"),
    path("plans/<slug:plan>/", manage_views.plan_elements, name="plan_elements"),
    path("plans/<slug:plan>/edit/", manage_views.plan_edit, name="plan_edit"),
    path("plans/<slug:plan>/status/", manage_views.plan_status, name="plan_status"),
    path("plans/<slug:plan>/delete/", manage_views.plan_delete, name="plan_delete"),
    path("plans/<slug:plan>/versions/", manage_views.plan_versions, name="plan_versions"),
    path("plans/<slug:plan>/versions/new/", manage_views.version_start, name="plan_version_start"),
    path("plans/<slug:plan>/versions/publish/", manage_views.version_publish, name="plan_version_publish"),
    path("plans/<slug:plan>/versions/adopt/", manage_views.version_adopt, name="plan_version_adopt"),
    path("plans/<slug:plan>/elements/new/", manage_views.element_create, name="element_create"),
    path("plans/<slug:plan>/elements/<int:pk>/edit/", manage_views.element_edit, name="element_edit"),
    path("plans/<slug:plan>/elements/<int:pk>/move/", manage_views.element_move, name="element_move"),
    path("plans/<slug:plan>/elements/<int:pk>/delete/", manage_views.element_delete, name="element_delete"),
    path("plans/<slug:plan>/financial-table/", manage_views.financial_table, name="plan_financial"),
    path(
        "plans/<slug:plan>/financial-table/new/", manage_views.financial_line_edit, name="financial_line_add"
    ),
    path(
        "plans/<slug:plan>/financial-table/<int:pk>/",
        manage_views.financial_line_edit,
        name="financial_line_edit",
    ),
    path(
        "plans/<slug:plan>/financial-table/<int:pk>/delete/",
        manage_views.financial_line_delete,
        name="financial_line_delete",
    ),
    path(
        "plans/<slug:plan>/elements/<int:pk>/assessments/",
        manage_views.element_assessments,
        name="element_assessments",
    ),
    path(
        "plans/<slug:plan>/elements/<int:pk>/assessments/<int:year>/",
        manage_views.assessment_edit,
        name="assessment_edit",
    ),
]
