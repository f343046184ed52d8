"""Export of an indicator set with its full history: CSV (streamed) and XLSX (openpyxl write-only).

Four tables:

- ``values``: one row per indicator and period, with the engine's actual (by the indicator's
  accumulation rule), expected value, target, ratio, score and status of the period, and the
  raw published measurement (value, numerator, denominator, disaggregation, date collected).
  Its first columns are the import template's, so an export re-imports as it is.
- ``history``: the indicators' change history (baselines, targets, corrected values).
- ``passports``: one row per indicator: the passport and its current assessment (the period
  assessed, actual, expected, ratio, score, status), as the plan and indicator pages show it.
- ``elements`` (plan exports only): the plan and each element of its goal tree with the status,
  score and coverage of the roll-up, as the plan page shows them.

The figures come from the same selectors the pages use (``selectors.plan_evaluation`` for a plan);
nothing here computes an actual, an expected value or a status. Only published values count,
so the public and the staff exports show the same figures; the staff export adds comments,
evidence links, who changed what, and the history that is not public.

Queries are fixed in number (tests pin them); the raw values and the history are read with
``iterator(chunk_size=…)`` and written row by row, so memory does not grow with them.
"""

import csv
import datetime
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from civitas.core import text
from civitas.evaluation import engine
from civitas.plans.models import Plan
from civitas.plans.selectors import plan_tree

from . import imports, passport, selectors
from .evaluation import indicator_year_start
from .models import COUNTED_STATES, Indicator, IndicatorChange, Measurement
from .presentation import STATUS_LABELS
from .rules import period_of
from .selectors import EvaluatedIndicator

CHUNK = 2000
TABLES = ("values", "history", "passports", "elements")

# The municipality's own assessment of a period (a status override) comes after the computed status,
# never in its place.
OVERRIDE_COLUMNS = ("override_status", "override_status_name", "override_reason", "override_decided_on")
RESULT_COLUMNS = (
    "actual", "expected", "target", "ratio", "score", "status", "status_name", "assessed", *OVERRIDE_COLUMNS,
)  # fmt: skip
ELEMENT_COLUMNS = (
    "code", "title", "depth", "level", "status", "status_name", "score", "coverage", "indicators_with_data",
    "indicators_total", "context_total", "context_with_values",
)  # fmt: skip
HISTORY_COLUMNS = ("indicator_code", "changed_at", "field", "period", "old_value", "new_value", "reason")
# The passport's own columns come from passport.IndicatorPassport; then where it is attached, its
# targets and its current assessment.
PASSPORT_COLUMNS = (
    *(column.name for column in passport.EXPORT_COLUMNS),
    "plan", "element", "project", "targets", "as_of", "assessed_period",
    "actual", "expected", "ratio", "score", "status", "status_name", *OVERRIDE_COLUMNS, "forecast",
    "evaluation_error",
)  # fmt: skip


@dataclass
class ExportSet:
    """The indicators to export with their evaluation, and where their values are."""

    municipality: object
    indicators: list[Indicator]  # in the order of the file
    evaluated: dict[int, EvaluatedIndicator]  # by indicator id
    public: bool
    name: str  # for the file name
    as_of: dict[int, datetime.date] = field(default_factory=dict)
    plans: dict[int, Plan] = field(default_factory=dict)
    # For a plan: its roll-up, and the goal tree's nodes in order with their results.
    plan: Plan | None = None
    plan_result: engine.NodeResult | None = None
    nodes: list = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [i.pk for i in self.indicators]


def _order(indicator: Indicator):
    return (indicator.position, indicator.code, indicator.pk)


def plan_export_set(
    plan: Plan, *, public: bool, today: datetime.date | None = None, as_of: datetime.date | None = None
) -> ExportSet:
    """A plan's indicators, evaluated by ``selectors.plan_evaluation`` as on the plan page (on the
    date ``as_of`` when one is chosen); an indicator of another plan that also serves one of its
    elements is in it too."""
    tree = plan_tree(plan)
    evaluation = selectors.plan_evaluation(plan, tree, today=today, as_of=as_of)
    evaluated = {item.indicator.pk: item for items in evaluation.indicators.values() for item in items}
    indicators = sorted((item.indicator for item in evaluated.values()), key=_order)
    elements, nodes = {}, []

    def walk(level: list) -> None:  # the goal tree in the plan page's order
        for node in level:
            elements[node.element.pk] = node.element
            nodes.append(node)
            walk(node.children)

    walk(tree)
    plans = {plan.pk: plan}
    for indicator in indicators:  # already loaded: no query per indicator
        indicator.municipality = plan.municipality
        if indicator.element_id in elements:
            indicator.element = elements[indicator.element_id]
            indicator.element.plan = plan
        elif indicator.element is not None:  # shared from another plan (loaded with it)
            plans[indicator.element.plan_id] = indicator.element.plan
    return ExportSet(
        municipality=plan.municipality, indicators=indicators, evaluated=evaluated, public=public,
        name=plan.slug, as_of={i.pk: evaluation.as_of for i in indicators}, plans=plans,
        plan=plan, plan_result=evaluation.plan_result, nodes=nodes,
    )  # fmt: skip


def indicators_export_set(
    *, municipality, codes: Iterable[str] | None = None, today: datetime.date | None = None
) -> ExportSet:
    """Any set of the municipality's indicators (by code; all when ``codes`` is None), across plans
    and projects: four queries. Each indicator is evaluated with its own plan's or project's years
    and evaluation date, exactly as ``plan_evaluation``, ``indicator_detail`` and
    ``project_indicators`` do it (one engine call per indicator through the selectors' helper)."""
    qs = Indicator.objects.filter(municipality=municipality).select_related("element__plan", "project")
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    indicators = sorted(qs, key=_order)
    for indicator in indicators:
        indicator.municipality = municipality
    evaluated, as_of = {}, {}
    for item in selectors.indicators_evaluation(indicators, today=today):
        evaluated[item.indicator.pk] = item
        as_of[item.indicator.pk] = selectors.indicator_as_of(item.indicator, today)
    plans = {i.element.plan_id: i.element.plan for i in indicators if i.element is not None}
    name = "indicators" if codes is None else "indicators-selection"
    return ExportSet(
        municipality=municipality, indicators=indicators, evaluated=evaluated, public=False, name=name,
        as_of=as_of, plans=plans,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------


def _float(value: float | None):
    """An engine figure, rounded to 6 decimals (the engine works in floats)."""
    if value is None:
        return None
    rounded = round(float(value), 6)
    return int(rounded) if rounded.is_integer() else rounded


def _decimal(value: Decimal | None):
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else value


def _iso(value) -> str:
    return value.isoformat() if value else ""


# --------------------------------------------------------------------------------------------
# Tables (each a header and an iterator of rows; cells are numbers, strings or None)
# --------------------------------------------------------------------------------------------


def values_header(export: ExportSet) -> list[str]:
    pairs = imports.breakdown_columns(export.indicators)
    header = imports.template_header(pairs)
    if export.public:
        header = [c for c in header if c not in (imports.COMMENT, imports.EVIDENCE_URL)]
    return [*header, *RESULT_COLUMNS]


def values_rows(export: ExportSet) -> Iterator[list]:
    """One row per indicator and period of its evaluation, merged with its published value."""
    pairs = imports.breakdown_columns(export.indicators)
    measurements = (
        Measurement.objects.filter(indicator_id__in=export.ids, state__in=COUNTED_STATES)
        .order_by("indicator__position", "indicator__code", "indicator_id", "year", "sub")
        .iterator(chunk_size=CHUNK)
    )
    pending = next(measurements, None)
    for indicator in export.indicators:
        own = {}
        while pending is not None and pending.indicator_id == indicator.pk:
            own[_label(indicator, pending)] = pending
            pending = next(measurements, None)
        item = export.evaluated.get(indicator.pk)
        result = item.result if item else None
        for point in result.series if result else ():
            m = own.pop(point.period.label, None)
            yield [
                *_measured(export, indicator, point.period.label, m, pairs),
                _float(point.actual), _float(point.expected), _float(point.target), _float(point.ratio),
                _float(point.score), point.status.value if point.actual is not None else "",
                str(STATUS_LABELS[point.status]) if point.actual is not None else "",
                "yes" if result is not None and result.period == point.period else "",
                *_override_cells(point.override),
            ]  # fmt: skip
        for label, m in own.items():  # a published value outside the periods evaluated
            yield [*_measured(export, indicator, label, m, pairs), *([None] * len(RESULT_COLUMNS))]


def _override_cells(override: engine.StatusOverride | None) -> list:
    """The municipality's status of a period with its reason (in the reader's language) and date."""
    if override is None:
        return ["", "", "", ""]
    return [
        override.status.value,
        str(STATUS_LABELS[override.status]),
        override.reason,
        _iso(override.decided),
    ]


def _label(indicator: Indicator, m: Measurement) -> str:
    period = period_of(m.year, m.sub, indicator.frequency, indicator_year_start(indicator))
    return period.label if period else f"{m.year}/{m.sub}"


def _measured(export: ExportSet, indicator: Indicator, label: str, m: Measurement | None, pairs) -> list:
    breakdown = (m.breakdown if m else None) or {}
    cells = [
        indicator.code, indicator.name, indicator.unit, label,
        _decimal(m.value) if m else None, _decimal(m.numerator) if m else None,
        _decimal(m.denominator) if m else None,
        *(_breakdown_value(breakdown.get(dim, {}).get(cat)) for dim, cat in pairs),
        _iso(m.collected_on) if m else "",
    ]  # fmt: skip
    if not export.public:
        cells += [m.comment if m else "", m.evidence_url if m else ""]
    return cells


def _breakdown_value(value):
    if value is None or value == "":
        return None
    return _decimal(Decimal(str(value)))


def history_header(export: ExportSet) -> list[str]:
    return [*HISTORY_COLUMNS] if export.public else [*HISTORY_COLUMNS, "changed_by", "is_public"]


def history_rows(export: ExportSet) -> Iterator[list]:
    codes = {i.pk: i.code for i in export.indicators}
    qs = IndicatorChange.objects.filter(indicator_id__in=export.ids)
    if export.public:
        qs = qs.filter(is_public=True)
    fields = ["indicator_id", "changed_at", "field", "period", "old_value", "new_value", "reason"]
    if not export.public:
        fields += ["changed_by__username", "is_public"]
    for values in (
        qs.order_by("indicator__position", "indicator__code", "indicator_id", "changed_at", "pk")
        .values_list(*fields)
        .iterator(chunk_size=CHUNK)
    ):
        row = [codes[values[0]], values[1].isoformat(timespec="seconds"), *values[2:7]]
        if not export.public:
            row += [values[7] or "", "yes" if values[8] else "no"]
        yield row


def passports_header(export: ExportSet) -> list[str]:
    return list(PASSPORT_COLUMNS)


def passports_rows(export: ExportSet) -> Iterator[list]:
    for indicator in export.indicators:
        item = export.evaluated.get(indicator.pk)
        result = item.result if item else None
        element, project = indicator.element, indicator.project  # loaded with the indicators
        plan = export.plans.get(element.plan_id) if element else None
        yield [
            *(_passport_cell(getattr(indicator, column.attribute)) for column in passport.EXPORT_COLUMNS),
            plan.slug if plan else "", element.code if element else "", project.code if project else "",
            _targets(indicator, item), _iso(export.as_of.get(indicator.pk)),
            result.period.label if result and result.period else "",
            _float(result.actual) if result else None, _float(result.expected) if result else None,
            _float(result.ratio) if result else None, _float(result.score) if result else None,
            result.status.value if result else "", str(STATUS_LABELS[result.status]) if result else "",
            *_override_cells(result.override if result else None),
            result.forecast.outcome.value if result else "", str(item.error) if item else "",
        ]  # fmt: skip


def _passport_cell(value):
    """A passport field as the passports table writes it."""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, list):  # the disaggregation
        return json.dumps(value, ensure_ascii=False) if value else ""
    return value


def _targets(indicator: Indicator, item: EvaluatedIndicator | None) -> str:
    """The explicit targets as "2016: 120; 2020: 200 (final)", from the engine's series."""
    if item is None or item.result is None:
        return ""
    return "; ".join(
        f"{p.period.label}: {_float(p.target)}" for p in item.result.series if p.target is not None
    )


def elements_header(export: ExportSet) -> list[str]:
    return list(ELEMENT_COLUMNS)


def elements_rows(export: ExportSet) -> Iterator[list]:
    """The plan and each element of its goal tree with the roll-up the plan page shows."""
    if export.plan is None:
        return
    rows = [(export.plan.slug, export.plan.title, 0, "", export.plan_result)]
    rows += [
        (node.element.code, node.element.title, node.depth + 1, node.level_name, _node_result(node.result))
        for node in export.nodes
    ]
    for code, title, depth, level, result in rows:
        yield [
            code, title, depth, level,
            result.status.value if result else "", str(STATUS_LABELS[result.status]) if result else "",
            _float(result.score) if result else None, _float(result.coverage) if result else None,
            result.indicators_with_data if result else 0, result.indicators_total if result else 0,
            result.context_total if result else 0, result.context_with_values if result else 0,
        ]  # fmt: skip


def _node_result(result: object) -> engine.NodeResult | None:
    """An element's roll-up as selectors.plan_evaluation attached it to the goal tree's node."""
    return result if isinstance(result, engine.NodeResult) else None


TABLE_FUNCTIONS = {
    "values": (values_header, values_rows),
    "history": (history_header, history_rows),
    "passports": (passports_header, passports_rows),
    "elements": (elements_header, elements_rows),
}


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return text.csv_cell(value)  # text typed by people never runs as a formula
    return str(value)


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """CSV text line by line: UTF-8 with BOM (so that spreadsheets read the Cyrillic), commas."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_csv_cell(cell) for cell in row])


def export_csv_lines(export: ExportSet, table: str = "values") -> Iterator[str]:
    header, rows = TABLE_FUNCTIONS[table]
    return csv_lines(header(export), rows(export))


def _xlsx_cell(value):
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return text.clean(value)


def write_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[list]]], *, help_rows=None, stream=None):
    """Write sheets (title, header, rows) to a temporary file with openpyxl's write-only mode
    (rows go to disk as they come); return the file, positioned at its start."""
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        bold = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = Font(bold=True)
            bold.append(cell)
        sheet.append(bold)
        for row in rows:
            sheet.append([text.sheet_cell(sheet, _xlsx_cell(cell)) for cell in row])
    if help_rows is not None:
        sheet = workbook.create_sheet("help")
        for row in help_rows:
            sheet.append(row)
        sheet.sheet_state = "hidden"
        sheet.protection.sheet = True
    stream = stream or tempfile.TemporaryFile()
    workbook.save(stream)
    stream.seek(0)
    return stream


def export_xlsx(export: ExportSet, stream=None):
    sheets = [
        (table, header(export), rows(export))
        for table, (header, rows) in TABLE_FUNCTIONS.items()
        if table != "elements" or export.plan is not None
    ]
    return write_xlsx(sheets, stream=stream)


# --------------------------------------------------------------------------------------------
# The import template
# --------------------------------------------------------------------------------------------


def help_rows(header: list[str]) -> list[list[str]]:
    """The template's second sheet: what each column holds, in Bulgarian and English."""
    texts = {
        imports.CODE: ("Код на индикатора (не го променяйте).", "The indicator's code (do not change it)."),
        imports.NAME: (
            "Наименование на индикатора (само за четене).",
            "The indicator's name (for reading only).",
        ),
        imports.UNIT: ("Мерна единица (само за четене).", "The unit (for reading only)."),
        imports.PERIOD: (
            "Отчетен период: 2016 (година), 2016-H1 (полугодие), 2016-Q3 (тримесечие), 2016-05 (месец), "
            "според периодичността на индикатора.",
            "Reporting period: 2016 (year), 2016-H1 (half), 2016-Q3 (quarter), 2016-05 (month), as the "
            "indicator's frequency says.",
        ),
        imports.VALUE: (
            "Стойност (число; десетична точка или запетая). За качествена оценка: число от скалата. "
            "За процент: процентът, както е отчетен, или празно и числител и знаменател.",
            "Value (a number; decimal point or comma). For a qualitative score: a number on its scale. "
            "For a percentage: the percentage as reported, or empty with a numerator and denominator.",
        ),
        imports.NUMERATOR: (
            "Числител (само за индикатори в проценти, ако не е даден самият процент).",
            "Numerator (percentage indicators only, when the percentage itself is not given).",
        ),
        imports.DENOMINATOR: (
            "Знаменател (само за индикатори в проценти; не може да е 0).",
            "Denominator (percentage indicators only; cannot be 0).",
        ),
        imports.COLLECTED_ON: (
            "Дата на събиране на данните: ГГГГ-ММ-ДД.",
            "Date the data was collected: YYYY-MM-DD.",
        ),
        imports.COMMENT: ("Коментар (по избор).", "Comment (optional)."),
        imports.EVIDENCE_URL: (
            "Връзка към доказателство (https://…, по избор).",
            "Evidence link (https://…, optional).",
        ),
    }
    rows = [
        ["column", "описание", "description"],
        ["", "Един ред за всеки индикатор и период. Празните редове се пропускат. Ако някой ред е "
             "грешен, не се записва нищо, а получавате списък на грешките по редове.",
         "One row per indicator and period. Empty rows are skipped. If any row is wrong, nothing is "
         "saved and you get the list of errors by row."],
    ]  # fmt: skip
    for column in header:
        if column in texts:
            rows.append([column, *texts[column]])
        elif ":" in column:
            rows.append([
                column,
                "Разбивка (измерение:категория). Стойностите на едно измерение трябва да дават сбора "
                "на стойността (или на числителя); проценти, дадени без числител и знаменател, и "
                "оценки не се сумират.",
                "Disaggregation (dimension:category). The values of one dimension must add up to the "
                "value (or to the numerator); percentages given without counts, and scores, are not "
                "added up.",
            ])  # fmt: skip
    return rows


def template_xlsx(header: list[str], rows: list[list], stream=None):
    return write_xlsx([("values", header, rows)], help_rows=help_rows(header), stream=stream)


def template_csv_lines(header: list[str], rows: list[list]) -> Iterator[str]:
    return csv_lines(header, rows)
