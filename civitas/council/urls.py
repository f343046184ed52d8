"""The public pages (``public_patterns``, namespace "council", under <municipality>/decisions/) and the
staff's (``staff_patterns``, namespace "council_manage", under <municipality>/manage/decisions/)."""

from django.urls import path

from . import views

public_patterns: tuple[list, str] = (
    [
        path("", views.decision_list, name="list"),
        path("<int:year>/<int:number>/", views.decision_detail, name="detail"),
    ],
    "council",
)

staff_patterns: tuple[list, str] = ([], "council_manage")
