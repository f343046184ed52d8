"""The public and staff pages of evaluations: what they show, query counts pinned and constant as
the data grows, caching for anonymous visitors, and the staff's forms through the services."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civitas.consultations.models import Consultation
from civitas.core.permissions import OPERATOR
from civitas.evaluations import services
from civitas.evaluations.models import Criterion, Recommendation
from civitas.testing.factories import (
    CriterionRatingFactory,
    EvaluationFactory,
    IndicatorFactory,
    MunicipalityFactory,
    PlanElementFactory,
    ProjectFactory,
    RecommendationFactory,
    SurveyFactory,
)
from civitas.testing.pages import url
from civitas.testing.signin import sign_in_with_role

pytestmark = pytest.mark.django_db

PAST = datetime.date(2018, 6, 30)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot", name_bg="Сопот", name_en="Sopot")


def published(town, *, recommendations=2, evidence=True, **fields):
    evaluation = EvaluationFactory(municipality=town, **fields)
    for criterion in Criterion.values:
        rating = CriterionRatingFactory(
            evaluation=evaluation, criterion=criterion, findings_bg=f"Констатация {criterion}"
        )
        if evidence:
            rating.evidence.create(
                kind="indicator", indicator=IndicatorFactory(element=PlanElementFactory(plan=evaluation.plan))
            )
            rating.evidence.create(kind="survey", survey=SurveyFactory(municipality=town))
            rating.evidence.create(kind="consultation", consultation=consultation(town))
            rating.evidence.create(kind="link", url="https://example.org/", label_bg="Доклад")
    for n in range(recommendations):
        RecommendationFactory(evaluation=evaluation, number=n + 1, deadline=PAST if n == 0 else None,
                              responsible_unit_bg=f"Дирекция {n % 2}")  # fmt: skip
    return services.evaluation_publish(
        actor=OPERATOR, evaluation=evaluation, expected_version=evaluation.version
    )


def consultation(town):
    now = timezone.now()
    return Consultation.objects.create(municipality=town, slug=f"c{Consultation.objects.count()}",
                                       title_bg="Консултация", opens_at=now, closes_at=now + datetime.timedelta(days=1))  # fmt: skip


def count(client, path) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_evaluation_page_shows_ratings_evidence_and_recommendations_with_overdue_in_words(client, town):
    evaluation = published(town)
    page = client.get(url("evaluations:detail", "sopot", evaluation.pk)).content.decode()
    assert "Констатация impact" in page
    assert "/surveys/" in page and "/report/" in page and "/indicators/" in page
    english = client.get(url("evaluations:detail", "sopot", evaluation.pk, lang="en")).content.decode()
    assert "Relevance" in english and "3 of 4: Satisfactory" in english and "Overdue" in english


def test_a_draft_is_not_public(client, town):
    draft = EvaluationFactory(municipality=town)
    assert client.get(url("evaluations:detail", "sopot", draft.pk)).status_code == 404
    assert draft.title_bg not in client.get(url("evaluations:list", "sopot")).content.decode()


def test_query_counts_stay_the_same_as_data_grows(client, town):
    first = published(town, recommendations=1)

    def paths(evaluation):
        return [
            url("evaluations:list", "sopot"),
            url("evaluations:detail", "sopot", evaluation.pk),
            url("evaluations:tracker", "sopot"),
            url("evaluations:tracker", "sopot") + "?overdue=1",
        ]

    few = [count(client, path) for path in paths(first)]
    for _ in range(3):
        published(town, recommendations=6)
    big = published(town, recommendations=12)
    many = [count(client, path) for path in paths(big)]
    assert few == many
    # list: municipality, evaluations, years; page: municipality, evaluation, ratings, evidence (with
    # its indicator, survey and consultation), recommendations, the report's published files (the
    # reports app's test_evaluation_report counts them with files); tracker: municipality, rows, units.
    assert many == [3, 6, 3, 3]


def test_filters(client, town):
    plan_evaluation = published(town, recommendations=2)
    area = published(town, plan=None, subject_kind="policy_area", policy_area="tourism", kind="thematic",
                     completed_on=datetime.date(2019, 5, 1), recommendations=0, evidence=False)  # fmt: skip
    listing = client.get(url("evaluations:list", "sopot") + "?kind=thematic").content.decode()
    assert area.title_bg in listing and plan_evaluation.title_bg not in listing
    listing = client.get(url("evaluations:list", "sopot") + "?year=2017").content.decode()
    assert plan_evaluation.title_bg in listing and area.title_bg not in listing
    overdue = client.get(url("evaluations:tracker", "sopot") + "?overdue=1").content.decode()
    assert overdue.count('id="recommendation-') == 1
    unit = client.get(url("evaluations:tracker", "sopot") + "?unit=Дирекция 1").content.decode()
    assert unit.count('id="recommendation-') == 1


def test_public_pages_are_cached_and_refresh_after_a_response(client, town, django_assert_num_queries):
    evaluation = published(town, recommendations=1)
    path = url("evaluations:detail", "sopot", evaluation.pk)
    client.get(path)
    with django_assert_num_queries(1):
        client.get(path)
    recommendation = evaluation.recommendations.get()
    services.recommendation_respond(actor=OPERATOR, recommendation=recommendation,
                                    expected_version=recommendation.version, response="accepted",
                                    action_bg="Ново действие за изпълнение")  # fmt: skip
    assert "Ново действие за изпълнение" in client.get(path).content.decode()


def test_plan_and_project_pages_link_their_evaluations(client, town):
    evaluation = published(town, recommendations=0, evidence=False)
    page = client.get(url("portal:plan", "sopot", evaluation.plan.slug)).content.decode()
    assert url("evaluations:detail", "sopot", evaluation.pk) in page
    project = ProjectFactory(municipality=town)
    of_project = published(
        town, plan=None, subject_kind="project", project=project, recommendations=0, evidence=False
    )
    page = client.get(url("portal:project", "sopot", project.slug)).content.decode()
    assert url("evaluations:detail", "sopot", of_project.pk) in page


def test_an_evaluator_writes_rates_and_publishes(client, town):
    sign_in_with_role(client, town, "evaluator")
    response = client.post(url("evaluations_manage:create", "sopot"), {
        "kind": "thematic", "subject_kind": "policy_area", "policy_area": "housing", "title_bg": "Жилищна политика",
        "started_on": "1.3.2019", "completed_on": "30.9.2019",
    })  # fmt: skip
    assert response.status_code == 302
    evaluation = town.evaluations.get()
    for criterion in Criterion.values:
        evaluation.refresh_from_db()
        response = client.post(url("evaluations_manage:rating", "sopot", evaluation.pk, criterion),
                               {"version": evaluation.version, "rating": "2", "findings_bg": "Частично"})  # fmt: skip
        assert response.status_code == 302
    refused = client.post(url("evaluations_manage:rating", "sopot", evaluation.pk, "impact"),
                          {"version": evaluation.version + 6, "rating": "7"})  # fmt: skip
    assert refused.status_code == 400
    response = client.post(url("evaluations_manage:recommendation_create", "sopot", evaluation.pk),
                           {"text_bg": "Да се разшири програмата", "priority": "high"})  # fmt: skip
    assert response.status_code == 302
    evaluation.refresh_from_db()
    client.post(url("evaluations_manage:publish", "sopot", evaluation.pk), {"version": evaluation.version})
    evaluation.refresh_from_db()
    assert evaluation.is_published
    assert client.get(url("evaluations_manage:edit", "sopot", evaluation.pk)).status_code == 200


def test_a_planner_follows_up_and_cannot_close_without_a_response(client, town):
    evaluation = published(town, recommendations=3)
    sign_in_with_role(client, town, "planner")
    page = client.get(url("evaluations_manage:follow_up", "sopot")).content.decode()
    assert "Просрочена" in page
    recommendation = evaluation.recommendations.get(number=1)
    path = url("evaluations_manage:respond", "sopot", evaluation.pk, recommendation.pk)
    response = client.post(
        path, {"version": recommendation.version, "status": "closed", "priority": "medium"}
    )
    assert response.status_code == 400
    assert (
        "преди администрацията" in response.content.decode()
        or "before the administration" in response.content.decode()
    )
    response = client.post(path, {"version": recommendation.version, "status": "done", "response": "accepted",
                                  "action_bg": "Изпълнено", "deadline": "30.6.2018"})  # fmt: skip
    assert response.status_code == 302
    recommendation = Recommendation.objects.get(pk=recommendation.pk)
    assert recommendation.status == "done" and recommendation.closed_at == timezone.localdate()
    assert client.get(url("evaluations_manage:create", "sopot")).status_code == 403


def test_an_uploaded_document_is_public_once_its_evaluation_is_published(client, town, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CIVITAS_MEDIA_ACCEL_REDIRECT = ""
    evaluation = EvaluationFactory(municipality=town)
    rating = CriterionRatingFactory(evaluation=evaluation, criterion="impact")
    upload = SimpleUploadedFile("доклад.pdf", b"%PDF-1.4 report")
    evidence = services.evidence_add(
        actor=OPERATOR, rating=rating, kind="document", upload=upload, label_bg="Доклад"
    )
    path = f"/media/{evidence.file.name}"
    assert client.get(path).status_code == 404  # a draft's document: not for the public
    sign_in_with_role(client, town, "evaluator")
    assert client.get(path).status_code == 200
    client.logout()
    for criterion in Criterion.values:
        if criterion != "impact":
            CriterionRatingFactory(evaluation=evaluation, criterion=criterion)
    services.evaluation_publish(actor=OPERATOR, evaluation=evaluation, expected_version=evaluation.version)
    response = client.get(path)
    assert response.status_code == 200 and response["Cache-Control"].startswith("public")
