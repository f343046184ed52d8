"""One chart definition, rendered as SVG for the web and (the same SVG) for reports.

A ``Chart`` is plain data: x labels and series of values. ``render_svg`` draws it with
presentation attributes only (no inline CSS, so it passes the site's Content-Security-Policy and
renders the same outside the browser). Every chart carries a title and a text description for
assistive technology; pages also show the data table under the chart.
"""

import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.safestring import mark_safe

STYLES = {
    # kind: (stroke, fill, dash, marker)
    "actual": ("#1d5a8c", "#1d5a8c", "", "circle"),
    "expected": ("#6f777b", "none", "6 4", ""),
    "target": ("#00703c", "#00703c", "", "diamond"),
    "baseline": ("#b58840", "none", "2 3", ""),
    "forecast": ("#912b88", "none", "3 3", ""),
}


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float | None, ...]
    style: str = "actual"  # a key of STYLES
    connect: bool = True  # draw a line between consecutive values


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    x_labels: tuple[str, ...]
    series: tuple[Series, ...] = field(default_factory=tuple)
    unit: str = ""


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]."""
    if high == low:
        high = low + 1 if low == 0 else low + abs(low) * 0.1
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks, value = [], start
    while value < high + step * 0.5:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _fmt(value: float) -> str:
    if abs(value) >= 1000 or value == int(value):
        return f"{value:,.0f}".replace(",", "\u202f")
    return f"{value:.2f}".rstrip("0").rstrip(".")


def render_svg(chart: Chart, *, width: int = 720, height: int = 340, dom_id: str = "chart") -> str:
    left, right, top, bottom = 64, 16, 30, 84
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in chart.series for v in s.values if v is not None]
    n = len(chart.x_labels)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="civitas-chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{dom_id}-title {dom_id}-desc" font-family="system-ui, sans-serif" '
        f'font-size="13">',
        f'<title id="{dom_id}-title">{escape(chart.title)}</title>',
        f'<desc id="{dom_id}-desc">{escape(chart.description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    if not values or n == 0:
        parts.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#505a5f">–</text></svg>'
        )
        return mark_safe("".join(parts))
    ticks = nice_ticks(min(0.0, min(values)), max(values))
    lo, hi = ticks[0], ticks[-1]

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return top + plot_h - (v - lo) / (hi - lo) * plot_h

    for tick in ticks:
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#dddddd"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="#0b0c0c">{_fmt(tick)}</text>'
        )
    step = max(1, math.ceil(n / 12))
    for i, label in enumerate(chart.x_labels):
        if i % step == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + 18}" text-anchor="middle" fill="#0b0c0c">{escape(label)}</text>'
            )
    parts.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#0b0c0c"/>'
    )
    for series in chart.series:
        stroke, fill, dash, marker = STYLES.get(series.style, STYLES["actual"])
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if series.connect:
            segment: list[str] = []
            for i, v in enumerate(series.values + (None,)):
                if v is None:
                    if len(segment) > 1:
                        parts.append(
                            f'<polyline points="{" ".join(segment)}" fill="none" stroke="{stroke}" '
                            f'stroke-width="2.5"{dash_attr}/>'
                        )
                    segment = []
                else:
                    segment.append(f"{x(i):.1f},{y(v):.1f}")
        for i, v in enumerate(series.values):
            if v is None or not marker:
                continue
            cx, cy = x(i), y(v)
            if marker == "circle":
                parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="{fill}" stroke="#ffffff"/>')
            else:
                parts.append(
                    f'<polygon points="{cx:.1f},{cy - 6:.1f} {cx + 6:.1f},{cy:.1f} {cx:.1f},{cy + 6:.1f} '
                    f'{cx - 6:.1f},{cy:.1f}" fill="{fill}"/>'
                )
    # Legend under the axis.
    lx, ly = left, height - 30
    for series in chart.series:
        stroke, fill, dash, marker = STYLES.get(series.style, STYLES["actual"])
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="{ly}" y2="{ly}" stroke="{stroke}" stroke-width="2.5"{dash_attr}/>'
        )
        if marker:
            parts.append(f'<circle cx="{lx + 12}" cy="{ly}" r="4" fill="{fill}"/>')
        parts.append(f'<text x="{lx + 30}" y="{ly + 4}" fill="#0b0c0c">{escape(series.label)}</text>')
        lx += 48 + 8 * len(series.label)
    if chart.unit:
        parts.append(f'<text x="8" y="16" fill="#505a5f">{escape(chart.unit)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


# Small charts for pages people scan: a share bar, a sparkline, columns by year -------------------
#
# Each segment is drawn with a fill *and* a pattern, so that the chart reads without colour; the
# pages write the numbers in text beside every chart (a legend with values, or a table).


@dataclass(frozen=True)
class Fill:
    """How a segment is drawn: a colour (3:1 against white at least) and a pattern, one of
    ``PATTERNS``, so that segments differ without colour too."""

    colour: str
    pattern: str = "solid"


PATTERNS = ("solid", "diagonal", "cross", "dots", "horizontal", "vertical")

# By the evaluation's status values (civitas.evaluation.engine.Status; core does not import it).
STATUS_FILLS = {
    "on_track": Fill("#00703c", "solid"),
    "at_risk": Fill("#8f5a00", "diagonal"),
    "off_track": Fill("#d4351c", "cross"),
    "stale": Fill("#4c2c92", "horizontal"),
    "no_data": Fill("#6f777b", "dots"),
    "context": Fill("#1d70b8", "vertical"),
}
# By funding source value (plans.models.FundingSource; core does not import it).
SOURCE_FILLS = {
    "eu": Fill("#1d5a8c", "solid"),
    "national": Fill("#00703c", "diagonal"),
    "municipal": Fill("#8f5a00", "cross"),
    "other": Fill("#4c2c92", "dots"),
}
DEFAULT_FILL = Fill("#505a5f", "solid")


@dataclass(frozen=True)
class Part:
    """A segment of a chart: its label, its value, the value as the page writes it, its fill."""

    label: str
    value: float
    text: str
    fill: Fill = DEFAULT_FILL


def _pattern_defs(fills, dom_id: str) -> str:
    """One <pattern> per patterned fill used, with ids unique to the chart."""
    defs = []
    for fill in dict.fromkeys(fills):
        if fill.pattern == "solid":
            continue
        pid = _pattern_id(fill, dom_id)
        marks = {
            "diagonal": '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#ffffff" stroke-width="1.5"/>',
            "cross": '<path d="M0,0 l6,6 M6,0 l-6,6" stroke="#ffffff" stroke-width="1.2"/>',
            "dots": '<circle cx="3" cy="3" r="1.3" fill="#ffffff"/>',
            "horizontal": '<path d="M0,3 h6" stroke="#ffffff" stroke-width="1.5"/>',
            "vertical": '<path d="M3,0 v6" stroke="#ffffff" stroke-width="1.5"/>',
        }.get(fill.pattern, "")
        defs.append(
            f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{fill.colour}"/>{marks}</pattern>'
        )
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def _pattern_id(fill: Fill, dom_id: str) -> str:
    return f"{dom_id}-{fill.pattern}-{fill.colour.lstrip('#')}"


def _paint(fill: Fill, dom_id: str) -> str:
    return fill.colour if fill.pattern == "solid" else f"url(#{_pattern_id(fill, dom_id)})"


def _open_svg(width: float, height: float, dom_id: str, title: str, description: str, css: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{dom_id}-title {dom_id}-desc" '
        f'focusable="false"><title id="{dom_id}-title">{escape(title)}</title>'
        f'<desc id="{dom_id}-desc">{escape(description)}</desc>'
    )


def parts_text(parts) -> str:
    """The parts in words, for a chart's description: "On track: 3; At risk: 1"."""
    return "; ".join(f"{part.label}: {part.text}" for part in parts)


def render_share_bar(
    parts, *, title: str, dom_id: str, description: str = "", width: int = 300, height: int = 20
) -> str:
    """One horizontal bar split into the parts' shares of their total (parts of value 0 are not
    drawn); an empty grey track when the total is 0. The description says every part in words."""
    parts = list(parts)
    total = sum(max(part.value, 0) for part in parts)
    description = description or parts_text(parts)
    svg = [
        _open_svg(width, height, dom_id, title, description, "civitas-share-bar").replace(
            "<svg ", '<svg preserveAspectRatio="none" ', 1
        ),
        _pattern_defs((p.fill for p in parts if p.value > 0), dom_id),
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f3f2f1" stroke="#b1b4b6"/>',
    ]
    x = 0.0
    for part in parts:
        if part.value <= 0 or total <= 0:
            continue
        w = width * part.value / total
        svg.append(
            f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="{height}" fill="{_paint(part.fill, dom_id)}" '
            f'stroke="#ffffff" stroke-width="1"/>'
        )
        x += w
    svg.append("</svg>")
    return mark_safe("".join(svg))


def render_swatch(fill: Fill, *, dom_id: str, size: int = 16) -> str:
    """The key of a legend: a small square in the fill, hidden from assistive technology (the
    legend's words carry the meaning)."""
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="civitas-swatch" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}" aria-hidden="true" focusable="false">'
        f"{_pattern_defs([fill], dom_id)}"
        f'<rect x="0.5" y="0.5" width="{size - 1}" height="{size - 1}" fill="{_paint(fill, dom_id)}" '
        f'stroke="#0b0c0c" stroke-width="1"/></svg>'
    )


def render_sparkline(
    values, *, title: str, description: str, dom_id: str, width: int = 120, height: int = 32
) -> str:
    """A small trend line of values in order (None: a gap), the last value marked with a dot; no
    axes: the page writes the latest value beside it and the description gives every value."""
    values = list(values)
    known = [v for v in values if v is not None]
    svg = [_open_svg(width, height, dom_id, title, description, "civitas-sparkline")]
    if known:
        low, high = min(known), max(known)
        span = (high - low) or 1.0
        pad = 4

        def x(i: int) -> float:
            return width / 2 if len(values) == 1 else pad + (width - 2 * pad) * i / (len(values) - 1)

        def y(v: float) -> float:
            if high == low:
                return height / 2
            return height - pad - (height - 2 * pad) * (v - low) / span

        segment: list[str] = []
        for i, v in enumerate(values + [None]):
            if v is None:
                if len(segment) > 1:
                    svg.append(
                        f'<polyline points="{" ".join(segment)}" fill="none" stroke="#1d5a8c" '
                        f'stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>'
                    )
                segment = []
            else:
                segment.append(f"{x(i):.1f},{y(v):.1f}")
        for i, v in enumerate(values):  # a value between two gaps has no line: a dot shows it
            if (
                v is not None
                and (i == len(values) - 1 or values[i + 1] is None)
                and (i == 0 or values[i - 1] is None)
            ):
                svg.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2" fill="#1d5a8c"/>')
        last = max(i for i, v in enumerate(values) if v is not None)
        svg.append(
            f'<circle cx="{x(last):.1f}" cy="{y(values[last]):.1f}" r="3.5" fill="#0b0c0c" stroke="#ffffff"/>'
        )
    else:
        svg.append(
            f'<line x1="4" x2="{width - 4}" y1="{height / 2}" y2="{height / 2}" stroke="#b1b4b6" '
            f'stroke-dasharray="3 3"/>'
        )
    svg.append("</svg>")
    return mark_safe("".join(svg))


def render_columns(
    x_labels,
    stacks,
    *,
    title: str,
    description: str,
    dom_id: str,
    value_texts=(),
    width: int = 480,
    height: int = 220,
) -> str:
    """Columns, one per x label, each a stack of parts (``stacks[i]``: the parts of column i, the
    same fills in the same order in every column); the column's total written above it
    (``value_texts[i]``). The page gives the legend and a table of the figures."""
    x_labels, stacks, value_texts = list(x_labels), [list(s) for s in stacks], list(value_texts)
    left, right, top, bottom = 8, 8, 22, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(max(p.value, 0) for p in stack) for stack in stacks]
    high = max(totals, default=0)
    svg = [
        _open_svg(width, height, dom_id, title, description, "civitas-columns"),
        _pattern_defs((p.fill for stack in stacks for p in stack if p.value > 0), dom_id),
        f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#0b0c0c"/>',
    ]
    n = max(len(x_labels), 1)
    slot = plot_w / n
    bar_w = min(56.0, slot * 0.6)
    for i, label in enumerate(x_labels):
        cx = left + slot * (i + 0.5)
        y = top + plot_h
        for part in stacks[i] if i < len(stacks) else ():
            if part.value <= 0 or high <= 0:
                continue
            h = plot_h * part.value / high
            y -= h
            svg.append(
                f'<rect x="{cx - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{_paint(part.fill, dom_id)}" stroke="#ffffff" stroke-width="1"/>'
            )
        if i < len(value_texts) and value_texts[i]:
            svg.append(
                f'<text x="{cx:.1f}" y="{y - 6:.1f}" text-anchor="middle" font-size="15" '
                f'font-family="system-ui, sans-serif" fill="#0b0c0c">{escape(value_texts[i])}</text>'
            )
        svg.append(
            f'<text x="{cx:.1f}" y="{top + plot_h + 19}" text-anchor="middle" font-size="15" '
            f'font-family="system-ui, sans-serif" fill="#0b0c0c">{escape(label)}</text>'
        )
    svg.append("</svg>")
    return mark_safe("".join(svg))


@dataclass(frozen=True)
class LegendItem:
    swatch: str  # render_swatch's SVG
    part: Part


@dataclass(frozen=True)
class LegendedChart:
    """A chart with its legend: the page writes each part's label and value beside its swatch."""

    svg: str
    legend: tuple[LegendItem, ...]


def legend(parts, *, dom_id: str) -> tuple[LegendItem, ...]:
    """The legend of a chart: a swatch for each part (the page writes its label and value)."""
    return tuple(
        LegendItem(render_swatch(part.fill, dom_id=f"{dom_id}-key{i}"), part) for i, part in enumerate(parts)
    )


def share_bar_chart(parts, *, title: str, dom_id: str, description: str = "") -> LegendedChart:
    """A share bar of the parts with a value, and its legend (the same parts, in the same order)."""
    shown = [part for part in parts if part.value > 0]
    return LegendedChart(
        svg=render_share_bar(shown, title=title, dom_id=dom_id, description=description),
        legend=legend(shown, dom_id=dom_id),
    )


def status_parts(counts, labels) -> list[Part]:
    """The parts of a status chart from a roll-up's counts (status value -> number of indicators),
    in the order of ``STATUS_FILLS``, with the statuses' names from ``labels``."""
    # Keyed by value: an enum member's hash is its name's, so a member and its value are different keys.
    counts = {getattr(key, "value", key): number for key, number in counts.items()}
    labels = {getattr(key, "value", key): label for key, label in labels.items()}
    return [
        Part(str(labels[status]), float(counts[status]), str(counts[status]), fill)
        for status, fill in STATUS_FILLS.items()
        if status in labels and counts.get(status, 0)
    ]


# Definitions of the small charts, for documents ----------------------------------------------
#
# A page draws a share bar or columns straight away; a report keeps the definition, so that the
# same SVG is drawn for its HTML and PDF and turned into a PNG for its DOCX, and its figures
# come with the numbers in a table (``chart_table``).


@dataclass(frozen=True)
class ShareBar:
    """A share bar of parts (``render_share_bar``), drawn wider for a document."""

    title: str
    parts: tuple[Part, ...]
    description: str = ""


@dataclass(frozen=True)
class Columns:
    """Columns by x label, each a stack of parts (``render_columns``)."""

    title: str
    description: str
    x_labels: tuple[str, ...]
    stacks: tuple[tuple[Part, ...], ...]
    value_texts: tuple[str, ...] = ()


ChartDefinition = Chart | ShareBar | Columns


def render_definition(chart: ChartDefinition, *, dom_id: str) -> str:
    """The SVG of any chart definition: the one drawing that pages, PDF and DOCX (as PNG) share."""
    if isinstance(chart, Chart):
        return render_svg(chart, dom_id=dom_id)
    if isinstance(chart, ShareBar):
        shown = [part for part in chart.parts if part.value > 0]
        return render_share_bar(
            shown, title=chart.title, dom_id=dom_id, description=chart.description, width=600, height=32
        )
    if isinstance(chart, Columns):
        return render_columns(
            chart.x_labels,
            chart.stacks,
            title=chart.title,
            description=chart.description,
            dom_id=dom_id,
            value_texts=chart.value_texts,
        )
    raise TypeError(f"not a chart definition (Chart, ShareBar or Columns): {type(chart).__name__}")


def chart_table(
    chart: ChartDefinition, *, x_heading: str, value_heading: str, total_heading: str
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The numbers of a chart as a table (column headings, rows), given beside every drawing:
    a line chart by x label and series, a share bar by part, columns by x label and part."""
    if isinstance(chart, Chart):
        head = (x_heading, *(s.label for s in chart.series))

        def value(series: Series, i: int) -> str:
            v = series.values[i] if i < len(series.values) else None
            return "" if v is None else _fmt(v)

        rows = [(label, *(value(s, i) for s in chart.series)) for i, label in enumerate(chart.x_labels)]
        return head, rows
    if isinstance(chart, ShareBar):
        return (x_heading, value_heading), [(part.label, part.text) for part in chart.parts if part.value > 0]
    labels = list(dict.fromkeys(part.label for stack in chart.stacks for part in stack))
    rows = []
    for i, x_label in enumerate(chart.x_labels):
        texts = {part.label: part.text for part in (chart.stacks[i] if i < len(chart.stacks) else ())}
        total = chart.value_texts[i] if i < len(chart.value_texts) else ""
        rows.append((x_label, *(texts.get(label, "") for label in labels), total))
    return (x_heading, *labels, total_heading), rows
