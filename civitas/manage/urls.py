"""The back office at /<municipality>/manage/: the dashboard here, each app's staff pages from its
own ``staff_patterns``, under this namespace (``manage:plan_edit``, ``manage:project_edit`` ...)."""

from django.urls import path

from civitas.plans import urls as plan_urls
from civitas.projects import urls as project_urls

from . import views

app_name = "manage"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/evaluation/", views.evaluation_settings, name="evaluation_settings"),
    *plan_urls.staff_patterns,
    *project_urls.staff_patterns,
]
