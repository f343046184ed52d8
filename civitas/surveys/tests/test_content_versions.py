"""Which public content a survey write changes: nothing while the survey is a draft (the public
does not see it), nor for invitation codes; the participation content once it is published, and
when it goes back to a draft."""

import pytest

from civitas.core.models import Municipality
from civitas.surveys import services

pytestmark = pytest.mark.django_db


def versions(town) -> tuple[int, int]:
    fresh = Municipality.objects.get(pk=town.pk)
    return fresh.planning_version, fresh.participation_version


def test_a_draft_survey_changes_nothing_public_until_it_is_published(sopot, planner):
    before = versions(sopot)
    survey = services.survey_create(actor=planner, municipality=sopot, slug="draft", title_bg="Чернова")
    question = services.question_create(actor=planner, survey=survey, kind="short_text", text_bg="Дума")
    services.invitations_generate(actor=planner, survey=survey, count=2)
    assert versions(sopot) == before
    survey.refresh_from_db()
    survey = services.survey_update(
        actor=planner, survey=survey, expected_version=survey.version, status="published"
    )
    assert versions(sopot) == (before[0], before[1] + 1)
    question.refresh_from_db()
    services.question_update(
        actor=planner, question=question, expected_version=question.version, text_en="Word"
    )
    assert versions(sopot) == (before[0], before[1] + 2)
    survey.refresh_from_db()
    services.survey_update(actor=planner, survey=survey, expected_version=survey.version, status="draft")
    assert versions(sopot) == (before[0], before[1] + 3)
