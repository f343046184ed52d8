from django.urls import path

from . import history_views
from .api import api

urlpatterns = [
    path("api/v1/", api.urls),
]

# Pages in the visitor's language, included by the root's i18n_patterns (namespace "history").
history_patterns = [
    path("<slug:municipality>/history/plans/<slug:plan>/", history_views.plan_history, name="plan"),
    path(
        "<slug:municipality>/history/projects/<slug:project>/", history_views.project_history, name="project"
    ),
]
