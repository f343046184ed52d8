"""The surveys' API: published and archived surveys, and their results aggregated as the public
results page counts them, never a single response or a free-text answer; private results stay
private; filters, pagination and a fixed number of queries."""

import pytest
from django.core.cache import cache

from civitas.surveys import selectors
from civitas.surveys.models import Answer, Response, Survey
from civitas.testing.factories import MunicipalityFactory, OptionFactory, QuestionFactory, SurveyFactory

from .participation_checks import (
    as_text,
    load_sopot,
    refused,
    same_queries_at_two_sizes,
    walk,
    without_rate_limit,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/surveys"


@pytest.fixture(autouse=True)
def _unlimited(settings):
    without_rate_limit(settings)


def test_the_sopot_survey_results_are_the_public_pages_numbers_and_no_answer_of_anyone(client):
    load_sopot()
    [item] = walk(client, URL + "?municipality=sopot")
    survey = Survey.objects.get(pk=item["id"])
    assert item["web_url"].endswith(f"/sopot/surveys/{survey.slug}/")
    assert item["response_count"] == Response.objects.filter(survey=survey).count()
    response = client.get(item["results_url"])
    body = response.json()
    expected = selectors.survey_results(survey)
    assert body["total"] == expected.total and body["by_source"]["paper"] == expected.by_source["paper"]
    assert body["web_url"].endswith(f"/sopot/surveys/{survey.slug}/results/")
    for question, result in zip(body["questions"], expected.questions, strict=True):
        assert question["id"] == result.question.pk and question["respondents"] == result.respondents
        assert [o["count"] for o in question["options"]] == [o.count for o in result.options]
        assert [o["percent"] for o in question["options"]] == [o.percent for o in result.options]
        assert question["mean"] == result.mean
    ranking = body["questions"][0]
    assert ranking["kind"] == "ranking" and sum(o["first_count"] for o in ranking["options"]) == body["total"]
    likert = next(q for q in body["questions"] if q["kind"] == "likert")
    assert [o["point"] for o in likert["options"]] == [1, 2, 3, 4, 5] and likert["options"][0]["label_en"]
    # The free-text answers the results page lists are individual answers: none is given here.
    texts = [t for result in expected.questions for t in result.texts]
    assert texts and not any(text in as_text(response) for text in texts)
    assert "texts" not in as_text(response)


def answered(survey: Survey, option, times: int) -> None:
    for _ in range(times):
        response = Response.objects.create(survey=survey)
        Answer.objects.create(response=response, question=option.question, option=option)


def test_private_results_and_drafts_stay_private(client):
    town = MunicipalityFactory()
    private = SurveyFactory(municipality=town, results_public=False)
    draft = SurveyFactory(municipality=town, status="draft")
    archived = SurveyFactory(municipality=town, status="archived")
    answered(private, OptionFactory(question=QuestionFactory(survey=private)), 3)

    assert {i["id"] for i in walk(client, URL)} == {private.pk, archived.pk}
    assert client.get(f"{URL}/{draft.pk}").status_code == 404
    assert client.get(f"{URL}/{draft.pk}/results").status_code == 404
    item = client.get(f"{URL}/{private.pk}").json()
    assert item["results_url"] is None and item["results_web_url"] is None
    refusal = client.get(f"{URL}/{private.pk}/results")
    assert refusal.status_code == 404 and refusal.json()["code"] == "results_not_public"
    assert client.get(f"{URL}/{archived.pk}/results").status_code == 200


def test_filters_by_municipality_status_and_update(client):
    town, other = MunicipalityFactory(), MunicipalityFactory()
    published = SurveyFactory(municipality=town)
    archived = SurveyFactory(municipality=town, status="archived")
    SurveyFactory(municipality=other)
    assert {i["id"] for i in walk(client, f"{URL}?municipality={town.slug}")} == {published.pk, archived.pk}
    assert [i["id"] for i in walk(client, f"{URL}?municipality={town.slug}&status=archived")] == [archived.pk]
    assert walk(client, f"{URL}?updated_since=2999-01-01") == []


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?status=draft", "invalid_parameter"),
        ("?municipality=nowhere", "invalid_parameter"),
        ("?updated_since=13/05/2014", "invalid_parameter"),
        ("?results=1", "unknown_parameter"),
        ("?cursor=zzz", "invalid_cursor"),
    ],
)
def test_bad_filters_are_json_400s(client, query, code):
    refused(client, URL + query, code)


def test_pages_and_results_cost_the_same_whatever_their_size(client, django_assert_num_queries):
    town = MunicipalityFactory()
    surveys = [SurveyFactory(municipality=town) for _ in range(12)]
    assert sorted(i["id"] for i in walk(client, URL + "?limit=5")) == sorted(s.pk for s in surveys)
    same_queries_at_two_sizes(client, django_assert_num_queries, URL, 1, small=2, large=12)

    few, many = surveys[0], surveys[1]
    for survey, times in ((few, 1), (many, 30)):
        question = QuestionFactory(survey=survey)
        answered(survey, OptionFactory(question=question), times)
        OptionFactory(question=question)
        cache.clear()
        client.get(f"{URL}/{survey.pk}/results")  # the questionnaire is cached after the first read
        # The survey, then the results' six aggregates.
        with django_assert_num_queries(7):
            body = client.get(f"{URL}/{survey.pk}/results").json()
        assert body["questions"][0]["options"][0]["count"] == times
