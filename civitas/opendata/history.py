"""The public change history of a plan and of a project, read from the append-only audit log
(``core.AuditEvent``): what changed, when, in which staff role and why.

Only public facts: a plan's events while it was public (a draft's are not), versions put to
consultation or adopted (never a draft version), published values (never a draft, a value
awaiting verification, or a corrected value before it is verified again), and of each object only
the fields of its allow-list below (never a person's name, an owner, a responsible person, a file
or a location). The actor is named only by role. Each page of a history runs a fixed number of
queries, however long the history.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.paginator import Page, Paginator
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from civitas.core.models import AuditEvent, Municipality, Role
from civitas.core.permissions import OPERATOR_ROLE
from civitas.core.templatetags.civitas import number
from civitas.council.presentation import decision_title
from civitas.indicators.evaluation import year_start_of
from civitas.indicators.models import Indicator, Measurement
from civitas.indicators.rules import period_of
from civitas.plans.models import PUBLIC_PLAN_STATUSES, Plan, PlanElement, PlanStatus, PlanVersion, VersionKind
from civitas.projects.models import Project, ProjectContribution, ProjectStatus

ENTRIES_PER_PAGE = 25

PLAN = "plans.plan"
ELEMENT = "plans.planelement"
VERSION = "plans.planversion"
INDICATOR = "indicators.indicator"
MEASUREMENT = "indicators.measurement"
PROJECT = "projects.project"

# The fields of each kind of object whose changes the public history shows: what the portal shows
# of it. Anything else an event records (slugs, owners, responsible persons, locations, files,
# documents, internal settings) is never shown.
PUBLIC_FIELDS: dict[str, tuple[str, ...]] = {
    PLAN: ("status", "title_bg", "title_en", "kind", "period_start", "period_end", "vision_bg", "vision_en",
           "description_bg", "description_en", "adopted_by_bg", "adopted_by_en"),
    ELEMENT: ("code", "title_bg", "title_en", "description_bg", "description_en"),
    INDICATOR: ("code", "name_bg", "name_en", "unit_bg", "unit_en", "baseline_value", "baseline_year", "targets"),
    MEASUREMENT: ("published",),
    PROJECT: ("status", "progress", "title_bg", "title_en", "planned_start", "planned_end", "actual_start",
              "actual_end"),
}  # fmt: skip
# Of a plan's projects, its history shows the status.
PLAN_PROJECT_FIELDS = ("status",)
# The versions the public sees: put to consultation, adopted, amended (never a draft version).
PUBLIC_VERSION_KINDS = [VersionKind.CONSULTATION_DRAFT, VersionKind.ADOPTED, VersionKind.AMENDED]
LONG_TEXT_WORDS = 30
# What the pages name a project by.
PROJECT_NAMED = ("pk", "municipality_id", "slug", "code", "title_bg", "title_en")


@dataclass(frozen=True)
class FieldChange:
    """One field of an entry: its name and its value before and after, as the portal writes them
    ("–": not set)."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime.datetime
    subject: str
    url: str
    what: str
    changes: list[FieldChange] = field(default_factory=list)
    role: str = ""
    reason: str = ""


def _keys(queryset: QuerySet) -> QuerySet:
    """The primary keys of ``queryset`` as the audit log stores them (text), for a subquery."""
    return queryset.annotate(key=Cast("pk", CharField())).values("key")


def _public_times(plan: Plan) -> tuple[Q, list[int]]:
    """When the plan was public (a filter of events by their time), and which of its status changes
    the public saw (those to or from a public status). One query."""
    events = list(
        AuditEvent.objects.filter(object_type=PLAN, object_id=str(plan.pk), changes__has_key="status")
        .order_by("at", "pk")
        .values_list("pk", "at", "changes")
    )
    shown: list[int] = []
    intervals: list[tuple[datetime.datetime | None, datetime.datetime | None]] = []
    start: datetime.datetime | None = None  # None: since the beginning
    public: bool | None = None
    for pk, at, changes in events:
        status = changes["status"]
        before, after = status if isinstance(status, list) and len(status) == 2 else (None, None)
        if public is None:  # the status before the first recorded change
            public = before in PUBLIC_PLAN_STATUSES
        now_public = after in PUBLIC_PLAN_STATUSES
        if public or now_public:
            shown.append(pk)
        if now_public and not public:
            start = at
        elif public and not now_public:
            intervals.append((start, at))
        public = now_public
    if public is None or public:  # public since its last change (or, with none recorded, always)
        intervals.append((start, None))
    when = Q(pk__in=[])  # never public
    for begin, end in intervals:
        if begin is None and end is None:
            return Q(), shown  # always public (an empty Q would vanish in an OR)
        span = Q(at__gte=begin) if begin is not None else Q(at__lt=end)
        if begin is not None and end is not None:
            span &= Q(at__lt=end)
        when |= span
    return when, shown


def _public_fields(object_type: str, fields: Iterable[str] | None = None) -> Q:
    return Q(object_type=object_type, changes__has_any_keys=list(fields or PUBLIC_FIELDS[object_type]))


def plan_history_events(plan: Plan) -> QuerySet[AuditEvent]:
    """The audit events of the plan's public history, newest first: the plan itself, its elements,
    its versions put to consultation or adopted, its indicators' passports and targets, their
    published values, and the status of the projects that serve it. One query to find when the
    plan was public; the events themselves are one query (a page of them, with its count)."""
    when, status_events = _public_times(plan)
    elements = PlanElement.objects.filter(plan=plan)
    indicators = Indicator.objects.filter(element__plan=plan)
    while_public = (
        (_public_fields(PLAN) & Q(object_id=str(plan.pk)) & ~Q(changes__has_key="status"))
        | (_public_fields(ELEMENT) & Q(object_id__in=_keys(elements)))
        | (_public_fields(INDICATOR) & Q(object_id__in=_keys(indicators)))
        | (
            _public_fields(MEASUREMENT)
            & Q(object_id__in=_keys(Measurement.objects.filter(indicator__in=indicators)))
        )
        | (
            _public_fields(PROJECT, PLAN_PROJECT_FIELDS)
            & Q(object_id__in=_keys(Project.objects.filter(contributions__element__plan=plan).distinct()))
        )
    )
    # A version put to consultation or adopted is public by what it is (it is recorded just before
    # the plan's status moves on); the plan's status changes whenever the public saw them;
    # everything else only while the plan was public.
    versions = Q(object_type=VERSION, changes__kind__in=PUBLIC_VERSION_KINDS) & Q(
        object_id__in=_keys(PlanVersion.objects.filter(plan=plan, kind__in=PUBLIC_VERSION_KINDS))
    )
    return (
        AuditEvent.objects.filter(municipality_id=plan.municipality_id)
        .filter(Q(pk__in=status_events) | versions | (while_public & when))
        .order_by("-at", "-pk")
    )


def project_history_events(project: Project) -> QuerySet[AuditEvent]:
    """The audit events of the project's public history, newest first: its status, progress, dates
    and title, and its own indicators' passports, targets and published values."""
    indicators = Indicator.objects.filter(project=project)
    events = (
        (_public_fields(PROJECT) & Q(object_id=str(project.pk)))
        | (_public_fields(INDICATOR) & Q(object_id__in=_keys(indicators)))
        | (_public_fields(MEASUREMENT) & Q(object_id__in=_keys(Measurement.objects.filter(indicator__in=indicators))))
    )  # fmt: skip
    return (
        AuditEvent.objects.filter(municipality_id=project.municipality_id)
        .filter(events)
        .order_by("-at", "-pk")
    )


def history_project(*, municipality: Municipality, slug: str) -> Project:
    """A project of the municipality by its address name (404 otherwise)."""
    project = get_object_or_404(Project.objects.only(*PROJECT_NAMED), municipality=municipality, slug=slug)
    project.municipality = municipality
    return project


def page_of(events: QuerySet[AuditEvent], page_number) -> Page:
    """One page of events (an unknown or out-of-range number gives the nearest page): its count
    and its rows, two queries."""
    return Paginator(events, ENTRIES_PER_PAGE).get_page(page_number)


# What the entries say ------------------------------------------------------------------------------


def role_label(role: str) -> str:
    """The role an event was recorded in, in words; never a person."""
    if role == OPERATOR_ROLE:
        return _("data import on the server")
    if role in Role.values:
        return str(Role(role).label).lower()
    return _("staff (role not recorded)")


def _date(value) -> str:
    try:
        day = datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _number(value) -> str:
    """A stored number as the portal writes it; a percentage's numerator/denominator each so."""
    text = str(value)
    try:
        return "/".join(number(Decimal(part)) for part in text.split("/"))
    except (InvalidOperation, ValueError):
        return text


def _text(value) -> str:
    return Truncator(str(value)).words(LONG_TEXT_WORDS)


def _choice(choices) -> Callable[[object], str]:
    labels = dict(choices)
    return lambda value: str(labels.get(value, value))


FORMATS: dict[str, Callable[[object], str]] = {
    "status": lambda value: str(value),  # replaced per object type below
    "kind": _choice(Plan._meta.get_field("kind").choices or []),
    "period_start": str,
    "period_end": str,
    "baseline_year": str,
    "baseline_value": _number,
    "progress": lambda value: f"{value}\u00a0%",
    "planned_start": _date,
    "planned_end": _date,
    "actual_start": _date,
    "actual_end": _date,
    "value": _number,
}
STATUS_FORMATS = {PLAN: _choice(PlanStatus.choices), PROJECT: _choice(ProjectStatus.choices)}
MODELS = {PLAN: Plan, ELEMENT: PlanElement, INDICATOR: Indicator, PROJECT: Project}


def _shown(object_type: str, name: str, value) -> str:
    if value is None or value == "":
        return "–"
    if name == "status":
        return STATUS_FORMATS[object_type](value)
    return FORMATS.get(name, _text)(value)


def _field_changes(event: AuditEvent) -> list[FieldChange]:
    """The event's changes of public fields, each [before, after], labelled like the staff forms."""
    model = MODELS[event.object_type]
    found = []
    for name in PUBLIC_FIELDS[event.object_type]:
        change = event.changes.get(name)
        if name == "targets" or not isinstance(change, list) or len(change) != 2:
            continue
        label = capfirst(str(getattr(model._meta.get_field(name), "verbose_name", name)))
        found.append(
            FieldChange(
                label, _shown(event.object_type, name, change[0]), _shown(event.object_type, name, change[1])
            )
        )
    return found


def _target_changes(event: AuditEvent) -> list[FieldChange]:
    targets = event.changes.get("targets")
    if not isinstance(targets, dict):
        return []
    return [
        FieldChange(
            _("Target for %(period)s") % {"period": period},
            _shown(INDICATOR, "baseline_value", values[0]),
            _shown(INDICATOR, "baseline_value", values[1]),
        )
        for period, values in targets.items()
        if isinstance(values, list) and len(values) == 2
    ]


@dataclass
class _Names:
    """What the entries of one page name and link: the plan's elements, indicators, versions and
    projects, each read in one query."""

    municipality: Municipality
    plan: Plan | None
    elements: dict[str, PlanElement]
    indicators: dict[str, Indicator]
    versions: dict[str, PlanVersion]
    projects: dict[str, Project]


def _names(*, municipality: Municipality, plan: Plan | None = None, project: Project | None = None) -> _Names:
    if plan is not None:
        elements = {
            str(e.pk): e
            for e in PlanElement.objects.filter(plan=plan).only("pk", "code", "title_bg", "title_en")
        }
        indicators = Indicator.objects.filter(element__plan=plan)
        versions = {
            str(v.pk): v
            for v in PlanVersion.objects.filter(plan=plan, kind__in=PUBLIC_VERSION_KINDS)
            .select_related("decision")
            .defer("snapshot")
        }
        projects = {
            str(p.pk): p
            for p in Project.objects.filter(
                pk__in=ProjectContribution.objects.filter(element__plan=plan).values("project_id")
            ).only(*PROJECT_NAMED)
        }
    else:
        assert project is not None
        elements, versions, projects = {}, {}, {str(project.pk): project}
        indicators = Indicator.objects.filter(project=project)
    return _Names(
        municipality=municipality,
        plan=plan,
        elements=elements,
        indicators={
            str(i.pk): i
            for i in indicators.only(
                "pk", "code", "name_bg", "name_en", "frequency", "element_id", "project_id"
            )
        },
        versions=versions,
        projects=projects,
    )


def _entry(event: AuditEvent, names: _Names) -> HistoryEntry | None:
    """What the public reads of one event; None for an event whose object is gone."""
    m = names.municipality
    kind, key = event.object_type, event.object_id
    common = {"role": role_label(event.role), "reason": event.reason}
    if kind == PLAN:
        plan = names.plan
        if event.action == "create":
            what = _("Plan added")
        else:
            what = _("Status changed") if "status" in event.changes else _("Plan changed")
        url = reverse("portal:plan", args=[m.slug, plan.slug]) if plan else ""
        return HistoryEntry(event.at, _("The plan"), url, what, _field_changes(event), **common)
    if kind == ELEMENT:
        element = names.elements.get(key)
        if element is None or names.plan is None:
            return None
        what = _("Added to the plan") if event.action == "create" else _("Changed")
        return HistoryEntry(
            at=event.at, subject=f"{element.code} {element.title}",
            url=reverse("portal:plan_element", args=[m.slug, names.plan.slug, element.code]),
            what=what, changes=_field_changes(event), **common,
        )  # fmt: skip
    if kind == VERSION:
        version = names.versions.get(key)
        if version is None or names.plan is None:
            return None
        changes = []
        if version.decision is not None:
            changes.append(FieldChange(_("Council decision"), "–", decision_title(version.decision)))
        if version.effective_on is not None:
            changes.append(FieldChange(_("Effective from"), "–", _date(version.effective_on)))
        return HistoryEntry(
            at=event.at, subject=_("Version %(number)s") % {"number": version.number},
            url=reverse("portal:plan_version", args=[m.slug, names.plan.slug, version.number]),
            what=str(version.get_kind_display()), changes=changes,
            role=common["role"], reason=version.note or event.reason,
        )  # fmt: skip
    if kind == INDICATOR:
        indicator = names.indicators.get(key)
        if indicator is None:
            return None
        what = _("Indicator added") if event.action == "create" else _("Passport or targets changed")
        return HistoryEntry(
            at=event.at, subject=f"{indicator.code} {indicator.name}",
            url=reverse("portal:indicator", args=[m.slug, indicator.code]),
            what=what, changes=_field_changes(event) + _target_changes(event), **common,
        )  # fmt: skip
    if kind == MEASUREMENT:
        return _value_entry(event, names, common)
    if kind == PROJECT:
        project = names.projects.get(key)
        if project is None:
            return None
        public = set(event.changes) & set(PUBLIC_FIELDS[PROJECT])
        if event.action == "create":
            what = _("Project added")
        else:
            what = _("Status changed") if public == {"status"} else _("Project changed")
        return HistoryEntry(
            at=event.at, subject=f"{project.code} {project.title}",
            url=reverse("portal:project", args=[m.slug, project.slug]),
            what=what, changes=_field_changes(event), **common,
        )  # fmt: skip
    return None


def _value_entry(event: AuditEvent, names: _Names, common: dict[str, str]) -> HistoryEntry | None:
    indicator = names.indicators.get(str(event.changes.get("indicator")))
    published = event.changes.get("published")
    period = event.changes.get("period")
    if (
        indicator is None
        or not isinstance(published, list)
        or len(published) != 2
        or not isinstance(period, list)
    ):
        return None
    found = period_of(
        period[0], period[1], indicator.frequency, year_start_of(names.plan, names.municipality)
    )
    label = found.label if found else f"{period[0]}"
    before, after = published
    if after is None:
        # Withdrawn for a correction: its reason shows when the corrected value is published.
        what, common = _("Value withdrawn for correction"), common | {"reason": ""}
    elif before is None:
        what = _("Value published")
    else:
        what = _("Corrected value published")
    return HistoryEntry(
        at=event.at, subject=f"{indicator.code} {indicator.name}",
        url=reverse("portal:indicator", args=[names.municipality.slug, indicator.code]),
        what=what,
        changes=[FieldChange(_("Value for %(period)s") % {"period": label}, _shown(MEASUREMENT, "value", before),
                             _shown(MEASUREMENT, "value", after))],
        **common,
    )  # fmt: skip


def plan_history(*, plan: Plan, page_number=None) -> tuple[Page, list[HistoryEntry]]:
    """A page of the plan's public history, newest first, and its entries: a fixed number of
    queries (the plan's status changes, the page's count and rows, and the names they need)."""
    page = page_of(plan_history_events(plan), page_number)
    names = _names(municipality=plan.municipality, plan=plan)
    entries = [entry for event in page.object_list if (entry := _entry(event, names)) is not None]
    return page, entries


def project_history(*, project: Project, page_number=None) -> tuple[Page, list[HistoryEntry]]:
    """A page of the project's public history, newest first, and its entries (a fixed number of
    queries)."""
    page = page_of(project_history_events(project), page_number)
    names = _names(municipality=project.municipality, project=project)
    entries = [entry for event in page.object_list if (entry := _entry(event, names)) is not None]
    return page, entries
