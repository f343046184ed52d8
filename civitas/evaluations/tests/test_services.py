"""The services of evaluations refuse bad input with a clear message and change nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from civitas.core.errors import ConflictError
from civitas.core.permissions import OPERATOR
from civitas.evaluations import selectors, services
from civitas.evaluations.models import Criterion, Recommendation
from civitas.testing.factories import (
    CriterionRatingFactory,
    DecisionFactory,
    EvaluationFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db


def published(**fields):
    evaluation = EvaluationFactory(**fields)
    for criterion in Criterion.values:
        CriterionRatingFactory(evaluation=evaluation, criterion=criterion)
    return services.evaluation_publish(
        actor=OPERATOR, evaluation=evaluation, expected_version=evaluation.version
    )


def test_closing_without_a_response_is_refused():
    recommendation = RecommendationFactory()
    with pytest.raises(ValidationError, match="before the administration has responded"):
        services.recommendation_respond(actor=OPERATOR, recommendation=recommendation,
                                        expected_version=recommendation.version, status="closed")  # fmt: skip
    recommendation.refresh_from_db()
    assert recommendation.status == "open" and recommendation.closed_at is None


def test_a_rejection_without_reasons_is_refused_and_with_reasons_closes():
    recommendation = RecommendationFactory()
    with pytest.raises(ValidationError, match="reasons"):
        services.recommendation_respond(actor=OPERATOR, recommendation=recommendation,
                                        expected_version=recommendation.version, response="rejected")  # fmt: skip
    services.recommendation_respond(actor=OPERATOR, recommendation=recommendation,
                                    expected_version=recommendation.version, response="rejected",
                                    response_reasons_bg="Няма финансиране", status="closed")  # fmt: skip
    recommendation.refresh_from_db()
    assert recommendation.status == "closed" and recommendation.closed_at is not None


def test_a_rating_outside_the_scale_is_refused():
    evaluation = EvaluationFactory()
    with pytest.raises(ValidationError, match="from 1"):
        services.rating_set(actor=OPERATOR, evaluation=evaluation, criterion="impact", rating=5,
                            expected_version=evaluation.version)  # fmt: skip
    assert not evaluation.ratings.exists()


def test_a_deadline_before_the_evaluation_is_refused():
    evaluation = EvaluationFactory(completed_on=datetime.date(2017, 9, 30))
    with pytest.raises(ValidationError, match="30.09.2017"):
        services.recommendation_create(actor=OPERATOR, evaluation=evaluation, text_bg="Да се",
                                       deadline=datetime.date(2017, 1, 1))  # fmt: skip
    assert not Recommendation.objects.exists()


def test_a_published_evaluation_keeps_its_ratings_and_text_but_its_follow_up_continues():
    evaluation = published()
    with pytest.raises(ValidationError, match="published evaluation keeps"):
        services.rating_set(actor=OPERATOR, evaluation=evaluation, criterion="impact", rating=1,
                            expected_version=evaluation.version)  # fmt: skip
    with pytest.raises(ValidationError, match="published evaluation keeps"):
        services.evaluation_update(actor=OPERATOR, evaluation=evaluation, expected_version=evaluation.version,
                                   summary_bg="Друго")  # fmt: skip
    with pytest.raises(ValidationError, match="published evaluation keeps"):
        services.recommendation_create(actor=OPERATOR, evaluation=evaluation, text_bg="Нова")
    recommendation = RecommendationFactory(evaluation=evaluation)
    services.recommendation_respond(actor=OPERATOR, recommendation=recommendation,
                                    expected_version=recommendation.version, response="accepted",
                                    status="in_progress")  # fmt: skip
    assert evaluation.ratings.get(criterion="impact").rating == 3


def test_publishing_needs_every_criterion_rated():
    evaluation = EvaluationFactory()
    CriterionRatingFactory(evaluation=evaluation, criterion="relevance")
    with pytest.raises(ValidationError, match="Coherence"):
        services.evaluation_publish(
            actor=OPERATOR, evaluation=evaluation, expected_version=evaluation.version
        )


def test_an_edit_from_a_stale_version_is_refused():
    evaluation = EvaluationFactory()
    services.evaluation_update(actor=OPERATOR, evaluation=evaluation, expected_version=1, title_en="One")
    with pytest.raises(ConflictError):
        services.evaluation_update(actor=OPERATOR, evaluation=evaluation, expected_version=1, title_en="Two")


def test_evidence_of_another_kind_needs_its_target():
    rating = CriterionRatingFactory()
    with pytest.raises(ValidationError, match="indicator"):
        services.evidence_add(actor=OPERATOR, rating=rating, kind="indicator")
    with pytest.raises(ValidationError, match="https://"):
        services.evidence_add(actor=OPERATOR, rating=rating, kind="link", url="javascript:alert(1)")


def test_recommendations_for_plan_gather_the_plan_its_areas_and_its_projects():
    plan = PlanFactory()
    municipality = plan.municipality
    project = ProjectFactory(municipality=municipality)
    project.contributions.create(element=PlanElementFactory(plan=plan))
    of_plan = published(municipality=municipality, plan=plan)
    of_area = published(
        municipality=municipality, subject_kind="policy_area", policy_area="tourism", plan=plan
    )
    of_project = published(municipality=municipality, subject_kind="project", plan=None, project=project)
    elsewhere = published(municipality=municipality, plan=PlanFactory(municipality=municipality))
    draft = EvaluationFactory(municipality=municipality, plan=plan)
    late = RecommendationFactory(evaluation=of_plan, deadline=datetime.date(2018, 6, 30))
    RecommendationFactory(evaluation=of_area)
    RecommendationFactory(evaluation=of_project, deadline=datetime.date(2018, 6, 30), status="done")
    RecommendationFactory(evaluation=of_project, deadline=datetime.date(2018, 6, 30), status="in_progress")
    RecommendationFactory(evaluation=elsewhere)
    RecommendationFactory(evaluation=draft)
    rows = selectors.recommendations_for_plan(plan=plan, as_of=datetime.date(2019, 1, 1))
    assert len(rows) == 4
    assert {row.evaluation.pk for row in rows} == {of_plan.pk, of_area.pk, of_project.pk}
    assert [row.overdue for row in rows if row.recommendation == late] == [True]
    assert sum(row.overdue for row in rows) == 2
    assert len(selectors.recommendations_for_plan(plan=plan, as_of=datetime.date(2019, 1, 1),
                                                  published_only=False)) == 5  # fmt: skip


def test_a_published_evaluation_takes_the_council_decision_that_approves_it(client):
    evaluation = published()
    decision = DecisionFactory(municipality=evaluation.municipality, date=datetime.date(2017, 12, 14))
    services.evaluation_update(actor=OPERATOR, evaluation=evaluation, expected_version=evaluation.version,
                               decision=decision)  # fmt: skip
    assert list(decision.evaluations.all()) == [evaluation]
    page = client.get(f"/en/{evaluation.municipality.slug}/evaluations/{evaluation.pk}/").content.decode()
    assert "Approved by" in page and f"/decisions/2017/{decision.number}/" in page
    elsewhere = DecisionFactory()
    with pytest.raises(ValidationError, match="municipality's own"):
        services.evaluation_update(actor=OPERATOR, evaluation=evaluation, expected_version=evaluation.version,
                                   decision=elsewhere)  # fmt: skip


def test_recommendations_for_plan_is_one_query_however_many(django_assert_num_queries):
    plan = PlanFactory()
    for _ in range(3):
        evaluation = published(municipality=plan.municipality, plan=plan)
        for _ in range(4):
            RecommendationFactory(evaluation=evaluation, deadline=datetime.date(2018, 1, 1))
    with django_assert_num_queries(1):
        rows = selectors.recommendations_for_plan(plan=plan, as_of=datetime.date(2019, 1, 1))
        assert all(row.overdue and row.evaluation.plan == plan for row in rows) and len(rows) == 12
