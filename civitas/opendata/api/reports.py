"""Annual monitoring reports, approved ones only (a draft is not public): the plan and year, the
council's decision that approved it, its narrative in both languages and the DOCX and PDF files
generated when it was approved."""

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from civitas.reports import selectors
from civitas.reports.models import AnnualReport

from .base import READ_ERRORS, Page, page, strict_query
from .listing import absolute, file_url, municipality_param, since_param, year_param

router = Router()

# The files the report's page offers, in its order.
FILE_ORDER = (("bg", "docx"), ("bg", "pdf"), ("en", "docx"), ("en", "pdf"))


class ReportFileOut(Schema):
    language: str
    format: str
    url: str | None
    generated_at: dt.datetime | None


class ReportOut(Schema):
    id: int
    municipality: str
    url: str
    web_url: str
    plan: str
    year: int
    as_of: dt.date
    approved_at: dt.datetime | None
    decision_url: str | None
    conditions_bg: str
    conditions_en: str
    actions_bg: str
    actions_en: str
    conclusions_bg: str
    conclusions_en: str
    files: list[ReportFileOut]
    created_at: dt.datetime
    updated_at: dt.datetime


def report_out(request: HttpRequest, report: AnnualReport) -> dict:
    slug = report.municipality.slug
    latest = {(f.language, f.format): f for f in report.files.all()}  # oldest first: the latest wins
    return {
        "id": report.pk,
        "municipality": slug,
        "url": absolute(request, "api:report", report.pk),
        "web_url": absolute(request, "reports:detail", slug, report.pk),
        "plan": report.plan.slug,
        "year": report.year,
        "as_of": selectors.report_as_of(report),
        "approved_at": report.approved_at,
        "decision_url": absolute(request, "api:decision", report.decision_id) if report.decision_id else None,
        "conditions_bg": report.conditions_bg,
        "conditions_en": report.conditions_en,
        "actions_bg": report.actions_bg,
        "actions_en": report.actions_en,
        "conclusions_bg": report.conclusions_bg,
        "conclusions_en": report.conclusions_en,
        "files": [
            {
                "language": found.language,
                "format": found.format,
                "url": file_url(request, found.file),
                "generated_at": found.generated_at,
            }
            for key in FILE_ORDER
            if (found := latest.get(key)) is not None
        ],
        "created_at": report.created_at,
        "updated_at": report.updated_at,
    }


@router.get("", response={200: Page[ReportOut], **READ_ERRORS}, url_name="reports")
def reports(
    request: HttpRequest,
    municipality: str | None = None,
    plan: str | None = None,
    year: str | None = None,
    updated_since: str | None = None,
):
    """Approved annual monitoring reports with their files. Filters: ``municipality`` (its address
    name), ``plan`` (the plan's address name), ``year``, ``updated_since`` (ISO 8601)."""
    strict_query(request, "municipality", "plan", "year", "updated_since")
    town = municipality_param(municipality)
    chosen_year = year_param(year)
    since = since_param(updated_since)
    found = selectors.approved_reports(municipality=town)
    if plan is not None:
        found = found.filter(plan__slug=plan)
    if chosen_year is not None:
        found = found.filter(year=chosen_year)
    if since:
        found = found.filter(updated_at__gte=since)
    return page(request, found, lambda report: report_out(request, report))


@router.get("/{pk}", response={200: ReportOut, **READ_ERRORS}, url_name="report")
def report(request: HttpRequest, pk: int):
    """One approved annual monitoring report."""
    strict_query(request)
    found = selectors.approved_reports(municipality=None).filter(pk=pk).first()
    if found is None:
        raise Http404("No such report")
    return report_out(request, found)
