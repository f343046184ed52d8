"""Measurement files: the import template, the upload with its row-by-row report, and exports.

Staff pages under /<municipality>/manage/indicators/data/ (``staff_urls``, added to
``indicators/urls.py``); the public exports of a plan's published values at
/<municipality>/plans/<plan>/indicators.csv and .xlsx (``public_urls``, for the portal's URLs).
Thin views: ``imports`` reads, checks and writes through the services; ``exports`` writes what
the selectors evaluated.
"""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from civitas.core.permissions import Action, can, require
from civitas.core.tenancy import staff_view, with_municipality
from civitas.plans import selectors as plan_selectors
from civitas.plans.models import Plan

from . import exports, imports
from .models import ImportJob, ImportJobState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"



class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Measurements file (XLSX or CSV)"),
        help_text=gettext_lazy("Up to 5 MB. Use the template: one row per indicator and period."),
    )
    submit = forms.BooleanField(
        label=gettext_lazy("Submit the values for approval at once"),
        required=False,
        help_text=gettext_lazy("Otherwise they are saved as drafts that you can still change."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s MB; files up to %(limit)s MB are accepted: split it into smaller files."
                )
                % {"size": f"{upload.size / 1024 / 1024:.1f}", "limit": imports.MAX_BYTES // 1024 // 1024}
            )
        return upload


def _plan_from(request, municipality) -> Plan | None:
    slug = request.GET.get("plan")
    if not slug:
        return None
    return plan_selectors.plan_get(municipality=municipality, slug=slug, include_drafts=True)


def _attachment(filename: str, *, lines=None, stream=None):
    if lines is not None:
        response = StreamingHttpResponse(lines, content_type=CSV)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(stream, as_attachment=True, filename=filename, content_type=XLSX)


# Staff ----------------------------------------------------------------------------------------


@staff_view(Action.VIEW_BACK_OFFICE)
def data_home(request, municipality):
    plans = Plan.objects.filter(municipality=municipality).order_by("-period_start", "slug")
    imports.import_jobs_expire(municipality=municipality, created_by=request.user)
    return render(
        request,
        "indicators/data_home.html",
        {
            "nav": "manage",
            "plans": plans,
            "can_enter": can(request.user, municipality, Action.ENTER_MEASUREMENT),
            # The way back to a background import's page once one has left it.
            "jobs": ImportJob.objects.filter(municipality=municipality, created_by=request.user)[:5],
            "form": UploadForm(),
            "max_mb": imports.MAX_BYTES // 1024 // 1024,
        },
    )


@staff_view(Action.ENTER_MEASUREMENT)
def template_download(request, municipality, fmt):
    plan = _plan_from(request, municipality)
    header, rows = imports.template_rows(actor=request.user, municipality=municipality, plan=plan)
    name = f"{municipality.slug}-{plan.slug if plan else 'indicators'}-template.{fmt}"
    if fmt == "csv":
        return _attachment(name, lines=exports.template_csv_lines(header, rows))
    return _attachment(name, stream=exports.template_xlsx(header, rows))


@staff_view(Action.ENTER_MEASUREMENT)
def import_upload(request, municipality):
    result = None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            if imports.estimated_rows(data) > settings.CIVITAS_IMPORT_BACKGROUND_ROWS:
                # Too long for a request: a background task imports it; its page shows the progress.
                with transaction.atomic():
                    job = imports.import_job_create(
                        actor=request.user, municipality=municipality, file_name=upload.name, data=data,
                        submit=form.cleaned_data["submit"], language=get_language(),
                    )  # fmt: skip
                return redirect("indicators:data_import_job", municipality=municipality.slug, pk=job.pk)
            result = imports.import_measurements(
                actor=request.user, municipality=municipality, data=data, submit=form.cleaned_data["submit"]
            )
            if result.ok:
                if result.submitted:
                    text = _("%(count)s values were saved and submitted for approval.")
                else:
                    text = _("%(count)s values were saved as drafts.")
                messages.success(request, text % {"count": result.saved})
                return redirect("indicators:data", municipality=municipality.slug)
    else:
        form = UploadForm()
    failed = request.method == "POST"
    return render(
        request,
        "indicators/data_import.html",
        {"nav": "manage", "form": form, "result": result, "max_mb": imports.MAX_BYTES // 1024 // 1024},
        status=400 if failed else 200,
    )


@login_required
@with_municipality
def import_job(request, municipality, pk):
    """A background import's progress, refreshing itself until it is done, then its report."""
    imports.import_jobs_expire(municipality=municipality, pk=pk)  # its worker died: failed
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), municipality=municipality, pk=pk)
    job.municipality = municipality
    if not imports.import_job_visible(request.user, job):
        raise Http404("No such import")
    return render(
        request,
        "indicators/data_import_job.html",
        {"nav": "manage", "job": job},
        status=400 if job.state == ImportJobState.FAILED else 200,
    )


@staff_view(Action.VIEW_BACK_OFFICE)
def export_download(request, municipality, fmt):
    plan = _plan_from(request, municipality)
    if plan is not None:
        export = exports.plan_export_set(plan, public=False)
    else:
        codes = request.GET.get("codes")
        codes = [c.strip() for c in codes.split(",") if c.strip()] if codes else None
        export = exports.indicators_export_set(municipality=municipality, codes=codes)
    return _export_response(request, municipality, export, fmt)


def _export_response(request, municipality, export, fmt):
    if fmt == "csv":
        table = request.GET.get("table", "values")
        if table not in exports.TABLES:
            raise Http404("No such table")
        name = f"{municipality.slug}-{export.name}-{table}.csv"
        return _attachment(name, lines=exports.export_csv_lines(export, table))
    return _attachment(f"{municipality.slug}-{export.name}.xlsx", stream=exports.export_xlsx(export))


# Public ---------------------------------------------------------------------------------------


@with_municipality
def public_export(request, municipality, plan, fmt):
    """A plan's indicators with their published values, evaluation and public history."""
    include_drafts = can(request.user, municipality, Action.EDIT_PLAN)
    plan = plan_selectors.plan_get(municipality=municipality, slug=plan, include_drafts=include_drafts)
    return _export_response(request, municipality, exports.plan_export_set(plan, public=True), fmt)


staff_urls = [
    path("data/", data_home, name="data"),
    path("data/template.xlsx", template_download, {"fmt": "xlsx"}, name="data_template_xlsx"),
    path("data/template.csv", template_download, {"fmt": "csv"}, name="data_template_csv"),
    path("data/import/", import_upload, name="data_import"),
    path("data/import/<int:pk>/", import_job, name="data_import_job"),
    path("data/export.xlsx", export_download, {"fmt": "xlsx"}, name="data_export_xlsx"),
    path("data/export.csv", export_download, {"fmt": "csv"}, name="data_export_csv"),
]

public_urls = [
    path(
        "<slug:municipality>/plans/<slug:plan>/indicators.xlsx",
        public_export,
        {"fmt": "xlsx"},
        name="plan_indicators_xlsx",
    ),
    path(
        "<slug:municipality>/plans/<slug:plan>/indicators.csv",
        public_export,
        {"fmt": "csv"},
        name="plan_indicators_csv",
    ),
]
