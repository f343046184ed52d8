"""The back office's pages for evaluations: evaluators write an evaluation, rate it by criterion
with findings and evidence, add recommendations and publish it; planners respond to the
recommendations and follow them up (overdue first). Thin: the services check the rules and who may."""

import copy

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.core.forms import edited_version, run_service
from civitas.core.permissions import Action
from civitas.core.staff import form_status, refused, render_confirm_delete, render_form
from civitas.core.tenancy import staff_view
from civitas.reports import forms as report_forms
from civitas.reports import selectors as report_selectors

from . import forms, policy, selectors, services
from .models import Criterion, CriterionRating, Evaluation, Evidence, Rating


def _edit_page(municipality, evaluation) -> str:
    return reverse("evaluations_manage:edit", args=[municipality.slug, evaluation.pk])


@staff_view(Action.VIEW_BACK_OFFICE)
def evaluation_list(request, municipality):
    return render(
        request,
        "evaluations/manage/evaluation_list.html",
        {
            "nav": "manage",
            "evaluations": selectors.staff_evaluation_list(municipality=municipality),
            "can_write": policy.can_write_evaluation(request.user, municipality),
            "can_respond": policy.can_respond(request.user, municipality),
        },
    )


@staff_view(Action.WRITE_EVALUATION)
def evaluation_create(request, municipality):
    form = forms.EvaluationForm(request.POST or None, instance=Evaluation(municipality=municipality),
                                municipality=municipality)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        result = {}
        fields = form.service_fields()
        if run_service(form, lambda: result.update(evaluation=services.evaluation_create(
                actor=request.user, municipality=municipality, **fields))):  # fmt: skip
            messages.success(request, _("The evaluation was created."))
            return redirect(_edit_page(municipality, result["evaluation"]))
    return render_form(request, title=_("New evaluation"), form=form,
                       back=reverse("evaluations_manage:list", args=[municipality.slug]))  # fmt: skip


@staff_view(Action.WRITE_EVALUATION)
def evaluation_edit(request, municipality, pk):
    evaluation = selectors.evaluation_find(municipality=municipality, pk=pk)
    form = forms.EvaluationForm(request.POST or None, instance=copy.copy(evaluation),
                                initial={"version": evaluation.version}, municipality=municipality)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
        if run_service(form, lambda: services.evaluation_update(
                actor=request.user, evaluation=evaluation, expected_version=edited_version(form), **fields)):  # fmt: skip
            messages.success(request, _("The evaluation was saved."))
            return redirect(_edit_page(municipality, evaluation))
    page = selectors.evaluation_page(evaluation, as_of=timezone.localdate())
    rated = {rating.criterion: rating for rating in page.ratings}
    report_files = report_selectors.evaluation_report_files(evaluation)
    return render(
        request,
        "evaluations/manage/evaluation_edit.html",
        {
            "nav": "manage",
            "evaluation": evaluation,
            "form": form,
            "page": page,
            "criteria": [(value, label, rated.get(value)) for value, label in Criterion.choices],
            "report_files": report_files,
            "generating": any(not f.is_finished for f in report_files),
            "generate_form": report_forms.GenerateForm(initial={"format": "pdf", "language": "bg"}),
        },  # fmt: skip
        status=form_status(form),
    )


@require_POST
@staff_view(Action.WRITE_EVALUATION)
def evaluation_publish(request, municipality, pk):
    evaluation = selectors.evaluation_find(municipality=municipality, pk=pk)
    version = int(request.POST.get("version", "0") or 0)
    if not refused(request, lambda: services.evaluation_publish(
            actor=request.user, evaluation=evaluation, expected_version=version)):  # fmt: skip
        messages.success(request, _("The evaluation was published."))
    return redirect(_edit_page(municipality, evaluation))


def _rating(evaluation: Evaluation, criterion: str) -> CriterionRating | None:
    if criterion not in Criterion.values:
        raise Http404("No such criterion")
    return next((r for r in evaluation.ratings.all() if r.criterion == criterion), None)


@staff_view(Action.WRITE_EVALUATION)
def rating_edit(request, municipality, pk, criterion):
    evaluation = selectors.evaluation_find(municipality=municipality, pk=pk)
    rating = _rating(evaluation, criterion)
    initial = {"version": evaluation.version}
    if rating is not None:
        initial |= {
            "rating": rating.rating,
            "findings_bg": rating.findings_bg,
            "findings_en": rating.findings_en,
        }
    form = forms.RatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(form, lambda: services.rating_set(
                actor=request.user, evaluation=evaluation, criterion=criterion, rating=data["rating"],
                findings_bg=data["findings_bg"], findings_en=data["findings_en"],
                expected_version=edited_version(form))):  # fmt: skip
            messages.success(request, _("The rating was saved."))
            return redirect(_edit_page(municipality, evaluation))
    return render(
        request,
        "evaluations/manage/rating_edit.html",
        {
            "nav": "manage",
            "evaluation": evaluation,
            "rating": rating,
            "form": form,
            "criterion_label": Criterion(criterion).label,
            "scale": Rating.choices,
            "evidence": rating.evidence.all() if rating else [],
        },  # fmt: skip
        status=form_status(form),
    )


@staff_view(Action.WRITE_EVALUATION)
def evidence_add(request, municipality, pk, criterion):
    evaluation = selectors.evaluation_find(municipality=municipality, pk=pk)
    rating = _rating(evaluation, criterion)
    back = reverse("evaluations_manage:rating", args=[municipality.slug, evaluation.pk, criterion])
    if rating is None:
        messages.error(request, _("Rate the criterion before adding the evidence for it."))
        return redirect(back)
    form = forms.EvidenceForm(request.POST or None, request.FILES or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(form, lambda: services.evidence_add(
                actor=request.user, rating=rating, kind=data["kind"], target=form.target(), url=data["url"],
                upload=data["upload"], label_bg=data["label_bg"], label_en=data["label_en"])):  # fmt: skip
            messages.success(request, _("The evidence was added."))
            return redirect(back)
    title = _("Evidence for “%(criterion)s”") % {"criterion": Criterion(criterion).label}
    return render_form(request, title=title, form=form, back=back, multipart=True, submit=_("Add"))


@staff_view(Action.WRITE_EVALUATION)
def evidence_remove(request, municipality, pk, evidence):
    evaluation = selectors.evaluation_find(municipality=municipality, pk=pk)
    found = (
        Evidence.objects.filter(pk=evidence, rating__evaluation=evaluation).select_related("rating").first()
    )
    if found is None:
        raise Http404("No such evidence")
    back = reverse(
        "evaluations_manage:rating", args=[municipality.slug, evaluation.pk, found.rating.criterion]
    )
    if request.method == "POST":
        found.rating.evaluation = evaluation
        if not refused(request, lambda: services.evidence_remove(actor=request.user, evidence=found)):
            messages.success(request, _("The evidence was removed."))
        return redirect(back)
    return render_confirm_delete(request, name=found.label or found.get_kind_display(), back=back)


@staff_view(Action.WRITE_EVALUATION)
def recommendation_edit(request, municipality, pk, recommendation=None):
    evaluation = selectors.evaluation_find(municipality=municipality, pk=pk)
    found = (
        selectors.recommendation_find(evaluation=evaluation, pk=recommendation) if recommendation else None
    )
    form = forms.RecommendationForm(request.POST or None, instance=copy.copy(found),
                                    initial={"version": found.version} if found else {})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if found is None:
            call = lambda: services.recommendation_create(actor=request.user, evaluation=evaluation, **fields)  # noqa: E731
        else:
            found.evaluation = evaluation
            call = lambda: services.recommendation_update(  # noqa: E731
                actor=request.user, recommendation=found, expected_version=edited_version(form), **fields)  # fmt: skip
        if run_service(form, call):
            messages.success(request, _("The recommendation was saved."))
            return redirect(_edit_page(municipality, evaluation))
    title = (
        _("New recommendation")
        if found is None
        else _("Recommendation %(number)s") % {"number": found.number}
    )
    return render_form(request, title=title, form=form, back=_edit_page(municipality, evaluation))


@staff_view(Action.RESPOND_TO_RECOMMENDATION)
def follow_up(request, municipality):
    """The planner's follow-up page: every recommendation, overdue first."""
    rows = selectors.recommendation_tracker(municipality=municipality, filters=selectors.TrackerFilters(),
                                            as_of=timezone.localdate(), published_only=False)  # fmt: skip
    return render(request, "evaluations/manage/follow_up.html", {"nav": "manage", "rows": rows})


@staff_view(Action.RESPOND_TO_RECOMMENDATION)
def recommendation_respond(request, municipality, pk, recommendation):
    evaluation = selectors.evaluation_find(municipality=municipality, pk=pk)
    found = selectors.recommendation_find(evaluation=evaluation, pk=recommendation)
    found.evaluation = evaluation
    form = forms.ResponseForm(
        request.POST or None, instance=copy.copy(found), initial={"version": found.version}
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if run_service(form, lambda: services.recommendation_respond(
                actor=request.user, recommendation=found, expected_version=edited_version(form), **fields)):  # fmt: skip
            messages.success(request, _("The response was saved."))
            return redirect("evaluations_manage:follow_up", municipality.slug)
    title = _("Response to recommendation %(number)s") % {"number": found.number}
    return render_form(request, title=title, form=form, intro=found.text_bg,
                       back=reverse("evaluations_manage:follow_up", args=[municipality.slug]))  # fmt: skip
