"""The annual reports' API: approved reports only, with the files generated when they were
approved (never a draft, never a file not published); filters, pagination and a fixed number of
queries."""

import pytest
from django.utils import timezone

from civitas.reports.models import AnnualReport, ReportFile
from civitas.testing.factories import DecisionFactory, MunicipalityFactory, PlanFactory

from .participation_checks import (
    as_text,
    load_sopot,
    refused,
    same_queries_at_two_sizes,
    walk,
    without_rate_limit,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports"


@pytest.fixture(autouse=True)
def _unlimited(settings):
    without_rate_limit(settings)


def report(plan, year: int, status="approved", **fields) -> AnnualReport:
    return AnnualReport.objects.create(
        municipality=plan.municipality, plan=plan, year=year, status=status,
        approved_at=timezone.now() if status == "approved" else None, **fields,
    )  # fmt: skip


def test_the_sopot_report_and_a_draft_that_never_appears(client):
    sopot = load_sopot()
    [approved] = AnnualReport.objects.filter(municipality=sopot, status="approved")
    draft = report(approved.plan, approved.year + 1, status="draft", conclusions_bg="Неодобрен извод")
    items = walk(client, URL + "?municipality=sopot")
    assert [i["id"] for i in items] == [approved.pk]
    assert "Неодобрен извод" not in as_text(client.get(URL))
    assert client.get(f"{URL}/{draft.pk}").status_code == 404
    body = client.get(f"{URL}/{approved.pk}").json()
    assert body["web_url"].endswith(f"/sopot/reports/{approved.pk}/") and body["year"] == approved.year
    assert body["plan"] == approved.plan.slug and body["decision_url"].endswith(
        f"/decisions/{approved.decision_id}"
    )
    assert body["conditions_bg"] == approved.conditions_bg


def test_only_the_files_published_with_the_report_are_given(client):
    plan = PlanFactory()
    approved = report(plan, 2015, decision=DecisionFactory(municipality=plan.municipality))
    older = ReportFile.objects.create(
        report=approved,
        format="pdf",
        language="bg",
        file="reports/2015/old.pdf",
        status="done",
        is_published=True,
    )
    newer = ReportFile.objects.create(
        report=approved,
        format="pdf",
        language="bg",
        file="reports/2015/new.pdf",
        status="done",
        is_published=True,
    )
    ReportFile.objects.create(
        report=approved, format="docx", language="bg", file="reports/2015/draft.docx", status="done"
    )
    ReportFile.objects.create(
        report=approved, format="docx", language="en", status="failed", is_published=True
    )
    files = client.get(f"{URL}/{approved.pk}").json()["files"]
    assert [(f["language"], f["format"]) for f in files] == [("bg", "pdf")]
    assert files[0]["url"].endswith(newer.file.url) and older.file.url not in str(files)


def test_filters_by_municipality_plan_and_year(client):
    plan, other = PlanFactory(), PlanFactory()
    first, second = report(plan, 2015), report(plan, 2016)
    report(other, 2015)
    town = plan.municipality.slug
    assert {i["id"] for i in walk(client, f"{URL}?municipality={town}")} == {first.pk, second.pk}
    assert [i["id"] for i in walk(client, f"{URL}?municipality={town}&year=2016")] == [second.pk]
    assert {i["id"] for i in walk(client, f"{URL}?plan={plan.slug}&municipality={town}")} == {
        first.pk,
        second.pk,
    }
    assert walk(client, f"{URL}?updated_since=2999-01-01") == []


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?year=2015.5", "invalid_parameter"),
        ("?municipality=Sopot!", "invalid_parameter"),
        ("?status=draft", "unknown_parameter"),
        ("?limit=0", "invalid_limit"),
    ],
)
def test_bad_filters_are_json_400s(client, query, code):
    refused(client, URL + query, code)


def test_pages_cost_the_same_whatever_their_size(client, django_assert_num_queries):
    town = MunicipalityFactory()
    reports = [report(PlanFactory(municipality=town), 2015) for _ in range(12)]
    for made in reports:
        ReportFile.objects.create(
            report=made,
            format="pdf",
            language="bg",
            file=f"reports/{made.pk}.pdf",
            status="done",
            is_published=True,
        )
    assert sorted(i["id"] for i in walk(client, URL + "?limit=5")) == sorted(r.pk for r in reports)
    # The page with plans and decisions, and the published files.
    same_queries_at_two_sizes(client, django_assert_num_queries, URL, 2, small=2, large=12)
    same_queries_at_two_sizes(client, django_assert_num_queries, f"{URL}?municipality={town.slug}", 3, 2, 12)
