"""The staff's survey pages: surveys, sections and questions (with options and conditions),
invitation codes to print, paper responses, and the exports of all responses. Planners and
administrators run surveys (Action.MANAGE_SURVEY)."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civitas.core.forms import edited_version, run_service
from civitas.core.permissions import Action
from civitas.core.staff import form_status, render_confirm_delete, render_form
from civitas.core.tenancy import staff_view

from . import exports, forms, selectors, services
from .models import OnePer, Question, Section, Survey

STAFF = Action.MANAGE_SURVEY


def _survey(municipality, slug) -> Survey:
    return get_object_or_404(Survey, municipality=municipality, slug=slug)


def _detail_url(municipality, survey) -> str:
    return reverse("surveys_manage:detail", args=[municipality.slug, survey.slug])


@staff_view(STAFF)
def survey_list(request, municipality):
    surveys = selectors.survey_list(municipality=municipality, include_drafts=True)
    return render(request, "surveys/manage/survey_list.html", {"nav": "manage", "surveys": surveys})


@staff_view(STAFF)
def survey_create(request, municipality):
    form = forms.SurveyForm(request.POST or None, instance=Survey(municipality=municipality))
    if request.method == "POST" and form.is_valid():
        result = {}
        fields = form.service_fields()
        if run_service(form, lambda: result.update(survey=services.survey_create(
            actor=request.user, municipality=municipality, **fields))):  # fmt: skip
            messages.success(request, _("The survey was created: add its questions."))
            return redirect("surveys_manage:detail", municipality.slug, result["survey"].slug)
    return render_form(request, title=_("New survey"), form=form,
                       back=reverse("surveys_manage:list", args=[municipality.slug]))  # fmt: skip


@staff_view(STAFF)
def survey_edit(request, municipality, slug):
    survey = _survey(municipality, slug)
    form = forms.SurveyForm(
        request.POST or None, instance=copy.copy(survey), initial={"version": survey.version}
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if run_service(form, lambda: services.survey_update(
            actor=request.user, survey=survey, expected_version=edited_version(form), **fields)):  # fmt: skip
            messages.success(request, _("The survey was saved."))
            return redirect("surveys_manage:detail", municipality.slug, survey.slug)
    return render_form(request, title=_("Edit survey"), form=form, back=_detail_url(municipality, survey))


@staff_view(STAFF)
def survey_delete(request, municipality, slug):
    survey = _survey(municipality, slug)
    if request.method == "POST":
        try:
            services.survey_delete(actor=request.user, survey=survey)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("surveys_manage:detail", municipality.slug, survey.slug)
        messages.success(request, _("The survey was deleted."))
        return redirect("surveys_manage:list", municipality.slug)
    return render_confirm_delete(request, name=survey.title_bg, back=_detail_url(municipality, survey))


@staff_view(STAFF)
def survey_detail(request, municipality, slug):
    survey = _survey(municipality, slug)
    return render(
        request,
        "surveys/manage/survey_detail.html",
        {
            "nav": "manage", "survey": survey, "questionnaire": selectors.build_questionnaire(survey),
            "response_count": survey.responses.count(),
            "code_count": survey.invitations.count(),
            "unused_count": survey.invitations.filter(used_at__isnull=True).count(),
        },
    )  # fmt: skip


# Sections ----------------------------------------------------------------------------------------


@staff_view(STAFF)
def section_edit(request, municipality, slug, pk=None):
    survey = _survey(municipality, slug)
    section = get_object_or_404(Section, survey=survey, pk=pk) if pk else None
    form = forms.SectionForm(
        request.POST or None, instance=copy.copy(section) if section else Section(survey=survey),
        initial={"version": section.version} if section else None,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in forms.SectionForm.Meta.fields}
        if section is None:
            call = lambda: services.section_create(actor=request.user, survey=survey, **fields)  # noqa: E731
        else:
            call = lambda: services.section_update(  # noqa: E731
                actor=request.user, section=section, expected_version=edited_version(form), **fields
            )
        if run_service(form, call):
            messages.success(request, _("Saved."))
            return redirect("surveys_manage:detail", municipality.slug, survey.slug)
    return render_form(request, title=_("New section") if section is None else _("Edit section"), form=form,
                       intro=survey.title_bg, back=_detail_url(municipality, survey))  # fmt: skip


@staff_view(STAFF)
def section_delete(request, municipality, slug, pk):
    survey = _survey(municipality, slug)
    section = get_object_or_404(Section, survey=survey, pk=pk)
    if request.method == "POST":
        services.section_delete(actor=request.user, section=section)
        messages.success(request, _("The section was deleted; its questions stay in the survey."))
        return redirect("surveys_manage:detail", municipality.slug, survey.slug)
    return render_confirm_delete(request, name=section.title_bg, back=_detail_url(municipality, survey))


# Questions ---------------------------------------------------------------------------------------


@staff_view(STAFF)
def question_edit(request, municipality, slug, pk=None):
    survey = _survey(municipality, slug)
    questionnaire = selectors.build_questionnaire(survey)
    question = questionnaire.question(pk) if pk else None
    if pk and question is None:
        raise Http404
    form = forms.QuestionForm(request.POST or None, questionnaire=questionnaire, question=question)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        section_id = fields.pop("section_id")
        condition_id = fields.pop("condition_option_id")
        section = Section.objects.filter(survey=survey, pk=section_id).first() if section_id else None
        condition = forms.option_by_pk(condition_id)
        if question is None:
            call = lambda: services.question_create(  # noqa: E731
                actor=request.user, survey=survey, section=section, condition_option=condition, **fields
            )
        else:
            call = lambda: services.question_update(  # noqa: E731
                actor=request.user, question=Question.objects.get(pk=question.pk), section=section,
                condition_option=condition, expected_version=edited_version(form), **fields,
            )  # fmt: skip
        if run_service(form, call):
            messages.success(request, _("The question was saved."))
            return redirect("surveys_manage:detail", municipality.slug, survey.slug)
    title = (
        _("New question") if question is None else _("Edit question %(number)s") % {"number": question.number}
    )
    return render_form(
        request, title=title, form=form, intro=survey.title_bg, back=_detail_url(municipality, survey)
    )


@staff_view(STAFF)
def question_delete(request, municipality, slug, pk):
    survey = _survey(municipality, slug)
    question = get_object_or_404(Question, survey=survey, pk=pk)
    if request.method == "POST":
        try:
            services.question_delete(actor=request.user, question=question)
            messages.success(request, _("The question was deleted."))
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect("surveys_manage:detail", municipality.slug, survey.slug)
    return render_confirm_delete(request, name=question.text_bg, back=_detail_url(municipality, survey))


@staff_view(STAFF)
def question_move(request, municipality, slug, pk):
    survey = _survey(municipality, slug)
    question = get_object_or_404(Question, survey=survey, pk=pk)
    if request.method == "POST":
        try:
            services.question_move(
                actor=request.user, question=question, step=-1 if request.POST.get("direction") == "up" else 1
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
    return redirect("surveys_manage:detail", municipality.slug, survey.slug)


# Invitation codes --------------------------------------------------------------------------------


@staff_view(STAFF)
def invitations(request, municipality, slug):
    survey = _survey(municipality, slug)
    form = forms.InvitationsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.invitations_generate(
            actor=request.user, survey=survey, count=form.cleaned_data["count"], batch=form.cleaned_data["batch"])):  # fmt: skip
            messages.success(request, _("The codes were generated."))
            return redirect("surveys_manage:invitations", municipality.slug, survey.slug)
    codes = selectors.invitation_list(survey=survey)
    return render(
        request, "surveys/manage/invitations.html",
        {"nav": "manage", "survey": survey, "form": form, "codes": codes[:2000], "code_count": codes.count(),
         "uses_codes": survey.one_response_per == OnePer.CODE},
        status=form_status(form),
    )  # fmt: skip


@staff_view(STAFF)
def invitations_print(request, municipality, slug):
    """A printable sheet of the unused codes, each with the address where to answer."""
    survey = _survey(municipality, slug)
    codes = selectors.invitation_list(survey=survey, unused_only=True)
    batch = request.GET.get("batch", "")
    if batch:
        codes = codes.filter(batch=batch)
    url = request.build_absolute_uri(reverse("surveys:answer", args=[municipality.slug, survey.slug]))
    return render(
        request, "surveys/manage/invitations_print.html",
        {"nav": "manage", "survey": survey, "codes": [services.format_code(c.code) for c in codes], "url": url},
    )  # fmt: skip


# Paper responses ---------------------------------------------------------------------------------


@staff_view(STAFF)
def paper_response(request, municipality, slug):
    survey = _survey(municipality, slug)
    questionnaire = selectors.questionnaire(survey)
    data = request.POST if request.method == "POST" else None
    form = forms.QuestionnaireForm(questionnaire, data, ask_code=survey.one_response_per == OnePer.CODE)
    status = 200
    if request.method == "POST" and request.POST.get("action") != "update" and not form.unseen:
        try:
            services.paper_response_enter(
                actor=request.user, survey=survey, answers=form.answers, invitation_code=form.code or None
            )
        except ValidationError as error:
            form.set_errors(error.message_dict)
            status = 400
        else:
            messages.success(request, _("The paper response was saved. Enter the next one."))
            return redirect("surveys_manage:paper", municipality.slug, survey.slug)
    return render(
        request, "surveys/manage/paper.html",
        {"nav": "manage", "survey": survey, "form": form, "blocks": form.blocks(), "summary": form.summary(),
         "paper": True, "submit": _("Save the paper response")},
        status=status,
    )  # fmt: skip


# Exports -----------------------------------------------------------------------------------------


@staff_view(STAFF)
def export(request, municipality, slug, fmt):
    survey = _survey(municipality, slug)
    name = f"{municipality.slug}-{survey.slug}-responses"
    if fmt == "csv":
        response = StreamingHttpResponse(exports.responses_csv_lines(survey), content_type=exports.CSV)
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        return FileResponse(
            exports.responses_xlsx(survey),
            as_attachment=True,
            filename=f"{name}.xlsx",
            content_type=exports.XLSX,
        )
    raise Http404
