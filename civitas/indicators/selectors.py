"""Every read of indicators a page, report or export needs, in a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language

from civitas.core.cache import ProcessCache
from civitas.core.models import Membership, Municipality
from civitas.core.selectors import FileAccess, strictest
from civitas.evaluation import engine
from civitas.plans.models import PUBLIC_PLAN_STATUSES, Plan, PlanElement
from civitas.plans.selectors import ElementNode, plan_tree
from civitas.projects.models import Project

from . import policy, reporting
from .evaluation import (
    effective_tolerance,
    evaluate,
    evaluation_date,
    indicator_year_start,
    plan_end_date,
    plan_tolerance_of,
    thresholds_for,
    year_start_of,
)
from .models import (
    COUNTED_STATES,
    ImportJob,
    Indicator,
    IndicatorChange,
    Measurement,
    MeasurementState,
    StatusOverride,
    Target,
)
from .reporting import CalendarKind
from .rules import engine_error_text, indicator_period, period_of


@dataclass
class EvaluatedIndicator:
    indicator: Indicator
    result: engine.IndicatorResult | None
    error: str = ""  # why the engine cannot evaluate the passport (shown; translated when shown)
    # Shown under an element it also serves (Indicator.also_elements): ``shared``, and the element
    # it belongs to (None for a project's indicator).
    shared: bool = False
    shared_from: PlanElement | None = None
    # Charts drawn from this result, by their id on the page: they live as long as the result (a
    # kept evaluation's key names the data's version and the language), so they are drawn once.
    drawn: dict[str, str | None] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def override(self) -> engine.StatusOverride | None:
        """The verifier's status for the period assessed, shown beside the computed one."""
        return self.result.override if self.result is not None else None


@dataclass
class PlanEvaluation:
    as_of: datetime.date
    plan_result: engine.NodeResult
    elements: dict[int, engine.NodeResult]  # by element id
    indicators: dict[int, list[EvaluatedIndicator]] = field(default_factory=dict)  # by element id
    # Whether ``as_of`` was chosen (the page's as_of parameter) rather than the plan's default date.
    chosen: bool = False


# The columns the evaluation reads of a value: loading only these keeps a 300-indicator plan's
# thousands of values cheap (no timestamps, comments or files to convert).
EVALUATED_FIELDS = (
    "indicator_id",
    "year",
    "sub",
    "value",
    "numerator",
    "denominator",
    "collected_on",
    "state",
)


def _by_indicator(rows) -> defaultdict[int, list]:
    found = defaultdict(list)
    for row in rows:
        found[row.indicator_id].append(row)
    return found


def _evaluate_all(
    indicators,
    targets,
    measurements,
    overrides=(),
    *,
    as_of: datetime.date | None,
    thresholds,
    today: datetime.date | None = None,
) -> list[EvaluatedIndicator]:
    """Evaluate each indicator over its own plan's (or project's) years, reporting year and
    tolerance for missing a target (reads its element's plan or its project and its municipality:
    load them with it). ``as_of``: the date of the page; None = each indicator's own evaluation
    date on ``today`` (evaluation.evaluation_date)."""
    targets_by = _by_indicator(targets)
    measurements_by = _by_indicator(measurements)
    overrides_by = _by_indicator(overrides)
    evaluated = []
    for indicator in indicators:
        years = indicator_period(indicator)
        year_start = indicator_year_start(indicator)
        try:
            result = evaluate(
                indicator, targets_by[indicator.pk], measurements_by[indicator.pk],
                as_of=as_of or evaluation_date(years[1] if years else None, today, year_start),
                thresholds=thresholds, years=years, tolerance=plan_tolerance_of(indicator),
                year_start=year_start, overrides=overrides_by[indicator.pk],
            )  # fmt: skip
            evaluated.append(EvaluatedIndicator(indicator, result))
        except ValueError as exc:
            evaluated.append(EvaluatedIndicator(indicator, None, engine_error_text(exc)))
    return evaluated


# Plans evaluated in this process, under the municipality's content version (see plan_evaluation).
_EVALUATED_PLANS = ProcessCache(32)


def _plan_indicators(plan: Plan) -> list[Indicator]:
    """The plan's own indicators and those of the municipality's other public plans and projects
    that also serve one of its elements, with their plans, projects and the elements they also
    serve: two queries."""
    shared = Q(also_elements__plan=plan) & (
        Q(element__isnull=True) | Q(element__plan__status__in=PUBLIC_PLAN_STATUSES)
    )
    indicators = list(
        Indicator.objects.filter(Q(element__plan=plan) | shared)
        .distinct()
        .select_related("element__plan", "project")
        .prefetch_related(Prefetch("also_elements", queryset=PlanElement.objects.select_related("plan")))
        .order_by("position", "code", "pk")
    )
    for indicator in indicators:
        indicator.municipality = plan.municipality
        if indicator.element is not None and indicator.element.plan_id == plan.pk:
            indicator.element.plan = plan
    return indicators


def _plan_results(plan: Plan, tree: list[ElementNode], as_of: datetime.date):
    """The evaluated indicators by element and the roll-up's results by node key. An indicator
    that also serves other elements of the plan is listed (and counted) under each of them."""
    thresholds = thresholds_for(plan.municipality)
    indicators = _plan_indicators(plan)
    ids = [indicator.pk for indicator in indicators]
    evaluated = _evaluate_all(
        indicators,
        Target.objects.filter(indicator_id__in=ids),
        Measurement.objects.filter(indicator_id__in=ids, state__in=COUNTED_STATES).only(*EVALUATED_FIELDS),
        StatusOverride.objects.filter(indicator_id__in=ids),
        as_of=as_of, thresholds=thresholds,
    )  # fmt: skip
    by_element = defaultdict(list)
    for item in evaluated:
        element = item.indicator.element
        if element is not None and element.plan_id == plan.pk:
            by_element[element.pk].append(item)
        for other in item.indicator.also_elements.all():
            if other.plan_id == plan.pk and other.pk != item.indicator.element_id:
                by_element[other.pk].append(replace(item, shared=True, shared_from=element))

    def node(n: ElementNode) -> engine.Node:
        return engine.Node(
            key=str(n.element.pk),
            children=tuple(node(child) for child in n.children),
            indicators=tuple(i.result for i in by_element[n.element.pk] if i.result is not None),
        )

    root = engine.Node(key="plan", children=tuple(node(n) for n in tree))
    return dict(by_element), engine.evaluate_tree(root, thresholds)


def plan_as_of(plan: Plan, today: datetime.date | None = None) -> datetime.date:
    """The date the plan is evaluated on unless one is chosen (evaluation.evaluation_date)."""
    return evaluation_date(plan.period_end, today, year_start_of(plan, plan.municipality))


def plan_evaluation(
    plan: Plan,
    tree: list[ElementNode],
    *,
    today: datetime.date | None = None,
    as_of: datetime.date | None = None,
    planning_version: int | None = None,
) -> PlanEvaluation:
    """Evaluate every indicator of the plan and roll the scores up its goal tree: six queries.

    Each node of ``tree`` also gets its ``result`` and its own ``indicators``, for the plan page.
    ``as_of``: the date chosen on the page; default the plan's evaluation date (``plan_as_of``).
    Given the municipality's current ``planning_version`` (which every change to what the evaluation reads moves on), the
    evaluation is kept in this process and reused, without a query, until the next change.
    """
    chosen = as_of is not None
    as_of = as_of or plan_as_of(plan, today)
    key = None
    if planning_version is not None:
        # A draft's changes do not move the version: its fields the evaluation reads are in the key;
        # the overrides' reasons are in the active language.
        key = (
            plan.municipality_id, planning_version, plan.pk, plan.period_start, plan.period_end,
            plan.tolerance_amount, plan.tolerance_unit, plan.year_start_month, as_of, get_language(),
        )  # fmt: skip
    found = _EVALUATED_PLANS.get(key) if key else None
    if found is None:
        found = _plan_results(plan, tree, as_of)
        if key:
            _EVALUATED_PLANS.set(key, found)
    by_element, results = found
    plan_result = results["plan"]
    results = {k: v for k, v in results.items() if k != "plan"}

    def attach(nodes: list[ElementNode]) -> None:
        for n in nodes:
            n.result = results.get(str(n.element.pk))
            n.indicators = by_element.get(n.element.pk, [])
            attach(n.children)

    attach(tree)
    return PlanEvaluation(
        as_of=as_of,
        plan_result=plan_result,
        elements={int(key): value for key, value in results.items()},
        indicators=dict(by_element),
        chosen=chosen,
    )


def evaluated_plan(
    plan: Plan, *, as_of: datetime.date | None = None
) -> tuple[list[ElementNode], PlanEvaluation]:
    """The plan's goal tree (with its projects) evaluated on ``as_of`` (default: the plan's own
    date), kept until the municipality's data change: what the plan's pages and the API show, so
    that they never disagree. Reads the plan's municipality: load it with the plan."""
    tree = plan_tree(plan)
    evaluation = plan_evaluation(plan, tree, as_of=as_of, planning_version=plan.municipality.planning_version)
    return tree, evaluation


def indicator_get(*, municipality, code: str, include_unpublished: bool = False) -> Indicator:
    """One indicator of a public plan (or of a project) with its element, plan and project."""
    qs = Indicator.objects.filter(municipality=municipality, code=code).select_related(
        "element__plan", "project", "owner"
    )
    indicator = qs.first()
    if indicator is None:
        raise Http404("No such indicator")
    if (
        indicator.element is not None
        and indicator.element.plan.status not in PUBLIC_PLAN_STATUSES
        and not include_unpublished
    ):
        raise Http404("No such indicator")
    indicator.municipality = municipality
    return indicator


@dataclass
class IndicatorDetail:
    indicator: Indicator
    evaluated: EvaluatedIndicator
    targets: list[Target]
    measurements: list[Measurement]  # the published ones, for the public table
    history: list[IndicatorChange]
    years: tuple[int, int] | None
    overrides: list[StatusOverride] = field(default_factory=list)
    as_of: datetime.date | None = None
    chosen: bool = False  # whether ``as_of`` was chosen on the page
    also_elements: list[PlanElement] = field(default_factory=list)  # with their plans

    @property
    def year_start(self) -> int:
        return indicator_year_start(self.indicator)

    @property
    def tolerance(self) -> engine.Tolerance:
        """The tolerance for missing a target that rates it: its own, else its plan's."""
        return effective_tolerance(self.indicator)[0]

    @property
    def tolerance_is_plans(self) -> bool:
        return effective_tolerance(self.indicator)[1]

    @property
    def target_rows(self) -> list[tuple[str, Target]]:
        """The targets with their periods as the pages write them."""
        return [(self.period_label(t.year, t.sub), t) for t in self.targets]

    def period_label(self, year: int, sub: int) -> str:
        """A period of this indicator as the pages write it (2023/24-Q1 in a reporting year from April)."""
        return indicator_period_label(self.indicator, year, sub, year_start=self.year_start)


def indicator_period_label(indicator: Indicator, year: int, sub: int, *, year_start: int) -> str:
    """A period of the indicator as the pages write it; ``year_start``: its reporting year's
    (evaluation.indicator_year_start)."""
    if sub == 0:  # a whole year (a target of an indicator reported more often)
        return engine.Period(year, year_start=year_start).label
    period = period_of(year, sub, indicator.frequency, year_start)
    return period.label if period else f"{year}/{sub}"


def indicator_as_of(indicator: Indicator, today: datetime.date | None = None) -> datetime.date:
    """The date the indicator is evaluated on unless one is chosen."""
    years = indicator_period(indicator)
    return evaluation_date(years[1] if years else None, today, indicator_year_start(indicator))


def indicator_detail(
    indicator: Indicator,
    *,
    public: bool = True,
    today: datetime.date | None = None,
    as_of: datetime.date | None = None,
) -> IndicatorDetail:
    """Everything the indicator page shows: six queries besides the indicator itself."""
    years = indicator_period(indicator)
    chosen = as_of is not None
    as_of = as_of or indicator_as_of(indicator, today)
    targets = list(indicator.targets.all())
    measurements = list(indicator.measurements.filter(state__in=COUNTED_STATES))
    overrides = list(indicator.overrides.select_related("decided_by"))
    also = list(
        indicator.also_elements.select_related("plan").order_by("plan__position", "plan_id", "position")
    )
    if public:
        also = [e for e in also if e.plan.status in PUBLIC_PLAN_STATUSES]
    history = indicator.changes.all()
    if public:
        history = history.filter(is_public=True)
    evaluated = _evaluate_all(
        [indicator], targets, measurements, overrides, as_of=as_of,
        thresholds=thresholds_for(indicator.municipality),
    )[0]  # fmt: skip
    return IndicatorDetail(
        indicator=indicator, evaluated=evaluated, targets=targets, measurements=measurements,
        history=list(history.select_related("changed_by")), years=years, overrides=overrides,
        as_of=as_of, chosen=chosen, also_elements=also,
    )  # fmt: skip


def project_indicators(project, *, today: datetime.date | None = None) -> list[EvaluatedIndicator]:
    """A project's own indicators, evaluated: four queries."""
    indicators = list(Indicator.objects.filter(project=project).order_by("position", "code", "pk"))
    if not indicators:
        return []
    for indicator in indicators:
        indicator.project = project  # already loaded: no query per indicator
        indicator.municipality = project.municipality
    return indicators_evaluation(indicators, today=today)


def indicators_evaluation(indicators, *, today: datetime.date | None = None) -> list[EvaluatedIndicator]:
    """Evaluate any set of indicators (of one municipality, loaded with their plans or projects
    and municipality), each over its own plan's or project's years: three queries besides the
    indicators themselves."""
    indicators = list(indicators)
    if not indicators:
        return []
    ids = [indicator.pk for indicator in indicators]
    return _evaluate_all(
        indicators,
        Target.objects.filter(indicator_id__in=ids),
        Measurement.objects.filter(indicator_id__in=ids, state__in=COUNTED_STATES).only(*EVALUATED_FIELDS),
        StatusOverride.objects.filter(indicator_id__in=ids),
        as_of=None,
        thresholds=thresholds_for(indicators[0].municipality),
        today=today,
    )


# Staff pages ----------------------------------------------------------------------------------


def _staff_indicators(municipality):
    return Indicator.objects.filter(municipality=municipality).select_related(
        "element__plan", "project", "owner"
    )


def staff_indicator_get(*, municipality: Municipality, code: str) -> Indicator:
    """One indicator of the municipality for the staff pages, whatever its plan's status (404 if none)."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("element__plan", "project", "owner"),
        municipality=municipality,
        code=code,
    )
    indicator.municipality = municipality
    return indicator


def staff_measurement_get(*, municipality: Municipality, pk: int) -> Measurement:
    """One value of the municipality's indicators with its indicator, who entered it and who typed
    it (policy.typed), for the staff pages (404 if none)."""
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator__element__plan", "indicator__project", "entered_by")
        .prefetch_related("typed_by"),
        indicator__municipality=municipality, pk=pk,
    )  # fmt: skip
    measurement.indicator.municipality = municipality
    return measurement


def override_of_period(indicator: Indicator, *, year: int, sub: int) -> StatusOverride | None:
    return StatusOverride.objects.filter(indicator=indicator, year=year, sub=sub).first()


@dataclass
class OverrideRow:
    override: StatusOverride
    period_label: str


def indicator_overrides(indicator: Indicator) -> list[OverrideRow]:
    """The verifiers' statuses of the indicator's periods with who decided them: one query."""
    year_start = indicator_year_start(indicator)
    rows = []
    for override in indicator.overrides.select_related("decided_by"):
        period = period_of(override.year, override.sub, indicator.frequency, year_start)
        rows.append(OverrideRow(override, period.label if period else f"{override.year}/{override.sub}"))
    return rows


def measurement_of_period(indicator: Indicator, *, year: int, sub: int) -> Measurement | None:
    return Measurement.objects.filter(indicator=indicator, year=year, sub=sub).first()


def attachable_projects(*, municipality: Municipality) -> QuerySet[Project]:
    """The projects an indicator may be attached to, for the passport form."""
    return Project.objects.filter(municipality=municipality).order_by("code", "pk")


def elements_of(*, municipality: Municipality, ids) -> list[PlanElement]:
    """The municipality's plan elements with these ids, with their plans (the passport's "also
    serves"): one query, none without ids."""
    if not ids:
        return []
    return list(
        PlanElement.objects.filter(plan__municipality=municipality, pk__in=ids).select_related("plan")
    )


def attachment(*, municipality: Municipality, kind: str, pk: int) -> dict:
    """The plan element or project of this municipality the passport form names ("element" or
    "project" and its id), as the services' ``element`` and ``project`` arguments (None if not found)."""
    if kind == "element":
        element = (
            PlanElement.objects.filter(plan__municipality=municipality, pk=pk).select_related("plan").first()
        )
        return {"element": element, "project": None}
    return {"element": None, "project": Project.objects.filter(municipality=municipality, pk=pk).first()}


def indicator_history(indicator: Indicator, *, limit: int = 20) -> list[IndicatorChange]:
    """The latest changes to an indicator's baseline, targets and values, public or not, for staff."""
    return list(indicator.changes.select_related("changed_by")[:limit])


def file_plans(*, municipality: Municipality) -> QuerySet[Plan]:
    """The plans whose indicators have their own import template and export, drafts included."""
    return Plan.objects.filter(municipality=municipality).order_by("-period_start", "slug")


def import_jobs_of(*, municipality: Municipality, user, limit: int = 5) -> list[ImportJob]:
    """The user's latest background imports: the way back to one's import once one left its page."""
    return list(ImportJob.objects.filter(municipality=municipality, created_by=user)[:limit])


def import_job_get(*, municipality: Municipality, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), municipality=municipality, pk=pk)
    job.municipality = municipality
    return job


def enterable_indicators(*, user, municipality: Municipality) -> QuerySet[Indicator]:
    """The indicators of the municipality whose values ``user`` may enter (policy.can_enter)."""
    return Indicator.objects.filter(municipality=municipality).filter(policy.enterable(user, municipality))


def staff_indicator_list(*, municipality, plan: str = "", owner: str = "", unit: str = "", status: str = ""):
    """The municipality's indicators for the staff list, filtered by plan (slug; "projects" for
    the projects' own), owner (user id; "none"), responsible unit and status (of the engine, on
    the date each is evaluated): four queries."""
    qs = _staff_indicators(municipality).order_by("position", "code", "pk")
    if plan == "projects":
        qs = qs.filter(project__isnull=False)
    elif plan:
        qs = qs.filter(element__plan__slug=plan)
    if owner == "none":
        qs = qs.filter(owner__isnull=True)
    elif owner.isdigit():
        qs = qs.filter(owner_id=int(owner))
    if unit:
        qs = qs.filter(responsible_unit_bg=unit)
    indicators = list(qs)
    for indicator in indicators:
        indicator.municipality = municipality
    evaluated = indicators_evaluation(indicators)
    if status:
        evaluated = [item for item in evaluated if item.result is not None and item.result.status == status]
    return evaluated


def staff_filter_choices(*, municipality) -> dict:
    """The plans, owners and units the staff list filters by: two queries."""
    rows = list(
        _staff_indicators(municipality).values_list(
            "owner_id", "owner__first_name", "owner__last_name", "owner__username", "responsible_unit_bg"
        )
    )
    owners = {}
    for pk, first, last, username, _unit in rows:
        if pk is not None:
            owners[pk] = f"{first} {last}".strip() or username
    return {
        "plans": list(Plan.objects.filter(municipality=municipality).order_by("position", "pk")),
        "owners": sorted(owners.items(), key=lambda item: item[1]),
        "units": sorted({row[4] for row in rows if row[4]}),
    }


@dataclass
class PeriodRow:
    """One reporting period of an indicator on its measurement page."""

    period: engine.Period
    measurement: Measurement | None
    deadline: datetime.date
    due: str  # CalendarKind.DUE or .OVERDUE, or ""


def indicator_periods(indicator: Indicator, *, today: datetime.date | None = None) -> list[PeriodRow]:
    """Every reporting period of the indicator with its stored value (whatever its state) and
    its deadline: one query."""
    today = today or timezone.localdate()
    years = indicator_period(indicator)
    year_start = indicator_year_start(indicator)
    stored = {}
    for m in indicator.measurements.select_related("entered_by", "approved_by"):
        period = period_of(m.year, m.sub, indicator.frequency, year_start)
        if period is not None:
            stored[period] = m
    days = settings.CIVITAS_REPORTING_DEADLINE_DAYS
    due = {
        item.period: item.kind.value
        for item in reporting.due_items(
            frequency=indicator.frequency,
            years=years,
            states={p: m.state for p, m in stored.items()},
            today=today,
            deadline_days=days,
            year_start=year_start,
        )  # fmt: skip
    }
    periods = reporting.periods(indicator.frequency, years, year_start) if years else []
    periods = sorted(set(periods) | set(stored))
    return [PeriodRow(p, stored.get(p), reporting.deadline(p, days), due.get(p, "")) for p in periods]


@dataclass
class CalendarEntry:
    indicator: Indicator
    period: engine.Period
    deadline: datetime.date
    kind: CalendarKind
    state: str = ""  # of the stored value, when there is one (a draft or a returned value)


@dataclass
class ReportingCalendar:
    today: datetime.date
    deadline_days: int
    entries: list[CalendarEntry]

    def of_kind(self, kind: CalendarKind) -> list[CalendarEntry]:
        return [entry for entry in self.entries if entry.kind == kind]

    @property
    def due(self) -> list[CalendarEntry]:
        return self.of_kind(CalendarKind.DUE)

    @property
    def overdue(self) -> list[CalendarEntry]:
        return self.of_kind(CalendarKind.OVERDUE)

    @property
    def stale(self) -> list[CalendarEntry]:
        return self.of_kind(CalendarKind.STALE)

    def _grouped(self, key) -> list[tuple[str, list[CalendarEntry]]]:
        groups = defaultdict(list)
        for entry in self.entries:
            groups[key(entry.indicator)].append(entry)
        return sorted(groups.items(), key=lambda item: (item[0] == "", item[0]))

    def by_owner(self) -> list[tuple[str, list[CalendarEntry]]]:
        return self._grouped(lambda i: (i.owner.get_full_name() or i.owner.username) if i.owner else "")

    def by_unit(self) -> list[tuple[str, list[CalendarEntry]]]:
        return self._grouped(lambda i: i.responsible_unit)


def reporting_calendar(
    *, municipality, indicators=None, today: datetime.date | None = None
) -> ReportingCalendar:
    """What is due, overdue and stale for each indicator of the municipality (or of
    ``indicators``, already loaded with their plan or project and owner): two queries."""
    today = today or timezone.localdate()
    if indicators is None:
        indicators = list(_staff_indicators(municipality).order_by("position", "code", "pk"))
    states: defaultdict[int, dict[engine.Period, str]] = defaultdict(dict)
    published: defaultdict[int, list[engine.Period]] = defaultdict(list)
    rows = Measurement.objects.filter(indicator_id__in=[i.pk for i in indicators]).values_list(
        "indicator_id", "year", "sub", "state"
    )
    frequency = {i.pk: i.frequency for i in indicators}
    for indicator in indicators:
        indicator.municipality = municipality  # already loaded: no query per indicator
    year_starts = {i.pk: indicator_year_start(i) for i in indicators}
    for indicator_id, year, sub, state in rows:
        period = period_of(year, sub, frequency[indicator_id], year_starts[indicator_id])
        if period is None:
            continue
        states[indicator_id][period] = state
        if state in COUNTED_STATES:
            published[indicator_id].append(period)
    days = settings.CIVITAS_REPORTING_DEADLINE_DAYS
    grace = municipality.stale_grace_days
    entries = []
    for indicator in indicators:
        years = indicator_period(indicator)
        year_start = year_starts[indicator.pk]
        for item in reporting.due_items(
            frequency=indicator.frequency, years=years, states=states[indicator.pk], today=today,
            deadline_days=days, year_start=year_start,
        ):  # fmt: skip
            entries.append(CalendarEntry(indicator, item.period, item.deadline, item.kind, item.state))
        as_of = evaluation_date(years[1] if years else None, today, year_start)
        if reporting.is_stale(
            frequency=indicator.frequency, published=published[indicator.pk], as_of=as_of, grace_days=grace,
            plan_end=plan_end_date(years[1] if years else None, year_start),
        ):  # fmt: skip
            last = max(published[indicator.pk])
            entries.append(
                CalendarEntry(
                    indicator, last, engine.stale_after(last, engine.Frequency(indicator.frequency), grace),
                    CalendarKind.STALE,
                )
            )  # fmt: skip
    return ReportingCalendar(today=today, deadline_days=days, entries=entries)


def reminder_items(
    municipality: Municipality, *, today: datetime.date, owner=None
) -> dict[int, list[CalendarEntry]]:
    """{owner id: [calendar entries]} of what a reporting reminder lists: values due within
    settings.CIVITAS_REMINDER_DAYS_AHEAD days or overdue, for owners with an e-mail address who
    still work for the municipality (of ``owner`` only, if given)."""
    indicators = None
    if owner is not None:
        indicators = list(
            Indicator.objects.filter(municipality=municipality, owner=owner)
            .select_related("element__plan", "project", "owner")
            .order_by("position", "code", "pk")
        )
    calendar = reporting_calendar(municipality=municipality, indicators=indicators, today=today)
    days = settings.CIVITAS_REMINDER_DAYS_AHEAD
    # Only people who still work for the municipality are reminded (a role here, any role).
    staff = set(Membership.objects.filter(municipality=municipality).values_list("user_id", flat=True))
    by_owner: dict[int, list[CalendarEntry]] = {}
    for entry in calendar.entries:
        owner_of = entry.indicator.owner
        if (
            entry.kind == CalendarKind.STALE
            or owner_of is None
            or not owner_of.email
            or not owner_of.is_active
        ):
            continue
        if owner_of.pk not in staff and not owner_of.is_superuser:
            continue
        item = reporting.DueItem(entry.period, entry.deadline, entry.kind, entry.state)
        if reporting.due_within([item], today=today, days=days):
            by_owner.setdefault(owner_of.pk, []).append(entry)
    return by_owner


def verification_queue(*, municipality) -> list[Measurement]:
    """Submitted values waiting for a verifier, then approved ones waiting to be published,
    oldest first: one query."""
    return with_period_labels(pending_measurements(municipality=municipality))


def pending_measurements(*, municipality) -> QuerySet[Measurement]:
    """The verifier's queue as a query, for a page of it (the queue can hold thousands)."""
    return (
        Measurement.objects.filter(indicator__municipality=municipality, state__in=["submitted", "approved"])
        .select_related(
            "indicator__element__plan",
            "indicator__project",
            "indicator__municipality",
            "entered_by",
            "approved_by",
        )
        .order_by("-state", "submitted_at", "pk")
    )


def with_period_labels(measurements) -> list[Measurement]:
    measurements = list(measurements)
    for m in measurements:
        m.period_label = period_label(m)
    return measurements


def period_label(m: Measurement) -> str:
    """The period of a measurement as pages write it (2020, 2020-Q3, 2023/24-Q1 …); reads its
    indicator's plan and municipality (load them with it)."""
    period = period_of(m.year, m.sub, m.indicator.frequency, indicator_year_start(m.indicator))
    return period.label if period else f"{m.year}/{m.sub}"


# The dashboard lists the oldest values waiting for a verifier; the queue pages through the rest.
DASHBOARD_WAITING = 10


@dataclass
class MonitoringDashboard:
    calendar: ReportingCalendar
    waiting: list[Measurement]  # the oldest DASHBOARD_WAITING of them
    waiting_count: int
    evaluated: list[EvaluatedIndicator]

    @property
    def attention(self) -> list[EvaluatedIndicator]:
        """Off track first, then at risk: what the staff should look at."""
        order = {engine.Status.OFF_TRACK: 0, engine.Status.AT_RISK: 1}
        found = [(i, i.result) for i in self.evaluated if i.result is not None and i.result.status in order]
        return [i for i, result in sorted(found, key=lambda pair: order[pair[1].status])]

    @property
    def counts(self) -> list[tuple[engine.Status, int]]:
        counted = {status: 0 for status in engine.Status}
        for item in self.evaluated:
            if item.result is not None:
                counted[item.result.status] += 1
        return list(counted.items())

    @property
    def errors(self) -> list[EvaluatedIndicator]:
        return [i for i in self.evaluated if i.result is None]


def monitoring_dashboard(*, municipality, today: datetime.date | None = None) -> MonitoringDashboard:
    """The staff monitoring dashboard: what is late, what waits for approval, and what is off
    track or at risk, evaluated exactly as the plan and indicator pages and the exports do (by
    ``indicators_evaluation``): seven queries, however many indicators and values, and a page of
    bounded size however many values wait."""
    indicators = list(_staff_indicators(municipality).order_by("position", "code", "pk"))
    for indicator in indicators:
        indicator.municipality = municipality
    submitted = pending_measurements(municipality=municipality).filter(state=MeasurementState.SUBMITTED)
    return MonitoringDashboard(
        calendar=reporting_calendar(municipality=municipality, indicators=indicators, today=today),
        waiting=with_period_labels(submitted[:DASHBOARD_WAITING]),
        waiting_count=submitted.count(),
        evaluated=indicators_evaluation(indicators, today=today),
    )


def evidence_access(user, name: str):
    """Who may download the uploaded file ``name`` if measurements store it as evidence (None:
    none does): anyone once the value is published and its indicator public (as on the
    indicator's page), the municipality's staff always. One indexed query."""
    if not name:  # an empty name is every value without evidence
        return None

    def access(measurement: Measurement) -> FileAccess:
        indicator = measurement.indicator
        public_indicator = indicator.element is None or indicator.element.plan.status in PUBLIC_PLAN_STATUSES
        if measurement.state in COUNTED_STATES and public_indicator:
            return FileAccess.PUBLIC
        if policy.can_view_back_office(user, indicator.municipality):
            return FileAccess.PRIVATE
        return FileAccess.DENIED

    measurements = (
        Measurement.objects.filter(evidence=name)
        .order_by()
        .select_related("indicator__municipality", "indicator__element__plan")
    )
    return strictest(access(m) for m in measurements)


# The back office's home ----------------------------------------------------------------------------

# The home lists the first few of each kind of work; the page where it is done has them all.
HOME_ITEMS = 8


@dataclass
class EntryWork:
    """What waits for a person who enters values: the values of their indicators due or overdue in
    the reporting calendar (overdue first), and their values a verifier returned."""

    late: list[CalendarEntry]  # the first HOME_ITEMS
    overdue_count: int
    due_count: int
    returned: list[Measurement]  # the last returned, HOME_ITEMS at most
    returned_count: int


def entry_work(*, user, municipality: Municipality, today: datetime.date | None = None) -> EntryWork:
    """``EntryWork`` for the indicators ``user`` may enter (policy.can_enter), read from the
    reporting calendar the calendar page and the reminders read: four queries, however many
    indicators and values."""
    indicators = list(
        enterable_indicators(user=user, municipality=municipality)
        .select_related("element__plan", "project", "owner")
        .order_by("position", "code", "pk")
    )
    calendar = reporting_calendar(municipality=municipality, indicators=indicators, today=today)
    late = calendar.overdue + calendar.due
    returned = (
        Measurement.objects.filter(indicator__municipality=municipality, state=MeasurementState.RETURNED)
        .filter(indicator__in=enterable_indicators(user=user, municipality=municipality))
        .select_related("indicator__element__plan", "indicator__project", "indicator__municipality")
        .order_by("-updated_at", "pk")
    )
    return EntryWork(
        late=late[:HOME_ITEMS],
        overdue_count=len(calendar.overdue),
        due_count=len(calendar.due),
        returned=with_period_labels(returned[:HOME_ITEMS]),
        returned_count=returned.count(),
    )


@dataclass
class VerifierWork:
    """What waits for a verifier: values submitted for approval (and the oldest of them), and
    approved values not yet published."""

    waiting_count: int
    to_publish_count: int
    oldest: Measurement | None


def verifier_work(*, municipality: Municipality) -> VerifierWork:
    """``VerifierWork`` from the verifier's queue (``pending_measurements``): two queries."""
    pending = pending_measurements(municipality=municipality)
    counts = pending.order_by().aggregate(
        waiting=Count("pk", filter=Q(state=MeasurementState.SUBMITTED)),
        to_publish=Count("pk", filter=Q(state=MeasurementState.APPROVED)),
    )
    oldest = with_period_labels(pending.filter(state=MeasurementState.SUBMITTED)[:1])
    return VerifierWork(
        waiting_count=counts["waiting"],
        to_publish_count=counts["to_publish"],
        oldest=oldest[0] if oldest else None,
    )


# The API's reads (opendata) ---------------------------------------------------------------------


def public_indicators(
    *,
    municipality: Municipality | None = None,
    plan: Plan | None = None,
    project: Project | None = None,
    updated_since: datetime.datetime | None = None,
) -> QuerySet[Indicator]:
    """Indicators as the portal shows them: those of projects and of public plans, each with its
    municipality, element, plan and project, its targets, its published values only
    (``published``: never drafts or values awaiting verification) and the elements of public
    plans it also serves (``public_also``): four queries for any number of indicators. ``plan``:
    the indicators the plan's evaluation counts (its own, and those also serving its elements);
    ``project``: the project's own.

    ``last_changed``: when the indicator, one of its values (in any state: a published value
    withdrawn for correction changes what is shown) or its history (a target's change is recorded
    there) last changed; ``updated_since`` compares with it."""
    last_value = (
        Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-updated_at").values("updated_at")[:1]
    )
    last_change = (
        IndicatorChange.objects.filter(indicator=OuterRef("pk"))
        .order_by("-changed_at")
        .values("changed_at")[:1]
    )
    qs = (
        Indicator.objects.filter(Q(element__isnull=True) | Q(element__plan__status__in=PUBLIC_PLAN_STATUSES))
        .annotate(
            last_changed=Greatest(
                "updated_at",
                Coalesce(Subquery(last_value), "updated_at"),
                Coalesce(Subquery(last_change), "updated_at"),
            )
        )
        .select_related("municipality", "element__plan", "project")
        .prefetch_related(
            "targets",
            Prefetch(
                "measurements",
                queryset=Measurement.objects.filter(state__in=COUNTED_STATES).order_by("year", "sub"),
                to_attr="published",
            ),
            Prefetch(
                "also_elements",
                queryset=PlanElement.objects.filter(plan__status__in=PUBLIC_PLAN_STATUSES).order_by(
                    "plan_id", "position", "pk"
                ),
                to_attr="public_also",
            ),
        )
    )
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if plan is not None:
        serving = Indicator.objects.filter(Q(element__plan=plan) | Q(also_elements__plan=plan)).values("pk")
        qs = qs.filter(pk__in=serving)
    if project is not None:
        qs = qs.filter(project=project)
    if updated_since is not None:
        qs = qs.filter(last_changed__gte=updated_since)
    return qs
