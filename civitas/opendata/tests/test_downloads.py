"""The bulk downloads: contents against the database (only what is public, no personal data),
each format read back by its own reader, constant queries as the data grows, and bad input."""

import csv
import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from civitas.consultations.models import Answer, Consultation, Decision, Proposal, ProposalState
from civitas.indicators.models import IndicatorChange
from civitas.opendata import datasets, downloads
from civitas.plans.models import PlanStatus
from civitas.surveys.models import Answer as SurveyAnswer
from civitas.surveys.models import Response
from civitas.testing import factories as f

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[3] / "docs" / "open-data.md"


def _consultation(town, slug, status, **extra):
    now = timezone.now()
    return Consultation.objects.create(
        municipality=town, slug=slug, title_bg="Обществено обсъждане", opens_at=now - datetime.timedelta(days=40),
        closes_at=now - datetime.timedelta(days=5), status=status, **extra,
    )  # fmt: skip


def _grow(town, plan, element, n: int, tag: str) -> None:
    """``n`` more of everything that has rows: projects with funding, indicators with values,
    proposals with answers, responses to the survey."""
    consultation = Consultation.objects.get(municipality=town, slug="published")
    survey = town.surveys.get(slug="parks")
    question = survey.questions.get()
    option = question.options.first()
    for i in range(n):
        project = f.ProjectFactory(municipality=town, code=f"{tag}{i}")
        f.FundingLineFactory(project=project)
        indicator = f.IndicatorFactory(element=element, code=f"{tag}-I{i}")
        f.MeasurementFactory(indicator=indicator, year=2016)
        f.MeasurementFactory(indicator=indicator, year=2017)
        f.TargetFactory(indicator=indicator)
        proposal = Proposal.objects.create(consultation=consultation, text=f"Предложение {tag}{i}")
        Answer.objects.create(proposal=proposal, decision=Decision.ACCEPTED, reasons_bg="Приема се")
        response = Response.objects.create(survey=survey)
        SurveyAnswer.objects.create(response=response, question=question, option=option)


@pytest.fixture
def town():
    """Sopot with one of everything public and, beside each, what must never be published."""
    sopot = f.MunicipalityFactory(slug="sopot", name_bg="Сопот", name_en="Sopot", email="obshtina@sopot.bg")
    plan = f.PlanFactory(municipality=sopot, slug="pir", title_bg="План за интегрирано развитие", period_start=2021,
                         period_end=2027)  # fmt: skip
    draft = f.PlanFactory(municipality=sopot, slug="draft", status=PlanStatus.DRAFT, title_bg="Чернова")
    element = f.PlanElementFactory(plan=plan, code="П1", title_bg="Икономика")
    hidden_element = f.PlanElementFactory(plan=draft, code="Ч1")
    indicator = f.IndicatorFactory(element=element, code="I-1", name_bg="Заетост")
    f.MeasurementFactory(indicator=indicator, year=2022, value=Decimal("12.5"))
    f.MeasurementFactory(indicator=indicator, year=2023, value=Decimal("999"), state="submitted")
    f.MeasurementFactory(indicator=f.IndicatorFactory(element=hidden_element, code="D-1"), year=2022)
    IndicatorChange.objects.create(indicator=indicator, field="value", period="2022", old_value="12",
                                   new_value="12.5", reason="Поправка")  # fmt: skip
    IndicatorChange.objects.create(indicator=indicator, field="value", reason="internal", is_public=False)
    project = f.ProjectFactory(municipality=sopot, code="P-1", title_bg="=HYPERLINK(\"x\")",
                               responsible_person="Иван Петров")  # fmt: skip
    f.FundingLineFactory(project=project, amount=Decimal("2500.50"))
    published = _consultation(sopot, "published", "published")
    hidden = Proposal.objects.create(consultation=published, text="обидно", state=ProposalState.HIDDEN,
                                     hidden_reason="Обиден език", submitter_name="Мария Тайна")  # fmt: skip
    shown = Proposal.objects.create(consultation=published, text="Още паркинги", submitter_name="Мария Тайна",
                                    organisation="Сдружение")  # fmt: skip
    Answer.objects.create(proposal=shown, decision=Decision.ACCEPTED, reasons_bg="Ще бъде отразено")
    Proposal.objects.create(consultation=published, text="чака", state=ProposalState.PENDING)
    Answer.objects.create(proposal=hidden, decision=Decision.NOT_APPLICABLE, reasons_bg="Неприложимо")
    _consultation(sopot, "draft", "draft")
    survey = f.SurveyFactory(municipality=sopot, slug="parks")
    question = f.QuestionFactory(survey=survey, text_bg="Харесвате ли парка?")
    yes = f.OptionFactory(question=question, label_bg="Да")
    f.OptionFactory(question=question, label_bg="Не")
    response = Response.objects.create(survey=survey)
    SurveyAnswer.objects.create(response=response, question=question, option=yes)
    private = f.SurveyFactory(municipality=sopot, slug="private", results_public=False)
    f.QuestionFactory(survey=private, text_bg="Таен въпрос")
    other = f.MunicipalityFactory(slug="karlovo", name_bg="Карлово")
    f.ProjectFactory(municipality=other, code="K-1")
    sopot.plan, sopot.element = plan, element
    return sopot


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def _jsonl(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return [json.loads(line) for line in body.splitlines()]


def test_csv_has_the_public_values_only_with_cyrillic_and_a_dated_file_name(client, town):
    response = client.get("/sopot/open-data/measurements.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    day = timezone.localdate().isoformat()
    assert f'filename="sopot-measurements-{day}.csv"' in response["Content-Disposition"]
    rows = _csv(response)
    assert [(r["indicator"], r["period"], r["value"]) for r in rows] == [("I-1", "2022", "12.5")]
    assert list(rows[0]) == datasets.MEASUREMENTS.header
    plans = _csv(client.get("/sopot/open-data/plans.csv"))
    assert [p["title_bg"] for p in plans] == ["План за интегрирано развитие"]  # not the draft


def test_the_installation_has_every_municipality_and_counts_match_the_database(client, town, monkeypatch):
    monkeypatch.setattr(downloads, "DOWNLOADS_PER_MINUTE", 1000)
    rows = _csv(client.get("/open-data/projects.csv"))
    assert sorted(r["municipality"] for r in rows) == ["karlovo", "sopot"]
    for dataset in datasets.DATASETS:
        counted = dataset.count(None)
        if counted is not None:
            assert len(_csv(client.get(f"/open-data/{dataset.slug}.csv"))) == counted, dataset.slug
    assert datasets.MEASUREMENTS.count(town) == 1
    assert datasets.ELEMENTS.count(town) == 1
    assert datasets.PROPOSALS.count(town) == 2


def test_a_formula_stays_text_in_csv_and_xlsx(client, town):
    rows = _csv(client.get("/sopot/open-data/projects.csv"))
    assert rows[0]["title_bg"] == '\'=HYPERLINK("x")'
    response = client.get("/sopot/open-data/projects.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["projects"]
    cell = sheet.cell(row=2, column=datasets.PROJECTS.header.index("title_bg") + 1)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"


def test_xlsx_opens_with_the_same_rows_as_the_database(client, town):
    response = client.get("/sopot/open-data/funding.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["funding"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == datasets.FUNDING.header
    assert len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["project"] == "P-1" and record["amount"] == 2500.5 and record["is_ceiling"] is False


def test_jsonl_parses_with_typed_values(client, town):
    response = client.get("/sopot/open-data/measurements.jsonl")
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    [record] = _jsonl(response)
    assert record["indicator"] == "I-1" and record["value"] == 12.5 and record["breakdown"] == {}
    [indicator] = _jsonl(client.get("/sopot/open-data/indicators.jsonl"))
    assert indicator["name_bg"] == "Заетост" and indicator["plan"] == "pir" and indicator["element"] == "П1"


def test_consultation_tables_carry_no_personal_data_and_answers_only_when_published(client, town):
    rows = _jsonl(client.get("/sopot/open-data/proposals.jsonl"))
    assert [(r["state"], r["text"], r["hidden_reason"]) for r in rows] == [
        ("hidden", "", "Обиден език"), ("visible", "Още паркинги", ""),
    ]  # fmt: skip
    assert rows[1]["decision"] == "accepted" and rows[1]["reasons_bg"] == "Ще бъде отразено"
    everything = json.dumps(rows, ensure_ascii=False) + json.dumps(
        _jsonl(client.get("/sopot/open-data/projects.jsonl")), ensure_ascii=False
    )
    for private in ("Мария Тайна", "Сдружение", "Иван Петров", "чака", "internal"):
        assert private not in everything
    Consultation.objects.filter(slug="published").update(status="closed")
    rows = _jsonl(client.get("/sopot/open-data/proposals.jsonl"))
    assert {r["decision"] for r in rows} == {None}


def test_survey_results_are_aggregated_and_only_where_public(client, town):
    rows = _csv(client.get("/sopot/open-data/survey-results.csv"))
    assert {r["survey"] for r in rows} == {"parks"}
    by_answer = {r["answer"]: r for r in rows}
    assert by_answer["Да"]["respondents"] == "1" and by_answer["Да"]["share"] == "100.0"
    assert by_answer["Не"]["respondents"] == "0"


def test_public_corrections_only(client, town):
    rows = _csv(client.get("/sopot/open-data/indicator-changes.csv"))
    assert [(r["indicator_code"], r["new_value"], r["reason"]) for r in rows] == [("I-1", "12.5", "Поправка")]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_streamed_exports_run_the_same_queries_whatever_the_size(client, town, fmt, monkeypatch):
    monkeypatch.setattr(downloads, "DOWNLOADS_PER_MINUTE", 1000)

    def queries(dataset: str) -> int:
        b"".join(
            client.get(f"/sopot/open-data/{dataset}.{fmt}").streaming_content
        )  # the questionnaire cached
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(f"/sopot/open-data/{dataset}.{fmt}").streaming_content)
        return len(captured)

    _grow(town, town.plan, town.element, 2, "A")
    before = {d.slug: queries(d.slug) for d in datasets.DATASETS}
    _grow(town, town.plan, town.element, 6, "B")
    after = {d.slug: queries(d.slug) for d in datasets.DATASETS}
    assert after == before
    assert max(before.values()) <= 12  # the municipality, one query per table; a survey's aggregates
    assert len(_csv(client.get("/sopot/open-data/measurements.csv"))) == 1 + 2 * 8


@pytest.mark.parametrize(
    "url",
    [
        "/sopot/open-data/unknown.csv",
        "/sopot/open-data/plans.pdf",
        "/no-such-town/open-data/plans.csv",
        "/open-data/plans.exe",
        "/open-data/secret.jsonl",
        "/no-such-town/catalog.ttl",
        "/no-such-town/open-data/",
    ],
)
def test_bad_addresses_are_404(client, town, url):
    assert client.get(url).status_code == 404


def test_a_client_that_downloads_too_much_waits_a_minute(client, town, monkeypatch):
    monkeypatch.setattr(downloads, "DOWNLOADS_PER_MINUTE", 2)
    assert [client.get("/open-data/plans.csv").status_code for _ in range(3)] == [200, 200, 429]
    refused = client.get("/sopot/open-data/plans.jsonl")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    # The files' addresses carry no language: the message is in the site's default, Bulgarian.
    assert refused.content.decode() == "Твърде много изтегляния; опитайте отново след минута."


def test_a_write_method_is_refused(client, town):
    assert client.post("/sopot/open-data/plans.csv").status_code == 405


def test_the_page_lists_every_dataset_with_its_files_and_counts(client, town, django_assert_num_queries):
    counted = sum(dataset.count(town) is not None for dataset in datasets.DATASETS)
    with django_assert_num_queries(1 + counted):  # the municipality, a count per dataset that has one
        response = client.get("/sopot/open-data/")
    assert response.status_code == 200
    page = response.content.decode()
    for dataset in datasets.DATASETS:
        for fmt in ("csv", "xlsx", "jsonl"):
            assert f'href="/sopot/open-data/{dataset.slug}.{fmt}"' in page
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in page
    assert 'href="/sopot/catalog.ttl"' in page and "CC BY 4.0" in page
    installation = client.get("/en/open-data/").content.decode()
    assert 'href="/open-data/measurements.csv"' in installation
    assert 'href="/en/sopot/open-data/"' in installation and "Open data" in installation


def test_the_footer_links_to_the_open_data_page(client, town):
    assert 'href="/sopot/open-data/"' in client.get("/sopot/").content.decode()


def test_the_data_dictionary_documents_every_dataset_and_column():
    text = DOCS.read_text(encoding="utf-8")
    for dataset in datasets.DATASETS:
        assert f"`{dataset.slug}`" in text, dataset.slug
        section = text.split(f"`{dataset.slug}`", 1)[1].split("\n## ", 1)[0]
        for column in dataset.columns:
            assert f"| `{column.name}` | {column.type} |" in section, (dataset.slug, column.name)
