"""An evaluation's report, generated like the annual report: its data read in a fixed number of
queries, the DOCX opened with python-docx and the PDF's text with pypdf (headings, the criteria's
table with the ratings' labels, the chart as an image, the recommendations with their statuses
and overdue flags as the database has them), the background generation from the evaluation's
staff page with its progress, who may download the files, and the command with its bad input."""

import datetime
import io

import docx
import pytest
from django.core.cache import cache
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from pypdf import PdfReader

from civitas.core.models import Role
from civitas.core.permissions import OPERATOR
from civitas.evaluations import rules
from civitas.evaluations import services as evaluation_services
from civitas.evaluations.models import Criterion, Rating, Recommendation
from civitas.reports import evaluation_report, render, selectors, services, tasks
from civitas.reports.models import GenerationStatus, ReportFile
from civitas.testing.factories import (
    CriterionRatingFactory,
    DecisionFactory,
    EvaluationFactory,
    IndicatorFactory,
    MunicipalityFactory,
    PlanElementFactory,
    RecommendationFactory,
)
from civitas.testing.pages import url
from civitas.testing.signin import sign_in_with_role

pytestmark = pytest.mark.django_db

PAST = datetime.date(2018, 6, 30)
FUTURE = datetime.date(2099, 12, 31)
# The ratings given to the six criteria, in their order.
RATINGS = (4, 3, 2, 3, 2, 1)
HEADINGS_EN = [
    "1. Subject and method of the evaluation",
    "2. Findings by criterion",
    "2.1 Relevance",
    "2.2 Coherence",
    "2.3 Effectiveness",
    "2.4 Efficiency",
    "2.5 Impact",
    "2.6 Sustainability",
    "3. Recommendations",
    "4. Follow-up of the recommendations",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot-eval", name_bg="Сопот", name_en="Sopot")


def add_recommendations(evaluation, start: int, count: int) -> None:
    """Recommendations in turn overdue (past, in progress), done (past), open (future) and without
    a deadline."""
    kinds = (
        {"deadline": PAST, "status": "in_progress", "response": "accepted"},
        {"deadline": PAST, "status": "done", "response": "accepted"},
        {"deadline": FUTURE, "status": "open", "response": "partly_accepted"},
        {"deadline": None, "status": "closed", "response": "rejected"},
    )
    for n in range(start, start + count):
        RecommendationFactory(
            evaluation=evaluation, number=n, text_en=f"Recommendation text {n}",
            responsible_unit_en=f"Directorate {n}", action_en=f"Action {n}", **kinds[(n - 1) % len(kinds)],
        )  # fmt: skip


def make_evaluation(town, *, status="draft", decision=None, evidence=1, recommendations=4):
    evaluation = EvaluationFactory(
        municipality=town, status=status, decision=decision, title_en="Mid-term evaluation of the plan",
        evaluator_name_en="An external evaluator", period_start=2014, period_end=2016,
        summary_en="The plan is relevant and coherent.",
    )  # fmt: skip
    element = PlanElementFactory(plan=evaluation.plan)
    for criterion, rating in zip(Criterion.values, RATINGS, strict=True):
        found = CriterionRatingFactory(
            evaluation=evaluation, criterion=criterion, rating=rating, findings_en=f"Findings on {criterion}"
        )
        for n in range(evidence):
            found.evidence.create(kind="indicator", indicator=IndicatorFactory(element=element))
            found.evidence.create(
                kind="link", url=f"https://example.org/{criterion}/{n}", label_en=f"Study {n}"
            )
    add_recommendations(evaluation, 1, recommendations)
    return evaluation


def data_of(evaluation, language="en"):
    return selectors.evaluation_report_data(
        municipality=evaluation.municipality, pk=evaluation.pk, language=language, as_of=timezone.localdate()
    )


def document_of(evaluation, language="en"):
    data = data_of(evaluation, language)
    with translation.override(language):
        return evaluation_report.evaluation_report_document(data)


def expected_rows(evaluation) -> list[tuple[str, str, str]]:
    """(number, status, overdue) of each recommendation as the database has them, in English."""
    today = timezone.localdate()
    rows = []
    with translation.override("en"):
        for r in Recommendation.objects.filter(evaluation=evaluation).order_by("number"):
            overdue = rules.is_overdue(deadline=r.deadline, status=r.status, as_of=today)
            rows.append((str(r.number), r.get_status_display(), "yes" if overdue else "no"))
    return rows


# The data ---------------------------------------------------------------------------------------


def test_the_data_is_read_in_four_queries_however_many_ratings_evidence_and_recommendations(
    town, django_assert_num_queries
):
    small = make_evaluation(town, evidence=0, recommendations=1)
    large = make_evaluation(town, evidence=5, recommendations=12)
    for evaluation in (small, large):
        with django_assert_num_queries(4):
            data = data_of(evaluation)
    assert [row.criterion for row in data.criteria] == Criterion.values
    assert sum(len(row.evidence) for row in data.criteria) == 6 * 10
    assert len(data.recommendations) == 12


def test_an_unrated_criterion_is_reported_as_not_rated(town):
    evaluation = EvaluationFactory(municipality=town)
    CriterionRatingFactory(evaluation=evaluation, criterion="impact", rating=None)
    data = data_of(evaluation)
    assert [row.rating for row in data.criteria] == [None] * 6
    with translation.override("en"):
        assert evaluation_report.rating_text(data.criteria[4]) == "Not rated"


# The DOCX ---------------------------------------------------------------------------------------


@pytest.fixture
def published(town):
    decision = DecisionFactory(municipality=town, number=412, date=datetime.date(2017, 12, 21))
    evaluation = make_evaluation(town, status="draft", decision=decision)
    return evaluation_services.evaluation_publish(
        actor=OPERATOR, evaluation=evaluation, expected_version=evaluation.version
    )


def test_the_docx_has_the_title_page_headings_criteria_chart_and_recommendations(published):
    word = docx.Document(io.BytesIO(tasks.evaluation_report_bytes(published, fmt="docx", language="en")))
    texts = [p.text for p in word.paragraphs]
    assert "Mid-term evaluation of the plan" in texts
    subtitle = next(p.text for p in word.paragraphs if p.style.name == "Subtitle")
    assert subtitle.startswith("Mid-term evaluation")
    assert "period evaluated 2014–2016" in subtitle
    assert "approved by Decision № 412 of the Municipal Council of 21.12.2017" in subtitle
    assert any("Evaluator: An external evaluator" in t for t in texts)
    assert not any(p.style.name == "Civitas Warning" and "Draft" in p.text for p in word.paragraphs)
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings == HEADINGS_EN

    criteria = next(t for t in word.tables if t.rows[0].cells[1].text == "Criterion")
    with translation.override("en"):
        expected = [
            [str(i), str(label), f"{rating} of 4: {Rating(rating).label}"]
            for i, ((_, label), rating) in enumerate(zip(Criterion.choices, RATINGS, strict=True), 1)
        ]
    assert [[c.text for c in row.cells[:3]] for row in criteria.rows[1:]] == expected
    assert len(word.inline_shapes) == 1  # the ratings' chart, as an image

    recommendations = next(t for t in word.tables if t.rows[0].cells[1].text == "Recommendation")
    header = [c.text for c in recommendations.rows[0].cells]
    assert header == [
        "№",
        "Recommendation",
        "Response",
        "Action",
        "Responsible",
        "Deadline",
        "Status",
        "Overdue",
    ]
    rows = [[c.text for c in row.cells] for row in recommendations.rows[1:]]
    assert [(r[0], r[6], r[7]) for r in rows] == expected_rows(published)
    assert rows[0][1:6] == ["Recommendation text 1", "Accepted", "Action 1", "Directorate 1", "30.06.2018"]
    by_status = next(t for t in word.tables if t.rows[0].cells[0].text == "Status")
    counts = {row.cells[0].text: row.cells[1].text for row in by_status.rows[1:]}
    assert counts == {
        "Open": "1",
        "In progress": "1",
        "Done": "1",
        "Closed": "1",
        "Overdue": "1",
        "Total": "4",
    }
    body = "\n".join(texts)
    assert "https://example.org/relevance/0" in body  # the evidence, with its address
    assert "Overdue: recommendation 1 (deadline 30.06.2018, Directorate 1)." in body


def test_a_drafts_report_says_so_on_its_first_page(town):
    evaluation = make_evaluation(town)
    word = docx.Document(io.BytesIO(tasks.evaluation_report_bytes(evaluation, fmt="docx", language="en")))
    first_page = [p for p in word.paragraphs[:8] if p.style.name == "Civitas Warning"]
    assert [p.text for p in first_page] == [
        "Draft: this evaluation is not published yet and may still change."
    ]


def test_the_bulgarian_report_has_the_bulgarian_texts(published):
    document = document_of(published, "bg")
    assert document.title == published.title_bg and document.language == "bg"
    word = docx.Document(io.BytesIO(render.render_docx(document)))
    assert any(p.text == published.title_bg for p in word.paragraphs)
    cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
    assert any(c.startswith("Препоръка") for c in cells)  # the recommendations' Bulgarian text


# The PDF ----------------------------------------------------------------------------------------


def test_the_pdf_has_the_headings_ratings_and_recommendations(published):
    reader = PdfReader(io.BytesIO(tasks.evaluation_report_bytes(published, fmt="pdf", language="en")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for heading in HEADINGS_EN:
        assert heading in flat
    assert "4 of 4: Highly satisfactory" in flat and "1 of 4: Unsatisfactory" in flat
    assert "Figure 1. Ratings by criterion on the scale of 4" in flat
    assert "Recommendation text 1" in flat and "In progress" in flat
    assert "approved by Decision № 412" in flat


# Generation, pages and files --------------------------------------------------------------------


def test_generating_queues_a_file_and_the_task_writes_it(published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        generated = services.evaluation_report_generate(
            actor=OPERATOR, evaluation=published, format="pdf", language="bg"
        )
    generated.refresh_from_db()
    assert (generated.status, generated.progress, generated.is_published) == (
        GenerationStatus.DONE,
        100,
        True,
    )
    assert generated.file.name.endswith(f"evaluation-{published.pk}-bg.pdf")
    assert generated.file.read()[:5] == b"%PDF-"


def test_a_failed_generation_is_recorded_with_its_reason(published, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(tasks.render, "render_pdf", broken)
    generated = ReportFile.objects.create(evaluation=published, format="pdf", language="en")
    assert tasks.report_file_run(file_id=generated.pk) == "failed"
    generated.refresh_from_db()
    assert generated.status == GenerationStatus.FAILED and "the disk is full" in generated.message
    assert selectors.evaluation_published_files(published) == []


def test_a_file_belongs_to_a_report_or_an_evaluation_not_both_nor_neither(published):
    with pytest.raises(IntegrityError):
        ReportFile.objects.create(format="pdf", language="en")


def test_an_unknown_format_is_refused(published):
    with pytest.raises(Exception, match="format"):
        services.evaluation_report_generate(actor=OPERATOR, evaluation=published, format="odt", language="bg")
    assert not ReportFile.objects.exists()


def test_an_evaluator_generates_the_report_from_the_evaluations_page(
    client, town, django_capture_on_commit_callbacks
):
    evaluation = make_evaluation(town)
    sign_in_with_role(client, town, Role.EVALUATOR)
    m = town.slug
    page = client.get(url("evaluations_manage:edit", m, evaluation.pk, lang="en")).content.decode()
    assert "Generate the evaluation report" in page
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(
            url("reports_manage:evaluation_generate", m, evaluation.pk), {"format": "docx", "language": "en"}
        )
    assert posted.status_code == 302 and posted["Location"].endswith("#report-files")
    generated = evaluation.report_files.get()
    assert (generated.status, generated.is_published) == (GenerationStatus.DONE, False)
    page = client.get(url("evaluations_manage:edit", m, evaluation.pk)).content.decode()
    assert generated.file.url in page
    row = client.get(
        url("reports_manage:evaluation_file_status", m, evaluation.pk, generated.pk),
        headers={"HX-Request": "true"},
    )
    assert row.status_code == 200 and "hx-trigger" not in row.content.decode()
    # The draft's file is for the staff only.
    assert client.get(generated.file.url).status_code == 200
    client.logout()
    assert client.get(generated.file.url).status_code == 404


def test_a_running_generation_is_polled(client, town):
    evaluation = make_evaluation(town)
    running = ReportFile.objects.create(evaluation=evaluation, format="pdf", language="bg", progress=40,
                                        status=GenerationStatus.RUNNING)  # fmt: skip
    sign_in_with_role(client, town, Role.EVALUATOR)
    status_url = url("reports_manage:evaluation_file_status", town.slug, evaluation.pk, running.pk)
    row = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in row and "40" in row
    assert client.get(status_url).status_code == 302  # without JavaScript: the evaluation's page
    page = client.get(url("evaluations_manage:edit", town.slug, evaluation.pk, lang="en")).content.decode()
    assert "Refresh" in page


def test_only_those_who_write_evaluations_generate_their_report(client, town):
    evaluation = make_evaluation(town)
    sign_in_with_role(client, town, Role.PLANNER)
    posted = client.post(
        url("reports_manage:evaluation_generate", town.slug, evaluation.pk),
        {"format": "docx", "language": "bg"},
    )
    assert posted.status_code == 403
    assert not ReportFile.objects.exists()


def test_another_municipalitys_evaluation_is_not_found_from_here(client, town):
    other = make_evaluation(MunicipalityFactory(slug="elsewhere"))
    sign_in_with_role(client, town, Role.EVALUATOR)
    posted = client.post(
        url("reports_manage:evaluation_generate", town.slug, other.pk), {"format": "docx", "language": "bg"}
    )
    assert posted.status_code == 404


def test_a_published_evaluations_page_offers_its_report(
    client, published, django_capture_on_commit_callbacks
):
    m = published.municipality.slug
    assert (
        "evaluation-report-downloads"
        not in client.get(url("evaluations:detail", m, published.pk)).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        for language in ("bg", "en"):
            services.evaluation_report_generate(
                actor=OPERATOR, evaluation=published, format="pdf", language=language
            )
    files = selectors.evaluation_published_files(published)
    assert [(f.language, f.format) for f in files] == [("bg", "pdf"), ("en", "pdf")]
    page = client.get(url("evaluations:detail", m, published.pk)).content.decode()  # the cache refreshed
    assert all(f.file.url in page for f in files)
    response = client.get(files[0].file.url)
    assert response.status_code == 200


# The command ------------------------------------------------------------------------------------


def test_the_command_writes_the_evaluations_report(published, tmp_path):
    m = published.municipality.slug
    output = tmp_path / "evaluation.docx"
    call_command("generate_report", "--municipality", m, "--evaluation", str(published.pk), "--format", "docx",
                 "-o", str(output), stdout=io.StringIO())  # fmt: skip
    assert docx.Document(str(output)).paragraphs[1].text == published.title_bg
    pdf = tmp_path / "evaluation.pdf"
    call_command("generate_report", "--municipality", m, "--evaluation", str(published.pk), "--format", "pdf",
                 "--language", "en", "-o", str(pdf), stdout=io.StringIO())  # fmt: skip
    assert "Mid-term evaluation of the plan" in PdfReader(str(pdf)).pages[0].extract_text()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--evaluation", "999999"], "no evaluation 999999 in the municipality “sopot-eval”"),
        (["--evaluation", "OTHER"], "in the municipality “sopot-eval”"),
        (["--evaluation", "OWN", "--plan", "opr"], "either --evaluation, or --plan and --year"),
        (["--plan", "opr"], "give --plan and --year"),
        ([], "give --plan and --year"),
    ],
)
def test_the_command_refuses_bad_input(town, tmp_path, extra, message):
    own = make_evaluation(town, recommendations=0)
    other = make_evaluation(MunicipalityFactory(slug="elsewhere"), recommendations=0)
    args = [{"OWN": str(own.pk), "OTHER": str(other.pk)}.get(a, a) for a in extra]
    with pytest.raises(CommandError) as refused:
        call_command("generate_report", "--municipality", town.slug, *args, "-o", str(tmp_path / "x.docx"))
    assert message in str(refused.value)
    assert not (tmp_path / "x.docx").exists()


def test_the_command_exits_non_zero_on_bad_input(town, tmp_path):
    """As a shell runs it: an error message and a non-zero exit status."""
    argv = ["manage.py", "generate_report", "--municipality", town.slug, "--evaluation", "999999",
            "-o", str(tmp_path / "x.docx")]  # fmt: skip
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(argv).execute()
    assert exited.value.code != 0


def test_the_evaluations_pages_read_a_fixed_number_of_queries_however_many_files(
    client, published, django_capture_on_commit_callbacks
):
    """The public page reads the published files in one query, the staff page every file in one."""
    m = published.municipality.slug
    public = url("evaluations:detail", m, published.pk)
    staff = url("evaluations_manage:edit", m, published.pk)

    def counts() -> tuple[int, int]:
        cache.clear()
        with CaptureQueriesContext(connection) as public_queries:
            assert client.get(public).status_code == 200
        public_count = len(public_queries.captured_queries)
        sign_in_with_role(client, published.municipality, Role.EVALUATOR)
        with CaptureQueriesContext(connection) as staff_queries:
            assert client.get(staff).status_code == 200
        client.logout()
        return public_count, len(staff_queries.captured_queries)

    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        for language in ("bg", "en"):
            for fmt in ("docx", "pdf"):
                services.evaluation_report_generate(
                    actor=OPERATOR, evaluation=published, format=fmt, language=language
                )
    assert len(selectors.evaluation_published_files(published)) == 4
    assert counts() == before
    assert before[0] == 6  # municipality, evaluation, ratings, evidence, recommendations, files
