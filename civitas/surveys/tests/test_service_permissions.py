"""The role × service matrix of surveys: every service that takes an actor refuses, before it
writes anything, whoever the surveys' policy refuses (anyone but the planners and administrators
for building and running a survey; anyone but the person for their own responses), whoever calls
it. Answering a survey that anyone may answer is open to all; the refusals of answering (a survey
not open, one that asks to sign in) are messages on the form, tested in test_services."""

import datetime

import pytest
from django.utils import timezone

from civitas.core.permissions import OPERATOR, Action
from civitas.surveys import charts, exports, rules, selectors, services
from civitas.surveys.models import Question, Section, Survey
from civitas.testing.service_matrix import ServiceCase, assert_covers, build_world, check


def anyone(world, name):
    return True


def own_account(world, name):
    return name == "citizen"  # the case unlinks the citizen's responses


def _survey(world, slug="priorities") -> Survey:
    return Survey.objects.select_related("municipality").get(municipality=world.municipality, slug=slug)


def _question(world) -> Question:
    return Question.objects.select_related("survey__municipality").get(pk=world.question.pk)


def _section(world) -> Section:
    return Section.objects.select_related("survey__municipality").get(pk=world.section.pk)


CASES = {
    "survey_create": ServiceCase(
        call=lambda world, actor: services.survey_create(
            actor=actor, municipality=world.municipality, slug="new", title_bg="Нова анкета"
        ),
        allowed=Action.MANAGE_SURVEY,
    ),
    "survey_update": ServiceCase(
        call=lambda world, actor: services.survey_update(
            actor=actor, survey=_survey(world), expected_version=_survey(world).version, title_en="Priorities"
        ),
        allowed=Action.MANAGE_SURVEY,
    ),
    "survey_delete": ServiceCase(
        call=lambda world, actor: services.survey_delete(actor=actor, survey=_survey(world, "empty")),
        allowed=Action.MANAGE_SURVEY,
    ),
    "section_create": ServiceCase(
        call=lambda world, actor: services.section_create(
            actor=actor, survey=_survey(world), title_bg="Раздел"
        ),
        allowed=Action.MANAGE_SURVEY,
    ),
    "section_update": ServiceCase(
        call=lambda world, actor: services.section_update(
            actor=actor,
            section=_section(world),
            expected_version=_section(world).version,
            title_en="About you",
        ),
        allowed=Action.MANAGE_SURVEY,
    ),
    "section_delete": ServiceCase(
        call=lambda world, actor: services.section_delete(actor=actor, section=_section(world)),
        allowed=Action.MANAGE_SURVEY,
    ),
    "question_create": ServiceCase(
        call=lambda world, actor: services.question_create(
            actor=actor, survey=_survey(world), kind="short_text", text_bg="Една дума"
        ),
        allowed=Action.MANAGE_SURVEY,
    ),
    "question_update": ServiceCase(
        call=lambda world, actor: services.question_update(
            actor=actor,
            question=_question(world),
            expected_version=_question(world).version,
            text_en="Your ideas",
        ),  # fmt: skip
        allowed=Action.MANAGE_SURVEY,
    ),
    "question_delete": ServiceCase(
        call=lambda world, actor: services.question_delete(actor=actor, question=_question(world)),
        allowed=Action.MANAGE_SURVEY,
    ),
    "question_move": ServiceCase(
        call=lambda world, actor: services.question_move(actor=actor, question=_question(world), step=1),
        allowed=Action.MANAGE_SURVEY,
    ),
    "invitations_generate": ServiceCase(
        call=lambda world, actor: services.invitations_generate(actor=actor, survey=_survey(world), count=1),
        allowed=Action.MANAGE_SURVEY,
    ),
    "paper_response_enter": ServiceCase(
        call=lambda world, actor: services.paper_response_enter(
            actor=actor, survey=_survey(world), answers={world.question.pk: "Пейка"}
        ),
        allowed=Action.MANAGE_SURVEY,
    ),
    "survey_submit": ServiceCase(
        call=lambda world, actor: services.survey_submit(
            actor=actor, survey=_survey(world), answers={world.question.pk: "Пейка"}
        ),
        allowed=anyone,
    ),
    "responses_unlink": ServiceCase(
        call=lambda world, actor: services.responses_unlink(actor=actor, user=world.actors["citizen"]),
        allowed=own_account,
    ),
}


@pytest.fixture
def world(db):
    world = build_world()
    now = timezone.now()
    survey = services.survey_create(
        actor=OPERATOR, municipality=world.municipality, slug="priorities", title_bg="Приоритети",
        status="published", opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=30),
    )  # fmt: skip
    world.section = services.section_create(actor=OPERATOR, survey=survey, title_bg="За вас")
    world.question = services.question_create(
        actor=OPERATOR, survey=survey, section=world.section, kind="long_text", text_bg="Какво липсва?"
    )
    services.question_create(actor=OPERATOR, survey=survey, kind="short_text", text_bg="Една дума")
    services.survey_create(actor=OPERATOR, municipality=world.municipality, slug="empty", title_bg="Празна")
    return world


def test_every_service_has_a_case():
    assert_covers(services, CASES)
    for module in (selectors, exports, charts, rules):  # no writes that take an actor
        assert_covers(module, {})


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_policy_decides_who_may_call_the_service(world, name):
    check(world, CASES[name], name)
