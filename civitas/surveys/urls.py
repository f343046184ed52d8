"""The public survey pages (``public_patterns``, namespace "surveys", under
<municipality>/surveys/) and the staff's (``staff_patterns``, namespace "surveys_manage", under
<municipality>/manage/surveys/)."""

from django.urls import path

from . import manage_views, views

public_patterns = (
    [
        path("", views.survey_list, name="list"),
        path("<slug:slug>/", views.survey_answer, name="answer"),
        path("<slug:slug>/thanks/", views.survey_thanks, name="thanks"),
        path("<slug:slug>/results/", views.survey_results, name="results"),
        path("<slug:slug>/results.csv", views.results_csv, name="results_csv"),
    ],
    "surveys",
)

staff_patterns = (
    [
        path("", manage_views.survey_list, name="list"),
        path("new/", manage_views.survey_create, name="create"),
        path("<slug:slug>/", manage_views.survey_detail, name="detail"),
        path("<slug:slug>/edit/", manage_views.survey_edit, name="edit"),
        path("<slug:slug>/delete/", manage_views.survey_delete, name="delete"),
        path("<slug:slug>/sections/new/", manage_views.section_edit, name="section_create"),
        path("<slug:slug>/sections/<int:pk>/", manage_views.section_edit, name="section_edit"),
        path("<slug:slug>/sections/<int:pk>/delete/", manage_views.section_delete, name="section_delete"),
        path("<slug:slug>/questions/new/", manage_views.question_edit, name="question_create"),
        path("<slug:slug>/questions/<int:pk>/", manage_views.question_edit, name="question_edit"),
        path("<slug:slug>/questions/<int:pk>/delete/", manage_views.question_delete, name="question_delete"),
        path("<slug:slug>/questions/<int:pk>/move/", manage_views.question_move, name="question_move"),
        path("<slug:slug>/codes/", manage_views.invitations, name="invitations"),
        path("<slug:slug>/codes/print/", manage_views.invitations_print, name="invitations_print"),
        path("<slug:slug>/paper/", manage_views.paper_response, name="paper"),
        path("<slug:slug>/responses.<str:fmt>", manage_views.export, name="export"),
    ],
    "surveys_manage",
)

urlpatterns = public_patterns[0]
app_name = "surveys"
