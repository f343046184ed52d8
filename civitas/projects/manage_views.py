"""The back office's pages for projects and their parts. Thin: the forms check types, the
services check the rules and who may, and write."""

import copy

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civitas.core.forms import edited_version, run_service
from civitas.core.permissions import Action
from civitas.core.staff import form_status, refused, render_confirm_delete, render_form
from civitas.core.tenancy import staff_view
from civitas.plans import selectors as plan_selectors

from . import forms, rules, selectors, services
from .models import Activity, FundingLine, Project, ProjectDocument, ProjectPartner


def _project(municipality, slug) -> Project:
    return selectors.project_find(municipality=municipality, slug=slug)


def _edit_page(municipality, project) -> str:
    return reverse("manage:project_edit", args=[municipality.slug, project.slug])


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# The lists of the edit page that htmx edits in place: part → the list's template.
IN_PLACE = {"funding": "projects/manage/_funding.html", "activities": "projects/manage/_activities.html"}


def _in_place(
    request,
    municipality,
    project,
    part,
    *,
    editing=None,
    row_form=None,
    row_title="",
    loaded=False,
    saved=False,
):
    """A list of the project's edit page (its funding lines or activities), for htmx; while a row is
    edited, its form in place of the row (``editing``: the row's id, or "new"). The project is read
    again with its parts unless it was ``loaded`` so. After a row is ``saved`` the project's new
    version goes to the page's own form too: the row was checked against the version that page was
    opened on (``_seen_version``), so nobody else's change lies in between."""
    if not loaded:
        project = selectors.project_for_editing(municipality=municipality, slug=project.slug)
    context = {"project": project, "budget": selectors.project_budget(project), "editing": editing,
               "row_form": row_form, "row_title": row_title,
               "version_now": project.version if saved else None,
               "overdue_ids": selectors.overdue_activity_ids(project, as_of=timezone.localdate())}  # fmt: skip
    return render(request, IN_PLACE[part], context)


def _seen_version(request, project) -> int:
    """The project's version the edit page shows (its form's, sent along by htmx), else the stored one."""
    seen = request.GET.get("version", "")
    return int(seen) if _is_htmx(request) and seen.isdigit() else project.version


def _element_choices(municipality):
    return plan_selectors.element_choices(municipality=municipality, include_drafts=True)


@staff_view(Action.EDIT_PROJECT)
def project_list(request, municipality):
    q = request.GET.get("q", "").strip()
    projects = selectors.staff_project_list(municipality=municipality, q=q)
    return render(
        request, "projects/manage/project_list.html", {"nav": "manage", "projects": projects, "q": q}
    )


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
        if run_service(form, lambda: result.update(project=services.project_create(
            actor=request.user, municipality=municipality, **fields))):  # fmt: skip
            messages.success(request, _("The project was created."))
            return redirect("manage:project_edit", municipality.slug, result["project"].slug)
    return render_form(request, title=_("New project"), form=form,
                       back=reverse("manage:projects", args=[municipality.slug]))  # fmt: skip


@staff_view(Action.EDIT_PROJECT)
def project_edit(request, municipality, project):
    project = selectors.project_for_editing(municipality=municipality, slug=project)
    if _is_htmx(request) and request.method == "GET" and request.GET.get("section") in IN_PLACE:
        return _in_place(request, municipality, project, request.GET["section"], loaded=True)
    form = forms.ProjectForm(
        request.POST or None, instance=copy.copy(project), initial={"version": project.version},
        element_choices=_element_choices(municipality),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if run_service(form, lambda: services.project_update(
            actor=request.user, project=project, expected_version=edited_version(form), **fields)):  # fmt: skip
            messages.success(request, _("The project was saved."))
            return redirect("manage:project_edit", municipality.slug, project.slug)
    return render(
        request,
        "projects/manage/project_edit.html",
        {
            "nav": "manage",
            "project": project,
            "form": form,
            "budget": selectors.project_budget(project),
            "overdue_ids": selectors.overdue_activity_ids(project, as_of=timezone.localdate()),
        },  # fmt: skip
        status=form_status(form),
    )


@staff_view(Action.DELETE_PROJECT)
def project_delete(request, municipality, project):
    project = _project(municipality, project)
    if request.method == "POST":
        if refused(request, lambda: services.project_delete(actor=request.user, project=project)):
            return redirect("manage:project_edit", municipality.slug, project.slug)
        messages.success(request, _("The project was deleted. The audit log keeps what it contained."))
        return redirect("manage:projects", municipality.slug)
    return render_confirm_delete(request, name=project.title_bg, back=_edit_page(municipality, project))


# A project's parts: one generic add / edit / delete for partners, funding lines and activities:
# (model, form, add, update, delete, the services' keyword for the part, label).
PARTS = {
    "partners": (ProjectPartner, forms.PartnerForm, services.partner_add, services.partner_update,
                 services.partner_delete, "partner", gettext_lazy("partner")),
    "funding": (FundingLine, forms.FundingLineForm, services.funding_line_add, services.funding_line_update,
                services.funding_line_delete, "line", gettext_lazy("funding line")),
    "activities": (Activity, forms.ActivityForm, services.activity_add, services.activity_update,
                   services.activity_delete, "activity", gettext_lazy("activity or milestone")),
}  # fmt: skip


@staff_view(Action.EDIT_PROJECT)
def part_edit(request, municipality, project, part, pk=None):
    project = _project(municipality, project)
    if part not in PARTS:
        raise Http404
    model, form_class, add, update, _delete, key, label = PARTS[part]
    obj = selectors.project_part(project=project, model=model, pk=pk) if pk else None
    new = model(project=project)
    if model is FundingLine:  # a new line is in the currency of the project's plan (existing keep theirs)
        new.currency = selectors.new_amount_currency(project)
    form = form_class(
        request.POST or None, instance=copy.copy(obj) if obj else new,
        initial={"version": _seen_version(request, project)},
        # In place, beside the project's own form: ids of their own.
        auto_id=f"{part}_%s" if _is_htmx(request) else "id_%s",
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in form_class.Meta.fields}

        def call():
            expected = edited_version(form)
            if obj is None:
                return add(actor=request.user, project=project, expected_version=expected, **fields)
            return update(actor=request.user, expected_version=expected, **{key: obj}, **fields)

        if run_service(form, call):
            if _is_htmx(request) and part in IN_PLACE:
                return _in_place(request, municipality, project, part, saved=True)
            messages.success(request, _("Saved."))
            return redirect("manage:project_edit", municipality.slug, project.slug)
    title = (_("Add %(what)s") if obj is None else _("Edit %(what)s")) % {"what": label}
    if _is_htmx(request) and part in IN_PLACE:
        # 200 even when refused: htmx swaps in only a success, and the refusal shows in its row.
        return _in_place(request, municipality, project, part, editing=obj.pk if obj else "new", row_form=form,
                         row_title=title)  # fmt: skip
    return render_form(request, title=title, form=form, intro=project.title_bg,
                       back=_edit_page(municipality, project))  # fmt: skip


@staff_view(Action.EDIT_PROJECT)
def part_delete(request, municipality, project, part, pk):
    project = _project(municipality, project)
    if part not in PARTS:
        raise Http404
    model, _form, _add, _update, delete, key, label = PARTS[part]
    obj = selectors.project_part(project=project, model=model, pk=pk)
    if request.method == "POST":
        delete(actor=request.user, **{key: obj})
        if _is_htmx(request) and part in IN_PLACE:
            return _in_place(request, municipality, project, part)
        messages.success(request, _("Deleted."))
        return redirect("manage:project_edit", municipality.slug, project.slug)
    return render_confirm_delete(request, name=f"{label}: {obj}", back=_edit_page(municipality, project))


@staff_view(Action.EDIT_PROJECT)
def activity_move(request, municipality, project, pk):
    project = _project(municipality, project)
    if request.method == "POST":
        ids = rules.order_with_one_moved(
            selectors.activity_order(project), pk, up=request.POST.get("direction") == "up"
        )
        if ids is not None:
            services.activity_reorder(actor=request.user, project=project, ordered_ids=ids)
    return redirect("manage:project_edit", municipality.slug, project.slug)


@staff_view(Action.EDIT_PROJECT)
def document_add(request, municipality, project):
    project = _project(municipality, project)
    form = forms.DocumentForm(
        request.POST or None, request.FILES or None, initial={"version": project.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(form, lambda: services.document_add(
            actor=request.user, project=project, kind=data["kind"], title_bg=data["title_bg"],
            title_en=data["title_en"], upload=data["upload"], expected_version=edited_version(form))):  # fmt: skip
            messages.success(request, _("The file was added."))
            return redirect("manage:project_edit", municipality.slug, project.slug)
    return render_form(request, title=_("Add a document or photo"), form=form, intro=project.title_bg,
                       multipart=True, back=_edit_page(municipality, project))  # fmt: skip


@staff_view(Action.EDIT_PROJECT)
def document_delete(request, municipality, project, pk):
    project = _project(municipality, project)
    document = selectors.project_part(project=project, model=ProjectDocument, pk=pk)
    if request.method == "POST":
        services.document_delete(actor=request.user, document=document)
        messages.success(request, _("Deleted."))
        return redirect("manage:project_edit", municipality.slug, project.slug)
    return render_confirm_delete(request, name=document.title_bg, back=_edit_page(municipality, project))
