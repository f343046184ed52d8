"""The back office's pages for plans and their goal trees. Thin: the forms check types, the
services check the rules and who may, and write."""

import copy

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civitas.consultations import selectors as consultation_selectors
from civitas.core.forms import edited_version, run_service
from civitas.core.permissions import Action
from civitas.core.staff import refused, render_confirm_delete, render_form
from civitas.core.tenancy import staff_view
from civitas.planfiles import services as planfile_services
from civitas.projects import selectors as project_selectors

from . import forms, policy, selectors, services
from .models import IN_FORCE_KINDS, FinancialLine, Plan, PlanElement, VersionKind


def _plan(municipality, slug) -> Plan:
    return selectors.plan_get(municipality=municipality, slug=slug, include_drafts=True)


def _tree_page(municipality, plan) -> str:
    return reverse("manage:plan_elements", args=[municipality.slug, plan.slug])


@staff_view(Action.EDIT_PLAN)
def plan_create(request, municipality):
    form = forms.PlanForm(request.POST or None, instance=Plan(municipality=municipality))
    if request.method == "POST" and form.is_valid():
        result = {}
        fields = form.service_fields()
        if run_service(form, lambda: result.update(plan=services.plan_create(
            actor=request.user, municipality=municipality, **fields))):  # fmt: skip
            messages.success(request, _("The plan was created."))
            return redirect("manage:plan_elements", municipality.slug, result["plan"].slug)
    return render_form(
        request, title=_("New plan"), form=form, back=reverse("manage:dashboard", args=[municipality.slug])
    )


@staff_view(Action.EDIT_PLAN)
def plan_edit(request, municipality, plan):
    plan = _plan(municipality, plan)
    form = forms.PlanForm(request.POST or None, instance=copy.copy(plan), initial={"version": plan.version})
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if run_service(form, lambda: services.plan_update(
            actor=request.user, plan=plan, expected_version=edited_version(form), **fields)):  # fmt: skip
            messages.success(request, _("The plan was saved."))
            return redirect("manage:plan_elements", municipality.slug, plan.slug)
    return render_form(request, title=_("Edit plan"), form=form, back=_tree_page(municipality, plan))


@staff_view(Action.EDIT_PLAN)
def plan_status(request, municipality, plan):
    plan = _plan(municipality, plan)
    form = forms.StatusForm(request.POST or None, initial={"status": plan.status, "version": plan.version})
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.plan_change_status(
            actor=request.user, plan=plan, status=form.cleaned_data["status"],
            expected_version=form.cleaned_data["version"])):  # fmt: skip
            messages.success(request, _("The plan's status was changed."))
            return redirect("manage:plan_elements", municipality.slug, plan.slug)
    return render_form(request, title=_("Change the status of the plan"), form=form, intro=plan.title_bg,
                       back=_tree_page(municipality, plan))  # fmt: skip


@staff_view(Action.DELETE_PLAN)
def plan_delete(request, municipality, plan):
    plan = _plan(municipality, plan)
    if request.method == "POST":
        if refused(request, lambda: services.plan_delete(actor=request.user, plan=plan)):
            return redirect("manage:plan_elements", municipality.slug, plan.slug)
        messages.success(request, _("The plan was deleted. The audit log keeps what it contained."))
        return redirect("manage:dashboard", municipality.slug)
    return render_confirm_delete(request, name=plan.title_bg, back=_tree_page(municipality, plan))


@staff_view(Action.EDIT_PLAN)
def plan_elements(request, municipality, plan):
    plan = _plan(municipality, plan)
    tree = selectors.plan_tree(plan)
    return render(request, "plans/manage/plan_elements.html", {"nav": "manage", "plan": plan, "tree": tree})


def _element(plan, pk) -> PlanElement:
    return selectors.element_get(plan=plan, pk=pk)


@staff_view(Action.EDIT_PLAN)
def element_create(request, municipality, plan):
    plan = _plan(municipality, plan)
    parent = _element(plan, request.GET.get("parent")) if request.GET.get("parent", "").isdigit() else None
    form = forms.ElementForm(request.POST or None, instance=PlanElement(plan=plan))
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in forms.ElementForm.Meta.fields}
        if run_service(form, lambda: services.element_create(
            actor=request.user, plan=plan, parent=parent, **fields)):  # fmt: skip
            messages.success(request, _("The element was added."))
            return redirect("manage:plan_elements", municipality.slug, plan.slug)
    intro = (
        _("Under: %(parent)s") % {"parent": f"{parent.code} {parent.title_bg}"} if parent else plan.title_bg
    )
    return render_form(request, title=_("New element"), form=form, intro=intro,
                       back=_tree_page(municipality, plan))  # fmt: skip


@staff_view(Action.EDIT_PLAN)
def element_edit(request, municipality, plan, pk):
    plan = _plan(municipality, plan)
    element = _element(plan, pk)
    form = forms.ElementForm(
        request.POST or None, instance=copy.copy(element), initial={"version": element.version}
    )
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in forms.ElementForm.Meta.fields}
        if run_service(form, lambda: services.element_update(
            actor=request.user, element=element, expected_version=edited_version(form), **fields)):  # fmt: skip
            messages.success(request, _("The element was saved."))
            return redirect("manage:plan_elements", municipality.slug, plan.slug)
    return render_form(request, title=_("Edit element"), form=form, back=_tree_page(municipality, plan))


@staff_view(Action.EDIT_PLAN)
def element_move(request, municipality, plan, pk):
    plan = _plan(municipality, plan)
    element = _element(plan, pk)
    tree = selectors.flatten(selectors.plan_tree(plan))
    if request.method == "POST" and request.POST.get("direction") in ("up", "down"):
        step = -1 if request.POST["direction"] == "up" else 1
        form = forms.MoveForm(plan=plan, element=element, tree=tree)
        if run_service(form, lambda: services.element_move(
            actor=request.user, element=element, parent=element.parent,
            position=max(0, element.position + step))):  # fmt: skip
            return redirect("manage:plan_elements", municipality.slug, plan.slug)
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("manage:plan_elements", municipality.slug, plan.slug)
    form = forms.MoveForm(request.POST or None, plan=plan, element=element, tree=tree)
    if request.method == "POST" and form.is_valid():
        parent_pk = form.cleaned_data["parent"]
        parent = _element(plan, parent_pk) if parent_pk else None
        if run_service(form, lambda: services.element_move(
            actor=request.user, element=element, parent=parent,
            position=form.cleaned_data["position"] - 1)):  # fmt: skip
            messages.success(request, _("The element was moved."))
            return redirect("manage:plan_elements", municipality.slug, plan.slug)
    return render_form(request, title=_("Move element"), form=form, intro=f"{element.code} {element.title_bg}",
                       back=_tree_page(municipality, plan))  # fmt: skip


@staff_view(Action.EDIT_PLAN)
def element_delete(request, municipality, plan, pk):
    plan = _plan(municipality, plan)
    element = _element(plan, pk)
    if request.method == "POST":
        if refused(request, lambda: services.element_delete(actor=request.user, element=element)):
            return redirect("manage:plan_elements", municipality.slug, plan.slug)
        messages.success(request, _("The element and everything under it were deleted."))
        return redirect("manage:plan_elements", municipality.slug, plan.slug)
    return render_confirm_delete(
        request, name=f"{element.code} {element.title_bg}", back=_tree_page(municipality, plan)
    )


# The indicative financial table ----------------------------------------------------------------


def _financial_page(municipality, plan) -> str:
    return reverse("manage:plan_financial", args=[municipality.slug, plan.slug])


@staff_view(Action.EDIT_PLAN)
def financial_table(request, municipality, plan):
    """The plan's indicative financial table: its lines, and the same table beside the projects'
    funding as the public sees it."""
    plan = _plan(municipality, plan)
    return render(
        request,
        "plans/manage/financial_table.html",
        {
            "nav": "manage",
            "plan": plan,
            "lines": selectors.financial_lines(plan),
            "comparison": project_selectors.financial_comparison(plan),
        },
    )


@staff_view(Action.EDIT_PLAN)
def financial_line_edit(request, municipality, plan, pk=None):
    plan = _plan(municipality, plan)
    line = selectors.financial_line_get(plan=plan, pk=pk) if pk else None
    form = forms.FinancialLineForm(
        request.POST or None,
        instance=copy.copy(line) if line else FinancialLine(plan=plan, currency=plan.currency),
        initial={"version": plan.version},
        tree=selectors.flatten(selectors.plan_tree_elements(plan)),
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()

        def call():
            expected = edited_version(form)
            if line is None:
                return services.financial_line_create(
                    actor=request.user, plan=plan, expected_version=expected, **fields
                )
            return services.financial_line_update(
                actor=request.user, line=line, expected_version=expected, **fields
            )

        if run_service(form, call):
            messages.success(request, _("Saved."))
            return redirect("manage:plan_financial", municipality.slug, plan.slug)
    title = (
        _("Add a line to the financial table") if line is None else _("Edit a line of the financial table")
    )
    return render_form(
        request, title=title, form=form, intro=plan.title_bg, back=_financial_page(municipality, plan)
    )


@staff_view(Action.EDIT_PLAN)
def financial_line_delete(request, municipality, plan, pk):
    plan = _plan(municipality, plan)
    line = selectors.financial_line_get(plan=plan, pk=pk)
    if request.method == "POST":
        services.financial_line_delete(actor=request.user, line=line)
        messages.success(request, _("Deleted."))
        return redirect("manage:plan_financial", municipality.slug, plan.slug)
    name = " · ".join(
        part
        for part in [
            f"{line.element.code} {line.element.title_bg}" if line.element else str(_("the plan as a whole")),
            line.get_source_display(),
            str(line.year or _("whole period")),
            f"{line.amount} {line.currency}",
        ]
    )
    return render_confirm_delete(request, name=name, back=_financial_page(municipality, plan))


# Annual assessments ----------------------------------------------------------------------------


@staff_view(Action.EDIT_PLAN)
def element_assessments(request, municipality, plan, pk):
    """The element's years, each with its assessment (published or not) and a link to write it."""
    plan = _plan(municipality, plan)
    element = _element(plan, pk)
    element.plan = plan
    return render(
        request,
        "plans/manage/element_assessments.html",
        {
            "nav": "manage",
            "plan": plan,
            "element": element,
            "years": selectors.element_assessment_years(element),
        },
    )


@staff_view(Action.EDIT_PLAN)
def assessment_edit(request, municipality, plan, pk, year):
    plan = _plan(municipality, plan)
    element = _element(plan, pk)
    element.plan = plan
    found = selectors.element_assessment_get(element=element, year=year)
    initial = {"version": found.version if found else 0}
    if found is not None:
        initial.update(
            achieved_bg=found.achieved_bg, achieved_en=found.achieved_en, obstacles_bg=found.obstacles_bg,
            obstacles_en=found.obstacles_en, publish=found.is_published,
        )  # fmt: skip
    form = forms.AssessmentForm(request.POST or None, initial=initial)
    back = reverse("manage:element_assessments", args=[municipality.slug, plan.slug, element.pk])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(form, lambda: services.assessment_save(
            actor=request.user, element=element, year=year, achieved_bg=data["achieved_bg"],
            achieved_en=data["achieved_en"], obstacles_bg=data["obstacles_bg"], obstacles_en=data["obstacles_en"],
            publish=data["publish"], expected_version=edited_version(form))):  # fmt: skip
            messages.success(request, _("The annual assessment was saved."))
            return redirect(back)
    return render_form(
        request, form=form, back=back, intro=f"{element.code} {element.title_bg}",
        title=_("Annual assessment %(year)s") % {"year": year},
    )  # fmt: skip


# Versions of a plan ---------------------------------------------------------------------------------


def _versions_page(municipality, plan) -> str:
    return reverse("manage:plan_versions", args=[municipality.slug, plan.slug])


@staff_view(Action.EDIT_PLAN)
def plan_versions(request, municipality, plan):
    """The plan's versions (kind, date, decision, note) and the steps that record the next one."""
    plan = _plan(municipality, plan)
    versions = selectors.plan_versions(plan)
    latest = versions[0] if versions else None
    if latest is not None:
        latest.plan = plan  # for the refusal's message, without a query
    frozen = latest is not None and latest.kind in IN_FORCE_KINDS
    # Each version with the consultation held on it and the one that preceded it (held on the
    # version before it).
    held_on = consultation_selectors.consultations_on_versions(plan)
    for index, version in enumerate(versions):
        earlier = versions[index + 1] if index + 1 < len(versions) else None
        version.consultation = held_on.get(version.pk)
        version.preceded_by = held_on.get(earlier.pk) if earlier is not None else None
    return render(
        request, "plans/manage/plan_versions.html",
        {"nav": "manage", "plan": plan, "versions": versions, "frozen": frozen,
         "frozen_message": policy.frozen_message(latest) if frozen and latest else "",
         "draft_open": latest is not None and latest.kind == VersionKind.DRAFT,
         "may_publish": latest is not None and not frozen},
    )  # fmt: skip


@staff_view(Action.EDIT_PLAN)
def version_start(request, municipality, plan):
    plan = _plan(municipality, plan)
    form = forms.VersionNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: planfile_services.plan_version_start_draft(
            actor=request.user, plan=plan, **form.cleaned_data)):  # fmt: skip
            messages.success(request, _("A new draft version was opened: the plan may be changed in it."))
            return redirect(_versions_page(municipality, plan))
    return render_form(request, title=_("Start a new draft version"), form=form, intro=plan.title_bg,
                       submit=_("Start the draft version"), back=_versions_page(municipality, plan))  # fmt: skip


@staff_view(Action.EDIT_PLAN)
def version_publish(request, municipality, plan):
    plan = _plan(municipality, plan)
    form = forms.VersionPublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: planfile_services.plan_version_publish_for_consultation(
            actor=request.user, plan=plan, **form.cleaned_data)):  # fmt: skip
            messages.success(request, _("The draft was recorded as published for public consultation."))
            return redirect(_versions_page(municipality, plan))
    return render_form(
        request, title=_("Publish the draft for consultation"), form=form, submit=_("Publish the draft"),
        intro=_("The plan as it is now is kept as the draft for public consultation; a consultation may then be "
                "held on it."),
        back=_versions_page(municipality, plan),
    )  # fmt: skip


@staff_view(Action.EDIT_PLAN)
def version_adopt(request, municipality, plan):
    plan = _plan(municipality, plan)
    form = forms.VersionAdoptForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: planfile_services.plan_version_adopt(
            actor=request.user, plan=plan, **form.cleaned_data)):  # fmt: skip
            messages.success(request, _("The adoption was recorded: the plan is in force in this version."))
            return redirect(_versions_page(municipality, plan))
    return render_form(
        request, title=_("Record adoption by a council decision"), form=form, submit=_("Record the adoption"),
        intro=_("The plan as it is now is kept as the version the decision adopts (an update if an adopted "
                "version exists). It cannot be changed afterwards without a new draft version."),
        back=_versions_page(municipality, plan),
    )  # fmt: skip
