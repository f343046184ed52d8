"""Every read of projects that a page or the API needs, with its prefetching."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from civitas.core.models import Municipality
from civitas.core.selectors import FileAccess
from civitas.plans.models import PUBLIC_PLAN_STATUSES, PlanElement
from civitas.plans.selectors import descendant_ids

from .models import (
    FundingLine,
    FundingSource,
    Project,
    ProjectContribution,
    ProjectDocument,
    ProjectStatus,
)

STAFF_LIST_LIMIT = 200

ZERO = Decimal("0")


def _public_contributions():
    return ProjectContribution.objects.filter(element__plan__status__in=PUBLIC_PLAN_STATUSES).select_related(
        "element__plan"
    )


def _budget_total():
    total = (
        FundingLine.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total), Value(ZERO), output_field=DecimalField(max_digits=16, decimal_places=2))


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


def project_list(*, municipality: Municipality, filters: ProjectFilters | None = None):
    """Projects of a municipality, filtered, each with its budget total and the elements it serves."""
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
    return (
        qs.annotate(budget_total=_budget_total())
        .prefetch_related(
            Prefetch("contributions", queryset=_public_contributions(), to_attr="public_contributions")
        )
        .order_by("code", "pk")
    )


def project_get(*, municipality: Municipality, slug: str) -> Project:
    """One project with everything its page shows (a fixed number of queries)."""
    project = (
        Project.objects.filter(municipality=municipality, slug=slug)
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
    """A project with the parts its edit page lists (404 otherwise)."""
    return get_object_or_404(
        Project.objects.prefetch_related("partners", "funding_lines", "activities", "documents"),
        municipality=municipality, slug=slug,
    )  # fmt: skip


def project_part(*, project: Project, model, pk):
    """A partner, funding line, activity or document of this project (404 otherwise)."""
    return get_object_or_404(model, project=project, pk=pk)


def activity_order(project: Project) -> list[int]:
    """The ids of the project's activities in their order."""
    return list(project.activities.values_list("pk", flat=True))


@dataclass(frozen=True)
class BudgetSummary:
    total: Decimal
    spent: Decimal
    grant: Decimal
    by_source: list[tuple[str, str, Decimal, Decimal]]  # (source, label, amount, share of total %)


def budget_summary(lines) -> BudgetSummary:
    """Totals of a project's funding lines, by source, from lines already loaded."""
    total = sum((line.amount for line in lines), ZERO)
    spent = sum((line.spent for line in lines), ZERO)
    grant = sum(
        (line.amount * line.grant_share / 100 for line in lines if line.grant_share is not None), ZERO
    ).quantize(Decimal("0.01"))
    amounts: dict[str, Decimal] = {}
    for line in lines:
        amounts[line.source] = amounts.get(line.source, ZERO) + line.amount
    by_source = [
        (
            source,
            str(FundingSource(source).label),
            amount,
            (amount * 100 / total).quantize(Decimal("0.1")) if total else ZERO,
        )
        for source, amount in amounts.items()
    ]
    return BudgetSummary(total=total, spent=spent, grant=grant, by_source=by_source)


def municipality_figures(*, municipality: Municipality) -> dict:
    """Key figures for the home page: two queries."""
    counts = Project.objects.filter(municipality=municipality).aggregate(
        total=Count("pk"),
        in_progress=Count("pk", filter=Q(status=ProjectStatus.IN_PROGRESS)),
        completed=Count("pk", filter=Q(status=ProjectStatus.COMPLETED)),
    )
    money = FundingLine.objects.filter(project__municipality=municipality).aggregate(
        budget=Coalesce(
            Sum("amount"), Value(ZERO), output_field=DecimalField(max_digits=16, decimal_places=2)
        ),
        eu=Coalesce(
            Sum("amount", filter=Q(source=FundingSource.EU)),
            Value(ZERO),
            output_field=DecimalField(max_digits=16, decimal_places=2),
        ),
    )
    return {**counts, **money}


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
