"""The public consultation pages (``public_patterns``, namespace "consultations", under
<municipality>/consultations/) and the staff's (``staff_patterns``, namespace
"consultations_manage", under <municipality>/manage/consultations/)."""

from django.urls import path

from . import manage_views, views

public_patterns = (
    [
        path("", views.consultation_list, name="list"),
        path("<slug:slug>/", views.consultation_detail, name="detail"),
        path("<slug:slug>/report/", views.report, name="report"),
        path("<slug:slug>/report.<str:fmt>", views.report_download, name="report_download"),
        path("<slug:slug>/proposals/<int:pk>/flag/", views.proposal_flag, name="flag"),
    ],
    "consultations",
)

staff_patterns = (
    [
        path("", manage_views.consultation_list, name="list"),
        path("new/", manage_views.consultation_create, name="create"),
        path("moderation/", manage_views.moderation, name="moderation"),
        path("moderation/<int:pk>/<str:action>/", manage_views.proposal_moderate, name="moderate"),
        path("<slug:slug>/", manage_views.consultation_detail, name="detail"),
        path("<slug:slug>/edit/", manage_views.consultation_edit, name="edit"),
        path("<slug:slug>/text/", manage_views.draft_text, name="text"),
        path("<slug:slug>/from-plan/", manage_views.draft_from_plan, name="from_plan"),
        path("<slug:slug>/record/", manage_views.proposal_record, name="record"),
        path("<slug:slug>/proposals/<int:pk>/answer/", manage_views.proposal_answer, name="answer"),
        path("<slug:slug>/results-decision/", manage_views.results_decision, name="results_decision"),
        path("<slug:slug>/<str:action>/", manage_views.consultation_action, name="action"),
    ],
    "consultations_manage",
)

urlpatterns = public_patterns[0]
app_name = "consultations"
