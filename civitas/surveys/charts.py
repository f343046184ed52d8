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


# The layout of a chart, in the SVG's own units (it scales with the page). Each answer's label is
# written in full above its bar, wrapped to the chart's width, so that no label is cut: a label
# beside the bar, right-aligned to a fixed column, ran off the left edge when it was long.
FONT_SIZE = 15
LINE = 19  # the height of a line of a label
BAR_H = 20
GAP = 14  # between one answer and the next
PAD = 10
VALUE_W = 56  # room for "100 %" after the longest bar
CHAR_W = 0.62  # the widest average letter, Cyrillic included, as a share of the font size


def wrap(text: str, width: int) -> list[str]:
    """The label in lines of at most ``width`` characters, broken between words (a word longer
    than a line is broken inside)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line or not lines:
        lines.append(line)
    return lines


def render_bars(chart: Chart, *, dom_id: str, width: int = 440) -> str:
    """One horizontal bar per label, scaled 0–100 %, its label in full above it and the value
    written at the end of the bar. The chart is narrow (its text about the body text's size when
    civitas.css draws it at most 560 px wide) so that it stays legible scaled down on a phone."""
    values = chart.series[0].values if chart.series else ()
    plot_w = width - 2 * PAD - VALUE_W
    per_line = int((width - 2 * PAD) / (FONT_SIZE * CHAR_W))
    rows = [wrap(label, per_line) for label in chart.x_labels]
    height = PAD * 2 + sum(len(lines) * LINE + BAR_H + GAP for lines in rows) - GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="civitas-chart civitas-chart--bars" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{dom_id}-title {dom_id}-desc" font-family="system-ui, sans-serif" '
        f'font-size="{FONT_SIZE}">',
        f'<title id="{dom_id}-title">{escape(chart.title)}</title>',
        f'<desc id="{dom_id}-desc">{escape(chart.description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    y = PAD
    for lines, value in zip(rows, values, strict=True):
        share = max(0.0, min(100.0, value or 0.0))
        bar_w = plot_w * share / 100
        for line in lines:
            parts.append(f'<text x="{PAD}" y="{y + LINE - 5}" fill="{TEXT}">{escape(line)}</text>')
            y += LINE
        parts.append(
            f'<rect x="{PAD}" y="{y}" width="{plot_w}" height="{BAR_H}" fill="{TRACK}"/>'
            f'<rect x="{PAD}" y="{y}" width="{bar_w:.1f}" height="{BAR_H}" fill="{BAR}"/>'
            f'<text x="{PAD + bar_w + 6:.1f}" y="{y + BAR_H - 5}" fill="{TEXT}">{share:.0f} %</text>'
        )
        y += BAR_H + GAP
    parts.append("</svg>")
    return mark_safe("".join(parts))
