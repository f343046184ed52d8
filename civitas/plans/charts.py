"""The charts of the plan pages and the home page, drawn with core.charts: an element's indicators
by status, an indicator's trend, a plan's money by source and by year. Every chart comes with its
numbers in words (the legend or the description) and the pages give the tables beside them."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from civitas.core import charts
from civitas.core.templatetags.civitas import euro, number

from .selectors import Budget, ElementNode, SourceAmount


def status_chart(result, *, labels, title: str, dom_id: str) -> charts.LegendedChart | None:
    """The rated indicators of a roll-up (engine.NodeResult) by status as a share bar; None when
    it has no rated indicator. ``labels``: the statuses' names (indicators.presentation)."""
    if result is None or not result.indicators_total:
        return None
    parts = charts.status_parts(result.counts, labels)
    return charts.share_bar_chart(parts, title=title, dom_id=dom_id)


def indicator_sparkline(item, *, dom_id: str) -> str | None:
    """The trend of an evaluated indicator (indicators.selectors.EvaluatedIndicator): its values in
    the periods that have one, in order, up to the date assessed; None without a value. Drawn once
    per result (``item.drawn``): a plan page of 300 indicators does not draw 300 again each time."""
    if dom_id not in item.drawn:
        item.drawn[dom_id] = _sparkline(item, dom_id=dom_id)
    return item.drawn[dom_id]


def _sparkline(item, *, dom_id: str) -> str | None:
    result = item.result
    if result is None:
        return None
    measured = [(p.period.label, p.actual) for p in result.series if p.measured and p.actual is not None]
    if not measured:
        return None
    description = "; ".join(f"{label}: {number(value)}" for label, value in measured)
    return charts.render_sparkline(
        [value for _label, value in measured],
        title=_("Trend of %(name)s") % {"name": item.indicator.name},
        description=description,
        dom_id=dom_id,
    )


def plan_status_chart(result, *, labels, dom_id: str):
    """The whole plan's indicators by status (its page and the home page's plan in force)."""
    return status_chart(result, labels=labels, title=_("Indicators of the plan by status"), dom_id=dom_id)


def chart_tree(nodes: list[ElementNode], *, labels, prefix: str = "element") -> None:
    """Give each node its status chart and its indicators their sparklines (the plan page's tree)."""
    for node in nodes:
        chart_node(node, labels=labels, prefix=prefix)
        chart_tree(node.children, labels=labels, prefix=prefix)


def chart_node(node: ElementNode, *, labels, prefix: str = "element") -> None:
    pk = node.element.pk
    node.status_chart = status_chart(
        node.result,
        labels=labels,
        title=_("Indicators of %(code)s by status") % {"code": node.element.code},
        dom_id=f"{prefix}-{pk}-status",
    )
    node.charted_indicators = [
        (item, indicator_sparkline(item, dom_id=f"{prefix}-{pk}-trend-{item.indicator.pk}"))
        for item in node.indicators
    ]


def _source_parts(amounts: list[SourceAmount]) -> list[charts.Part]:
    return [
        charts.Part(
            a.label, float(a.amount), euro(a.amount), charts.SOURCE_FILLS.get(a.source, charts.DEFAULT_FILL)
        )
        for a in amounts
    ]


@dataclass(frozen=True)
class BudgetCharts:
    planned: charts.LegendedChart | None  # the indicative financial table by source
    projects: charts.LegendedChart | None  # the projects' funding by source
    years: str | None  # the financial table's years as columns, by source
    year_legend: tuple[charts.LegendItem, ...]  # the columns' sources


def budget_charts(budget: Budget, *, dom_id: str) -> BudgetCharts:
    planned = projects = None
    years: str | None = None
    year_legend: tuple[charts.LegendItem, ...] = ()
    if budget.planned_by_source:
        planned = charts.share_bar_chart(
            _source_parts(budget.planned_by_source),
            title=_("Indicative financial table by source"),
            dom_id=f"{dom_id}-planned",
        )
    if budget.projects_by_source:
        projects = charts.share_bar_chart(
            _source_parts(budget.projects_by_source),
            title=_("The projects' funding by source"),
            dom_id=f"{dom_id}-projects",
        )
    dated = budget.dated_years
    if dated:
        years = charts.render_columns(
            [str(y.year) for y in dated],
            [_source_parts(y.by_source) for y in dated],
            title=_("Indicative financial table by year"),
            description="; ".join(
                f"{y.year}: {euro(y.total)} ({charts.parts_text(_source_parts(y.by_source))})" for y in dated
            ),
            dom_id=f"{dom_id}-years",
            value_texts=[_compact_euro(y.total) for y in dated],
        )
        sources = [
            a
            for a in budget.planned_by_source
            if any(s.source == a.source for y in dated for s in y.by_source)
        ]
        year_legend = charts.legend(
            [
                charts.Part(a.label, 0, "", charts.SOURCE_FILLS.get(a.source, charts.DEFAULT_FILL))
                for a in sources
            ],
            dom_id=f"{dom_id}-years",
        )
    return BudgetCharts(planned, projects, years, year_legend)


def _compact_euro(amount) -> str:
    """A column's total in few characters: "1,2 млн. €" / "€1.2m"."""
    millions = float(amount) / 1_000_000
    if millions >= 1:
        return _("€%(amount)s m") % {"amount": number(round(millions, 1), 1)}
    return _("€%(amount)s k") % {"amount": number(round(float(amount) / 1000), 0)}
