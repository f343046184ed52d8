"""The staff's consultation pages: consultations and their draft text, proposals recorded from
e-mail, letters and hearings, answers, opening, closing and publishing the report (planners and
administrators: Action.MANAGE_CONSULTATION), and the moderation of proposals (Action.MODERATE)."""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core.errors import ConflictError
from civitas.core.forms import edited_version, run_service
from civitas.core.permissions import Action
from civitas.core.staff import form_status, render_form
from civitas.core.tenancy import staff_view
from civitas.forum import services as forum_services

from . import forms, policy, selectors, services
from .models import Consultation, Proposal

STAFF = Action.MANAGE_CONSULTATION


def _consultation(municipality, slug) -> Consultation:
    consultation = get_object_or_404(
        Consultation.objects.select_related("plan", "results_decision"), municipality=municipality, slug=slug
    )
    consultation.municipality = municipality
    return consultation


def _detail_url(municipality, consultation) -> str:
    return reverse("consultations_manage:detail", args=[municipality.slug, consultation.slug])


@staff_view(STAFF)
def consultation_list(request, municipality):
    consultations = selectors.consultation_list(municipality=municipality, include_drafts=True)
    return render(
        request,
        "consultations/manage/consultation_list.html",
        {"nav": "manage", "consultations": consultations},
    )


@staff_view(STAFF)
def consultation_create(request, municipality):
    form = forms.ConsultationForm(
        request.POST or None, request.FILES or None, instance=Consultation(municipality=municipality)
    )
    if request.method == "POST" and form.is_valid():
        result = {}
        fields = form.service_fields()
        if run_service(form, lambda: result.update(consultation=services.consultation_create(
            actor=request.user, municipality=municipality, **fields))):  # fmt: skip
            messages.success(request, _("The consultation was created: add the draft's text, then open it."))
            return redirect("consultations_manage:detail", municipality.slug, result["consultation"].slug)
    return render_form(request, title=_("New consultation"), form=form, multipart=True,
                       back=reverse("consultations_manage:list", args=[municipality.slug]))  # fmt: skip


@staff_view(STAFF)
def consultation_edit(request, municipality, slug):
    consultation = _consultation(municipality, slug)
    form = forms.ConsultationForm(
        request.POST or None, request.FILES or None, instance=copy.copy(consultation),
        initial={"version": consultation.version},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if run_service(form, lambda: services.consultation_update(
            actor=request.user, consultation=consultation, expected_version=edited_version(form), **fields)):  # fmt: skip
            messages.success(request, _("The consultation was saved."))
            return redirect("consultations_manage:detail", municipality.slug, consultation.slug)
    return render_form(request, title=_("Edit consultation"), form=form, multipart=True,
                       back=_detail_url(municipality, consultation))  # fmt: skip


@staff_view(STAFF)
def consultation_detail(request, municipality, slug):
    consultation = _consultation(municipality, slug)
    draft = selectors.draft(consultation, states=("visible", "hidden", "pending"))
    return render(
        request,
        "consultations/manage/consultation_detail.html",
        {
            "nav": "manage", "consultation": consultation, "draft": draft,
            "counts": selectors.proposal_counts(consultation),
            "can_moderate": policy.can_moderate(request.user, municipality),
            "period_over": timezone.now() >= consultation.closes_at,
        },
    )  # fmt: skip


@staff_view(STAFF)
def results_decision(request, municipality, slug):
    """Record the council's decision that adopts the consultation's results."""
    consultation = _consultation(municipality, slug)
    form = forms.ResultsDecisionForm(
        request.POST or None, municipality=municipality,
        initial={"version": consultation.version, "results_decision": consultation.results_decision_id},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.consultation_results_decision_set(
            actor=request.user, consultation=consultation, decision=form.cleaned_data["results_decision"],
            expected_version=edited_version(form))):  # fmt: skip
            messages.success(request, _("The decision on the results was recorded."))
            return redirect("consultations_manage:detail", municipality.slug, consultation.slug)
    return render_form(request, title=_("Decision on the results"), form=form, intro=consultation.title_bg,
                       back=_detail_url(municipality, consultation))  # fmt: skip


@staff_view(STAFF)
def consultation_action(request, municipality, slug, action):
    """Open, close, or publish the report (POST)."""
    consultation = _consultation(municipality, slug)
    calls = {
        "open": (services.consultation_open, _("The consultation is open.")),
        "close": (services.consultation_close, _("The consultation is closed: its record is frozen.")),
        "publish": (services.report_publish, _("The table of proposals and answers is published.")),
    }
    if action not in calls:
        raise Http404
    if request.method == "POST":
        call, done = calls[action]
        try:
            call(actor=request.user, consultation=consultation)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, done)
    return redirect("consultations_manage:detail", municipality.slug, consultation.slug)


@staff_view(STAFF)
def draft_text(request, municipality, slug):
    consultation = _consultation(municipality, slug)
    form = forms.DraftTextForm(request.POST or None, initial={"version": consultation.version})
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.draft_replace_text(
            actor=request.user, consultation=consultation, text_bg=form.cleaned_data["text_bg"],
            text_en=form.cleaned_data["text_en"], expected_version=edited_version(form))):  # fmt: skip
            messages.success(request, _("The draft's text was split into sections and paragraphs."))
            return redirect("consultations_manage:detail", municipality.slug, consultation.slug)
    return render_form(request, title=_("The draft's text"), form=form, intro=consultation.title_bg,
                       submit=_("Split and save"), back=_detail_url(municipality, consultation))  # fmt: skip


@staff_view(STAFF)
def draft_from_plan(request, municipality, slug):
    consultation = _consultation(municipality, slug)
    if request.method == "POST":
        form = forms.VersionForm(request.POST)
        try:
            # The button carries the version of the page it was on: a stale page does not
            # replace a draft someone changed since.
            if not form.is_valid():
                raise ConflictError()
            count = services.draft_from_plan(
                actor=request.user, consultation=consultation, expected_version=edited_version(form)
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, _("The draft was generated from the plan: %(count)s paragraphs.") % {"count": count}
            )
    return redirect("consultations_manage:detail", municipality.slug, consultation.slug)


@staff_view(STAFF)
def proposal_record(request, municipality, slug):
    consultation = _consultation(municipality, slug)
    form = forms.RecordForm(
        request.POST or None, request.FILES or None, targets=selectors.draft_targets(consultation)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def call():
            paragraph, section = selectors.draft_target(consultation, data["target"])
            services.proposal_record(
                actor=request.user, consultation=consultation, source=data["source"], text=data["text"],
                received_at=data["received_at"], submitter_name=data["submitter_name"],
                organisation=data["organisation"], paragraph=paragraph, section=section,
                attachment=data.get("attachment"),
            )  # fmt: skip

        if run_service(form, call):
            messages.success(request, _("The proposal was recorded. Record the next one."))
            return redirect("consultations_manage:record", municipality.slug, consultation.slug)
    return render_form(request, title=_("Record a proposal"), form=form, intro=consultation.title_bg, multipart=True,
                       back=_detail_url(municipality, consultation))  # fmt: skip


@staff_view(STAFF)
def proposal_answer(request, municipality, slug, pk):
    consultation = _consultation(municipality, slug)
    proposal = get_object_or_404(
        Proposal.objects.select_related("answer", "author__profile", "paragraph", "section"),
        consultation=consultation, pk=pk,
    )  # fmt: skip
    proposal.consultation = consultation
    answer = selectors.answer_of(proposal)
    initial = (
        {"decision": answer.decision, "reasons_bg": answer.reasons_bg, "reasons_en": answer.reasons_en,
         "version": answer.version} if answer else {}
    )  # fmt: skip
    form = forms.AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(form, lambda: services.proposal_answer(
            actor=request.user, proposal=proposal, decision=data["decision"], reasons_bg=data["reasons_bg"],
            reasons_en=data["reasons_en"], expected_version=data.get("version"))):  # fmt: skip
            messages.success(request, _("The answer was saved."))
            return redirect(_detail_url(municipality, consultation) + f"#proposal-{proposal.pk}")
    intro = f"{selectors.submitter(proposal)}: {proposal.text}"
    return render_form(request, title=_("Answer the proposal"), form=form, intro=intro[:1000],
                       back=_detail_url(municipality, consultation))  # fmt: skip


# Moderation --------------------------------------------------------------------------------------


@staff_view(Action.MODERATE)
def moderation(request, municipality):
    return render(
        request,
        "consultations/manage/moderation.html",
        {
            "nav": "manage", "queue": selectors.moderation_queue(municipality=municipality),
            "log": selectors.moderation_log(municipality=municipality),
        },
    )  # fmt: skip


@staff_view(Action.MODERATE)
def proposal_moderate(request, municipality, pk, action):
    if action not in ("approve", "hide", "restore", "block"):
        raise Http404
    proposal = get_object_or_404(
        Proposal.objects.select_related("consultation", "author"),
        consultation__municipality=municipality,
        pk=pk,
    )
    proposal.consultation.municipality = municipality
    back = reverse("consultations_manage:moderation", args=[municipality.slug])
    if action in ("approve", "restore"):
        if request.method == "POST":
            call = services.proposal_approve if action == "approve" else services.proposal_restore
            try:
                call(actor=request.user, proposal=proposal)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("The proposal is visible."))
        return redirect(back)
    if action == "block" and proposal.author is None:
        raise Http404
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if action == "hide":
            call = lambda: services.proposal_hide(actor=request.user, proposal=proposal, reason=reason)  # noqa: E731
        else:
            # The block bars the author from the forum too: the forum's moderation does it, and
            # logs it in this consultation's moderation log as well.
            call = lambda: forum_services.user_block(  # noqa: E731
                actor=request.user, municipality=municipality, user=proposal.author, reason=reason,
                consultation=proposal.consultation,
            )  # fmt: skip
        try:
            ok = run_service(form, call)
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
            ok = False
        if ok:
            messages.success(request, _("Done."))
            return redirect(back)
    title = _("Hide the proposal") if action == "hide" else _("Block the author")
    return render(
        request, "consultations/reason_form.html",
        {"nav": "manage", "form": form, "proposal": proposal, "consultation": proposal.consultation, "title": title,
         "submit": title, "public_reason": action == "hide", "back": back},
        status=form_status(form),
    )  # fmt: skip
