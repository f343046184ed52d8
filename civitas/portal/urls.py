from django.urls import path

from civitas.indicators import urls as indicator_urls
from civitas.plans import urls as plan_urls
from civitas.projects import urls as project_urls

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.root, name="root"),
    path("<slug:municipality>/", views.home, name="home"),
    *plan_urls.public_patterns,
    *indicator_urls.public_patterns,
    *project_urls.public_patterns,
]
