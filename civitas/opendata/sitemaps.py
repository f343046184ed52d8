"""What search engines read: ``/robots.txt``, and ``/sitemap.xml``, an index of one sitemap for the
installation's own pages and one per municipality with every public page (home, plans, their
elements, projects, indicators, consultations, decisions, events, reports, evaluations), each in
every language of the site (Bulgarian without a prefix, English under /en/) with its alternates
and, where the record keeps one, the date it last changed.

A municipality's sitemap reads a fixed number of queries (one per kind of page), whatever its size.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from civitas.consultations import selectors as consultation_selectors
from civitas.core.models import Municipality
from civitas.core.tenancy import municipality_from_slug
from civitas.council import selectors as council_selectors
from civitas.evaluations.models import Evaluation, EvaluationStatus
from civitas.indicators.models import Indicator
from civitas.plans import selectors as plan_selectors
from civitas.plans.models import PUBLIC_PLAN_STATUSES, PlanElement
from civitas.projects.models import Project
from civitas.publicity.models import PublicityEvent
from civitas.reports.models import AnnualReport, ReportStatus

# Crawlers have no business in the back office, the sign-in and account forms or the API's
# interactive pages (the privacy notice and the terms, under /accounts/ too, stay open).
DISALLOWED = (
    "/admin/", "/manage/", "/en/manage/", "/*/manage/", "/accounts/login/", "/en/accounts/login/",
    "/accounts/register/", "/en/accounts/register/", "/accounts/profile/", "/en/accounts/profile/",
    "/api/v1/docs",
)  # fmt: skip


@dataclass(frozen=True)
class Page:
    name: str
    args: tuple
    lastmod: date | datetime | None = None


@dataclass(frozen=True)
class Link:
    language: str
    url: str


@dataclass(frozen=True)
class SitemapUrl:
    loc: str
    lastmod: str
    alternates: list[Link]


def _lastmod(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def site_pages() -> list[Page]:
    return [
        Page("portal:root", ()),
        Page("opendata:accessibility", ()),
        Page("accounts:privacy", ()),
        Page("accounts:terms", ()),
    ]


def municipality_pages(municipality: Municipality) -> list[Page]:
    """Every public page of the municipality (a fixed number of queries)."""
    m = municipality.slug
    pages = [
        Page("portal:home", (m,)),
        Page("opendata:municipality_accessibility", (m,)),
        Page("portal:plans", (m,)),
        Page("portal:projects", (m,)),
        Page("consultations:list", (m,)),
        Page("council:list", (m,)),
        Page("publicity:calendar", (m,)),
        Page("reports:list", (m,)),
        Page("evaluations:list", (m,)),
    ]
    plans = list(plan_selectors.plan_list(municipality=municipality).only("pk", "slug", "updated_at"))
    pages += [Page("portal:plan", (m, plan.slug), plan.updated_at) for plan in plans]
    elements = (
        PlanElement.objects.filter(plan__municipality=municipality, plan__status__in=PUBLIC_PLAN_STATUSES)
        .select_related("plan")
        .only("code", "plan__slug", "plan__updated_at")
        .order_by("plan_id", "position", "pk")
    )
    pages += [Page("portal:plan_element", (m, e.plan.slug, e.code), e.plan.updated_at) for e in elements]
    projects = (
        Project.objects.filter(municipality=municipality).only("slug", "updated_at").order_by("code", "pk")
    )
    pages += [Page("portal:project", (m, p.slug), p.updated_at) for p in projects]
    indicators = (
        Indicator.objects.filter(municipality=municipality)
        .filter(Q(element__isnull=True) | Q(element__plan__status__in=PUBLIC_PLAN_STATUSES))
        .only("code", "updated_at")
        .order_by("code", "pk")
    )
    pages += [Page("portal:indicator", (m, i.code), i.updated_at) for i in indicators]
    consultations = consultation_selectors.consultation_list(municipality=municipality).only(
        "slug", "updated_at"
    )
    pages += [Page("consultations:detail", (m, c.slug), c.updated_at) for c in consultations]
    decisions = council_selectors.decision_list(municipality=municipality).only(
        "year", "number", "updated_at"
    )
    pages += [Page("council:detail", (m, d.year, d.number), d.updated_at) for d in decisions]
    events = (
        PublicityEvent.objects.filter(municipality=municipality)
        .only("pk", "updated_at")
        .order_by("date", "pk")
    )
    pages += [Page("publicity:event", (m, e.pk), e.updated_at) for e in events]
    reports = (
        AnnualReport.objects.filter(municipality=municipality, status=ReportStatus.APPROVED)
        .only("pk", "approved_at", "updated_at")
        .order_by("-year", "pk")
    )
    pages += [Page("reports:detail", (m, r.pk), r.approved_at or r.updated_at) for r in reports]
    evaluations = (
        Evaluation.objects.filter(municipality=municipality, status=EvaluationStatus.PUBLISHED)
        .only("pk", "updated_at")
        .order_by("pk")
    )
    pages += [Page("evaluations:detail", (m, e.pk), e.updated_at) for e in evaluations]
    return pages


def sitemap_urls(request, pages: list[Page]) -> list[SitemapUrl]:
    """Each page once per language, each naming all its language versions (hreflang alternates)."""
    languages = [code for code, _name in settings.LANGUAGES]
    urls = []
    for page in pages:
        alternates = []
        for language in languages:
            with translation.override(language):
                alternates.append(
                    Link(language, request.build_absolute_uri(reverse(page.name, args=page.args)))
                )
        lastmod = _lastmod(page.lastmod)
        urls += [SitemapUrl(link.url, lastmod, alternates) for link in alternates]
    return urls


def _xml(request, template: str, context: dict) -> HttpResponse:
    return render(request, template, context, content_type="application/xml; charset=utf-8")


def sitemap_index(request):
    slugs = Municipality.objects.order_by("slug").values_list("slug", flat=True)
    locations = [request.build_absolute_uri(reverse("sitemap_site"))] + [
        request.build_absolute_uri(reverse("sitemap_municipality", args=[slug])) for slug in slugs
    ]
    return _xml(request, "opendata/sitemap_index.xml", {"locations": locations})


def sitemap_site(request):
    return _xml(request, "opendata/sitemap.xml", {"urls": sitemap_urls(request, site_pages())})


def sitemap_municipality(request, municipality):
    municipality = municipality_from_slug(municipality)
    urls = sitemap_urls(request, municipality_pages(municipality))
    return _xml(request, "opendata/sitemap.xml", {"urls": urls})


def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
