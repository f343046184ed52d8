"""The back office's pages for annual reports: the list by plan and year, a new report, its
narrative, generating its files (progress polled with htmx; without JavaScript, a refresh link)
and its approval by a council decision. Thin: forms check types, services check the rules."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.core.forms import edited_version, run_service
from civitas.core.permissions import Action
from civitas.core.staff import refused, render_form
from civitas.core.tenancy import staff_view
from civitas.evaluations import selectors as evaluation_selectors

from . import forms, selectors, services


def _report(municipality, pk):
    return selectors.report_get(municipality=municipality, pk=pk, include_drafts=True)


def _detail(municipality, report) -> str:
    return reverse("reports_manage:detail", args=[municipality.slug, report.pk])


@staff_view(Action.EDIT_REPORT)
def report_list(request, municipality):
    return render(
        request,
        "reports/manage/report_list.html",
        {"nav": "manage", "reports": selectors.staff_report_list(municipality=municipality)},
    )


@staff_view(Action.EDIT_REPORT)
def report_create(request, municipality):
    form = forms.ReportCreateForm(
        request.POST or None, plans=selectors.plans_for_reports(municipality=municipality)
    )
    if request.method == "POST" and form.is_valid():
        result = {}
        plan = form.cleaned_data["plan"]
        plan.municipality = municipality
        if run_service(form, lambda: result.update(report=services.report_create(
            actor=request.user, plan=plan, year=form.cleaned_data["year"]))):  # fmt: skip
            messages.success(request, _("The report was started. Write its narrative, then generate it."))
            return redirect("reports_manage:detail", municipality.slug, result["report"].pk)
    return render_form(
        request,
        title=_("New annual monitoring report"),
        form=form,
        intro=_("A report is written for one year of a plan's period."),
        back=reverse("reports_manage:list", args=[municipality.slug]),
    )


@staff_view(Action.EDIT_REPORT)
def report_detail(request, municipality, pk):
    report = _report(municipality, pk)
    files = selectors.report_files(report)
    return render(
        request,
        "reports/manage/report_detail.html",
        {
            "nav": "manage",
            "report": report,
            "as_of": selectors.report_as_of(report),
            "files": files,
            "generating": any(not f.is_finished for f in files),
            "generate_form": forms.GenerateForm(initial={"format": "docx", "language": "bg"}),
        },
    )


@staff_view(Action.EDIT_REPORT)
def report_edit(request, municipality, pk):
    report = _report(municipality, pk)
    initial = {name: getattr(report, name) for name in services.NARRATIVE_FIELDS}
    form = forms.NarrativeForm(
        request.POST or None, initial={**initial, "as_of": report.as_of, "version": report.version}
    )
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.report_update_narrative(
            actor=request.user, report=report, expected_version=edited_version(form),
            as_of=form.cleaned_data["as_of"], **form.narrative())):  # fmt: skip
            messages.success(request, _("The report's narrative was saved."))
            return redirect("reports_manage:detail", municipality.slug, report.pk)
    return render_form(
        request,
        title=_("Narrative of the report"),
        form=form,
        intro=f"{report.plan.title} · {report.year}",
        back=_detail(municipality, report),
    )


@require_POST
@staff_view(Action.EDIT_REPORT)
def report_generate(request, municipality, pk):
    report = _report(municipality, pk)
    form = forms.GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a format and a language."))
        return redirect("reports_manage:detail", municipality.slug, report.pk)
    if not refused(request, lambda: services.report_generate(
        actor=request.user, report=report, format=form.cleaned_data["format"],
        language=form.cleaned_data["language"])):  # fmt: skip
        messages.success(request, _("The report is being generated."))
    return redirect(_detail(municipality, report) + "#files")


@staff_view(Action.EDIT_REPORT)
def report_file_status(request, municipality, pk, file_pk):
    """One generated file's status: the row of the files' table (htmx polls it until it is
    finished) or, without JavaScript, the report's page."""
    report = _report(municipality, pk)
    generated = selectors.report_file_get(report=report, pk=file_pk)
    if not request.headers.get("HX-Request"):
        return redirect(_detail(municipality, report) + "#files")
    return render(request, "reports/manage/_file_row.html", {"report": report, "generated": generated})


@staff_view(Action.EDIT_REPORT)
def report_approve(request, municipality, pk):
    report = _report(municipality, pk)
    form = forms.ApproveForm(
        request.POST or None,
        decisions=selectors.decisions_for_approval(municipality=municipality),
        initial={"version": report.version},
    )
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.report_approve(
            actor=request.user, report=report, decision=form.cleaned_data["decision"],
            expected_version=edited_version(form))):  # fmt: skip
            messages.success(request, _("The report is approved: it is published and can no longer change."))
            return redirect("reports_manage:detail", municipality.slug, report.pk)
    return render_form(
        request,
        title=_("Approve the report"),
        form=form,
        intro=_(
            "Choose the council's decision that approved the report. The report is then frozen and published "
            "on the portal with its files in Bulgarian and English."
        ),
        submit=_("Approve and publish"),
        back=_detail(municipality, report),
    )


# The evaluation's report (generated from the evaluation's staff page) ------------------------------


def _evaluation_files(municipality, evaluation) -> str:
    return reverse("evaluations_manage:edit", args=[municipality.slug, evaluation.pk]) + "#report-files"


@require_POST
@staff_view(Action.WRITE_EVALUATION)
def evaluation_report_generate(request, municipality, pk):
    evaluation = evaluation_selectors.evaluation_find(municipality=municipality, pk=pk)
    form = forms.GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a format and a language."))
        return redirect(_evaluation_files(municipality, evaluation))
    if not refused(request, lambda: services.evaluation_report_generate(
        actor=request.user, evaluation=evaluation, format=form.cleaned_data["format"],
        language=form.cleaned_data["language"])):  # fmt: skip
        messages.success(request, _("The evaluation's report is being generated."))
    return redirect(_evaluation_files(municipality, evaluation))


@staff_view(Action.WRITE_EVALUATION)
def evaluation_report_file_status(request, municipality, pk, file_pk):
    """One generated file of the evaluation's report: the row of the files' table (htmx polls it
    until it is finished) or, without JavaScript, the evaluation's staff page."""
    evaluation = evaluation_selectors.evaluation_find(municipality=municipality, pk=pk)
    generated = selectors.evaluation_report_file_get(evaluation=evaluation, pk=file_pk)
    if not request.headers.get("HX-Request"):
        return redirect(_evaluation_files(municipality, evaluation))
    return render(
        request, "reports/manage/_file_row.html", {"evaluation": evaluation, "generated": generated}
    )
