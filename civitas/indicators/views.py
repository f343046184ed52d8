"""Staff pages for monitoring, under /<municipality>/manage/indicators/: the indicator list,
passports with their targets, measurement entry, the verifier's queue, the reporting calendar and
the monitoring dashboard. Thin views: the forms check types, the services check rules and write,
the selectors read (and evaluate through the same bridge as the public pages and the exports)."""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from civitas.core.forms import edited_version, run_service
from civitas.core.permissions import Action, can
from civitas.plans import selectors as plan_selectors
from civitas.projects.models import Project
from civitas.core.uploads import check_upload

from . import forms, selectors, services
from civitas.core.tenancy import staff_view
from .models import Frequency, Indicator, Measurement
from .presentation import NOTE_LABELS, STATUS_LABELS


def _indicator(municipality, code) -> Indicator:
    indicator = get_object_or_404(
        Indicator.objects.select_related("element__plan", "project", "owner"),
        municipality=municipality,
        code=code,
    )
    indicator.municipality = municipality
    return indicator


def _attach_choices(municipality) -> list:
    choices = []
    for plan, elements in plan_selectors.element_choices(municipality=municipality, include_drafts=True):
        choices.append(
            (
                plan.title_bg[:60],
                [(f"element:{e.pk}", f"{'– ' * depth}{e.code} {e.title_bg[:70]}") for e, depth in elements],
            )
        )
    projects = Project.objects.filter(municipality=municipality).order_by("code", "pk")
    project_choices = [(f"project:{p.pk}", f"{p.code} {p.title_bg[:70]}") for p in projects]
    if project_choices:
        choices.append((_("Projects"), project_choices))
    return choices


def _attachment(municipality, attached_to) -> dict:
    kind, pk = attached_to
    if kind == "element":
        from civitas.plans.models import PlanElement

        element = (
            PlanElement.objects.filter(plan__municipality=municipality, pk=pk).select_related("plan").first()
        )
        return {"element": element, "project": None}
    return {"element": None, "project": Project.objects.filter(municipality=municipality, pk=pk).first()}


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
            "can_edit": can(request.user, municipality, Action.EDIT_PLAN),
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
        request.POST or None, prefix="targets", form_kwargs={"frequency": _frequency(request, "annual")}
    )
    back = reverse("indicators:list", args=[municipality.slug])
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields = form.service_fields()
        attachment = _attachment(municipality, form.cleaned_data["attached_to"])
        result = {}
        if run_service(form, lambda: result.update(indicator=services.indicator_create(
            actor=request.user, municipality=municipality, targets=_targets(formset), **attachment,
            **fields))):  # fmt: skip
            messages.success(request, _("The indicator was created."))
            return redirect("indicators:values", municipality.slug, result["indicator"].code)
    return _render_passport(request, form=form, formset=formset, title=_("New indicator"), back=back)


@staff_view(Action.EDIT_PLAN)
def indicator_edit(request, municipality, code):
    indicator = _indicator(municipality, code)
    form = forms.PassportForm(
        request.POST or None, instance=copy.copy(indicator), initial={"version": indicator.version},
        municipality=municipality, attach_choices=_attach_choices(municipality),
    )  # fmt: skip
    initial = [
        {
            "period": forms.period_text(t.year, t.sub, indicator.frequency),
            "value": forms.plain(t.value),
            "is_final": t.is_final,
        }
        for t in indicator.targets.all()
    ]
    formset = forms.TargetFormSet(
        request.POST or None, prefix="targets", initial=initial,
        form_kwargs={"frequency": _frequency(request, indicator.frequency)},
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
            targets=_targets(formset), reason=form.cleaned_data.get("reason", ""), **fields)):  # fmt: skip
            messages.success(request, _("The indicator was saved."))
            return redirect("indicators:values", municipality.slug, indicator.code)
    return _render_passport(
        request, form=form, formset=formset, title=_("Edit indicator"), back=back, indicator=indicator
    )


# Measurements ---------------------------------------------------------------------------------


@staff_view(Action.VIEW_BACK_OFFICE)
def indicator_values(request, municipality, code):
    indicator = _indicator(municipality, code)
    return render(
        request,
        "indicators/values.html",
        {
            "nav": "manage",
            "indicator": indicator,
            "rows": selectors.indicator_periods(indicator),
            "may_enter": services.may_enter(request.user, indicator),
            "can_edit": can(request.user, municipality, Action.EDIT_PLAN),
            "history": indicator.changes.select_related("changed_by")[:20],
        },
    )


def _require_enter(request, indicator):
    if not services.may_enter(request.user, indicator):
        raise PermissionDenied(_("Only the indicator's owner enters its measurements."))


@staff_view(Action.ENTER_MEASUREMENT)
def measurement_edit(request, municipality, code):
    """Enter or change the draft (or returned) value of a period; save it as a draft or submit it."""
    indicator = _indicator(municipality, code)
    _require_enter(request, indicator)
    measurement = None
    period = request.POST.get("period") or request.GET.get("period", "")
    try:
        year, sub = forms.parse_period(period, frequency=indicator.frequency)
        measurement = Measurement.objects.filter(indicator=indicator, year=year, sub=sub).first()
    except ValidationError:
        pass
    initial = forms.measurement_initial(measurement, indicator) if measurement else {"period": period}
    form = forms.MeasurementForm(
        request.POST or None, request.FILES or None, indicator=indicator, initial=initial
    )
    back = reverse("indicators:values", args=[municipality.slug, indicator.code])
    if request.method == "POST" and form.is_valid():
        evidence = None
        upload = form.cleaned_data.get("evidence")
        if upload:
            try:
                evidence = check_upload(upload, photo=False)[0]
            except ValidationError as error:
                for message in error.message_dict["upload"]:
                    form.add_error("evidence", message)
        if not form.errors:
            submit = request.POST.get("action") == "submit"
            year, sub = form.cleaned_data["period"]

            def save():
                with transaction.atomic():
                    saved = services.measurement_save(
                        actor=request.user, indicator=indicator, year=year, sub=sub,
                        collected_on=form.cleaned_data["collected_on"], comment=form.cleaned_data["comment"],
                        evidence=evidence, evidence_url=form.cleaned_data["evidence_url"],
                        expected_version=form.cleaned_data["version"], **form.service_values(),
                    )  # fmt: skip
                    if submit:
                        services.measurement_submit(actor=request.user, measurement=saved)

            if run_service(form, save):
                if submit:
                    messages.success(request, _("The value was saved and submitted for approval."))
                else:
                    messages.success(request, _("The value was saved as a draft."))
                return redirect(back)
    return render(
        request,
        "indicators/measurement_form.html",
        {"nav": "manage", "indicator": indicator, "form": form, "measurement": measurement, "back": back},
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_view(Action.ENTER_MEASUREMENT)
def measurement_submit(request, municipality, pk):
    measurement = get_object_or_404(Measurement, indicator__municipality=municipality, pk=pk)
    back = reverse("indicators:values", args=[municipality.slug, measurement.indicator.code])
    if request.method == "POST":
        try:
            services.measurement_submit(actor=request.user, measurement=measurement)
            messages.success(request, _("The value was submitted for approval."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    return redirect(back)


@staff_view(Action.ENTER_MEASUREMENT)
def measurement_correct(request, municipality, pk):
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator__element__plan", "indicator__project"),
        indicator__municipality=municipality, pk=pk,
    )  # fmt: skip
    indicator = measurement.indicator
    indicator.municipality = municipality
    _require_enter(request, indicator)
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
        status=400 if form.is_bound and form.errors else 200,
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
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator__element__plan", "indicator__project", "entered_by"),
        indicator__municipality=municipality, pk=pk,
    )  # fmt: skip
    indicator = measurement.indicator
    indicator.municipality = municipality
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
         "self_entered": measurement.entered_by_id == request.user.pk},
        status=400 if form.is_bound and form.errors else 200,
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
            "can_verify": can(request.user, municipality, Action.VERIFY_MEASUREMENT),
        },
    )


staff_urls = [
    path("", indicator_list, name="list"),
    path("new/", indicator_create, name="create"),
    path("dashboard/", dashboard, name="dashboard"),
    path("calendar/", calendar, name="calendar"),
    path("queue/", queue, name="queue"),
    path("values/<int:pk>/review/", measurement_review, name="review"),
    path("values/<int:pk>/submit/", measurement_submit, name="submit"),
    path("values/<int:pk>/correct/", measurement_correct, name="correct"),
    path("indicator/<str:code>/", indicator_values, name="values"),
    path("indicator/<str:code>/edit/", indicator_edit, name="edit"),
    path("indicator/<str:code>/value/", measurement_edit, name="value"),
]
