"""Every read of projects that a page or the API needs, with its prefetching."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from civitas.core.models import Municipality
from civitas.core.money import CENT, DEFAULT_CURRENCY, Money, total_eur
from civitas.core.selectors import FileAccess
from civitas.evaluation import engine
from civitas.plans.models import PUBLIC_PLAN_STATUSES, Plan, PlanElement
from civitas.plans.rules import descendants
from civitas.plans.selectors import FinancialRow, descendant_ids, financial_rows

from . import rules
from .models import (
    DocumentKind,
    FundingLine,
    FundingSource,
    Project,
    ProjectContribution,
    ProjectDocument,
    ProjectFormerSlug,
    ProjectStatus,
)

STAFF_LIST_LIMIT = 200

ZERO = Decimal("0")


def _public_contributions():
    return ProjectContribution.objects.filter(element__plan__status__in=PUBLIC_PLAN_STATUSES).select_related(
        "element__plan"
    )


@dataclass(frozen=True)
class ProjectFilters:
    element: PlanElement | None = None
    status: str = ""
    source: str = ""
    q: str = ""


def project_filters_from(params, *, municipality: Municipality) -> tuple[ProjectFilters, dict]:
    """Read the project list's filters from query parameters; unknown values are reported, not used."""
    errors = {}
    element = None
    if raw := params.get("element", "").strip():
        element = (
            PlanElement.objects.filter(
                pk=raw if raw.isdigit() else 0,
                plan__municipality=municipality,
                plan__status__in=PUBLIC_PLAN_STATUSES,
            )
            .select_related("plan")
            .first()
        )
        if element is None:
            errors["element"] = "unknown"
    status = params.get("status", "").strip()
    if status and status not in ProjectStatus.values:
        errors["status"] = "unknown"
        status = ""
    source = params.get("source", "").strip()
    if source and source not in FundingSource.values:
        errors["source"] = "unknown"
        source = ""
    q = params.get("q", "").strip()[:200]
    return ProjectFilters(element=element, status=status, source=source, q=q), errors


def _filtered_projects(*, municipality: Municipality, filters: ProjectFilters | None):
    """The municipality's projects that pass the list's filters: one definition for the list and its map."""
    filters = filters or ProjectFilters()
    qs = Project.objects.filter(municipality=municipality)
    if filters.element is not None:
        qs = qs.filter(
            pk__in=ProjectContribution.objects.filter(element_id__in=descendant_ids(filters.element)).values(
                "project_id"
            )
        )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.source:
        qs = qs.filter(pk__in=FundingLine.objects.filter(source=filters.source).values("project_id"))
    if filters.q:
        qs = qs.filter(search_text__contains=filters.q.casefold())
    return qs


def project_list(*, municipality: Municipality, filters: ProjectFilters | None = None):
    """Projects of a municipality, filtered, each with its budget total and the elements it serves."""
    return (
        _filtered_projects(municipality=municipality, filters=filters)
        .prefetch_related(
            "funding_lines",
            Prefetch("contributions", queryset=_public_contributions(), to_attr="public_contributions"),
        )
        .order_by("code", "pk")
    )


def project_map_list(*, municipality: Municipality, filters: ProjectFilters | None = None):
    """The projects of ``project_list`` (same filters) that have a location, with only what a map
    shows of them (one query)."""
    return (
        _filtered_projects(municipality=municipality, filters=filters)
        .filter(location__isnull=False)
        .only("pk", "slug", "code", "title_bg", "title_en", "status", "location", "location_name_bg",
              "location_name_en")
        .order_by("code", "pk")
    )  # fmt: skip


def with_budgets(projects) -> list[Project]:
    """The projects (of a page of ``project_list``, funding lines prefetched), each with its
    ``budget``: a BudgetSummary in euro."""
    projects = list(projects)
    for project in projects:
        project.budget = project_budget(project)
    return projects


def project_get(*, municipality: Municipality, slug: str) -> Project:
    """One project with everything its page shows (a fixed number of queries)."""
    project = (
        Project.objects.filter(municipality=municipality, slug=slug)
        .select_related("cofinancing_decision")
        .prefetch_related(
            "partners",
            "funding_lines",
            "activities",
            "documents",
            Prefetch("contributions", queryset=_public_contributions(), to_attr="public_contributions"),
        )
        .first()
    )
    if project is None:
        raise Http404("No such project")
    return project


def project_moved_to(*, municipality: Municipality, slug: str) -> str | None:
    """The current address name of the project that had ``slug`` before; None if none had it."""
    return (
        ProjectFormerSlug.objects.filter(municipality=municipality, slug=slug)
        .values_list("project__slug", flat=True)
        .first()
    )


def staff_project_list(*, municipality: Municipality, q: str = ""):
    """The back office's list of projects: by code, searched by ``q``, at most STAFF_LIST_LIMIT."""
    projects = Project.objects.filter(municipality=municipality).order_by("code", "pk")
    if q:
        projects = projects.filter(search_text__contains=q.casefold())
    return projects[:STAFF_LIST_LIMIT]


def project_find(*, municipality: Municipality, slug: str) -> Project:
    """A project of the municipality, for a back-office page (404 otherwise)."""
    return get_object_or_404(Project, municipality=municipality, slug=slug)


def project_for_editing(*, municipality: Municipality, slug: str) -> Project:
    """A project with the parts its edit page lists (404 otherwise), and its municipality (no query)."""
    project = get_object_or_404(
        Project.objects.prefetch_related("partners", "funding_lines", "activities", "documents"),
        municipality=municipality, slug=slug,
    )  # fmt: skip
    project.municipality = municipality
    return project


def project_part(*, project: Project, model, pk):
    """A partner, funding line, activity or document of this project (404 otherwise)."""
    return get_object_or_404(model, project=project, pk=pk)


def new_amount_currency(project: Project) -> str:
    """The currency a new amount of the project is entered in: that of the plan it contributes to
    first, or the default (euro)."""
    currency = (
        ProjectContribution.objects.filter(project=project)
        .order_by("position", "pk")
        .values_list("element__plan__currency", flat=True)
        .first()
    )
    return currency or DEFAULT_CURRENCY


def activity_order(project: Project) -> list[int]:
    """The ids of the project's activities in their order."""
    return list(project.activities.values_list("pk", flat=True))


def overdue_activity_ids(project: Project, *, as_of: date) -> set[int]:
    """The ids of the project's activities (loaded with it) that are overdue on ``as_of``: due
    before it and not finished (rules.activity_overdue). No query of its own."""
    return {
        a.pk
        for a in project.activities.all()
        if rules.activity_overdue(
            state=a.state, due_date=a.due_date, completed_on=a.completed_on, today=as_of
        )
    }


def documents_and_photos(project: Project) -> tuple[list[ProjectDocument], list[ProjectDocument]]:
    """The project's documents and its photos (loaded with it), apart: the page lists the first
    and shows the second as a gallery."""
    every = list(project.documents.all())
    return (
        [d for d in every if d.kind != DocumentKind.PHOTO],
        [d for d in every if d.kind == DocumentKind.PHOTO],
    )


@dataclass(frozen=True)
class BudgetSummary:
    """A project's funding lines summed in euro (each line converted at the fixed rate, then added).

    Spending that was not reported stays out: ``spent`` sums only the lines whose spending is
    reported, and the budget execution compares it with the amounts of those same lines, never
    with the whole budget (which would read as spending of zero). None when no line reports it.
    """

    total: Decimal
    grant: Decimal
    by_source: list[tuple[str, str, Decimal, Decimal]]  # (source, label, euro, share of total %)
    spent: Decimal | None
    execution: float | None  # spent / the amounts of the lines with spending reported
    lines: int
    lines_reported: int  # lines whose spending is reported
    converted: bool  # some amount was entered in leva and converted
    has_ceiling: bool  # some amount is a ceiling ("up to")
    declared: Money | None  # the project's declared total, when it has one
    declared_differs: bool  # the declared total is not the sum of the funding lines (in euro)
    difference: Decimal | None  # declared total − the lines' total, in euro

    @property
    def spending_partly_reported(self) -> bool:
        return 0 < self.lines_reported < self.lines


def budget_summary(lines, *, declared: Money | None = None) -> BudgetSummary:
    """Totals in euro of a project's funding lines, by source, from lines already loaded;
    ``declared``: the project's declared total, compared with them."""
    lines = list(lines)
    total = total_eur(line.money for line in lines)
    reported = [line for line in lines if line.spent is not None]
    spent = total_eur(line.spent_money for line in reported) if reported else None
    execution = (
        engine.budget_execution(float(spent), float(total_eur(line.money for line in reported)))
        if spent is not None
        else None
    )
    grant = sum(
        (line.money.eur * line.grant_share / 100 for line in lines if line.grant_share is not None), ZERO
    ).quantize(CENT)
    amounts: dict[str, Decimal] = {}
    for line in lines:
        amounts[line.source] = amounts.get(line.source, ZERO) + line.money.eur
    by_source = [
        (
            source,
            str(FundingSource(source).label),
            amount,
            (amount * 100 / total).quantize(Decimal("0.1")) if total else ZERO,
        )
        for source, amount in amounts.items()
    ]
    difference = declared.eur - total if declared is not None and lines else None
    return BudgetSummary(
        total=total,
        grant=grant,
        by_source=by_source,
        spent=spent,
        execution=execution,
        lines=len(lines),
        lines_reported=len(reported),
        converted=any(line.money.converted for line in lines)
        or (declared is not None and declared.converted),
        has_ceiling=any(line.is_ceiling for line in lines),
        declared=declared,
        declared_differs=bool(difference),
        difference=difference,
    )


def project_budget(project: Project) -> BudgetSummary:
    """The budget of a project whose funding lines are loaded (``project_get``)."""
    return budget_summary(project.funding_lines.all(), declared=project.declared_money)


def municipality_figures(*, municipality: Municipality) -> dict:
    """Key figures for the home page: two queries. The budget adds up every funding line in euro
    (converted line by line, as every total is)."""
    counts = Project.objects.filter(municipality=municipality).aggregate(
        total=Count("pk"),
        in_progress=Count("pk", filter=Q(status=ProjectStatus.IN_PROGRESS)),
        completed=Count("pk", filter=Q(status=ProjectStatus.COMPLETED)),
    )
    lines = [
        (source, Money(amount, currency))
        for source, amount, currency in FundingLine.objects.filter(project__municipality=municipality)
        .order_by()
        .values_list("source", "amount", "currency")
    ]
    return {
        **counts,
        "budget": total_eur(m for _source, m in lines),
        "eu": total_eur(m for source, m in lines if source == FundingSource.EU),
        "converted": any(m.converted for _source, m in lines),
    }


def latest_projects(*, municipality: Municipality, limit: int = 5):
    return Project.objects.filter(municipality=municipality).order_by("-updated_at", "-pk")[:limit]


def recently_updated(*, municipality: Municipality, limit: int = 20):
    """The back office's dashboard: the projects changed last."""
    return Project.objects.filter(municipality=municipality).order_by("-updated_at", "pk")[:limit]


def project_count(*, municipality: Municipality) -> int:
    return Project.objects.filter(municipality=municipality).count()


def document_access(user, name: str):
    """Project documents and photos are public; None if no project document stores ``name``."""
    if name and ProjectDocument.objects.filter(file=name).exists():
        return FileAccess.PUBLIC
    return None


@dataclass(frozen=True)
class FinancialComparison:
    """A plan's indicative financial table beside what its projects' funding lines add up to, all
    in euro. A project counts once under an element however many of the element's measures it
    serves, and in full under each element it serves (its funding is not split between them)."""

    rows: list[FinancialRow]
    planned: Decimal
    projects: Decimal  # every project contributing to the plan, once
    converted: bool

    @property
    def difference(self) -> Decimal:
        return self.projects - self.planned


def financial_comparison(plan: Plan) -> FinancialComparison | None:
    """The plan's financial table with the projects' funding per element and source; None when the
    plan has no table. Five queries, whatever the size."""
    rows = financial_rows(plan)
    if not rows:
        return None
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in PlanElement.objects.filter(plan=plan).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    projects_of: dict[int, set[int]] = {}
    for element_id, project_id in ProjectContribution.objects.filter(element__plan=plan).values_list(
        "element_id", "project_id"
    ):
        projects_of.setdefault(element_id, set()).add(project_id)
    funding: dict[int, list[tuple[str, Money]]] = {}
    for project_id, source, amount, currency in (
        FundingLine.objects.filter(project_id__in={p for ps in projects_of.values() for p in ps})
        .order_by()
        .values_list("project_id", "source", "amount", "currency")
    ):
        funding.setdefault(project_id, []).append((source, Money(amount, currency)))

    def projects_under(element_id: int | None) -> set[int]:
        elements = (
            set(projects_of) if element_id is None else {element_id} | descendants(element_id, children)
        )
        return {project for element in elements for project in projects_of.get(element, ())}

    def funded(projects: set[int], source: str | None) -> Decimal:
        return total_eur(
            money
            for p in projects
            for line_source, money in funding.get(p, ())
            if source in (None, line_source)
        )

    compared = [
        row.with_projects(funded(projects_under(row.element.pk if row.element else None), row.source))
        for row in rows
    ]
    every_project = projects_under(None)
    return FinancialComparison(
        rows=compared,
        planned=sum((row.planned for row in rows), ZERO),
        projects=funded(every_project, None),
        converted=any(row.converted for row in rows)
        or any(money.converted for p in every_project for _source, money in funding.get(p, ())),
    )


# The API's reads (opendata) ---------------------------------------------------------------------


def public_projects(
    *,
    municipality: Municipality | None = None,
    plan: Plan | None = None,
    status: str = "",
    updated_since: datetime | None = None,
):
    """Projects as the portal shows them (every project is public; only its contributions to public
    plans are shown), with their municipality, partners, funding lines, activities and those
    contributions: five queries for any number of projects. ``plan``: the projects contributing to one of its
    elements."""
    qs = Project.objects.select_related("municipality", "cofinancing_decision").prefetch_related(
        "partners",
        "funding_lines",
        "activities",
        Prefetch("contributions", queryset=_public_contributions(), to_attr="public_contributions"),
    )
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if plan is not None:
        qs = qs.filter(pk__in=ProjectContribution.objects.filter(element__plan=plan).values("project_id"))
    if status:
        qs = qs.filter(status=status)
    if updated_since is not None:
        qs = qs.filter(updated_at__gte=updated_since)
    return qs
