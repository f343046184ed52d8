"""The annual report as DOCX and PDF: opened and read back (python-docx; the PDF's text), with the
four sections, the tables, the chart, and figures checked against the evaluation engine's results
for the same plan and date."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.utils import translation
from docx import Document as WordDocument
from pypdf import PdfReader

from civitas.evaluation import engine
from civitas.indicators.selectors import plan_evaluation
from civitas.plans.selectors import plan_tree
from civitas.reports import compose, selectors, tasks
from civitas.reports.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def _engine_result(world):
    as_of = selectors.report_as_of(world.report)
    return plan_evaluation(world.plan, plan_tree(world.plan), as_of=as_of)


def _docx(world, language="bg"):
    return WordDocument(io.BytesIO(tasks.report_bytes(world.report, fmt="docx", language=language)))


def _table(doc, first_header: str):
    for table in doc.tables:
        if table.rows and table.rows[0].cells[0].text.strip() == first_header:
            return table
    raise AssertionError(f"no table headed {first_header!r}")


@pytest.mark.parametrize("language", ["bg", "en"])
def test_the_docx_has_the_four_sections_tables_and_a_chart(world, language):
    doc = _docx(world, language)
    with translation.override(language):
        titles = compose.section_titles()
    text = "\n".join(p.text for p in doc.paragraphs)
    for number, title in enumerate(titles, start=1):
        assert f"{number}. {title}" in text
    assert len(doc.tables) >= 3
    images = [r for r in doc.part.rels.values() if "image" in r.reltype]
    assert images, "no chart image"


def test_the_docx_counts_of_indicators_are_the_engines(world):
    evaluation = _engine_result(world)
    doc = _docx(world, "en")
    with translation.override("en"):
        table = _table(doc, "Goal")
        header = [c.text for c in table.rows[0].cells]
        on_track = header.index("On track")
        off_track = header.index("Off track")
    rows = table.rows[1:]
    assert (
        sum(int(r.cells[on_track].text) for r in rows)
        == evaluation.plan_result.counts[engine.Status.ON_TRACK]
    )
    assert (
        sum(int(r.cells[off_track].text) for r in rows)
        == evaluation.plan_result.counts[engine.Status.OFF_TRACK]
    )
    assert evaluation.plan_result.counts[engine.Status.ON_TRACK] == 2  # the world's two values on track
    for row, goal in zip(rows, world.plan.elements.filter(parent=None).order_by("position"), strict=True):
        assert row.cells[0].text.startswith(goal.code)
        counts = evaluation.elements[goal.pk].counts
        assert int(row.cells[on_track].text) == counts[engine.Status.ON_TRACK]


def test_the_report_lists_the_off_track_indicator_with_the_verifiers_reason(world):
    doc = _docx(world, "en")
    table = _table(doc, "Indicator")
    found = [
        t
        for t in doc.tables
        if "The public procurement was delayed" in "".join(c.text for r in t.rows for c in r.cells)
    ]
    assert found, "the override's reason is not in the report"
    assert table is not None
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Actions taken" in text and "General conditions" in text and "Conclusions" in text


def test_the_first_page_says_values_await_approval(world):
    data = selectors.annual_report_data(world.report, "en")
    assert data.awaiting == 2  # one submitted value under each goal
    with translation.override("en"):
        document = compose.annual_report_document(data)
    assert document.notice == f"This report was generated while 2 values of {YEAR} still await approval."


def test_the_pdf_carries_the_same_headings_and_figures(world):
    evaluation = _engine_result(world)
    reader = PdfReader(io.BytesIO(tasks.report_bytes(world.report, fmt="pdf", language="en")))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    with translation.override("en"):
        for title in compose.section_titles():
            assert title in text
    assert "Progress by goal" in text
    assert f"2 values of {YEAR} still await approval" in text
    on_track = evaluation.plan_result.counts[engine.Status.ON_TRACK]
    assert f"{on_track} are on track" in text
    assert "The public procurement was delayed" in text


def test_cost_per_unit_and_spending_by_source(world):
    data = selectors.annual_report_data(world.report, "en")
    row = next(r for r in data.projects if r.project.pk == world.project.pk)
    assert [cost for _item, cost in row.unit_costs] == [40000 / 8]
    eu = next(s for s in data.spending if s.source == "eu")
    assert (eu.planned, eu.funded, eu.spent) == (
        180000,
        160000,
        80000,
    )  # each goal: 90 000 planned, 80 000 funded, 40 000 spent


def test_publicity_and_recommendations_rows_make_their_tables(world):
    data = selectors.annual_report_data(world.report, "en")
    data.publicity = [
        selectors.PublicityRow(datetime.date(YEAR, 5, 14), "Press conference", "Opening", "Sopot", 40)
    ]
    data.recommendations = [
        selectors.RecommendationRow(
            "Speed up procurement",
            "Mid-term evaluation",
            "Accepted",
            "Projects unit",
            datetime.date(YEAR, 12, 31),
            "In progress",
            True,
        )  # fmt: skip
    ]
    with translation.override("en"):
        document = compose.annual_report_document(data)
    captions = [getattr(b, "caption", "") for b in document.blocks]
    assert f"Publicity of {YEAR}" in captions
    assert "Recommendations of the evaluations and their follow-up" in captions
    table = next(b for b in document.blocks if getattr(b, "caption", "") == f"Publicity of {YEAR}")
    assert table.rows == (("14.05.2019", "Press conference", "Opening", "Sopot", "40", ""),)


def test_an_indicator_serving_two_goals_is_listed_once_among_the_off_track(world):
    other_goal = world.plan.elements.get(code="G2")
    world.off_track.also_elements.add(other_goal)
    data = selectors.annual_report_data(world.report, "en")
    assert [item.indicator.pk for item in data.off_track] == [world.off_track.pk]
    assert [row.item.indicator.pk for row in data.overrides] == [world.off_track.pk]
    assert data.context[0].values == (None, 10300.0, None, 10100.0, None, 9900.0)  # 2014–2019


def test_a_context_indicator_is_drawn_with_its_values_by_year(world):
    data = selectors.annual_report_data(world.report, "en")
    with translation.override("en"):
        document = compose.annual_report_document(data)
    figure = next(b for b in document.blocks if getattr(b, "caption", "").endswith("Population"))
    assert figure.chart.x_labels == ("2014", "2015", "2016", "2017", "2018", "2019")
    assert figure.chart.series[0].values == (None, 10300.0, None, 10100.0, None, 9900.0)


def test_a_tracked_recommendation_becomes_the_reports_row():
    """The shape evaluations.selectors.recommendations_for_plan gives (TrackedRecommendation)."""
    recommendation = SimpleNamespace(
        text="Ускоряване на обществените поръчки", evaluation="Междинна оценка 2017", response="accepted",
        get_response_display=lambda: "Приета", responsible_unit="Отдел „Проекти“", deadline=datetime.date(2019, 6, 30),
        get_status_display=lambda: "В изпълнение",
    )  # fmt: skip
    row = selectors.recommendation_row(SimpleNamespace(recommendation=recommendation, overdue=True))
    assert row == selectors.RecommendationRow(
        "Ускоряване на обществените поръчки", "Междинна оценка 2017", "Приета", "Отдел „Проекти“",
        datetime.date(2019, 6, 30), "В изпълнение", True,
    )  # fmt: skip
