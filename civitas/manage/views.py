"""The back office of a municipality's staff: plans and their goal trees, projects and their
parts. Thin views: the forms check types, the services check rules and write."""

import copy
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civitas.core.forms import edited_version, run_service
from civitas.core.models import Role
from civitas.core.permissions import Action, allowed_actions, require, roles_of
from civitas.core.tenancy import staff_view, with_municipality
from civitas.plans import selectors as plan_selectors
from civitas.plans import services as plan_services
from civitas.plans.models import Plan, PlanElement
from civitas.projects import services as project_services
from civitas.projects.models import Activity, FundingLine, Project, ProjectDocument, ProjectPartner

from . import forms



def _refused(request, call) -> bool:
    """Run a deletion; when the service refuses it, show why and report True (nothing deleted)."""
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return True
    return False


def _version(form, obj) -> int:
    return edited_version(form)


def _render_form(request, *, title, form, back, submit=None, intro="", multipart=False, extra=None):
    context = {"title": title, "form": form, "back": back, "submit": submit or _("Save"), "intro": intro,
               "multipart": multipart, "nav": "manage", **(extra or {})}  # fmt: skip
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "manage/form.html", context, status=status)


# Dashboard ------------------------------------------------------------------------------------


@staff_view(Action.VIEW_BACK_OFFICE)
def dashboard(request, municipality):
    plans = (
        Plan.objects.filter(municipality=municipality)
        .annotate(element_count=Count("elements"))
        .order_by("position", "pk")
    )
    projects = Project.objects.filter(municipality=municipality).order_by("-updated_at", "pk")[:20]
    roles = roles_of(request.user, municipality)
    return render(
        request,
        "manage/dashboard.html",
        {
            "nav": "manage",
            "plans": plans,
            "projects": projects,
            "project_count": Project.objects.filter(municipality=municipality).count(),
            "roles": [label for value, label in Role.choices if value in roles],
            "actions": allowed_actions(request.user, municipality),
        },
    )


# Plans ----------------------------------------------------------------------------------------


def _plan(municipality, slug) -> Plan:
    return get_object_or_404(Plan, municipality=municipality, slug=slug)


@staff_view(Action.EDIT_PLAN)
def plan_create(request, municipality):
    form = forms.PlanForm(request.POST or None, instance=Plan(municipality=municipality))
    if request.method == "POST" and form.is_valid():
        result = {}
        fields = form.service_fields()
        if run_service(form, lambda: result.update(plan=plan_services.plan_create(
            actor=request.user, municipality=municipality, **fields))):  # fmt: skip
            messages.success(request, _("The plan was created."))
            return redirect("manage:plan_elements", municipality.slug, result["plan"].slug)
    return _render_form(
        request, title=_("New plan"), form=form, back=reverse("manage:dashboard", args=[municipality.slug])
    )


@staff_view(Action.EDIT_PLAN)
def plan_edit(request, municipality, plan):
    plan = _plan(municipality, plan)
    form = forms.PlanForm(request.POST or None, instance=copy.copy(plan), initial={"version": plan.version})
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if run_service(form, lambda: plan_services.plan_update(
            actor=request.user, plan=plan, expected_version=_version(form, plan), **fields)):  # fmt: skip
            messages.success(request, _("The plan was saved."))
            return redirect("manage:plan_elements", municipality.slug, plan.slug)
    return _render_form(request, title=_("Edit plan"), form=form,
                        back=reverse("manage:plan_elements", args=[municipality.slug, plan.slug]))  # fmt: skip


@staff_view(Action.EDIT_PLAN)
def plan_status(request, municipality, plan):
    plan = _plan(municipality, plan)
    form = forms.StatusForm(request.POST or None, initial={"status": plan.status, "version": plan.version})
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: plan_services.plan_change_status(
            actor=request.user, plan=plan, status=form.cleaned_data["status"],
            expected_version=form.cleaned_data["version"])):  # fmt: skip
            messages.success(request, _("The plan's status was changed."))
            return redirect("manage:plan_elements", municipality.slug, plan.slug)
    return _render_form(request, title=_("Change the status of the plan"), form=form, intro=plan.title_bg,
                        back=reverse("manage:plan_elements", args=[municipality.slug, plan.slug]))  # fmt: skip


@staff_view(Action.DELETE_PLAN)
def plan_delete(request, municipality, plan):
    plan = _plan(municipality, plan)
    if request.method == "POST":
        if _refused(request, lambda: plan_services.plan_delete(actor=request.user, plan=plan)):
            return redirect("manage:plan_elements", municipality.slug, plan.slug)
        messages.success(request, _("The plan was deleted. The audit log keeps what it contained."))
        return redirect("manage:dashboard", municipality.slug)
    return render(request, "manage/confirm_delete.html", {"nav": "manage", "object": plan.title_bg,
                  "back": reverse("manage:plan_elements", args=[municipality.slug, plan.slug])})  # fmt: skip


@staff_view(Action.EDIT_PLAN)
def plan_elements(request, municipality, plan):
    plan = _plan(municipality, plan)
    tree = plan_selectors.plan_tree(plan)
    return render(request, "manage/plan_elements.html", {"nav": "manage", "plan": plan, "tree": tree})


def _element(plan, pk) -> PlanElement:
    return get_object_or_404(PlanElement, plan=plan, pk=pk)


@staff_view(Action.EDIT_PLAN)
def element_create(request, municipality, plan):
    plan = _plan(municipality, plan)
    parent = _element(plan, request.GET.get("parent")) if request.GET.get("parent", "").isdigit() else None
    form = forms.ElementForm(request.POST or None, instance=PlanElement(plan=plan))
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in forms.ElementForm.Meta.fields}
        if run_service(form, lambda: plan_services.element_create(
            actor=request.user, plan=plan, parent=parent, **fields)):  # fmt: skip
            messages.success(request, _("The element was added."))
            return redirect("manage:plan_elements", municipality.slug, plan.slug)
    intro = (
        _("Under: %(parent)s") % {"parent": f"{parent.code} {parent.title_bg}"} if parent else plan.title_bg
    )
    return _render_form(request, title=_("New element"), form=form, intro=intro,
                        back=reverse("manage:plan_elements", args=[municipality.slug, plan.slug]))  # fmt: skip


@staff_view(Action.EDIT_PLAN)
def element_edit(request, municipality, plan, pk):
    plan = _plan(municipality, plan)
    element = _element(plan, pk)
    form = forms.ElementForm(
        request.POST or None, instance=copy.copy(element), initial={"version": element.version}
    )
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in forms.ElementForm.Meta.fields}
        if run_service(form, lambda: plan_services.element_update(
            actor=request.user, element=element, expected_version=_version(form, element), **fields)):  # fmt: skip
            messages.success(request, _("The element was saved."))
            return redirect("manage:plan_elements", municipality.slug, plan.slug)
    return _render_form(request, title=_("Edit element"), form=form,
                        back=reverse("manage:plan_elements", args=[municipality.slug, plan.slug]))  # fmt: skip


@staff_view(Action.EDIT_PLAN)
def element_move(request, municipality, plan, pk):
    plan = _plan(municipality, plan)
    element = _element(plan, pk)
    tree = plan_selectors._flatten(plan_selectors.plan_tree(plan))
    if request.method == "POST" and request.POST.get("direction") in ("up", "down"):
        step = -1 if request.POST["direction"] == "up" else 1
        form = forms.MoveForm(plan=plan, element=element, tree=tree)
        if run_service(form, lambda: plan_services.element_move(
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
        if run_service(form, lambda: plan_services.element_move(
            actor=request.user, element=element, parent=parent,
            position=form.cleaned_data["position"] - 1)):  # fmt: skip
            messages.success(request, _("The element was moved."))
            return redirect("manage:plan_elements", municipality.slug, plan.slug)
    return _render_form(request, title=_("Move element"), form=form, intro=f"{element.code} {element.title_bg}",
                        back=reverse("manage:plan_elements", args=[municipality.slug, plan.slug]))  # fmt: skip


@staff_view(Action.EDIT_PLAN)
def element_delete(request, municipality, plan, pk):
    plan = _plan(municipality, plan)
    element = _element(plan, pk)
    if request.method == "POST":
        if _refused(request, lambda: plan_services.element_delete(actor=request.user, element=element)):
            return redirect("manage:plan_elements", municipality.slug, plan.slug)
        messages.success(request, _("The element and everything under it were deleted."))
        return redirect("manage:plan_elements", municipality.slug, plan.slug)
    return render(request, "manage/confirm_delete.html", {"nav": "manage", "object": f"{element.code} {element.title_bg}",
                  "back": reverse("manage:plan_elements", args=[municipality.slug, plan.slug])})  # fmt: skip


# Projects -------------------------------------------------------------------------------------


def _project(municipality, slug) -> Project:
    return get_object_or_404(Project, municipality=municipality, slug=slug)


@staff_view(Action.EDIT_PROJECT)
def project_list(request, municipality):
    q = request.GET.get("q", "").strip()
    projects = Project.objects.filter(municipality=municipality).order_by("code", "pk")
    if q:
        projects = projects.filter(search_text__contains=q.casefold())
    return render(request, "manage/project_list.html", {"nav": "manage", "projects": projects[:200], "q": q})


def _element_choices(municipality):
    return plan_selectors.element_choices(municipality=municipality, include_drafts=True)


@staff_view(Action.EDIT_PROJECT)
def project_create(request, municipality):
    form = forms.ProjectForm(
        request.POST or None,
        instance=Project(municipality=municipality),
        element_choices=_element_choices(municipality),
    )
    if request.method == "POST" and form.is_valid():
        result = {}
        fields = form.service_fields()
        if run_service(form, lambda: result.update(project=project_services.project_create(
            actor=request.user, municipality=municipality, **fields))):  # fmt: skip
            messages.success(request, _("The project was created."))
            return redirect("manage:project_edit", municipality.slug, result["project"].slug)
    return _render_form(request, title=_("New project"), form=form,
                        back=reverse("manage:projects", args=[municipality.slug]))  # fmt: skip


@staff_view(Action.EDIT_PROJECT)
def project_edit(request, municipality, project):
    project = get_object_or_404(
        Project.objects.prefetch_related("partners", "funding_lines", "activities", "documents"),
        municipality=municipality, slug=project,
    )  # fmt: skip
    form = forms.ProjectForm(
        request.POST or None, instance=copy.copy(project), initial={"version": project.version},
        element_choices=_element_choices(municipality),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if run_service(form, lambda: project_services.project_update(
            actor=request.user, project=project, expected_version=_version(form, project), **fields)):  # fmt: skip
            messages.success(request, _("The project was saved."))
            return redirect("manage:project_edit", municipality.slug, project.slug)
    return render(
        request,
        "manage/project_edit.html",
        {"nav": "manage", "project": project, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_view(Action.DELETE_PROJECT)
def project_delete(request, municipality, project):
    project = _project(municipality, project)
    if request.method == "POST":
        if _refused(request, lambda: project_services.project_delete(actor=request.user, project=project)):
            return redirect("manage:project_edit", municipality.slug, project.slug)
        messages.success(request, _("The project was deleted. The audit log keeps what it contained."))
        return redirect("manage:projects", municipality.slug)
    return render(request, "manage/confirm_delete.html", {"nav": "manage", "object": project.title_bg,
                  "back": reverse("manage:project_edit", args=[municipality.slug, project.slug])})  # fmt: skip


# A project's parts: one generic add / edit / delete for partners, funding lines and activities.

PARTS = {
    "partners": (ProjectPartner, forms.PartnerForm, "partner", _("partner")),
    "funding": (FundingLine, forms.FundingLineForm, "funding_line", _("funding line")),
    "activities": (Activity, forms.ActivityForm, "activity", _("activity or milestone")),
}


def _part_services(prefix):
    return (getattr(project_services, f"{prefix}_add"), getattr(project_services, f"{prefix}_update"),
            getattr(project_services, f"{prefix}_delete"))  # fmt: skip


@staff_view(Action.EDIT_PROJECT)
def part_edit(request, municipality, project, part, pk=None):
    project = _project(municipality, project)
    if part not in PARTS:
        raise Http404
    model, form_class, prefix, label = PARTS[part]
    add, update, _delete = _part_services(prefix)
    obj = get_object_or_404(model, project=project, pk=pk) if pk else None
    form = form_class(
        request.POST or None, instance=copy.copy(obj) if obj else model(project=project),
        initial={"version": project.version},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in form_class.Meta.fields}
        key = "line" if prefix == "funding_line" else prefix

        def call():
            expected = _version(form, project)
            if obj is None:
                return add(actor=request.user, project=project, expected_version=expected, **fields)
            return update(actor=request.user, expected_version=expected, **{key: obj}, **fields)

        if run_service(form, call):
            messages.success(request, _("Saved."))
            return redirect("manage:project_edit", municipality.slug, project.slug)
    title = (_("Add %(what)s") if obj is None else _("Edit %(what)s")) % {"what": label}
    return _render_form(request, title=title, form=form, intro=project.title_bg,
                        back=reverse("manage:project_edit", args=[municipality.slug, project.slug]))  # fmt: skip


@staff_view(Action.EDIT_PROJECT)
def part_delete(request, municipality, project, part, pk):
    project = _project(municipality, project)
    if part not in PARTS:
        raise Http404
    model, _form, prefix, label = PARTS[part]
    obj = get_object_or_404(model, project=project, pk=pk)
    if request.method == "POST":
        key = "line" if prefix == "funding_line" else prefix
        _part_services(prefix)[2](actor=request.user, **{key: obj})
        messages.success(request, _("Deleted."))
        return redirect("manage:project_edit", municipality.slug, project.slug)
    return render(request, "manage/confirm_delete.html", {"nav": "manage", "object": f"{label}: {obj}",
                  "back": reverse("manage:project_edit", args=[municipality.slug, project.slug])})  # fmt: skip


@staff_view(Action.EDIT_PROJECT)
def activity_move(request, municipality, project, pk):
    project = _project(municipality, project)
    if request.method == "POST":
        ids = list(project.activities.values_list("pk", flat=True))
        if pk in ids:
            i = ids.index(pk)
            j = i - 1 if request.POST.get("direction") == "up" else i + 1
            if 0 <= j < len(ids):
                ids[i], ids[j] = ids[j], ids[i]
                project_services.activity_reorder(actor=request.user, project=project, ordered_ids=ids)
    return redirect("manage:project_edit", municipality.slug, project.slug)


@staff_view(Action.EDIT_PROJECT)
def document_add(request, municipality, project):
    project = _project(municipality, project)
    form = forms.DocumentForm(
        request.POST or None, request.FILES or None, initial={"version": project.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(form, lambda: project_services.document_add(
            actor=request.user, project=project, kind=data["kind"], title_bg=data["title_bg"],
            title_en=data["title_en"], upload=data["upload"], expected_version=edited_version(form))):  # fmt: skip
            messages.success(request, _("The file was added."))
            return redirect("manage:project_edit", municipality.slug, project.slug)
    return _render_form(request, title=_("Add a document or photo"), form=form, intro=project.title_bg, multipart=True,
                        back=reverse("manage:project_edit", args=[municipality.slug, project.slug]))  # fmt: skip


@staff_view(Action.EDIT_PROJECT)
def document_delete(request, municipality, project, pk):
    project = _project(municipality, project)
    document = get_object_or_404(ProjectDocument, project=project, pk=pk)
    if request.method == "POST":
        project_services.document_delete(actor=request.user, document=document)
        messages.success(request, _("Deleted."))
        return redirect("manage:project_edit", municipality.slug, project.slug)
    return render(request, "manage/confirm_delete.html", {"nav": "manage", "object": document.title_bg,
                  "back": reverse("manage:project_edit", args=[municipality.slug, project.slug])})  # fmt: skip
