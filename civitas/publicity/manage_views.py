"""The back office's pages for the publicity register: the lists (the municipality's, or one
project's), and the forms for events (with their minutes and photos), materials and publications.
Thin: the forms check types, the services check the rules and who may, and write."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civitas.core.forms import edited_version, run_service
from civitas.core.permissions import Action
from civitas.core.staff import form_status, render_confirm_delete, render_form
from civitas.core.tenancy import staff_view
from civitas.projects.models import Project

from . import forms, selectors, services


def _chosen_project(request, municipality) -> Project | None:
    """The project the lists are narrowed to (``?project=<id>``), if it is one of the municipality's."""
    raw = request.GET.get("project", "")
    return selectors.project_of(municipality=municipality, pk=int(raw)) if raw.isdigit() else None


def _register_url(municipality, project: Project | None) -> str:
    url = reverse("publicity_manage:register", args=[municipality.slug])
    return f"{url}?project={project.pk}" if project is not None else url


def _choices(municipality) -> dict:
    return {
        "project_choices": selectors.project_choices(municipality=municipality),
        "plan_choices": selectors.plan_choices(municipality=municipality),
    }


def _subject(municipality, form) -> dict:
    """The project and plan the form names, read as the municipality's own (the choices offer
    only those; a made-up id is None, "no project")."""
    data = form.cleaned_data
    return {
        "project": selectors.project_of(municipality=municipality, pk=data["project"])
        if data.get("project")
        else None,
        "plan": selectors.plan_of(municipality=municipality, pk=data["plan"]) if data.get("plan") else None,
    }


@staff_view(Action.MANAGE_PUBLICITY)
def register(request, municipality):
    project = _chosen_project(request, municipality)
    return render(
        request,
        "publicity/manage/register.html",
        {
            "nav": "manage",
            "project": project,
            "register": selectors.staff_register(municipality=municipality, project=project),
            "new_query": f"?project={project.pk}" if project is not None else "",
        },
    )


# Events ---------------------------------------------------------------------------------------------


@staff_view(Action.MANAGE_PUBLICITY)
def event_create(request, municipality):
    project = _chosen_project(request, municipality)
    form = forms.EventForm(request.POST or None, request.FILES or None,
                           initial={"project": project.pk if project else None}, **_choices(municipality))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        result = {}
        if run_service(form, lambda: result.update(event=services.event_create(
            actor=request.user, municipality=municipality, minutes=form.cleaned_data["minutes_upload"],
            **_subject(municipality, form), **form.service_fields()))):  # fmt: skip
            messages.success(request, _("The event was recorded. You can add its photos now."))
            return redirect("publicity_manage:event_edit", municipality.slug, result["event"].pk)
    return render_form(request, title=_("New event"), form=form, multipart=True,
                       back=_register_url(municipality, project))  # fmt: skip


@staff_view(Action.MANAGE_PUBLICITY)
def event_edit(request, municipality, pk):
    event = selectors.event_for_editing(municipality=municipality, pk=pk)
    form = forms.EventForm(request.POST or None, request.FILES or None, instance=event,
                           initial={"version": event.version}, **_choices(municipality))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.event_update(
            actor=request.user, event=event, expected_version=edited_version(form),
            minutes=form.cleaned_data["minutes_upload"], **_subject(municipality, form), **form.service_fields())):  # fmt: skip
            messages.success(request, _("The event was saved."))
            return redirect("publicity_manage:event_edit", municipality.slug, event.pk)
        event = selectors.event_for_editing(municipality=municipality, pk=pk)
    return render(
        request,
        "publicity/manage/event_edit.html",
        {"nav": "manage", "event": event, "form": form, "back": _register_url(municipality, event.project)},
        status=form_status(form),
    )


@staff_view(Action.MANAGE_PUBLICITY)
def event_delete(request, municipality, pk):
    event = selectors.event_for_editing(municipality=municipality, pk=pk)
    back = reverse("publicity_manage:event_edit", args=[municipality.slug, event.pk])
    if request.method == "POST":
        services.event_delete(actor=request.user, event=event)
        messages.success(request, _("The event was deleted. The audit log keeps what it contained."))
        return redirect(_register_url(municipality, event.project))
    return render_confirm_delete(request, name=event.title_bg, back=back)


@staff_view(Action.MANAGE_PUBLICITY)
def photo_add(request, municipality, pk):
    event = selectors.event_for_editing(municipality=municipality, pk=pk)
    back = reverse("publicity_manage:event_edit", args=[municipality.slug, event.pk])
    form = forms.PhotoForm(request.POST or None, request.FILES or None, initial={"version": event.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(form, lambda: services.photo_add(
            actor=request.user, event=event, upload=data["upload"], caption_bg=data["caption_bg"],
            caption_en=data["caption_en"], expected_version=edited_version(form))):  # fmt: skip
            messages.success(request, _("The photo was added."))
            return redirect(back)
    return render_form(
        request, title=_("Add a photo"), form=form, intro=event.title_bg, multipart=True, back=back
    )


@staff_view(Action.MANAGE_PUBLICITY)
def photo_delete(request, municipality, pk, photo):
    event = selectors.event_for_editing(municipality=municipality, pk=pk)
    found = selectors.photo_get(event=event, pk=photo)
    back = reverse("publicity_manage:event_edit", args=[municipality.slug, event.pk])
    if request.method == "POST":
        services.photo_delete(actor=request.user, photo=found)
        messages.success(request, _("Deleted."))
        return redirect(back)
    return render_confirm_delete(request, name=found.caption_bg, back=back)


# Materials and publications ---------------------------------------------------------------------------


@staff_view(Action.MANAGE_PUBLICITY)
def material_create(request, municipality):
    project = _chosen_project(request, municipality)
    form = forms.MaterialForm(request.POST or None, request.FILES or None,
                              initial={"project": project.pk if project else None}, **_choices(municipality))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        result = {}
        if run_service(form, lambda: result.update(material=services.material_create(
            actor=request.user, municipality=municipality, upload=form.cleaned_data["upload"],
            **_subject(municipality, form), **form.service_fields()))):  # fmt: skip
            messages.success(request, _("The material was recorded."))
            return redirect(_register_url(municipality, result["material"].project))
    return render_form(request, title=_("New material"), form=form, multipart=True,
                       back=_register_url(municipality, project))  # fmt: skip


@staff_view(Action.MANAGE_PUBLICITY)
def material_edit(request, municipality, pk):
    material = selectors.material_get(municipality=municipality, pk=pk)
    back = _register_url(municipality, material.project)
    form = forms.MaterialForm(request.POST or None, request.FILES or None, instance=material,
                              initial={"version": material.version}, **_choices(municipality))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.material_update(
            actor=request.user, material=material, expected_version=edited_version(form),
            upload=form.cleaned_data["upload"], **_subject(municipality, form), **form.service_fields())):  # fmt: skip
            messages.success(request, _("The material was saved."))
            return redirect(back)
    return render_form(request, title=_("Edit the material"), form=form, multipart=True, back=back,
                       intro=material.title_bg)  # fmt: skip


@staff_view(Action.MANAGE_PUBLICITY)
def material_delete(request, municipality, pk):
    material = selectors.material_get(municipality=municipality, pk=pk)
    back = _register_url(municipality, material.project)
    if request.method == "POST":
        services.material_delete(actor=request.user, material=material)
        messages.success(request, _("Deleted."))
        return redirect(back)
    return render_confirm_delete(request, name=material.title_bg, back=back)


@staff_view(Action.MANAGE_PUBLICITY)
def publication_create(request, municipality):
    project = _chosen_project(request, municipality)
    form = forms.PublicationForm(request.POST or None, initial={"project": project.pk if project else None},
                                 **_choices(municipality))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        result = {}
        if run_service(form, lambda: result.update(publication=services.publication_create(
            actor=request.user, municipality=municipality, **_subject(municipality, form),
            **form.service_fields()))):  # fmt: skip
            messages.success(request, _("The publication was recorded."))
            return redirect(_register_url(municipality, result["publication"].project))
    return render_form(
        request, title=_("New publication"), form=form, back=_register_url(municipality, project)
    )


@staff_view(Action.MANAGE_PUBLICITY)
def publication_edit(request, municipality, pk):
    publication = selectors.publication_get(municipality=municipality, pk=pk)
    back = _register_url(municipality, publication.project)
    form = forms.PublicationForm(request.POST or None, instance=publication,
                                 initial={"version": publication.version}, **_choices(municipality))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.publication_update(
            actor=request.user, publication=publication, expected_version=edited_version(form),
            **_subject(municipality, form), **form.service_fields())):  # fmt: skip
            messages.success(request, _("The publication was saved."))
            return redirect(back)
    return render_form(
        request, title=_("Edit the publication"), form=form, back=back, intro=publication.title_bg
    )


@staff_view(Action.MANAGE_PUBLICITY)
def publication_delete(request, municipality, pk):
    publication = selectors.publication_get(municipality=municipality, pk=pk)
    back = _register_url(municipality, publication.project)
    if request.method == "POST":
        services.publication_delete(actor=request.user, publication=publication)
        messages.success(request, _("Deleted."))
        return redirect(back)
    return render_confirm_delete(request, name=publication.title_bg, back=back)
