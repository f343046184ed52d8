"""How the pages of a plan's versions show a snapshot (a plan file document) and its differences:
the snapshot read into a tree for the version's page in the reader's language, and the labels of the
fields and values that ``diff.diff_plans`` names. No database."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civitas.core.money import Money
from civitas.indicators.models import IndicatorType
from civitas.indicators.presentation import (
    ACCUMULATION_LABELS,
    DIRECTION_LABELS,
    FREQUENCY_LABELS,
    MEASURE_LABELS,
    TARGET_KIND_LABELS,
)
from civitas.plans.models import PlanKind, PlanStatus
from civitas.projects.models import FundingSource, ProjectStatus

from .diff import CURRENCY_V1, CURRENCY_V2, FORMAT_1, FieldChange, mapping

FIELD_LABELS = {
    "title": _("Title"),
    "vision": _("Vision"),
    "description": _("Description"),
    "adopted_by": _("Adopted by"),
    "period": _("Period"),
    "levels": _("Levels of the goal tree"),
    "slug": _("Address name"),
    "kind": pgettext_lazy("plan", "Kind"),
    "status": _("Status"),
    "year_start_month": _("First month of the reporting year"),
    "currency": _("Currency"),
    "tolerance": _("Tolerance"),
    "name": _("Name"),
    "definition": _("Definition"),
    "unit": _("Unit"),
    "baseline": _("Baseline"),
    "type": _("Type of indicator"),
    "measure": _("Measure"),
    "direction": _("Direction"),
    "target_kind": _("Kind of target"),
    "accumulation": _("Accumulation"),
    "frequency": _("Frequency"),
    "serves": _("Serves"),
}
LANGUAGE_NAMES = {"bg": _("in Bulgarian"), "en": _("in English")}
# The values some fields take, by field: their labels (anything else is shown as it is).
VALUE_LABELS: dict[str, dict] = {
    "kind": dict(PlanKind.choices),
    "status": {**dict(PlanStatus.choices), **dict(ProjectStatus.choices)},
    "type": dict(IndicatorType.choices),
    "measure": MEASURE_LABELS,
    "direction": DIRECTION_LABELS,
    "target_kind": TARGET_KIND_LABELS,
    "accumulation": ACCUMULATION_LABELS,
    "frequency": FREQUENCY_LABELS,
}
SOURCE_LABELS = dict(FundingSource.choices)


def field_label(change: FieldChange) -> str:
    label = str(FIELD_LABELS.get(change.field, change.field))
    if change.language:
        return f"{label} ({LANGUAGE_NAMES[change.language]})"
    return label


def value_label(field_name: str, value: str) -> str:
    labels = VALUE_LABELS.get(field_name, {})
    return str(labels.get(value, value)) if value else "–"


def source_label(source: str) -> str:
    return str(SOURCE_LABELS.get(source, source))


def pick(texts, language: str) -> str:
    """The text in ``language`` from a (bg, en) pair or a {bg, en} mapping, Bulgarian when missing."""
    if isinstance(texts, dict):
        texts = (texts.get("bg") or "", texts.get("en") or "")
    elif isinstance(texts, str):
        return texts
    if not texts:
        return ""
    bg, en = texts
    return en if language == "en" and en else bg


# A snapshot as a page --------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit: str
    baseline: Decimal | None
    baseline_year: int | None
    targets: tuple[tuple[int | None, int, Decimal | None], ...]  # (year, sub, value)


@dataclass(frozen=True)
class ProjectRow:
    code: str
    title: str
    status: str
    budget: tuple[Money, ...]
    listed_before: bool  # written in full under an earlier element


@dataclass
class ElementNode:
    code: str
    title: str
    description: str
    depth: int
    level_name: str
    indicators: list[IndicatorRow] = field(default_factory=list)
    projects: list[ProjectRow] = field(default_factory=list)
    children: list["ElementNode"] = field(default_factory=list)


@dataclass(frozen=True)
class FinancialRow:
    element: str
    source: str
    year: int | None
    amount: Money


@dataclass
class SnapshotPage:
    title: str
    vision: str
    description: str
    period: str
    kind: str
    tree: list[ElementNode]
    financial: list[FinancialRow]
    projects_count: int


def _number(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def _items(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def snapshot_page(document: dict, language: str) -> SnapshotPage:
    """A snapshot read for its page, in ``language`` (Bulgarian where a text has no translation)."""
    document = mapping(document)
    plan = mapping(document.get("plan"))
    currency = plan.get("currency") or (CURRENCY_V1 if document.get("format") == FORMAT_1 else CURRENCY_V2)
    levels = [pick(level, language) for level in plan.get("levels") or [] if isinstance(level, dict | str)]
    written: set[str] = set()
    titles: dict[str, str] = {}

    def indicator_row(item: dict) -> IndicatorRow:
        baseline = mapping(item.get("baseline"))
        return IndicatorRow(
            code=str(item.get("code") or ""), name=pick(item.get("name") or {}, language),
            unit=pick(item.get("unit") or {}, language), baseline=_number(baseline.get("value")),
            baseline_year=baseline.get("year"),
            targets=tuple((t.get("year"), int(t.get("sub") or 0), _number(t.get("value")))
                          for t in _items(item.get("targets"))),
        )  # fmt: skip

    def project_row(item: dict) -> ProjectRow:
        code = str(item.get("ref") or item.get("code") or "")
        if "ref" in item or code in written:
            return ProjectRow(code, titles.get(code, ""), "", (), True)
        written.add(code)
        titles[code] = pick(item.get("title") or {}, language)
        budget = tuple(
            Money(_number(line.get("amount")) or Decimal(0), line.get("currency") or currency)
            for line in _items(item.get("budget"))
        )
        status = str(item.get("status") or "")
        return ProjectRow(code, titles[code], value_label("status", status) if status else "", budget, False)

    def walk(items, depth: int) -> list[ElementNode]:
        nodes = []
        for item in _items(items):
            node = ElementNode(
                code=str(item.get("code") or ""), title=pick(item.get("title") or {}, language),
                description=pick(item.get("description") or {}, language), depth=depth,
                level_name=levels[depth] if depth < len(levels) else "",
                indicators=[indicator_row(i) for i in _items(item.get("indicators"))],
                projects=[project_row(p) for p in _items(item.get("projects"))],
            )  # fmt: skip
            node.children = walk(item.get("children"), depth + 1)
            nodes.append(node)
        return nodes

    tree = walk(document.get("goals"), 0)
    period = mapping(plan.get("period"))
    kind = str(plan.get("kind") or "")
    return SnapshotPage(
        title=pick(plan.get("title") or {}, language),
        vision=pick(plan.get("vision") or {}, language),
        description=pick(plan.get("description") or {}, language),
        period=f"{period.get('start', '')}–{period.get('end', '')}" if period else "",
        kind=value_label("kind", kind) if kind else "",
        tree=tree,
        financial=[
            FinancialRow(
                element=str(line.get("element") or ""),
                source=source_label(str(line.get("source") or "")),
                year=line.get("year"),
                amount=Money(_number(line.get("amount")) or Decimal(0), line.get("currency") or currency),
            )
            for line in _items(document.get("financial_table"))
        ],  # fmt: skip
        projects_count=len(written),
    )
