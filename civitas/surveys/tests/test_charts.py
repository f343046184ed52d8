"""The result charts: every label written in full, from the left edge, within the chart's width
(a long label beside its bar once ran off the left edge), and the values at the bars' ends."""

import re

from civitas.core.charts import Chart, Series
from civitas.surveys import charts

LONG = "Велоалея Карлово – Сопот – Анево и осветление по целия участък с места за почивка и чешми"


def chart_of(labels, values):
    return Chart(
        title="1. Кои проекти подкрепяте?",
        description="…",
        x_labels=tuple(labels),
        series=(Series(label="Respondents", values=tuple(values), style="actual", connect=False),),
        unit="%",
    )


def test_wrap_breaks_between_words_and_inside_only_too_long_words():
    assert charts.wrap("едно две три", 8) == ["едно две", "три"]
    assert charts.wrap("а" * 10, 4) == ["аааа", "аааа", "аа"]
    assert charts.wrap("", 10) == [""]
    assert all(len(line) <= 30 for line in charts.wrap(LONG, 30))
    assert " ".join(charts.wrap(LONG, 30)) == LONG


def test_labels_are_written_in_full_from_the_left_within_the_width():
    svg = charts.render_bars(chart_of([LONG, "Сопот"], [62.5, 100.0]), dom_id="c", width=640)
    texts = re.findall(r'<text x="([\d.]+)"[^>]*>([^<]*)</text>', svg)
    labels = [text for x, text in texts if not text.endswith(" %")]
    assert " ".join(labels) == f"{LONG} Сопот"  # nothing cut, no ellipsis
    assert 'text-anchor="end"' not in svg
    for x, text in texts:
        assert float(x) >= 0
        assert float(x) + len(text) * charts.FONT_SIZE * charts.CHAR_W <= 640
    assert [text for _x, text in texts if text.endswith(" %")] == ["62 %", "100 %"]
    height = int(re.search(r'viewBox="0 0 640 (\d+)"', svg).group(1))
    last_bar_y = max(int(y) for y in re.findall(r'<rect x="10" y="(\d+)"', svg))
    assert last_bar_y + charts.BAR_H <= height
