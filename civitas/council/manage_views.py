"""The staff's pages of the council's register: the list, a decision's record (new, edit, delete
with confirmation) and its document. The administrator and the council secretary keep the register
(Action.MANAGE_DECISIONS)."""

import copy

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civitas.core.forms import edited_version, run_service
from civitas.core.permissions import Action
from civitas.core.staff import refused, render_confirm_delete, render_form
from civitas.core.tenancy import staff_view

from . import forms, presentation, selectors, services
from .models import Decision

STAFF = Action.MANAGE_DECISIONS
DECISIONS_PER_PAGE = 50


def _list_url(municipality) -> str:
    return reverse("council_manage:list", args=[municipality.slug])


@staff_view(STAFF)
def decision_list(request, municipality):
    decisions = selectors.decision_list(municipality=municipality)
    page = Paginator(decisions, DECISIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "council/manage/decision_list.html",
        {
            "nav": "manage",
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        },
    )


@staff_view(STAFF)
def decision_create(request, municipality):
    form = forms.DecisionForm(request.POST or None, instance=Decision(municipality=municipality))
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if run_service(
            form, lambda: services.decision_create(actor=request.user, municipality=municipality, **fields)
        ):
            messages.success(request, _("The decision was recorded."))
            return redirect("council_manage:list", municipality.slug)
    return render_form(request, title=_("New council decision"), form=form, back=_list_url(municipality))


@staff_view(STAFF)
def decision_edit(request, municipality, pk):
    decision = selectors.decision_get_by_pk(municipality=municipality, pk=pk)
    form = forms.DecisionForm(
        request.POST or None, instance=copy.copy(decision), initial={"version": decision.version}
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if run_service(
            form,
            lambda: services.decision_update(
                actor=request.user, decision=decision, expected_version=edited_version(form), **fields
            ),
        ):
            messages.success(request, _("The decision was saved."))
            return redirect("council_manage:list", municipality.slug)
    return render_form(
        request, title=_("Edit the decision"), form=form, intro=presentation.decision_title(decision),
        back=_list_url(municipality),
    )  # fmt: skip


@staff_view(STAFF)
def decision_document(request, municipality, pk):
    decision = selectors.decision_get_by_pk(municipality=municipality, pk=pk)
    form = forms.DocumentForm(
        request.POST or None, request.FILES or None, initial={"version": decision.version}
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.decision_document_upload(
                actor=request.user, decision=decision, upload=form.cleaned_data["upload"],
                expected_version=edited_version(form),
            ),
        ):  # fmt: skip
            messages.success(request, _("The decision's document was stored."))
            return redirect("council_manage:list", municipality.slug)
    return render_form(
        request, title=_("Document of the decision"), form=form, intro=presentation.decision_title(decision),
        back=_list_url(municipality), submit=_("Upload"), multipart=True,
    )  # fmt: skip


@staff_view(STAFF)
def decision_delete(request, municipality, pk):
    decision = selectors.decision_get_by_pk(municipality=municipality, pk=pk)
    if request.method == "POST":
        if refused(request, lambda: services.decision_delete(actor=request.user, decision=decision)):
            return redirect("council_manage:list", municipality.slug)
        messages.success(request, _("The decision was deleted."))
        return redirect("council_manage:list", municipality.slug)
    return render_confirm_delete(
        request, name=presentation.decision_title(decision), back=_list_url(municipality)
    )
