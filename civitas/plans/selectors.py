"""Every read of plans that a page or the API needs, with its prefetching."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import cast

from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from civitas.core.models import Municipality
from civitas.core.money import Money, total_eur

from .models import (
    IN_FORCE_KINDS,
    PUBLIC_PLAN_STATUSES,
    ElementAssessment,
    FinancialLine,
    FundingSource,
    Plan,
    PlanElement,
    PlanFormerSlug,
    PlanKind,
    PlanStatus,
    PlanVersion,
)


@dataclass
class ElementNode:
    element: PlanElement
    depth: int
    level_name: str
    children: list["ElementNode"] = field(default_factory=list)
    projects: list = field(default_factory=list)
    # Filled by indicators.selectors.plan_evaluation: the element's roll-up and own indicators.
    result: object = None
    indicators: list = field(default_factory=list)
    # Filled by attach_assessments: the element's published annual assessments, latest year first.
    assessments: list = field(default_factory=list)
    # Filled by the pages that draw them: the status chart (core.charts.LegendedChart) and the
    # indicators with their sparklines.
    status_chart: object = None
    charted_indicators: list = field(default_factory=list)


def plan_list(*, municipality: Municipality, include_drafts: bool = False):
    qs = Plan.objects.filter(municipality=municipality)
    if not include_drafts:
        qs = qs.filter(status__in=PUBLIC_PLAN_STATUSES)
    return qs.annotate(
        element_count=Count("elements", distinct=True),
        top_count=Count("elements", filter=Q(elements__parent__isnull=True), distinct=True),
    ).order_by("position", "-period_start", "pk")


def staff_plan_list(*, municipality: Municipality):
    """Every plan of the municipality, drafts too, with its number of elements (the back office)."""
    return (
        Plan.objects.filter(municipality=municipality)
        .annotate(element_count=Count("elements"))
        .order_by("position", "pk")
    )


def plan_moved_to(*, municipality: Municipality, slug: str) -> str | None:
    """The current address name of the plan that had ``slug`` before; None if none had it."""
    return (
        PlanFormerSlug.objects.filter(municipality=municipality, slug=slug)
        .values_list("plan__slug", flat=True)
        .first()
    )


def plan_get(*, municipality: Municipality, slug: str, include_drafts: bool = False) -> Plan:
    qs = Plan.objects.filter(municipality=municipality, slug=slug)
    if not include_drafts:
        qs = qs.filter(status__in=PUBLIC_PLAN_STATUSES)
    plan = qs.first()
    if plan is None:
        raise Http404("No such plan")
    return plan


def element_get(*, plan: Plan, pk) -> PlanElement:
    """An element of this plan (404 otherwise)."""
    return get_object_or_404(PlanElement, plan=plan, pk=pk)


def node_path(tree: list[ElementNode], code: str) -> list[ElementNode]:
    """The nodes from the top of the plan's tree down to the element with this code (its page's
    address); 404 when the plan has no such element. No query."""
    stack: list[tuple[ElementNode, list[ElementNode]]] = [(node, [node]) for node in tree]
    while stack:
        node, path = stack.pop()
        if node.element.code == code:
            return path
        stack.extend((child, [*path, child]) for child in node.children)
    raise Http404("No such element")


def subtree_ids(node: ElementNode) -> set[int]:
    """The ids of the node's element and of every element below it."""
    found, stack = set(), [node]
    while stack:
        current = stack.pop()
        found.add(current.element.pk)
        stack.extend(current.children)
    return found


def subtree_projects(node: ElementNode) -> list[tuple[object, PlanElement]]:
    """The projects serving the node's element or one under it, each once, with the (first, in
    reading order) element it serves."""
    found: dict[int, tuple[object, PlanElement]] = {}
    stack = [node]
    while stack:
        current = stack.pop(0)
        for project in current.projects:
            found.setdefault(project.pk, (project, current.element))
        stack[0:0] = current.children
    return list(found.values())


def build_tree(plan: Plan, elements, contributions=()) -> list[ElementNode]:
    """Arrange a plan's elements (any order) into a tree of nodes, children by position.

    ``contributions`` are the projects' contributions to elements (projects.ProjectContribution)
    with their project loaded; each project is attached to the node of its element.
    """
    nodes: dict[int | None, ElementNode] = {}
    for element in sorted(elements, key=lambda e: (e.position, e.pk)):
        nodes[element.pk] = ElementNode(element=element, depth=0, level_name="")
    roots: list[ElementNode] = []
    for node in nodes.values():
        parent = nodes.get(node.element.parent_id)
        (parent.children if parent else roots).append(node)
    stack = [(root, 0) for root in roots]
    while stack:
        node, depth = stack.pop()
        node.depth = depth
        node.level_name = plan.level_name(depth)
        stack.extend((child, depth + 1) for child in node.children)
    for contribution in contributions:
        attached = nodes.get(contribution.element_id)
        if attached is not None:
            attached.projects.append(contribution.project)
    return roots


def _contributions() -> QuerySet:
    """The projects' contributions to elements (projects.ProjectContribution), reached through the
    elements' relation ``contributions``: projects builds on plans, so plans does not import it."""
    model = cast(type[Model], PlanElement._meta.get_field("contributions").related_model)
    return model._default_manager.all()


def plan_tree(plan: Plan) -> list[ElementNode]:
    """The plan's goal tree with the projects under each element: two queries, whatever the size."""
    elements = list(plan.elements.all())
    contributions = (
        _contributions()
        .filter(element__plan=plan)
        .select_related("project")
        .order_by("position", "project__code", "pk")
    )
    return build_tree(plan, elements, contributions)


def descendant_ids(element: PlanElement) -> list[int]:
    """The element's id and those of all elements below it (one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in PlanElement.objects.filter(plan_id=element.plan_id).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = [], [element.pk]
    while stack:
        pk = stack.pop()
        found.append(pk)
        stack.extend(children.get(pk, []))
    return found


def element_choices(*, municipality: Municipality, include_drafts: bool = False):
    """Elements of the municipality's plans, for filters: [(plan, [elements in tree order])]."""
    qs = PlanElement.objects.filter(plan__municipality=municipality).select_related("plan")
    if not include_drafts:
        qs = qs.filter(plan__status__in=PUBLIC_PLAN_STATUSES)
    by_plan: dict[int, tuple[Plan, list[PlanElement]]] = {}
    for element in qs.order_by("plan__position", "plan_id", "position", "pk"):
        by_plan.setdefault(element.plan_id, (element.plan, []))[1].append(element)
    return [(plan, flatten(build_tree(plan, elements))) for plan, elements in by_plan.values()]


def flatten(nodes: list[ElementNode], depth: int = 0) -> list[tuple[PlanElement, int]]:
    """(element, depth) pairs of a tree in reading order."""
    flat = []
    for node in nodes:
        flat.append((node.element, depth))
        flat.extend(flatten(node.children, depth + 1))
    return flat


# The indicative financial table ----------------------------------------------------------------


def financial_lines(plan: Plan) -> list[FinancialLine]:
    """The lines of the plan's indicative financial table, for the back office: the plan as a
    whole first, then by element in tree order, source and year. Two queries (one without lines)."""
    lines = list(FinancialLine.objects.filter(plan=plan).select_related("element"))
    if not lines:
        return []
    order = {element.pk: index for index, (element, _depth) in enumerate(flatten(plan_tree_elements(plan)))}
    sources = list(FundingSource.values)
    return sorted(
        lines,
        key=lambda line: (
            -1 if line.element_id is None else order.get(line.element_id, len(order)),
            sources.index(line.source),
            line.year is not None,
            line.year or 0,
        ),
    )


def main_plan_in_force(*, municipality: Municipality, year: int) -> Plan | None:
    """The municipality's main plan in force in ``year``, for the home page: the first public
    development plan (adopted or in implementation) whose period covers the year, else the first
    plan of another kind that does; None when no plan is in force. One query."""
    in_force = Plan.objects.filter(
        municipality=municipality,
        status__in=[PlanStatus.ADOPTED, PlanStatus.IMPLEMENTATION],
        period_start__lte=year,
        period_end__gte=year,
    ).order_by("position", "-period_start", "pk")
    plans = list(in_force)
    return next((p for p in plans if p.kind == PlanKind.DEVELOPMENT_PLAN), plans[0] if plans else None)


@dataclass(frozen=True)
class SourceAmount:
    """An amount in euro from one funding source."""

    source: str
    amount: Decimal

    @property
    def label(self) -> str:
        return str(FundingSource(self.source).label)


@dataclass(frozen=True)
class YearAmounts:
    """A year of the financial table (None: amounts for the whole period) by source, in euro."""

    year: int | None
    by_source: list[SourceAmount]

    @property
    def total(self) -> Decimal:
        return sum((s.amount for s in self.by_source), Decimal("0.00"))


@dataclass(frozen=True)
class Budget:
    """Money of a plan (or of an element and those under it), in euro: the indicative financial
    table by source and by year, and the funding of its projects by source (each project once)."""

    planned_by_source: list[SourceAmount]
    planned_by_year: list[YearAmounts]
    projects_by_source: list[SourceAmount]
    converted: bool

    @property
    def planned(self) -> Decimal:
        return sum((s.amount for s in self.planned_by_source), Decimal("0.00"))

    @property
    def projects(self) -> Decimal:
        return sum((s.amount for s in self.projects_by_source), Decimal("0.00"))

    @property
    def dated_years(self) -> list[YearAmounts]:
        """The years with amounts of their own (not the whole-period amounts)."""
        return [y for y in self.planned_by_year if y.year is not None]

    @property
    def whole_period(self) -> YearAmounts | None:
        return next((y for y in self.planned_by_year if y.year is None), None)

    def __bool__(self) -> bool:
        return bool(self.planned_by_source or self.projects_by_source)


def _by_source(amounts: dict[str, list[Money]]) -> list[SourceAmount]:
    """In the sources' order, the sources with money only."""
    return [
        SourceAmount(source, total_eur(amounts[source]))
        for source in FundingSource.values
        if source in amounts
    ]


def plan_budget(plan: Plan, element_ids: set[int] | None = None) -> Budget:
    """The plan's money by source and year, in euro (each amount converted, then added): its
    indicative financial table and its projects' funding lines. ``element_ids``: only the lines and
    projects of these elements (an element's page: the element and those under it). Two queries."""
    lines = FinancialLine.objects.filter(plan=plan)
    if element_ids is not None:
        lines = lines.filter(element_id__in=element_ids)
    planned: dict[str, list[Money]] = {}
    by_year: dict[int | None, dict[str, list[Money]]] = {}
    converted = False
    for source, year, amount, currency in lines.order_by().values_list(
        "source", "year", "amount", "currency"
    ):
        money = Money(amount, currency)
        converted = converted or money.converted
        planned.setdefault(source, []).append(money)
        by_year.setdefault(year, {}).setdefault(source, []).append(money)
    contributions = _contributions().filter(element__plan=plan)
    if element_ids is not None:
        contributions = contributions.filter(element_id__in=element_ids)
    funded: dict[str, list[Money]] = {}
    seen: set[int] = set()
    for line_id, source, amount, currency in contributions.order_by().values_list(
        "project__funding_lines__pk",
        "project__funding_lines__source",
        "project__funding_lines__amount",
        "project__funding_lines__currency",
    ):
        if line_id is None or line_id in seen:  # no funding lines; or a project counted already
            continue
        seen.add(line_id)
        money = Money(amount, currency)
        converted = converted or money.converted
        funded.setdefault(source, []).append(money)
    years = sorted(by_year, key=lambda y: (y is None, y or 0))
    return Budget(
        planned_by_source=_by_source(planned),
        planned_by_year=[YearAmounts(year, _by_source(by_year[year])) for year in years],
        projects_by_source=_by_source(funded),
        converted=converted,
    )


def plan_tree_elements(plan: Plan) -> list[ElementNode]:
    """The plan's goal tree without its projects: one query."""
    return build_tree(plan, plan.elements.all())


def financial_line_get(*, plan: Plan, pk) -> FinancialLine:
    """A line of this plan's financial table (404 otherwise)."""
    return get_object_or_404(FinancialLine.objects.select_related("element"), plan=plan, pk=pk)


@dataclass(frozen=True)
class FinancialRow:
    """An element (None: the plan as a whole) and a source of the indicative financial table, its
    years summed, in euro; ``projects`` (filled by projects.selectors.financial_comparison) is what
    the funding lines of the projects contributing to the element add up to from that source."""

    element: PlanElement | None
    source: str
    planned: Decimal
    years: tuple[int | None, ...]
    converted: bool
    projects: Decimal | None = None

    @property
    def source_label(self) -> str:
        return str(FundingSource(self.source).label)

    @property
    def by_year(self) -> bool:
        """Some of the row's amounts are for single years (not all for the whole period)."""
        return any(year is not None for year in self.years)

    @property
    def difference(self) -> Decimal | None:
        """The projects' funding less the indicative amount, in euro."""
        return None if self.projects is None else self.projects - self.planned

    def with_projects(self, amount: Decimal) -> "FinancialRow":
        return replace(self, projects=amount)


def financial_rows(plan: Plan, lines: list[FinancialLine] | None = None) -> list[FinancialRow]:
    """The plan's indicative financial table by element and source, years summed in euro (each line
    converted at the fixed rate, then added)."""
    lines = financial_lines(plan) if lines is None else lines
    groups: dict[tuple[int | None, str], list[FinancialLine]] = {}
    for line in lines:  # already in the table's order
        groups.setdefault((line.element_id, line.source), []).append(line)
    return [
        FinancialRow(
            element=group[0].element,
            source=source,
            planned=total_eur(line.money for line in group),
            years=tuple(line.year for line in group),
            converted=any(line.money.converted for line in group),
        )
        for (_element, source), group in groups.items()
    ]


# Annual assessments -----------------------------------------------------------------------------


def attach_assessments(tree: list[ElementNode], *, plan: Plan) -> None:
    """Give each node of the plan's tree its published annual assessments, latest year first: one
    query. Unpublished ones are never read here."""
    found: dict[int, list[ElementAssessment]] = {}
    for assessment in ElementAssessment.objects.filter(element__plan=plan, is_published=True).order_by(
        "element_id", "-year"
    ):
        found.setdefault(assessment.element_id, []).append(assessment)
    stack = list(tree)
    while stack:
        node = stack.pop()
        node.assessments = found.get(node.element.pk, [])
        stack.extend(node.children)


@dataclass
class AssessmentYear:
    """A year of a plan's period with the element's assessment for it, if one was written."""

    year: int
    assessment: ElementAssessment | None


def element_assessment_years(element: PlanElement) -> list[AssessmentYear]:
    """Every year of the element's plan with its assessment (published or not), for the staff page,
    latest year first: one query."""
    stored = {
        a.year: a for a in ElementAssessment.objects.filter(element=element).select_related("updated_by")
    }
    plan = element.plan
    return [
        AssessmentYear(year, stored.get(year)) for year in range(plan.period_end, plan.period_start - 1, -1)
    ]


def element_assessment_get(*, element: PlanElement, year: int) -> ElementAssessment | None:
    return ElementAssessment.objects.filter(element=element, year=year).first()


def published_assessments(*, plan: Plan, year: int) -> dict[int, ElementAssessment]:
    """The plan's published annual assessments of one year by element id, for the annual report:
    one query."""
    return {
        a.element_id: a
        for a in ElementAssessment.objects.filter(element__plan=plan, year=year, is_published=True)
    }


def recently_changed(*, municipality: Municipality, limit: int = 5) -> list[Plan]:
    """The back office's home: the plans changed last (their own record), in one query."""
    return list(Plan.objects.filter(municipality=municipality).order_by("-updated_at", "pk")[:limit])


# Versions -------------------------------------------------------------------------------------------
# A version's list and header need no snapshot: it is loaded only where a version is shown in full.


def _versions(plan: Plan) -> QuerySet:
    return PlanVersion.objects.filter(plan=plan).select_related("decision").defer("snapshot")


def plan_versions(plan: Plan) -> list[PlanVersion]:
    """The plan's versions, latest first, each with its decision (no snapshots). One query."""
    return list(_versions(plan).order_by("-number"))


def plan_version_in_force(plan: Plan) -> PlanVersion | None:
    """The latest adopted or amended version, with its decision (no snapshot): what the plan's
    pages say it was adopted by. One query."""
    return _versions(plan).filter(kind__in=IN_FORCE_KINDS).order_by("-number").first()


def plan_version_latest(plan: Plan) -> PlanVersion | None:
    """The latest version, with its decision (no snapshot). One query."""
    return _versions(plan).order_by("-number").first()


def plan_version_get(*, plan: Plan, number: int) -> PlanVersion:
    """One version with its snapshot and decision, or 404."""
    version = PlanVersion.objects.filter(plan=plan, number=number).select_related("decision").first()
    if version is None:
        raise Http404
    return version


def plan_version_next(version: PlanVersion) -> PlanVersion | None:
    """The version that followed ``version`` in its plan (no snapshot). One query."""
    return (
        PlanVersion.objects.filter(plan_id=version.plan_id, number__gt=version.number)
        .select_related("decision")
        .defer("snapshot")
        .order_by("number")
        .first()
    )


# The API's reads (opendata) ---------------------------------------------------------------------
# What the portal shows anyone: plans that are not drafts, and their elements.


def public_plans(
    *,
    municipality: Municipality | None = None,
    status: str = "",
    kind: str = "",
    updated_since: datetime | None = None,
) -> QuerySet[Plan]:
    """The public plans of every municipality (or of one), with their municipality: one query."""
    qs = Plan.objects.filter(status__in=PUBLIC_PLAN_STATUSES).select_related("municipality")
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if updated_since is not None:
        qs = qs.filter(updated_at__gte=updated_since)
    return qs


def public_plan_by_pk(pk: int) -> Plan:
    """A public plan by its id, with its municipality (404 for a draft or none)."""
    plan = public_plans().filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan")
    return plan


def public_elements(
    *, municipality: Municipality | None = None, plan: Plan | None = None
) -> QuerySet[PlanElement]:
    """The elements of public plans (of a municipality, or of one plan), each with its plan and
    municipality and its published annual assessments, latest year first (``published_assessments``;
    never an unpublished one): two queries."""
    qs = (
        PlanElement.objects.filter(plan__status__in=PUBLIC_PLAN_STATUSES)
        .select_related("plan__municipality")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=ElementAssessment.objects.filter(is_published=True).order_by("-year"),
                to_attr="published_assessments",
            )
        )
    )
    if municipality is not None:
        qs = qs.filter(plan__municipality=municipality)
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs


def public_element_by_pk(pk: int) -> PlanElement:
    """An element of a public plan by its id (404 otherwise)."""
    element = public_elements().filter(pk=pk).first()
    if element is None:
        raise Http404("No such element")
    return element


def public_financial_lines(plan: Plan) -> QuerySet[FinancialLine]:
    """The lines of a (public) plan's indicative financial table, as its page shows them: one query."""
    return FinancialLine.objects.filter(plan=plan)
