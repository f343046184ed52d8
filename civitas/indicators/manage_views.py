"""Staff pages for monitoring, under /<municipality>/manage/indicators/: the indicator list,
passports with their targets, measurement entry, the verifier's queue, the reporting calendar, the
monitoring dashboard, and the measurement files (import template, upload with its row-by-row
report, background imports, exports). Thin views: the forms check types, one service call checks
the rules (and who may) and writes, the selectors read (and evaluate through the same bridge as
the public pages and the exports); the policy says only what to show."""

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civitas.core.forms import edited_version, run_service
from civitas.core.permissions import Action
from civitas.core.staff import form_status, refused, render_form
from civitas.core.tenancy import staff_view, with_municipality
from civitas.plans import selectors as plan_selectors
from civitas.plans.models import Plan

from . import exports, forms, imports, policy, selectors, services, tasks
from .evaluation import indicator_year_start, year_start_of
from .imports import ImportResult
from .models import Frequency, ImportJob, ImportJobState, Indicator
from .presentation import NOTE_LABELS, STATUS_LABELS
from .views import attachment_response, export_response


def _attach_choices(municipality) -> list:
    choices = []
    for plan, elements in plan_selectors.element_choices(municipality=municipality, include_drafts=True):
        choices.append(
            (
                plan.title_bg[:60],
                [(f"element:{e.pk}", f"{'– ' * depth}{e.code} {e.title_bg[:70]}") for e, depth in elements],
            )
        )
    projects = selectors.attachable_projects(municipality=municipality)
    project_choices = [(f"project:{p.pk}", f"{p.code} {p.title_bg[:70]}") for p in projects]
    if project_choices:
        choices.append((_("Projects"), project_choices))
    return choices


def _attachment(municipality, attached_to) -> dict:
    kind, pk = attached_to
    return selectors.attachment(municipality=municipality, kind=kind, pk=pk)


def _new_year_start(request, municipality) -> int:
    """The reporting year start of the plan a new indicator is being attached to (its targets'
    periods follow it): the municipality's for a project or before one is chosen."""
    kind, _sep, pk = request.POST.get("attached_to", "").partition(":")
    element = None
    if kind == "element" and pk.isdigit():
        element = selectors.attachment(municipality=municipality, kind=kind, pk=int(pk))["element"]
    return year_start_of(element.plan if element is not None else None, municipality)


def _frequency(request, default: str) -> str:
    """The frequency the passport form says (its targets' periods follow it)."""
    chosen = request.POST.get("frequency", default)
    return chosen if chosen in {frequency.value for frequency in Frequency} else default


def _targets(formset) -> list[dict]:
    targets = []
    for form in formset.forms:
        # Every filled row is the new list, changed or not; empty extra rows and deleted ones are not.
        data = form.cleaned_data
        if not data or data.get("DELETE") or data.get("period") is None:
            continue
        year, sub = form.cleaned_data["period"]
        targets.append(
            {
                "year": year,
                "sub": sub,
                "value": form.cleaned_data["value"],
                "is_final": form.cleaned_data["is_final"],
            }
        )
    return targets


def _render_passport(request, *, form, formset, title, back, indicator=None):
    status = 400 if form.is_bound and (form.errors or not formset.is_valid()) else 200
    return render(
        request,
        "indicators/passport_form.html",
        {
            "nav": "manage",
            "form": form,
            "formset": formset,
            "title": title,
            "back": back,
            "indicator": indicator,
        },
        status=status,
    )


# The list -------------------------------------------------------------------------------------


@staff_view(Action.VIEW_BACK_OFFICE)
def indicator_list(request, municipality):
    choices = selectors.staff_filter_choices(municipality=municipality)
    statuses = list(STATUS_LABELS.items())
    filter_form = forms.IndicatorFilterForm(request.GET or None, choices=choices, statuses=statuses)
    filters = filter_form.filters()
    evaluated = selectors.staff_indicator_list(municipality=municipality, **filters)
    return render(
        request,
        "indicators/staff_list.html",
        {
            "nav": "manage",
            "filter_form": filter_form,
            "evaluated": evaluated,
            "can_edit": policy.can_edit_passports(request.user, municipality),
        },
    )


# Passports ------------------------------------------------------------------------------------


@staff_view(Action.EDIT_PLAN)
def indicator_create(request, municipality):
    form = forms.PassportForm(
        request.POST or None, instance=Indicator(municipality=municipality), municipality=municipality,
        attach_choices=_attach_choices(municipality),
    )  # fmt: skip
    formset = forms.TargetFormSet(
        request.POST or None,
        prefix="targets",
        form_kwargs={
            "frequency": _frequency(request, Frequency.ANNUAL),
            "year_start": _new_year_start(request, municipality),
        },
    )
    back = reverse("indicators:list", args=[municipality.slug])
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields = form.service_fields()
        attachment = _attachment(municipality, form.cleaned_data["attached_to"])
        result = {}
        also = selectors.elements_of(municipality=municipality, ids=form.cleaned_data["also_serves"])
        if run_service(form, lambda: result.update(indicator=services.indicator_create(
            actor=request.user, municipality=municipality, targets=_targets(formset), **attachment,
            also_elements=also, **fields))):  # fmt: skip
            messages.success(request, _("The indicator was created."))
            return redirect("indicators:values", municipality.slug, result["indicator"].code)
    return _render_passport(request, form=form, formset=formset, title=_("New indicator"), back=back)


@staff_view(Action.EDIT_PLAN)
def indicator_edit(request, municipality, code):
    indicator = selectors.staff_indicator_get(municipality=municipality, code=code)
    form = forms.PassportForm(
        request.POST or None, instance=copy.copy(indicator), initial={"version": indicator.version},
        municipality=municipality, attach_choices=_attach_choices(municipality),
    )  # fmt: skip
    initial = [
        {
            "period": forms.period_text(t.year, t.sub, indicator.frequency, indicator_year_start(indicator)),
            "value": forms.plain(t.value),
            "is_final": t.is_final,
        }
        for t in indicator.targets.all()
    ]
    formset = forms.TargetFormSet(
        request.POST or None, prefix="targets", initial=initial,
        form_kwargs={
            "frequency": _frequency(request, indicator.frequency),
            "year_start": indicator_year_start(indicator),
        },
    )  # fmt: skip
    back = reverse("indicators:values", args=[municipality.slug, indicator.code])
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields = form.service_fields()
        attachment = _attachment(municipality, form.cleaned_data["attached_to"])
        if (attachment["element"], attachment["project"]) != (indicator.element, indicator.project):
            form.add_error(
                "attached_to", _("An indicator stays where it was created; create a new one instead.")
            )
        elif run_service(form, lambda: services.indicator_edit(
            actor=request.user, indicator=indicator, expected_version=edited_version(form),
            targets=_targets(formset), reason=form.cleaned_data.get("reason", ""),
            also_elements=selectors.elements_of(municipality=municipality, ids=form.cleaned_data["also_serves"]),
            **fields)):  # fmt: skip
            messages.success(request, _("The indicator was saved."))
            return redirect("indicators:values", municipality.slug, indicator.code)
    return _render_passport(
        request, form=form, formset=formset, title=_("Edit indicator"), back=back, indicator=indicator
    )


# Measurements ---------------------------------------------------------------------------------


@staff_view(Action.VIEW_BACK_OFFICE)
def indicator_values(request, municipality, code):
    indicator = selectors.staff_indicator_get(municipality=municipality, code=code)
    return render(
        request,
        "indicators/values.html",
        {
            "nav": "manage",
            "indicator": indicator,
            "rows": selectors.indicator_periods(indicator),
            "may_enter": policy.can_enter(request.user, indicator),
            "can_edit": policy.can_edit_passports(request.user, municipality),
            "history": selectors.indicator_history(indicator),
            "may_assess": policy.can_verify(request.user, municipality),
            "overrides": selectors.indicator_overrides(indicator),
        },
    )


# Status overrides: the authority's judgement of a period ------------------------------------------


@staff_view(Action.VERIFY_MEASUREMENT)
def override_edit(request, municipality, code):
    """Assess the status of one period (``?period=``) with a public reason, beside the computed one."""
    indicator = selectors.staff_indicator_get(municipality=municipality, code=code)
    year_start = indicator_year_start(indicator)
    period = request.POST.get("period") or request.GET.get("period", "")
    found = None
    try:
        year, sub = forms.parse_period(period, frequency=indicator.frequency, year_start=year_start)
        found = selectors.override_of_period(indicator, year=year, sub=sub)
    except ValidationError:
        pass
    initial = {"period": period, "version": found.pk if found else 0}
    if found is not None:
        initial.update(
            status=found.status,
            reason_bg=found.reason_bg,
            reason_en=found.reason_en,
            decided_on=found.decided_on,
        )
    form = forms.OverrideForm(
        request.POST or None, indicator=indicator, year_start=year_start, initial=initial
    )
    back = reverse("indicators:values", args=[municipality.slug, indicator.code])
    if request.method == "POST" and form.is_valid():
        year, sub = form.cleaned_data["period"]
        data = form.cleaned_data
        if run_service(form, lambda: services.override_set(
            actor=request.user, indicator=indicator, year=year, sub=sub, status=data["status"],
            reason_bg=data["reason_bg"], reason_en=data["reason_en"], decided_on=data["decided_on"],
            expected_version=edited_version(form))):  # fmt: skip
            messages.success(
                request, _("The municipality's assessment was saved: it is shown beside the computed status.")
            )
            return redirect(back)
    return render_form(
        request, title=_("Assess the status of a period"), form=form, back=back,
        intro=_("The computed status stays as it is and is shown first; your assessment and its public reason "
                "are shown beside it on the indicator's and the plan's pages and in the exports."),
    )  # fmt: skip


@staff_view(Action.VERIFY_MEASUREMENT)
def override_remove(request, municipality, code):
    """Withdraw the assessment of a period (POST ``year``, ``sub``, ``version``)."""
    indicator = selectors.staff_indicator_get(municipality=municipality, code=code)
    back = reverse("indicators:values", args=[municipality.slug, indicator.code])
    if request.method == "POST":
        try:
            year, sub, version = (int(request.POST.get(name, "")) for name in ("year", "sub", "version"))
        except ValueError:
            raise Http404("No such assessment") from None
        if not refused(request, lambda: services.override_remove(
            actor=request.user, indicator=indicator, year=year, sub=sub, expected_version=version)):  # fmt: skip
            messages.success(request, _("The assessment was removed: the computed status stands alone."))
    return redirect(back)


@staff_view(Action.ENTER_MEASUREMENT)
def measurement_edit(request, municipality, code):
    """Enter or change the draft (or returned) value of a period; save it as a draft or submit it."""
    indicator = selectors.staff_indicator_get(municipality=municipality, code=code)
    policy.require_enter(request.user, indicator)  # the page itself: only for whoever may enter
    measurement = None
    period = request.POST.get("period") or request.GET.get("period", "")
    try:
        year, sub = forms.parse_period(
            period, frequency=indicator.frequency, year_start=indicator_year_start(indicator)
        )
        measurement = selectors.measurement_of_period(indicator, year=year, sub=sub)
    except ValidationError:
        pass
    initial = forms.measurement_initial(measurement, indicator) if measurement else {"period": period}
    form = forms.MeasurementForm(
        request.POST or None, request.FILES or None, indicator=indicator, initial=initial
    )
    back = reverse("indicators:values", args=[municipality.slug, indicator.code])
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        year, sub = form.cleaned_data["period"]
        if run_service(form, lambda: services.measurement_save(
            actor=request.user, indicator=indicator, year=year, sub=sub,
            collected_on=form.cleaned_data["collected_on"], comment=form.cleaned_data["comment"],
            evidence=form.cleaned_data.get("evidence") or None, evidence_url=form.cleaned_data["evidence_url"],
            expected_version=form.cleaned_data["version"], submit=submit, **form.service_values())):  # fmt: skip
            if submit:
                messages.success(request, _("The value was saved and submitted for approval."))
            else:
                messages.success(request, _("The value was saved as a draft."))
            return redirect(back)
    return render(
        request,
        "indicators/measurement_form.html",
        {"nav": "manage", "indicator": indicator, "form": form, "measurement": measurement, "back": back},
        status=form_status(form),
    )


@staff_view(Action.ENTER_MEASUREMENT)
def measurement_submit(request, municipality, pk):
    measurement = selectors.staff_measurement_get(municipality=municipality, pk=pk)
    back = reverse("indicators:values", args=[municipality.slug, measurement.indicator.code])
    if request.method == "POST":
        if not refused(
            request, lambda: services.measurement_submit(actor=request.user, measurement=measurement)
        ):
            messages.success(request, _("The value was submitted for approval."))
    return redirect(back)


@staff_view(Action.ENTER_MEASUREMENT)
def measurement_correct(request, municipality, pk):
    measurement = selectors.staff_measurement_get(municipality=municipality, pk=pk)
    indicator = measurement.indicator
    policy.require_enter(request.user, indicator)  # the page itself: only for whoever may correct
    form = forms.CorrectionForm(
        request.POST or None, indicator=indicator, initial=forms.measurement_initial(measurement, indicator)
    )
    back = reverse("indicators:values", args=[municipality.slug, indicator.code])
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.measurement_correct(
            actor=request.user, measurement=measurement, reason=form.cleaned_data["reason"],
            expected_version=edited_version(form), **form.service_values())):  # fmt: skip
            messages.success(request, _("The correction was saved and goes to the verifier again."))
            return redirect(back)
    return render(
        request,
        "indicators/measurement_form.html",
        {"nav": "manage", "indicator": indicator, "form": form, "measurement": measurement, "back": back,
         "correction": True},
        status=form_status(form),
    )  # fmt: skip


# Verification ---------------------------------------------------------------------------------


# A page of the queue: thousands of values would otherwise make one page of megabytes.
QUEUE_PAGE_SIZE = 50


@staff_view(Action.VERIFY_MEASUREMENT)
def queue(request, municipality):
    pending = selectors.pending_measurements(municipality=municipality)
    page = Paginator(pending, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_period_labels(page.object_list)
    return render(
        request,
        "indicators/queue.html",
        {
            "nav": "manage",
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        },
    )


@staff_view(Action.VERIFY_MEASUREMENT)
def measurement_review(request, municipality, pk):
    measurement = selectors.staff_measurement_get(municipality=municipality, pk=pk)
    indicator = measurement.indicator
    measurement.period_label = selectors.period_label(measurement)
    form = forms.ReviewForm(request.POST or None)
    action = request.POST.get("action")
    if (
        request.method == "POST"
        and form.is_valid()
        and action in ("approve", "approve_publish", "publish", "return")
    ):
        calls = {
            "approve": lambda: services.measurement_approve(actor=request.user, measurement=measurement),
            "approve_publish": lambda: services.measurement_approve(
                actor=request.user, measurement=measurement, publish=True
            ),
            "publish": lambda: services.measurement_publish(actor=request.user, measurement=measurement),
            "return": lambda: services.measurement_return(
                actor=request.user, measurement=measurement, note=form.cleaned_data["note"]
            ),
        }
        done = {
            "approve": _("The value was approved."),
            "approve_publish": _("The value was approved and published."),
            "publish": _("The value was published."),
            "return": _("The value was returned to its owner."),
        }
        if run_service(form, calls[action]):
            messages.success(request, done[action])
            return redirect("indicators:queue", municipality.slug)
    return render(
        request,
        "indicators/review.html",
        {"nav": "manage", "measurement": measurement, "indicator": indicator, "form": form,
         "self_entered": policy.typed(request.user, measurement)},
        status=form_status(form),
    )  # fmt: skip


# Calendar and dashboard -----------------------------------------------------------------------


@staff_view(Action.VIEW_BACK_OFFICE)
def calendar(request, municipality):
    group = request.GET.get("by", "owner")
    cal = selectors.reporting_calendar(municipality=municipality)
    groups = cal.by_unit() if group == "unit" else cal.by_owner()
    return render(
        request,
        "indicators/calendar.html",
        {"nav": "manage", "calendar": cal, "groups": groups, "group": "unit" if group == "unit" else "owner"},
    )


@staff_view(Action.VIEW_BACK_OFFICE)
def dashboard(request, municipality):
    board = selectors.monitoring_dashboard(municipality=municipality)
    return render(
        request,
        "indicators/dashboard.html",
        {
            "nav": "manage",
            "board": board,
            "status_labels": STATUS_LABELS,
            "note_labels": NOTE_LABELS,
            "can_verify": policy.can_verify(request.user, municipality),
        },
    )


# Measurement files ------------------------------------------------------------------------------


def _plan_from(request, municipality) -> Plan | None:
    slug = request.GET.get("plan")
    if not slug:
        return None
    return plan_selectors.plan_get(municipality=municipality, slug=slug, include_drafts=True)


@staff_view(Action.VIEW_BACK_OFFICE)
def data_home(request, municipality):
    tasks.import_jobs_expire(municipality=municipality, created_by=request.user)
    return render(
        request,
        "indicators/data_home.html",
        {
            "nav": "manage",
            "plans": selectors.file_plans(municipality=municipality),
            "can_enter": policy.can_enter_values(request.user, municipality),
            "can_publish_from_document": policy.can_publish_from_document(request.user, municipality),
            # The way back to a background import's page once one has left it.
            "jobs": selectors.import_jobs_of(municipality=municipality, user=request.user),
            "form": forms.UploadForm(),
            "max_mb": imports.MAX_BYTES // 1024 // 1024,
        },
    )


@staff_view(Action.ENTER_MEASUREMENT)
def template_download(request, municipality, fmt):
    plan = _plan_from(request, municipality)
    header, rows = imports.template_rows(user=request.user, municipality=municipality, plan=plan)
    name = f"{municipality.slug}-{plan.slug if plan else 'indicators'}-template.{fmt}"
    if fmt == "csv":
        return attachment_response(name, lines=exports.template_csv_lines(header, rows))
    return attachment_response(name, stream=exports.template_xlsx(header, rows))


@staff_view(Action.ENTER_MEASUREMENT)
def import_upload(request, municipality):
    result: ImportResult | None = None
    if request.method == "POST":
        form = forms.UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            outcome = tasks.import_upload(
                actor=request.user, municipality=municipality, file_name=upload.name, data=upload.read(),
                submit=form.cleaned_data["submit"], language=get_language(),
            )  # fmt: skip
            if isinstance(outcome, ImportJob):
                # Too long for a request: a background task imports it; its page shows the progress.
                return redirect("indicators:data_import_job", municipality=municipality.slug, pk=outcome.pk)
            result = outcome
            if result.ok:
                if result.submitted:
                    text = _("%(count)s values were saved and submitted for approval.")
                else:
                    text = _("%(count)s values were saved as drafts.")
                messages.success(request, text % {"count": result.saved})
                return redirect("indicators:data", municipality=municipality.slug)
    else:
        form = forms.UploadForm()
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
    tasks.import_jobs_expire(municipality=municipality, pk=pk)  # its worker died: failed
    job = selectors.import_job_get(municipality=municipality, pk=pk)
    if not policy.can_view_import(request.user, job):
        raise Http404("No such import")
    return render(
        request,
        "indicators/data_import_job.html",
        {"nav": "manage", "job": job},
        status=400 if job.state == ImportJobState.FAILED else 200,
    )


@staff_view(Action.VERIFY_MEASUREMENT)
def import_published(request, municipality):
    """Values already published in a document (a municipality's last report, at its set-up): a
    verifier records them as published at once, with the document as their evidence
    (imports.import_published_measurements). A file that needs a background import is refused
    here: the command import_measurements --published takes it."""
    result: ImportResult | None = None
    form = forms.PublishedUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        if imports.estimated_rows(data) > settings.CIVITAS_IMPORT_BACKGROUND_ROWS:
            form.add_error("file", _(
                "The file is too large to record here at once: split it, or ask the server's operator to "
                "run import_measurements --published."
            ))  # fmt: skip
        else:
            result = imports.import_published_measurements(
                actor=request.user, municipality=municipality, data=data, evidence=form.cleaned_data["document"],
                evidence_url=form.cleaned_data["document_url"],
            )  # fmt: skip
            if result.ok:
                messages.success(
                    request,
                    _("%(count)s values were recorded as published, with the document as their evidence.")
                    % {"count": result.published},
                )
                return redirect("indicators:data", municipality=municipality.slug)
    context = {"nav": "manage", "form": form, "result": result, "max_mb": imports.MAX_BYTES // 1024 // 1024}
    failed = request.method == "POST"
    return render(request, "indicators/data_import_published.html", context, status=400 if failed else 200)


@staff_view(Action.VIEW_BACK_OFFICE)
def export_download(request, municipality, fmt):
    plan = _plan_from(request, municipality)
    if plan is not None:
        export = exports.plan_export_set(plan, public=False)
    else:
        codes = request.GET.get("codes")
        wanted = [c.strip() for c in codes.split(",") if c.strip()] if codes else None
        export = exports.indicators_export_set(municipality=municipality, codes=wanted)
    return export_response(request, municipality, export, fmt)
