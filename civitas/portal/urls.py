from django.urls import path

from civitas.indicators import urls as indicator_urls
from civitas.planfiles import urls as planfile_urls
from civitas.plans import urls as plan_urls
from civitas.projects import urls as project_urls

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.root, name="root"),
    path("<slug:municipality>/", views.home, name="home"),
    # Before the plans' patterns: their element page would take "versions/" for an element's code.
    *planfile_urls.public_patterns,
    *plan_urls.public_patterns,
    *indicator_urls.public_patterns,
    *project_urls.public_patterns,
]
