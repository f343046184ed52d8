"""The plan-file pages of the back office (``manage:plan_file_upload`` ...), included by
``civitas.manage.urls``. Plan files have no public pages."""

from django.urls import path

from . import manage_views

public_patterns: list = []

staff_patterns = [
    path("plan-files/new/", manage_views.plan_file_upload, name="plan_file_upload"),
    path("plan-files/<int:pk>/", manage_views.plan_file_preview, name="plan_file_preview"),
    path("plans/<slug:plan>/file.yaml", manage_views.plan_file_download, name="plan_file_download"),
]
