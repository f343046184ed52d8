"""The public pages (``public_patterns``, namespace "evaluations", under <municipality>/evaluations/) and the
staff's (``staff_patterns``, namespace "evaluations_manage", under <municipality>/manage/evaluations/)."""

from django.urls import path

from . import manage_views, views

public_patterns = (
    [
        path("", views.evaluation_list, name="list"),
        path("recommendations/", views.recommendation_tracker, name="tracker"),
        path("<int:pk>/", views.evaluation_detail, name="detail"),
    ],
    "evaluations",
)

staff_patterns = (
    [
        path("", manage_views.evaluation_list, name="list"),
        path("new/", manage_views.evaluation_create, name="create"),
        path("follow-up/", manage_views.follow_up, name="follow_up"),
        path("<int:pk>/", manage_views.evaluation_edit, name="edit"),
        path("<int:pk>/publish/", manage_views.evaluation_publish, name="publish"),
        path("<int:pk>/criteria/<str:criterion>/", manage_views.rating_edit, name="rating"),
        path(
            "<int:pk>/criteria/<str:criterion>/evidence/new/", manage_views.evidence_add, name="evidence_add"
        ),
        path(
            "<int:pk>/evidence/<int:evidence>/remove/", manage_views.evidence_remove, name="evidence_remove"
        ),
        path("<int:pk>/recommendations/new/", manage_views.recommendation_edit, name="recommendation_create"),
        path(
            "<int:pk>/recommendations/<int:recommendation>/",
            manage_views.recommendation_edit,
            name="recommendation_edit",
        ),  # fmt: skip
        path(
            "<int:pk>/recommendations/<int:recommendation>/respond/",
            manage_views.recommendation_respond,
            name="respond",
        ),  # fmt: skip
    ],
    "evaluations_manage",
)
