"""The public pages (``public_patterns``, namespace "reports", under <municipality>/reports/) and the
staff's (``staff_patterns``, namespace "reports_manage", under <municipality>/manage/reports/)."""

from django.urls import path

from . import manage_views, views

public_patterns: tuple[list, str] = (
    [
        path("", views.report_list, name="list"),
        path("<int:pk>/", views.report_detail, name="detail"),
    ],
    "reports",
)

staff_patterns: tuple[list, str] = (
    [
        path("", manage_views.report_list, name="list"),
        path("new/", manage_views.report_create, name="create"),
        path("<int:pk>/", manage_views.report_detail, name="detail"),
        path("<int:pk>/edit/", manage_views.report_edit, name="edit"),
        path("<int:pk>/generate/", manage_views.report_generate, name="generate"),
        path("<int:pk>/approve/", manage_views.report_approve, name="approve"),
        path("<int:pk>/files/<int:file_pk>/", manage_views.report_file_status, name="file_status"),
        path(
            "evaluations/<int:pk>/generate/",
            manage_views.evaluation_report_generate,
            name="evaluation_generate",
        ),
        path(
            "evaluations/<int:pk>/files/<int:file_pk>/",
            manage_views.evaluation_report_file_status,
            name="evaluation_file_status",
        ),
    ],
    "reports_manage",
)
