from django.urls import path

from civitas.indicators import urls as indicator_urls

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.root, name="root"),
    path("<slug:municipality>/", views.home, name="home"),
    path("<slug:municipality>/plans/", views.plan_list, name="plans"),
    path("<slug:municipality>/plans/<slug:plan>/", views.plan_detail, name="plan"),
    *indicator_urls.public_patterns,
    path("<slug:municipality>/projects/", views.project_list, name="projects"),
    path("<slug:municipality>/projects/<slug:project>/", views.project_detail, name="project"),
]
