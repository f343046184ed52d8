"""The national dataset generator at a tiny scale: what it stores, the same content for the same
seed, plans that evaluate, public pages that answer, existing municipalities kept, a second run
refused."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client

from civitas.consultations.models import Answer as ProposalAnswer
from civitas.consultations.models import Consultation, Proposal
from civitas.core.models import Municipality
from civitas.council.models import Decision
from civitas.demo import national
from civitas.demo.national import DatasetExists, Scale, generate, places
from civitas.evaluation.engine import Status
from civitas.forum.models import Post, Topic
from civitas.indicators.models import Indicator, Measurement, MeasurementState, Target
from civitas.indicators.selectors import evaluated_plan
from civitas.plans.models import Plan, PlanElement, PlanVersion
from civitas.projects.models import FundingLine, Project
from civitas.publicity.models import PublicityEvent
from civitas.reports.models import AnnualReport
from civitas.surveys.models import Answer as SurveyAnswer
from civitas.surveys.models import Response, Survey
from civitas.testing.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

TINY = Scale(
    municipalities=3, elements=14, projects=6, indicators=20, years=3, survey_answers=301, consultations=2,
    surveys=2, seed=7,
)  # fmt: skip


class Rollback(Exception):
    pass


def content() -> dict:
    """What the dataset holds, without keys or timestamps."""
    return {
        "municipalities": sorted(Municipality.objects.values_list("slug", "name_bg", "nuts", "population")),
        "elements": sorted(PlanElement.objects.values_list("plan__municipality__slug", "code", "title_bg")),
        "projects": sorted(
            Project.objects.values_list("municipality__slug", "code", "status", "progress", "declared_total")
        ),
        "funding": sorted(FundingLine.objects.values_list("project__code", "source", "amount")),
        "indicators": sorted(
            Indicator.objects.values_list(
                "municipality__slug", "code", "direction", "baseline_value", "element__code"
            )
        ),
        "targets": sorted(Target.objects.values_list("indicator__code", "year", "value")),
        "values": sorted(
            Measurement.objects.values_list(
                "indicator__municipality__slug",
                "indicator__code",
                "year",
                "sub",
                "value",
                "numerator",
                "state",
            )
        ),
        "answers": sorted(
            SurveyAnswer.objects.values_list(
                "response__survey__slug", "question__position", "option__label_bg", "number", "text"
            )
        ),  # fmt: skip
        "proposals": sorted(Proposal.objects.values_list("consultation__slug", "text", "received_at")),
        "decisions": sorted(
            Decision.objects.values_list("municipality__slug", "year", "number", "subject_bg")
        ),
    }


def test_the_tiny_scale_stores_what_it_says():
    summary = generate(TINY)
    assert Municipality.objects.count() == 3
    assert Plan.objects.filter(slug=TINY.plan_slug).count() == 3
    assert PlanElement.objects.count() == 3 * 14  # 2 priorities × 2 goals × 2 measures, cut at 14
    assert PlanElement.objects.filter(parent__parent__isnull=False).count() == 3 * 8
    assert Project.objects.count() == 3 * 6
    assert Indicator.objects.count() == 3 * 20
    assert Indicator.objects.filter(project__isnull=False).count() == 3 * 2
    assert SurveyAnswer.objects.count() == 301
    assert Survey.objects.count() == 3 * 2 and Response.objects.count() > 0
    assert Consultation.objects.count() == 3 * 2 and Proposal.objects.count() == 3 * 2 * 8
    assert ProposalAnswer.objects.count() > 0
    assert Topic.objects.count() == 9 and Post.objects.count() == 27
    assert AnnualReport.objects.filter(status="approved", decision__isnull=False).count() == 3 * 2
    assert PlanVersion.objects.filter(kind="adopted", decision__isnull=False).count() == 3
    assert PublicityEvent.objects.count() > 0
    # Every kind of indicator, values for every year, some awaiting verification.
    assert set(Indicator.objects.values_list("direction", flat=True)) == {"increase", "decrease", "maintain"}
    assert set(Indicator.objects.values_list("measure", flat=True)) == {"number", "percentage", "score"}
    assert set(Indicator.objects.values_list("target_kind", flat=True)) == {"trajectory", "threshold"}
    assert set(Measurement.objects.values_list("year", flat=True)) == {2019, 2020, 2021}
    assert Measurement.objects.filter(state=MeasurementState.SUBMITTED).exists()
    assert summary.counts["surveys.Answer"] == 301
    assert summary.counts["indicators.Measurement"] == Measurement.objects.count()
    # Content versions moved on, so no cached page or evaluation of before is used.
    assert not Municipality.objects.filter(planning_version=1).exists()
    assert not Municipality.objects.filter(participation_version=1).exists()


def test_the_same_seed_gives_the_same_content_and_another_seed_another():
    with pytest.raises(Rollback), transaction.atomic():
        generate(TINY)
        first = content()
        raise Rollback
    assert Municipality.objects.count() == 0
    with pytest.raises(Rollback), transaction.atomic():
        generate(TINY)
        assert content() == first
        raise Rollback
    generate(Scale(**(TINY.__dict__ | {"seed": 8})))
    other = content()
    assert other["municipalities"] == first["municipalities"]
    assert other["values"] != first["values"]


def test_a_generated_plan_evaluates_without_an_error():
    generate(TINY)
    plan = Plan.objects.select_related("municipality").get(municipality__slug="aytos", slug=TINY.plan_slug)
    # On the day after the last year's values were collected (later, the values are stale).
    _tree, evaluation = evaluated_plan(plan, as_of=datetime.date(TINY.last_year + 1, 3, 1))
    result = evaluation.plan_result
    assert result.indicators_total == 18  # the project's indicators are not the plan's
    assert result.indicators_with_data == 18
    evaluated = [e for group in evaluation.indicators.values() for e in group]
    assert [e.error for e in evaluated if e.error] == []
    assert sum(result.counts.values()) == 18
    assert result.counts[Status.NO_DATA] == 0 and result.counts[Status.ON_TRACK] > 0


def test_public_pages_of_a_generated_municipality_answer():
    generate(TINY)
    plan = Plan.objects.get(municipality__slug="aytos")
    project = Project.objects.filter(municipality__slug="aytos").first()
    indicator = Indicator.objects.filter(municipality__slug="aytos", element__isnull=False).first()
    event = PublicityEvent.objects.filter(municipality__slug="aytos").first()
    decision = Decision.objects.filter(municipality__slug="aytos").first()
    client = Client()
    for path in [
        "/aytos/", "/aytos/plans/", f"/aytos/plans/{plan.slug}/", f"/aytos/plans/{plan.slug}/1/",
        f"/aytos/plans/{plan.slug}/1.1.1/", "/aytos/projects/", f"/aytos/projects/{project.slug}/",
        f"/aytos/indicators/{indicator.code}/", "/aytos/consultations/", "/aytos/consultations/konsultatsia-1/",
        "/aytos/surveys/", "/aytos/surveys/anketa-1/results/", "/aytos/forum/", "/aytos/decisions/",
        f"/aytos/decisions/{decision.year}/{decision.number}/", "/aytos/publicity/",
        f"/aytos/publicity/events/{event.pk}/", "/aytos/reports/", f"/aytos/plans/{plan.slug}/versions/",
        "/api/v1/projects?municipality=aytos",
    ]:  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path


def test_an_existing_municipality_is_kept_and_not_duplicated():
    first = places()[0]
    kept = MunicipalityFactory(slug="avren-demo", name_bg=f"Община {first.name_bg}")
    summary = generate(TINY)
    assert summary.existing == ["avren-demo"]
    assert Municipality.objects.count() == 3
    assert Municipality.objects.filter(name_bg__endswith=first.name_bg).get() == kept
    assert Plan.objects.filter(municipality=kept, slug=TINY.plan_slug).exists()


def test_the_list_is_the_countrys_265_municipalities_with_unique_addresses():
    rows = places()
    assert len(rows) == 265
    assert len({p.slug for p in rows}) == 265
    assert {"sopot", "stolichna", "byala-ruse", "byala-varna"} <= {p.slug for p in rows}
    assert all(p.province_bg in national.NUTS for p in rows)


def test_a_second_run_refuses_and_changes_nothing():
    call_command("generate_national_dataset", *_options(TINY), stdout=StringIO())
    before = content()
    with pytest.raises(CommandError, match="pir-2019-"):  # names the plan that is there
        call_command("generate_national_dataset", *_options(TINY), stdout=StringIO())
    with pytest.raises(DatasetExists):
        generate(TINY)
    assert content() == before


def test_the_command_reports_counts_and_refuses_a_bad_scale():
    out = StringIO()
    call_command("generate_national_dataset", *_options(TINY), stdout=out)
    assert "surveys.Answer" in out.getvalue() and "301" in out.getvalue()
    with pytest.raises(CommandError, match="municipalities"):
        call_command("generate_national_dataset", "--municipalities", "0", stdout=StringIO())


def _options(scale: Scale) -> list[str]:
    return [f"--{name.replace('_', '-')}={value}" for name, value in scale.__dict__.items()]
