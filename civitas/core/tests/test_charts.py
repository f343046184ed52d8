from civitas.core.charts import Chart, Series, nice_ticks, render_svg


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
