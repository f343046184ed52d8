"""Horizontal bar charts of survey results, drawn from the platform's one chart definition
(``civitas.core.charts.Chart``: labels and a series of values) as SVG with presentation
attributes only (no inline CSS, so it passes the site's Content-Security-Policy). Each chart has
a title and a description for assistive technology, and the page shows the data table under it."""

from xml.sax.saxutils import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from civitas.core.charts import Chart, Series

from .models import QuestionKind

BAR = "#1d5a8c"
TRACK = "#f3f2f1"
TEXT = "#0b0c0c"


def result_chart(result) -> Chart | None:
    """The chart of a question's result (selectors.QuestionResult): the share of respondents per
    option or scale point (for a ranking, the share who ranked the option first)."""
    if not result.options:
        return None
    question = result.question
    labels = tuple(option.label for option in result.options)
    values = tuple(option.percent if option.percent is not None else 0.0 for option in result.options)
    if question.kind == QuestionKind.RANKING:
        description = _("Share of %(n)s respondents who ranked each option first.") % {
            "n": result.respondents
        }
    else:
        description = _("Share of %(n)s respondents who chose each answer.") % {"n": result.respondents}
    description += " " + "; ".join(
        f"{label}: {value:.1f} %" for label, value in zip(labels, values, strict=True)
    )
    return Chart(
        title=f"{question.number}. {question.text}",
        description=description,
        x_labels=labels,
        series=(Series(label=_("Respondents"), values=values, style="actual", connect=False),),
        unit="%",
    )


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_bars(chart: Chart, *, dom_id: str, width: int = 640) -> str:
    """One horizontal bar per label, scaled 0–100 %, the value written at the end of the bar."""
    label_w, right, row_h, top = 220, 64, 30, 8
    values = chart.series[0].values if chart.series else ()
    height = top * 2 + row_h * len(chart.x_labels)
    plot_w = width - label_w - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="civitas-chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{dom_id}-title {dom_id}-desc" font-family="system-ui, sans-serif" '
        f'font-size="14">',
        f'<title id="{dom_id}-title">{escape(chart.title)}</title>',
        f'<desc id="{dom_id}-desc">{escape(chart.description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for i, (label, value) in enumerate(zip(chart.x_labels, values, strict=True)):
        y = top + i * row_h
        share = max(0.0, min(100.0, value or 0.0))
        bar_w = plot_w * share / 100
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end" fill="{TEXT}">{escape(_truncate(label, 30))}</text>'
            f'<rect x="{label_w}" y="{y + 5}" width="{plot_w}" height="{row_h - 10}" fill="{TRACK}"/>'
            f'<rect x="{label_w}" y="{y + 5}" width="{bar_w:.1f}" height="{row_h - 10}" fill="{BAR}"/>'
            f'<text x="{label_w + bar_w + 6:.1f}" y="{y + 19}" fill="{TEXT}">{share:.0f} %</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
