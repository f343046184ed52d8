"""Projects in the API: as the portal's project pages show them, with their funding lines and
budget in euro cents, activities and milestones, progress, place and the plan elements they serve."""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from civitas.core import geo
from civitas.projects import selectors as project_selectors
from civitas.projects.models import Project, ProjectStatus

from .base import Page, page, set_last_modified, strict_query
from .plans import (
    READ_ERRORS,
    DecisionRefOut,
    absolute,
    cents,
    choice_param,
    choice_parameter,
    municipality_param,
    municipality_parameter,
    object_id,
    plan_param,
    plan_parameter,
    query_parameters,
    updated_since_param,
    updated_since_parameter,
)

router = Router()


class ContributionOut(Schema):
    element_id: int
    element_url: str
    code: str
    plan_id: int


class PartnerOut(Schema):
    name_bg: str
    name_en: str
    role_bg: str
    role_en: str


class FundingLineOut(Schema):
    id: int
    source: str
    programme_bg: str
    programme_en: str
    amount_cents: int
    currency: str
    is_ceiling: bool
    spent_cents: int | None
    grant_share: float | None
    contract_number: str
    contract_date: datetime.date | None


class BudgetOut(Schema):
    """The funding lines summed in euro (each converted at the fixed rate, then added)."""

    total_eur_cents: int
    grant_eur_cents: int
    spent_eur_cents: int | None
    execution: float | None
    converted: bool
    has_ceiling: bool
    declared_total_cents: int | None
    declared_currency: str
    declared_differs: bool


class ActivityOut(Schema):
    id: int
    position: int
    title_bg: str
    title_en: str
    description_bg: str
    description_en: str
    is_milestone: bool
    start_date: datetime.date | None
    due_date: datetime.date | None
    completed_on: datetime.date | None
    state: str
    overdue: bool


class ProjectOut(Schema):
    id: int
    slug: str
    code: str
    url: str
    web_url: str
    municipality: str
    municipality_url: str
    title_bg: str
    title_en: str
    description_bg: str
    description_en: str
    responsible_unit_bg: str
    responsible_unit_en: str
    responsible_person: str
    status: str
    planned_start: datetime.date | None
    planned_end: datetime.date | None
    actual_start: datetime.date | None
    actual_end: datetime.date | None
    progress: int | None
    location: dict[str, Any] | None
    lon: float | None
    lat: float | None
    location_name_bg: str
    location_name_en: str
    is_sample: bool
    updated_at: datetime.datetime
    elements: list[ContributionOut]
    partners: list[PartnerOut]
    funding_lines: list[FundingLineOut]
    budget: BudgetOut
    activities: list[ActivityOut]
    cofinancing_decision: DecisionRefOut | None


def project_out(request: HttpRequest, project: Project, today: datetime.date) -> dict:
    town = project.municipality
    marker = geo.marker_point(project.location)
    budget = project_selectors.project_budget(project)
    overdue = project_selectors.overdue_activity_ids(project, as_of=today)
    decision = project.cofinancing_decision
    return {
        "id": project.pk,
        "slug": project.slug,
        "code": project.code,
        "url": absolute(request, "api:project", project.pk),
        "web_url": absolute(request, "portal:project", town.slug, project.slug),
        "municipality": town.slug,
        "municipality_url": absolute(request, "api:municipality", town.slug),
        "title_bg": project.title_bg,
        "title_en": project.title_en,
        "description_bg": project.description_bg,
        "description_en": project.description_en,
        "responsible_unit_bg": project.responsible_unit_bg,
        "responsible_unit_en": project.responsible_unit_en,
        "responsible_person": project.responsible_person,
        "status": project.status,
        "planned_start": project.planned_start,
        "planned_end": project.planned_end,
        "actual_start": project.actual_start,
        "actual_end": project.actual_end,
        "progress": project.progress,
        "location": project.location if isinstance(project.location, dict) else None,
        "lon": float(marker[0]) if marker else None,
        "lat": float(marker[1]) if marker else None,
        "location_name_bg": project.location_name_bg,
        "location_name_en": project.location_name_en,
        "is_sample": project.is_sample,
        "updated_at": project.updated_at,
        "elements": [
            {
                "element_id": c.element_id,
                "element_url": absolute(request, "api:element", c.element_id),
                "code": c.element.code,
                "plan_id": c.element.plan_id,
            }
            for c in project.public_contributions  # type: ignore[attr-defined]  # prefetched (to_attr)
        ],
        "partners": [
            {"name_bg": p.name_bg, "name_en": p.name_en, "role_bg": p.role_bg, "role_en": p.role_en}
            for p in project.partners.all()
        ],
        "funding_lines": [
            {
                "id": line.pk,
                "source": line.source,
                "programme_bg": line.programme_bg,
                "programme_en": line.programme_en,
                "amount_cents": cents(line.amount),
                "currency": line.currency,
                "is_ceiling": line.is_ceiling,
                "spent_cents": cents(line.spent),
                "grant_share": None if line.grant_share is None else float(line.grant_share),
                "contract_number": line.contract_number,
                "contract_date": line.contract_date,
            }
            for line in project.funding_lines.all()
        ],
        "budget": {
            "total_eur_cents": cents(budget.total),
            "grant_eur_cents": cents(budget.grant),
            "spent_eur_cents": cents(budget.spent),
            "execution": budget.execution,
            "converted": budget.converted,
            "has_ceiling": budget.has_ceiling,
            "declared_total_cents": cents(project.declared_total),
            "declared_currency": project.declared_currency,
            "declared_differs": budget.declared_differs,
        },
        "activities": [
            {
                "id": a.pk,
                "position": a.position,
                "title_bg": a.title_bg,
                "title_en": a.title_en,
                "description_bg": a.description_bg,
                "description_en": a.description_en,
                "is_milestone": a.is_milestone,
                "start_date": a.start_date,
                "due_date": a.due_date,
                "completed_on": a.completed_on,
                "state": a.state,
                "overdue": a.pk in overdue,
            }
            for a in project.activities.all()
        ],
        "cofinancing_decision": None
        if decision is None
        else {
            "id": decision.pk,
            "number": decision.number,
            "date": decision.date,
            "year": decision.year,
            "subject_bg": decision.subject_bg,
            "subject_en": decision.subject_en,
            "web_url": absolute(request, "council:detail", town.slug, decision.year, decision.number),
        },
    }


PROJECT_FILTERS = ("municipality", "plan", "status", "updated_since")


@router.get(
    "",
    response={200: Page[ProjectOut], **READ_ERRORS},
    url_name="projects",
    openapi_extra=query_parameters(
        municipality_parameter(),
        plan_parameter(),
        choice_parameter("status", ProjectStatus.values, "The project's status."),
        updated_since_parameter(),
    ),
)
def projects(request: HttpRequest, response: HttpResponse):
    """Projects, filtered by municipality, plan (the projects serving one of its elements), status
    and the time of their last change."""
    strict_query(request, *PROJECT_FILTERS)
    queryset = project_selectors.public_projects(
        municipality=municipality_param(request),
        plan=plan_param(request),
        status=choice_param(request, "status", ProjectStatus.values),
        updated_since=updated_since_param(request),
    )
    today = timezone.localdate()
    result = page(request, queryset, lambda project: project_out(request, project, today))
    set_last_modified(response, (item["updated_at"] for item in result["items"]))
    return result


@router.get("/{id}", response={200: ProjectOut, **READ_ERRORS}, url_name="project")
def project(request: HttpRequest, response: HttpResponse, id: int):
    """One project by its id."""
    strict_query(request)
    found = get_object_or_404(project_selectors.public_projects(), pk=object_id(id))
    set_last_modified(response, [found.updated_at])
    return project_out(request, found, timezone.localdate())
