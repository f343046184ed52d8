"""The back office's plan-file pages: upload a file, see what it will change (or every error in
it) and confirm the import; download a plan as a file. Thin: the services and selectors decide."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civitas.core.forms import run_service
from civitas.core.permissions import Action
from civitas.core.staff import render_form
from civitas.core.tenancy import staff_view
from civitas.plans import selectors as plan_selectors

from . import forms, selectors, services
from .imports import PlanImportError, planfile_export
from .planfile import MAX_BYTES


@staff_view(Action.EDIT_PLAN)
def plan_file_upload(request, municipality):
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = {}
        if run_service(form, lambda: result.update(upload=services.planfile_upload_create(
            actor=request.user, municipality=municipality, file_name=upload.name,
            data=upload.read(MAX_BYTES + 1), replace=form.cleaned_data["replace"]))):  # fmt: skip
            return redirect("manage:plan_file_preview", municipality.slug, result["upload"].pk)
    intro = _(
        "Nothing is imported yet: you will see what the file changes, or every error in it, and then "
        "confirm. Published values in the file are recorded as published by you: that needs the verifier "
        "or administrator role."
    )
    return render_form(
        request, title=_("Import a plan file"), form=form, intro=intro, submit=_("Check the file"),
        back=reverse("manage:dashboard", args=[municipality.slug]), multipart=True,
    )  # fmt: skip


@staff_view(Action.EDIT_PLAN)
def plan_file_preview(request, municipality, pk):
    upload = selectors.upload_get(municipality=municipality, user=request.user, pk=pk)
    if request.method == "POST":
        try:
            result = services.planfile_upload_import(actor=request.user, upload=upload)
        except PlanImportError as error:
            preview = selectors.Preview(issues=error.issues)
        else:
            messages.success(
                request,
                _("The plan was imported: %(elements)s elements, %(projects)s projects, %(indicators)s "
                  "indicators, %(values)s published values.")
                % {"elements": result.elements, "projects": result.projects_created + result.projects_updated,
                   "indicators": result.indicators, "values": result.values},
            )  # fmt: skip
            return redirect("manage:plan_elements", municipality.slug, result.plan.slug)
    else:
        preview = selectors.planfile_preview(user=request.user, upload=upload)
    context = {
        "nav": "manage", "upload": upload, "preview": preview,
    }  # fmt: skip
    return render(request, "planfiles/preview.html", context, status=400 if preview.issues else 200)


@staff_view(Action.EDIT_PLAN)
def plan_file_download(request, municipality, plan):
    plan = plan_selectors.plan_get(municipality=municipality, slug=plan, include_drafts=True)
    response = HttpResponse(planfile_export(plan), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}.yaml"'
    return response
