"""The Sopot demo's priorities survey: built once, several hundred sample responses, results."""

import pytest

from civitas.demo.surveys import SAMPLE_RESPONSES, SLUG, load_surveys
from civitas.surveys import selectors
from civitas.surveys.models import Answer, Response
from civitas.testing.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_the_priorities_survey_loads_once_with_sample_responses():
    sopot = MunicipalityFactory(slug="sopot")
    survey = load_surveys(sopot)
    answers = Answer.objects.count()
    assert load_surveys(sopot) == survey and Answer.objects.count() == answers
    assert survey.slug == SLUG and survey.is_sample and survey.is_open()
    assert (
        Response.objects.filter(survey=survey, is_sample=True, source="paper").count()
        == SAMPLE_RESPONSES
        >= 300
    )
    results = selectors.survey_results(survey)
    assert results.total == SAMPLE_RESPONSES
    ranking, projects, development, services_, place, age, anevo, ideas = results.questions
    assert (
        ranking.respondents == SAMPLE_RESPONSES
        and sum(o.first_count for o in ranking.options) == SAMPLE_RESPONSES
    )
    assert [o.label for o in place.options] == ["Сопот", "Анево"]
    assert place.options[0].count > place.options[1].count > 0
    assert anevo.respondents <= place.options[1].count and anevo.texts
    assert development.mean and 1 <= development.mean <= 5 and ideas.texts


def test_the_sample_is_the_same_every_time():
    first = MunicipalityFactory(slug="sopot")
    second = MunicipalityFactory(slug="other")
    a, b = load_surveys(first), load_surveys(second)

    def shape(survey):
        return [
            (r.respondents, [o.count for o in r.options], r.mean)
            for r in selectors.survey_results(survey).questions
        ]

    assert shape(a) == shape(b)
