"""The back office at /<municipality>/manage/: the dashboard here, each app's staff pages from its
own ``staff_patterns``, under this namespace (``manage:plan_edit``, ``manage:project_edit`` ...).
``platform_patterns`` are the platform's own pages, at /manage/ (a reserved address name)."""

from django.urls import path

from civitas.planfiles import urls as planfile_urls
from civitas.plans import urls as plan_urls
from civitas.projects import urls as project_urls

from . import views

app_name = "manage"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("staff/", views.staff, name="staff"),
    path("staff/<int:pk>/role/", views.staff_role_change, name="staff_role_change"),
    path("staff/<int:pk>/revoke/", views.staff_role_revoke, name="staff_role_revoke"),
    path("settings/evaluation/", views.evaluation_settings, name="evaluation_settings"),
    *plan_urls.staff_patterns,
    *project_urls.staff_patterns,
    *planfile_urls.staff_patterns,
]

platform_patterns = (
    [path("municipalities/", views.municipalities, name="municipalities")],
    "platform",
)
