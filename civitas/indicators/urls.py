"""The indicators' pages: ``public_patterns`` (in the portal's namespace "portal", added to
portal/urls.py: the indicator page and the exports of a plan's indicators) and ``staff_patterns``
(namespace "indicators", under <municipality>/manage/indicators/)."""

from django.urls import path

from . import manage_views, views

public_patterns = [
    path(
        "<slug:municipality>/plans/<slug:plan>/indicators.xlsx",
        views.plan_export,
        {"fmt": "xlsx"},
        name="plan_indicators_xlsx",
    ),
    path(
        "<slug:municipality>/plans/<slug:plan>/indicators.csv",
        views.plan_export,
        {"fmt": "csv"},
        name="plan_indicators_csv",
    ),
    path("<slug:municipality>/indicators/<str:code>/", views.indicator_detail, name="indicator"),
]

staff_patterns = (
    [
        # Measurement files: the import template, the upload, background imports, exports.
        path("data/", manage_views.data_home, name="data"),
        path(
            "data/template.xlsx", manage_views.template_download, {"fmt": "xlsx"}, name="data_template_xlsx"
        ),
        path("data/template.csv", manage_views.template_download, {"fmt": "csv"}, name="data_template_csv"),
        path("data/import/", manage_views.import_upload, name="data_import"),
        path("data/import/<int:pk>/", manage_views.import_job, name="data_import_job"),
        path("data/import-published/", manage_views.import_published, name="data_import_published"),
        path("data/export.xlsx", manage_views.export_download, {"fmt": "xlsx"}, name="data_export_xlsx"),
        path("data/export.csv", manage_views.export_download, {"fmt": "csv"}, name="data_export_csv"),
        # Monitoring: the list, passports, values, the queue, the calendar, the dashboard.
        path("", manage_views.indicator_list, name="list"),
        path("new/", manage_views.indicator_create, name="create"),
        path("dashboard/", manage_views.dashboard, name="dashboard"),
        path("calendar/", manage_views.calendar, name="calendar"),
        path("queue/", manage_views.queue, name="queue"),
        path("values/<int:pk>/review/", manage_views.measurement_review, name="review"),
        path("values/<int:pk>/submit/", manage_views.measurement_submit, name="submit"),
        path("values/<int:pk>/correct/", manage_views.measurement_correct, name="correct"),
        path("indicator/<str:code>/", manage_views.indicator_values, name="values"),
        path("indicator/<str:code>/edit/", manage_views.indicator_edit, name="edit"),
        path("indicator/<str:code>/value/", manage_views.measurement_edit, name="value"),
        path("indicator/<str:code>/assess/", manage_views.override_edit, name="assess"),
        path("indicator/<str:code>/assess/remove/", manage_views.override_remove, name="assess_remove"),
    ],
    "indicators",
)
