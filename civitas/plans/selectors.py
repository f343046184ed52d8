"""Every read of plans that a page or the API needs, with its prefetching."""

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import cast

from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from civitas.core.models import Municipality
from civitas.core.money import total_eur

from .models import PUBLIC_PLAN_STATUSES, ElementAssessment, FinancialLine, FundingSource, Plan, PlanElement


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
