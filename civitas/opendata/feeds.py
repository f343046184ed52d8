"""Atom feeds (RFC 4287) of what a municipality publishes: project updates, consultations, published
indicator values and approved annual reports, for the whole municipality or for one of its plans.

Each feed reads its newest entries in one query (two more: the municipality and, per plan, the
plan), whatever the data's size. An entry's id is a tag URI (RFC 4151) that names the object and,
for project updates, the moment of the update, so a reader shows each update once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civitas.consultations import selectors as consultation_selectors
from civitas.core.cache import cached_public_page
from civitas.core.content import Content
from civitas.core.models import Municipality
from civitas.core.tenancy import with_municipality
from civitas.indicators.models import COUNTED_STATES, Measurement
from civitas.plans import selectors as plan_selectors
from civitas.plans.models import PUBLIC_PLAN_STATUSES, Plan
from civitas.projects.models import Project, ProjectContribution
from civitas.reports.models import AnnualReport, ReportStatus

FEED_ENTRIES = 50
READS = (Content.PLANNING, Content.PARTICIPATION)


@dataclass(frozen=True)
class Entry:
    title: str
    path: str
    summary: str
    key: str  # what the entry is about, unique in the municipality: "project/12/2026-01-05T10:00:00"
    updated: datetime
    published: datetime | None = None


def tag_uri(host: str, municipality: Municipality, key: str) -> str:
    """A tag URI for an entry: the site's host, the day the municipality was added, and the key."""
    day = timezone.localtime(municipality.created_at).date().isoformat()
    return f"tag:{host.split(':')[0]},{day}:{municipality.slug}/{key}"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ")


# Each reader takes the municipality and (or None) one of its public plans and gives the newest
# entries, newest first, in one query.


def project_entries(municipality: Municipality, plan: Plan | None) -> list[Entry]:
    """Projects, each as of its latest update (a new project, a changed status or progress)."""
    projects = Project.objects.filter(municipality=municipality)
    if plan is not None:
        projects = projects.filter(
            pk__in=ProjectContribution.objects.filter(element__plan=plan).values("project_id")
        )
    entries = []
    for project in projects.order_by("-updated_at", "-pk")[:FEED_ENTRIES]:
        status = project.get_status_display()
        if project.progress is None:
            summary = _("Status: %(status)s.") % {"status": status}
        else:
            summary = _("Status: %(status)s. Progress: %(progress)s%%.") % {
                "status": status,
                "progress": project.progress,
            }
        entries.append(
            Entry(
                title=f"{project.code} {project.title}".strip(),
                path=reverse("portal:project", args=[municipality.slug, project.slug]),
                summary=summary,
                key=f"projects/{project.pk}/{_stamp(project.updated_at)}",
                updated=project.updated_at,
                published=project.created_at,
            )
        )
    return entries


def consultation_entries(municipality: Municipality, plan: Plan | None) -> list[Entry]:
    """The consultations the portal lists (every one but drafts), newest first."""
    consultations = consultation_selectors.consultation_list(municipality=municipality)
    if plan is not None:
        consultations = consultations.filter(plan=plan)
    entries = []
    for consultation in consultations[:FEED_ENTRIES]:
        closes = timezone.localtime(consultation.closes_at)
        summary = _("Proposals until %(closes)s. %(summary)s") % {
            "closes": closes.strftime("%d.%m.%Y %H:%M"),
            "summary": consultation.summary,
        }
        entries.append(
            Entry(
                title=consultation.title,
                path=reverse("consultations:detail", args=[municipality.slug, consultation.slug]),
                summary=summary.strip(),
                key=f"consultations/{consultation.pk}",
                updated=consultation.updated_at,
                published=consultation.opens_at,
            )
        )
    return entries


def value_entries(municipality: Municipality, plan: Plan | None) -> list[Entry]:
    """Published indicator values of public plans and of projects, newest first."""
    measurements = Measurement.objects.filter(
        indicator__municipality=municipality, state__in=COUNTED_STATES
    ).select_related("indicator")
    if plan is not None:
        measurements = measurements.filter(indicator__element__plan=plan)
    else:
        measurements = measurements.filter(
            Q(indicator__element__isnull=True) | Q(indicator__element__plan__status__in=PUBLIC_PLAN_STATUSES)
        )
    entries = []
    for m in measurements.order_by("-updated_at", "-pk")[:FEED_ENTRIES]:
        indicator = m.indicator
        period = f"{m.year}" if not m.sub else f"{m.year}/{m.sub}"
        value = m.published_text or (f"{m.value.normalize():f}" if m.value is not None else "")
        entries.append(
            Entry(
                title=_("%(code)s %(name)s: %(period)s")
                % {
                    "code": indicator.code,
                    "name": indicator.name,
                    "period": period,
                },
                path=reverse("portal:indicator", args=[municipality.slug, indicator.code]),
                summary=_("Published value for %(period)s: %(value)s %(unit)s")
                % {
                    "period": period,
                    "value": value,
                    "unit": indicator.unit,
                },
                key=f"values/{m.pk}",
                updated=m.updated_at,
                published=m.approved_at,
            )
        )
    return entries


def report_entries(municipality: Municipality, plan: Plan | None) -> list[Entry]:
    """Annual monitoring reports approved by the council, newest approval first."""
    reports = (
        AnnualReport.objects.filter(municipality=municipality, status=ReportStatus.APPROVED)
        .select_related("plan")
        .only("pk", "year", "approved_at", "updated_at", "plan__title_bg", "plan__title_en")
    )
    if plan is not None:
        reports = reports.filter(plan=plan)
    entries = []
    for report in reports.order_by("-approved_at", "-pk")[:FEED_ENTRIES]:
        title = _("Annual monitoring report for %(year)s: %(plan)s") % {
            "year": report.year,
            "plan": report.plan.title,
        }
        entries.append(
            Entry(
                title=title,
                path=reverse("reports:detail", args=[municipality.slug, report.pk]),
                summary=title,
                key=f"reports/{report.pk}",
                updated=report.approved_at or report.updated_at,
                published=report.approved_at,
            )
        )
    return entries


@dataclass(frozen=True)
class FeedKind:
    title: str  # in the active language
    read: Callable[[Municipality, Plan | None], list[Entry]]


def _kinds() -> dict[str, FeedKind]:
    return {
        "projects": FeedKind(_("Project updates"), project_entries),
        "consultations": FeedKind(_("Consultations"), consultation_entries),
        "values": FeedKind(_("Published indicator values"), value_entries),
        "reports": FeedKind(_("Approved annual reports"), report_entries),
    }


FEED_KINDS = ("projects", "consultations", "values", "reports")


def feed_links(municipality: Municipality, plan: Plan | None = None) -> list[tuple[str, str]]:
    """(title, path) of the feeds of the municipality, or of one plan: for the pages' <link>s."""
    kinds = _kinds()
    if plan is None:
        return [
            (
                f"{kinds[kind].title} · {municipality.name}",
                reverse("opendata:feed", args=[municipality.slug, kind]),
            )
            for kind in FEED_KINDS
        ]
    return [
        (
            f"{kinds[kind].title} · {plan.title}",
            reverse("opendata:plan_feed", args=[municipality.slug, plan.slug, kind]),
        )
        for kind in FEED_KINDS
    ]


def _render(request, municipality: Municipality, kind: str, plan: Plan | None) -> HttpResponse:
    found = _kinds().get(kind)
    if found is None:
        raise Http404("No such feed")
    entries = found.read(municipality, plan)
    host = request.get_host()
    subject = plan.title if plan is not None else municipality.name
    if plan is None:
        page = reverse("portal:home", args=[municipality.slug])
        key = kind
    else:
        page = reverse("portal:plan", args=[municipality.slug, plan.slug])
        key = f"plans/{plan.pk}/{kind}"
    feed = Atom1Feed(
        title=f"{found.title} · {subject}",
        link=request.build_absolute_uri(page),
        description=found.title,
        language=get_language(),
        feed_url=request.build_absolute_uri(),
        feed_guid=tag_uri(host, municipality, f"feeds/{key}"),
        author_name=municipality.name,
    )
    for entry in entries:
        feed.add_item(
            title=entry.title,
            link=request.build_absolute_uri(entry.path),
            description=entry.summary,
            unique_id=tag_uri(host, municipality, entry.key),
            updateddate=entry.updated,
            pubdate=entry.published,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


@with_municipality
@cached_public_page(reads=READS)
def municipality_feed(request, municipality, kind):
    return _render(request, municipality, kind, None)


@with_municipality
@cached_public_page(reads=READS)
def plan_feed(request, municipality, plan, kind):
    plan = plan_selectors.plan_get(municipality=municipality, slug=plan)
    return _render(request, municipality, kind, plan)
