"""Every read of the publicity register a page, the annual report or the media view needs, with its
prefetching. Each function makes a fixed number of queries, however many records there are."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Coalesce, ExtractYear
from django.shortcuts import get_object_or_404

from civitas.core.models import Municipality
from civitas.core.selectors import FileAccess
from civitas.plans.models import Plan
from civitas.projects.models import Project, ProjectContribution

from .models import EventKind, EventPhoto, Publication, PublicityEvent, PublicityMaterial

# How many upcoming and how many past events the calendar lists under its month.
CALENDAR_LIST_LIMIT = 20
STAFF_LIST_LIMIT = 200


# The project page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectPublicity:
    events: list[PublicityEvent]
    materials: list[PublicityMaterial]
    publications: list[Publication]

    def __bool__(self) -> bool:
        return bool(self.events or self.materials or self.publications)


def _events():
    return PublicityEvent.objects.prefetch_related("photos")


def project_publicity(project: Project) -> ProjectPublicity:
    """A project's events (with their photos), materials and publications, each by date: four
    queries (three when it has no events)."""
    return ProjectPublicity(
        events=list(_events().filter(project=project).order_by("date", "time", "pk")),
        materials=list(PublicityMaterial.objects.filter(project=project).order_by("produced_on", "pk")),
        publications=list(Publication.objects.filter(project=project).order_by("published_on", "pk")),
    )


# The whole register, for machines -------------------------------------------------------------------


def _register(queryset, municipality: Municipality | None):
    queryset = queryset.select_related("municipality", "project", "plan")
    return queryset if municipality is None else queryset.filter(municipality=municipality)


def register_events(*, municipality: Municipality | None = None):
    """Every event of the register (the municipality's, or all), with its project, plan and photos:
    two queries whatever their number."""
    return _register(_events(), municipality)


def register_materials(*, municipality: Municipality | None = None):
    """Every material of the register with its project and plan: one query."""
    return _register(PublicityMaterial.objects.all(), municipality)


def register_publications(*, municipality: Municipality | None = None):
    """Every publication of the register with its project and plan: one query."""
    return _register(Publication.objects.all(), municipality)


# The events calendar --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    date: datetime.date
    events: list[PublicityEvent]
    is_today: bool


@dataclass(frozen=True)
class EventsCalendar:
    year: int
    month: int
    kind: str
    # Weeks from Monday; a day outside the month is None.
    weeks: list[list[CalendarDay | None]]
    previous: tuple[int, int]
    next: tuple[int, int]
    upcoming: list[PublicityEvent]
    past: list[PublicityEvent]
    month_events: list[PublicityEvent] = field(default_factory=list)
    # Monday to Sunday (dates of the first week shown), for the table's column headers.
    weekdays: list[datetime.date] = field(default_factory=list)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def previous_day(self) -> datetime.date:
        """The first day of the month before (for its name)."""
        return datetime.date(*self.previous, 1)

    @property
    def next_day(self) -> datetime.date:
        return datetime.date(*self.next, 1)

    @property
    def previous_query(self) -> str:
        """The query string of the month before (keeping the kind), "" before the calendar's first year."""
        return self._query(*self.previous)

    @property
    def next_query(self) -> str:
        return self._query(*self.next)

    def _query(self, year: int, month: int) -> str:
        if not CALENDAR_FIRST_YEAR <= year <= CALENDAR_LAST_YEAR:
            return ""
        return f"?month={year:04d}-{month:02d}" + (f"&kind={self.kind}" if self.kind else "")


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


# The calendar shows months of these years; any other is refused as unknown (404).
CALENDAR_FIRST_YEAR = 1990
CALENDAR_LAST_YEAR = 2100


def calendar_month_from(params, *, today: datetime.date) -> tuple[int, int, str] | None:
    """(year, month, kind) from the calendar's query (``month=2014-07``, ``kind=forum``); this month
    and every kind when not given; None when a value is not one the calendar knows."""
    year, month = today.year, today.month
    if raw := params.get("month", "").strip():
        try:
            year_text, month_text = raw.split("-")
            year, month = int(year_text), int(month_text)
        except ValueError:
            return None
        if not (CALENDAR_FIRST_YEAR <= year <= CALENDAR_LAST_YEAR and 1 <= month <= 12):
            return None
    kind = params.get("kind", "").strip()
    if kind and kind not in EventKind.values:
        return None
    return year, month, kind


def events_calendar(
    *, municipality: Municipality, year: int, month: int, today: datetime.date, kind: str = ""
) -> EventsCalendar:
    """A month of the municipality's events as weeks of days, with the upcoming events (from today)
    and the latest past ones: three queries."""
    events = PublicityEvent.objects.filter(municipality=municipality).select_related("project")
    if kind:
        events = events.filter(kind=kind)
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    in_month = list(events.filter(date__gte=first, date__lte=last).order_by("date", "time", "pk"))
    by_day: dict[datetime.date, list[PublicityEvent]] = {}
    for event in in_month:
        by_day.setdefault(event.date, []).append(event)
    dates = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    weeks = [
        [
            CalendarDay(date=day, events=by_day.get(day, []), is_today=day == today)
            if day.month == month
            else None
            for day in week
        ]
        for week in dates
    ]
    upcoming = list(events.filter(date__gte=today).order_by("date", "time", "pk")[:CALENDAR_LIST_LIMIT])
    past = list(events.filter(date__lt=today).order_by("-date", "-time", "-pk")[:CALENDAR_LIST_LIMIT])
    return EventsCalendar(
        year=year, month=month, kind=kind, weeks=weeks, previous=previous_month(year, month),
        next=next_month(year, month), upcoming=upcoming, past=past, month_events=in_month,
        weekdays=dates[0],
    )  # fmt: skip


def event_get(*, municipality: Municipality, pk: int) -> PublicityEvent:
    """One event with its project, plan and photos (404 if not the municipality's): two queries."""
    return get_object_or_404(_events().select_related("project", "plan"), municipality=municipality, pk=pk)


# The annual report ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicityRow:
    """One record of the register as the annual report lists it. Texts are in the language active
    when ``publicity_of_year`` was called (Bulgarian where the English is empty)."""

    record: str  # "event", "material" or "publication"
    pk: int
    date: datetime.date | None  # None: a material or publication whose date is not known
    kind: str  # the stored kind (EventKind, MaterialKind or Medium value)
    kind_label: str  # "Press conference", "Brochure", "Newspaper" ...
    title: str
    place: str  # events only, else ""
    participants: int | None  # events only; None: not counted
    print_run: int | None  # materials only; None: not known
    outlet: str  # publications only, else ""
    link: str  # a publication's URL, else ""
    project_code: str  # "" when the record is not about a project
    project_title: str
    is_sample: bool


@dataclass(frozen=True)
class PublicityOfYear:
    year: int
    plan: Plan | None
    events: list[PublicityRow]
    materials: list[PublicityRow]
    publications: list[PublicityRow]

    @property
    def rows(self) -> list[PublicityRow]:
        """Every row by date (undated ones last), events before materials before publications on a day."""
        return sorted(
            [*self.events, *self.materials, *self.publications],
            key=lambda row: (row.date is None, row.date or datetime.date.min),
        )

    @property
    def participants(self) -> int | None:
        """The participants of the year's events that were counted; None when none was."""
        counted = [row.participants for row in self.events if row.participants is not None]
        return sum(counted) if counted else None

    @property
    def print_run(self) -> int | None:
        """The copies of the year's materials whose print run is known; None when none is."""
        known = [row.print_run for row in self.materials if row.print_run is not None]
        return sum(known) if known else None

    def __bool__(self) -> bool:
        return bool(self.events or self.materials or self.publications)


def _project_fields(record) -> dict:
    project = record.project
    return {
        "project_code": project.code if project else "",
        "project_title": project.title if project else "",
        "is_sample": record.is_sample,
    }


def _undated_in_year(date_field: str, year: int) -> Q:
    """A record without a date counts in the years its project ran (actual dates, else planned;
    a project without any date in none), or in its plan's period when it is the plan's alone."""
    started, ended = (
        Q(start_year__lte=year) | Q(start_year__isnull=True),
        Q(end_year__gte=year) | Q(end_year__isnull=True),
    )
    of_project = (
        Q(project__isnull=False) & started & ended & ~Q(start_year__isnull=True, end_year__isnull=True)
    )
    of_plan = Q(project__isnull=True, plan__period_start__lte=year, plan__period_end__gte=year)
    return Q(**{f"{date_field}__isnull": True}) & (of_project | of_plan)


def _with_project_years(queryset):
    return queryset.annotate(
        start_year=ExtractYear(Coalesce("project__actual_start", "project__planned_start")),
        end_year=ExtractYear(Coalesce("project__actual_end", "project__planned_end")),
    )


def publicity_of_year(*, municipality: Municipality, year: int, plan: Plan | None = None) -> PublicityOfYear:
    """Every event, material and publication of ``year`` for the annual monitoring report: three
    queries. With ``plan``, only those about the plan itself or about a project that contributes to
    one of its elements. Events count by their date; materials and publications by theirs, and
    those whose date is not known in every year their project ran (see ``_undated_in_year``)."""
    scope = Q(municipality=municipality)
    if plan is not None:
        projects = ProjectContribution.objects.filter(element__plan=plan).values("project_id")
        scope &= Q(plan=plan) | Q(project__in=projects)
    events = PublicityEvent.objects.filter(scope, date__year=year).select_related("project")
    materials = _with_project_years(PublicityMaterial.objects.filter(scope).select_related("project")).filter(
        Q(produced_on__year=year) | _undated_in_year("produced_on", year)
    )
    publications = _with_project_years(Publication.objects.filter(scope).select_related("project")).filter(
        Q(published_on__year=year) | _undated_in_year("published_on", year)
    )
    return PublicityOfYear(
        year=year,
        plan=plan,
        events=[
            PublicityRow(
                record="event",
                pk=event.pk,
                date=event.date,
                kind=event.kind,
                kind_label=str(event.get_kind_display()),
                title=event.title,
                place=event.place,
                participants=event.participants,
                print_run=None,
                outlet="",
                link="",
                **_project_fields(event),
            )  # fmt: skip
            for event in events.order_by("date", "time", "pk")
        ],
        materials=[
            PublicityRow(
                record="material",
                pk=material.pk,
                date=material.produced_on,
                kind=material.kind,
                kind_label=str(material.get_kind_display()),
                title=material.title,
                place="",
                participants=None,
                print_run=material.quantity,
                outlet="",
                link="",
                **_project_fields(material),
            )  # fmt: skip
            for material in materials.order_by(Coalesce("produced_on", datetime.date.max), "pk")
        ],
        publications=[
            PublicityRow(
                record="publication",
                pk=publication.pk,
                date=publication.published_on,
                kind=publication.medium,
                kind_label=str(publication.get_medium_display()),
                title=publication.title,
                place="",
                participants=None,
                print_run=None,
                outlet=publication.outlet,
                link=publication.url,
                **_project_fields(publication),
            )  # fmt: skip
            for publication in publications.order_by(Coalesce("published_on", datetime.date.max), "pk")
        ],
    )


# The staff pages ----------------------------------------------------------------------------------------


def staff_register(*, municipality: Municipality, project: Project | None = None) -> ProjectPublicity:
    """The municipality's (or one project's) register for the staff's lists, newest first: three
    queries."""
    scope = Q(municipality=municipality) & (Q(project=project) if project is not None else Q())
    return ProjectPublicity(
        events=list(PublicityEvent.objects.filter(scope).select_related("project").order_by("-date", "-pk")[:STAFF_LIST_LIMIT]),
        materials=list(PublicityMaterial.objects.filter(scope).select_related("project").order_by("-produced_on", "-pk")[:STAFF_LIST_LIMIT]),
        publications=list(Publication.objects.filter(scope).select_related("project").order_by("-published_on", "-pk")[:STAFF_LIST_LIMIT]),
    )  # fmt: skip


def event_for_editing(*, municipality: Municipality, pk: int) -> PublicityEvent:
    return event_get(municipality=municipality, pk=pk)


def material_get(*, municipality: Municipality, pk: int) -> PublicityMaterial:
    return get_object_or_404(
        PublicityMaterial.objects.select_related("project", "plan"), municipality=municipality, pk=pk
    )


def publication_get(*, municipality: Municipality, pk: int) -> Publication:
    return get_object_or_404(
        Publication.objects.select_related("project", "plan"), municipality=municipality, pk=pk
    )


def photo_get(*, event: PublicityEvent, pk: int) -> EventPhoto:
    return get_object_or_404(EventPhoto, event=event, pk=pk)


def project_of(*, municipality: Municipality, pk: int) -> Project | None:
    """The municipality's project ``pk``; None if it has none such."""
    return Project.objects.filter(municipality=municipality, pk=pk).first()


def plan_of(*, municipality: Municipality, pk: int) -> Plan | None:
    return Plan.objects.filter(municipality=municipality, pk=pk).first()


def project_choices(*, municipality: Municipality) -> list[tuple[int, str]]:
    return [
        (pk, f"{code} {title}")
        for pk, code, title in Project.objects.filter(municipality=municipality).order_by("code", "pk").values_list("pk", "code", "title_bg")
    ]  # fmt: skip


def plan_choices(*, municipality: Municipality) -> list[tuple[int, str]]:
    return list(
        Plan.objects.filter(municipality=municipality)
        .order_by("-period_start", "pk")
        .values_list("pk", "title_bg")
    )


# Files ----------------------------------------------------------------------------------------------------


def file_access(user, name: str) -> FileAccess | None:
    """The register is public, and so are its files (minutes, event photos, materials' files); None
    if no record of the register stores ``name``. One query."""
    if not name:
        return None
    stored = (
        PublicityEvent.objects.filter(minutes=name).values("pk")
        .union(EventPhoto.objects.filter(file=name).values("pk"), PublicityMaterial.objects.filter(file=name).values("pk"))
        .exists()
    )  # fmt: skip
    return FileAccess.PUBLIC if stored else None
