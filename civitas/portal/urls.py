from django.urls import path

from civitas.indicators.data_views import public_urls as indicator_data_urls
from civitas.plans import urls as plan_urls
from civitas.projects import urls as project_urls

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.root, name="root"),
    path("<slug:municipality>/", views.home, name="home"),
    *plan_urls.public_patterns,
    *indicator_data_urls,
    path("<slug:municipality>/indicators/<str:code>/", views.indicator_detail, name="indicator"),
    *project_urls.public_patterns,
]
