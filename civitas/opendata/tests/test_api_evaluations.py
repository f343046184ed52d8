"""The evaluations' API: published evaluations with ratings by criterion, findings, evidence and
recommendations followed to closure (status, deadline, overdue); drafts and their recommendations
never appear; filters, pagination and a fixed number of queries."""

import datetime

import pytest
from django.utils import timezone

from civitas.evaluations import rules, selectors
from civitas.evaluations.models import Evaluation, Recommendation
from civitas.testing.factories import (
    CriterionRatingFactory,
    EvaluationFactory,
    MunicipalityFactory,
    RecommendationFactory,
)

from .participation_checks import (
    as_text,
    load_sopot,
    refused,
    same_queries_at_two_sizes,
    walk,
    without_rate_limit,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/evaluations"


@pytest.fixture(autouse=True)
def _unlimited(settings):
    without_rate_limit(settings)


def published(**fields) -> Evaluation:
    return EvaluationFactory(status="published", published_at=timezone.now(), **fields)


def test_the_sopot_evaluations_with_criteria_evidence_and_recommendations(client):
    sopot = load_sopot()
    items = walk(client, URL + "?municipality=sopot")
    assert {(i["kind"], i["subject_kind"], i["policy_area"]) for i in items} == {
        ("mid_term", "plan", ""), ("thematic", "policy_area", "tourism"),
    }  # fmt: skip
    today = timezone.localdate()
    for item in items:
        body = client.get(item["url"]).json()
        page = selectors.evaluation_get(municipality=sopot, pk=item["id"], as_of=today)
        assert body["web_url"].endswith(f"/sopot/evaluations/{item['id']}/")
        assert [(c["criterion"], c["rating"]) for c in body["criteria"]] == [
            (r.criterion, r.rating) for r in page.ratings
        ]
        assert [r["overdue"] for r in body["recommendations"]] == [t.overdue for t in page.recommendations]
        for criterion in body["criteria"]:
            for evidence in criterion["evidence"]:
                assert evidence["web_url"].startswith("http://testserver/sopot/")
    every = walk(client, f"{URL}/recommendations?municipality=sopot")
    assert len(every) == Recommendation.objects.filter(evaluation__municipality=sopot).count()
    assert {r["status"] for r in every} == set(Recommendation.objects.values_list("status", flat=True))
    late = walk(client, f"{URL}/recommendations?municipality=sopot&overdue=true")
    assert late and all(r["overdue"] for r in late)
    assert {r["id"] for r in late} == {
        r.pk
        for r in Recommendation.objects.all()
        if rules.is_overdue(deadline=r.deadline, status=r.status, as_of=today)
    }


def test_a_draft_evaluation_and_its_recommendations_stay_private(client):
    draft = EvaluationFactory(title_bg="Чернова на оценка")
    RecommendationFactory(evaluation=draft, text_bg="Тайна препоръка")
    shown = published()
    RecommendationFactory(evaluation=shown)
    assert [i["id"] for i in walk(client, URL)] == [shown.pk]
    assert client.get(f"{URL}/{draft.pk}").status_code == 404
    everything = client.get(f"{URL}/recommendations")
    assert len(everything.json()["items"]) == 1 and "Тайна препоръка" not in as_text(everything)
    hidden = draft.recommendations.get()
    assert client.get(f"{URL}/recommendations/{hidden.pk}").status_code == 404


def test_recommendations_carry_their_follow_up(client):
    evaluation = published()
    past = timezone.localdate() - datetime.timedelta(days=10)
    late = RecommendationFactory(
        evaluation=evaluation, deadline=past, status="in_progress", response="accepted"
    )
    done = RecommendationFactory(evaluation=evaluation, deadline=past, status="done")
    body = {r["id"]: r for r in walk(client, f"{URL}/recommendations")}
    assert body[late.pk]["overdue"] and not body[done.pk]["overdue"]
    assert body[late.pk]["response"] == "accepted" and body[late.pk]["deadline"] == past.isoformat()
    assert [r["id"] for r in walk(client, f"{URL}/recommendations?status=done")] == [done.pk]
    assert [r["id"] for r in walk(client, f"{URL}/recommendations?overdue=false")] == [done.pk]
    assert body[late.pk]["web_url"].endswith(f"/evaluations/{evaluation.pk}/#recommendation-{late.pk}")


def test_filters_by_municipality_kind_subject_and_year(client):
    town = MunicipalityFactory()
    mid = published(municipality=town)
    ex_post = published(municipality=town, kind="ex_post", completed_on=datetime.date(2021, 5, 1))
    published()
    assert {i["id"] for i in walk(client, f"{URL}?municipality={town.slug}")} == {mid.pk, ex_post.pk}
    assert [i["id"] for i in walk(client, f"{URL}?kind=ex_post")] == [ex_post.pk]
    assert [i["id"] for i in walk(client, f"{URL}?municipality={town.slug}&year=2017")] == [mid.pk]
    assert walk(client, f"{URL}?subject=project") == []


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("?kind=final", "invalid_parameter"),
        ("?subject=mayor", "invalid_parameter"),
        ("?year=1066", "invalid_parameter"),
        ("?status=open", "unknown_parameter"),
        ("/recommendations?status=forgotten", "invalid_parameter"),
        ("/recommendations?overdue=1", "invalid_parameter"),
        ("/recommendations?updated_since=soon", "invalid_parameter"),
    ],
)
def test_bad_filters_are_json_400s(client, path, code):
    refused(client, URL + path, code)


def test_lists_and_an_evaluation_cost_the_same_whatever_their_size(client, django_assert_num_queries):
    town = MunicipalityFactory()
    evaluations = [published(municipality=town) for _ in range(12)]
    for evaluation in evaluations:
        RecommendationFactory(evaluation=evaluation)
    assert sorted(i["id"] for i in walk(client, URL + "?limit=5")) == sorted(e.pk for e in evaluations)
    same_queries_at_two_sizes(client, django_assert_num_queries, URL, 1, small=2, large=12)
    same_queries_at_two_sizes(
        client, django_assert_num_queries, f"{URL}/recommendations", 1, small=2, large=12
    )
    small, large = evaluations[0], evaluations[1]
    CriterionRatingFactory(evaluation=small, criterion="efficiency")
    for criterion in ("relevance", "coherence", "impact"):
        CriterionRatingFactory(evaluation=large, criterion=criterion)
    for _ in range(8):
        RecommendationFactory(evaluation=large)
    for evaluation in (small, large):
        # The evaluation, its ratings, their evidence, its recommendations, its report files.
        with django_assert_num_queries(5):
            client.get(f"{URL}/{evaluation.pk}")
