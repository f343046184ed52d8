import xml.etree.ElementTree as ET

from civitas.core.charts import (
    SOURCE_FILLS,
    STATUS_FILLS,
    Chart,
    Part,
    Series,
    nice_ticks,
    render_columns,
    render_share_bar,
    render_sparkline,
    render_svg,
    render_swatch,
    share_bar_chart,
    status_parts,
)
from civitas.evaluation.engine import Status


def test_nice_ticks_cover_the_range_with_round_steps():
    ticks = nice_ticks(0, 187)
    assert ticks[0] <= 0 and ticks[-1] >= 187
    steps = {round(b - a, 6) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert steps == {50.0}


def test_svg_has_accessible_name_and_one_line_per_unbroken_series():
    chart = Chart(
        title="Нощувки <и> гости",
        description="Описание",
        x_labels=("2014", "2015", "2016", "2017"),
        series=(
            Series("Actual", (1.0, 2.0, None, 4.0)),
            Series("Target", (None, None, None, 5.0), style="target", connect=False),
        ),
    )
    svg = str(render_svg(chart, dom_id="c1"))
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert "Нощувки &lt;и&gt; гости" in svg  # text is escaped
    # A gap (None) breaks the actual line: one polyline for 2014–2015, a lone point for 2017.
    assert svg.count("<polyline") == 1
    assert svg.count("<circle") >= 3 and svg.count("<polygon") == 1
    assert "style=" not in svg  # presentation attributes only: allowed by the CSP


def test_empty_chart_renders():
    svg = str(render_svg(Chart(title="x", description="y", x_labels=())))
    assert svg.startswith("<svg") and svg.endswith("</svg>")


# The small charts: share bar, sparkline, columns ------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg) -> ET.Element:
    """The SVG as XML (fails on invalid XML) with no inline style anywhere (the CSP forbids it)."""
    root = ET.fromstring(str(svg))
    assert all("style" not in element.attrib for element in root.iter())
    return root


def accessible_text(root: ET.Element) -> tuple[str, str]:
    ids = root.attrib["aria-labelledby"].split()
    found = {element.attrib.get("id"): "".join(element.itertext()) for element in root.iter()}
    return found[ids[0]], found[ids[1]]


def test_share_bar_is_valid_svg_with_its_numbers_in_words_and_a_pattern_per_part():
    parts = [
        Part("On track", 3, "3", STATUS_FILLS["on_track"]),
        Part("At risk", 1, "1", STATUS_FILLS["at_risk"]),
        Part("Off <track>", 2, "2", STATUS_FILLS["off_track"]),
    ]
    root = parse(render_share_bar(parts, title="Indicators by status", dom_id="s1"))
    assert root.attrib["role"] == "img"
    title, description = accessible_text(root)
    assert title == "Indicators by status"
    assert description == "On track: 3; At risk: 1; Off <track>: 2"  # escaped in the SVG, read back
    segments = root.findall(f"{SVG}rect")[1:]  # after the track
    assert [float(s.attrib["width"]) for s in segments] == [150.0, 50.0, 100.0]
    # Not colour alone: at risk and off track are patterned (solid on track), each pattern defined.
    fills = [s.attrib["fill"] for s in segments]
    assert fills[0].startswith("#") and fills[1] != fills[2]
    defined = {p.attrib["id"] for p in root.iter(f"{SVG}pattern")}
    assert {f.removeprefix("url(#").removesuffix(")") for f in fills[1:]} == defined
    assert all(i.startswith("s1-") for i in defined)  # unique to the chart on a page of many


def test_a_share_bar_of_nothing_is_an_empty_track():
    root = parse(render_share_bar([Part("On track", 0, "0")], title="t", dom_id="s2"))
    assert len(root.findall(f"{SVG}rect")) == 1


def test_every_status_and_source_has_its_own_pattern_or_colour():
    for fills in (STATUS_FILLS, SOURCE_FILLS):
        assert len({(f.colour, f.pattern) for f in fills.values()}) == len(fills)
        assert len({f.pattern for f in fills.values()}) == len(fills)  # distinct without colour


def test_status_parts_follow_the_roll_up_counts_in_a_fixed_order_and_skip_zeros():
    counts = {Status.OFF_TRACK: 1, Status.ON_TRACK: 4, Status.AT_RISK: 0, Status.NO_DATA: 2}
    labels = {status: status.value.upper() for status in Status}
    parts = status_parts(counts, labels)
    assert [(p.label, p.text) for p in parts] == [("ON_TRACK", "4"), ("OFF_TRACK", "1"), ("NO_DATA", "2")]
    chart = share_bar_chart(parts, title="t", dom_id="c")
    assert [item.part.label for item in chart.legend] == ["ON_TRACK", "OFF_TRACK", "NO_DATA"]
    for item in chart.legend:  # the legend's keys are decoration: the words carry the meaning
        assert parse(item.swatch).attrib["aria-hidden"] == "true"


def test_swatch_of_a_pattern_defines_it():
    root = parse(render_swatch(SOURCE_FILLS["national"], dom_id="k1"))
    assert root.find(f"{SVG}defs/{SVG}pattern") is not None


def test_sparkline_draws_the_values_with_gaps_and_marks_the_last():
    root = parse(
        render_sparkline(
            [1.0, 2.0, None, 4.0], title="Trend", description="2019: 1; 2020: 2; 2022: 4", dom_id="t1"
        )
    )
    assert accessible_text(root) == ("Trend", "2019: 1; 2020: 2; 2022: 4")
    assert len(root.findall(f"{SVG}polyline")) == 1  # the gap breaks the line
    circles = root.findall(f"{SVG}circle")
    assert circles[-1].attrib["cx"] == "116.0"  # the last value, at the right end
    flat = parse(render_sparkline([5.0, 5.0], title="t", description="d", dom_id="t2"))
    assert flat.find(f"{SVG}polyline") is not None
    empty = parse(render_sparkline([], title="t", description="d", dom_id="t3"))
    assert empty.find(f"{SVG}line") is not None


def test_columns_stack_the_parts_and_write_totals_and_labels():
    eu, municipal = SOURCE_FILLS["eu"], SOURCE_FILLS["municipal"]
    root = parse(
        render_columns(
            ["2024", "2025"],
            [
                [Part("EU", 100, "100", eu)],
                [Part("EU", 150, "150", eu), Part("Municipal", 50, "50", municipal)],
            ],
            title="By year",
            description="2024: 100; 2025: 200",
            dom_id="y1",
            value_texts=["100", "200"],
        )
    )
    assert accessible_text(root) == ("By year", "2024: 100; 2025: 200")
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 3
    assert float(bars[1].attrib["height"]) + float(bars[2].attrib["height"]) > float(bars[0].attrib["height"])
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert texts == ["100", "2024", "200", "2025"]
