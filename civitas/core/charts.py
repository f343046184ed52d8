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
