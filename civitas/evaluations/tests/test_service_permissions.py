"""The role × service matrix of evaluations.services: evaluators and administrators write
evaluations; planners and administrators respond to recommendations."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from civitas.core.permissions import Action
from civitas.evaluations import services
from civitas.testing.factories import (
    CriterionRatingFactory,
    EvaluationFactory,
    IndicatorFactory,
    PlanElementFactory,
    RecommendationFactory,
)
from civitas.testing.service_matrix import ServiceCase, assert_covers, build_world, check

pytestmark = pytest.mark.django_db


def evaluation(world, **fields):
    return EvaluationFactory(municipality=world.municipality, **fields)


def rating(world):
    return CriterionRatingFactory(evaluation=evaluation(world))


def recommendation(world):
    return RecommendationFactory(evaluation=evaluation(world, status="published"))


def evaluation_create(world, actor):
    services.evaluation_create(actor=actor, municipality=world.municipality, kind="thematic",
                               subject_kind="policy_area", policy_area="tourism", title_bg="Оценка")  # fmt: skip


def evaluation_update(world, actor):
    found = evaluation(world)
    services.evaluation_update(actor=actor, evaluation=found, expected_version=found.version, title_en="New")


def evaluation_publish(world, actor):
    found = evaluation(world)
    for criterion in ("relevance", "coherence", "effectiveness", "efficiency", "impact", "sustainability"):
        CriterionRatingFactory(evaluation=found, criterion=criterion)
    services.evaluation_publish(actor=actor, evaluation=found, expected_version=found.version)


def rating_set(world, actor):
    found = evaluation(world)
    services.rating_set(
        actor=actor, evaluation=found, criterion="impact", rating=2, expected_version=found.version
    )


def evidence_add(world, actor):
    services.evidence_add(actor=actor, rating=rating(world), kind="link", url="https://example.org/report")


def evidence_add_document(world, actor):
    upload = SimpleUploadedFile("report.txt", "Доклад".encode())
    services.evidence_add(actor=actor, rating=rating(world), kind="document", upload=upload)


def evidence_remove(world, actor):
    found = rating(world)
    indicator = IndicatorFactory(element=PlanElementFactory(plan=found.evaluation.plan))
    evidence = found.evidence.create(kind="indicator", indicator=indicator)
    services.evidence_remove(actor=actor, evidence=evidence)


def recommendation_create(world, actor):
    services.recommendation_create(actor=actor, evaluation=evaluation(world), text_bg="Да се ...")


def recommendation_update(world, actor):
    found = RecommendationFactory(evaluation=evaluation(world))
    services.recommendation_update(
        actor=actor, recommendation=found, expected_version=found.version, text_en="Do"
    )


def recommendation_respond(world, actor):
    found = recommendation(world)
    services.recommendation_respond(actor=actor, recommendation=found, expected_version=found.version,
                                    response="accepted", status="in_progress",
                                    deadline=datetime.date(2018, 12, 31))  # fmt: skip


CASES = {
    "evaluation_create": ServiceCase(evaluation_create, Action.WRITE_EVALUATION),
    "evaluation_update": ServiceCase(evaluation_update, Action.WRITE_EVALUATION),
    "evaluation_publish": ServiceCase(evaluation_publish, Action.WRITE_EVALUATION),
    "rating_set": ServiceCase(rating_set, Action.WRITE_EVALUATION),
    "evidence_add": ServiceCase(evidence_add, Action.WRITE_EVALUATION),
    "evidence_remove": ServiceCase(evidence_remove, Action.WRITE_EVALUATION),
    "recommendation_create": ServiceCase(recommendation_create, Action.WRITE_EVALUATION),
    "recommendation_update": ServiceCase(recommendation_update, Action.WRITE_EVALUATION),
    "recommendation_respond": ServiceCase(recommendation_respond, Action.RESPOND_TO_RECOMMENDATION),
}


@pytest.fixture
def world():
    return build_world()


def test_every_service_has_a_case():
    assert_covers(services, CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_only_those_allowed_may_call(world, name):
    check(world, CASES[name], name)


def test_uploading_a_document_as_evidence_is_the_evaluators(world):
    check(world, ServiceCase(evidence_add_document, Action.WRITE_EVALUATION), "evidence_add (document)")


def test_an_evaluation_of_another_municipality_is_refused_to_its_staff_here(world):
    other = EvaluationFactory(municipality=world.other)
    with pytest.raises(PermissionDenied):
        services.evaluation_update(
            actor=world.actors["evaluator"], evaluation=other, expected_version=other.version, title_en="x"
        )
