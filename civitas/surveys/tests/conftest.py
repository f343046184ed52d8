import datetime

import pytest
from django.utils import timezone

from civitas.surveys import services
from civitas.testing.factories import MembershipFactory, MunicipalityFactory


@pytest.fixture
def sopot(db):
    return MunicipalityFactory(slug="sopot", name_bg="Сопот", name_en="Sopot")


@pytest.fixture
def planner(sopot):
    return MembershipFactory(municipality=sopot, role="planner").user


def build_survey(municipality, actor, *, slug="priorities", **fields):
    """A published survey with one question of every kind and a condition:
    q1 settlement (single, required), q2 goals (multiple), q3 satisfaction (Likert, required),
    q4 ranking, q5 age (number 14..120), q6 short text, q7 long text shown if q1 = Anevo."""
    now = timezone.now()
    fields = {
        "status": "published", "opens_at": now - datetime.timedelta(days=1),
        "closes_at": now + datetime.timedelta(days=30),
    } | fields  # fmt: skip
    survey = services.survey_create(
        actor=actor, municipality=municipality, slug=slug, title_bg="Приоритети 2014–2020",
        title_en="Priorities 2014–2020", **fields,
    )  # fmt: skip
    section = services.section_create(actor=actor, survey=survey, title_bg="За вас", title_en="About you")
    q1 = services.question_create(
        actor=actor, survey=survey, section=section, kind="single", text_bg="Къде живеете?",
        text_en="Where do you live?", required=True, options=[("Сопот", "Sopot"), ("Анево", "Anevo")],
    )  # fmt: skip
    q2 = services.question_create(
        actor=actor, survey=survey, kind="multiple", text_bg="Кои цели са важни?", text_en="Which goals matter?",
        options=[("Икономика", "Economy"), ("Среда", "Environment"), ("Хора", "People")],
    )  # fmt: skip
    q3 = services.question_create(
        actor=actor, survey=survey, kind="likert", text_bg="Доволни ли сте?", text_en="Are you satisfied?",
        required=True, scale_size=5,
    )  # fmt: skip
    q4 = services.question_create(
        actor=actor, survey=survey, kind="ranking", text_bg="Подредете целите", text_en="Rank the goals",
        options=[("Първа", "First"), ("Втора", "Second"), ("Трета", "Third")],
    )  # fmt: skip
    q5 = services.question_create(
        actor=actor,
        survey=survey,
        kind="number",
        text_bg="Възраст",
        text_en="Age",
        min_value=14,
        max_value=120,
    )
    q6 = services.question_create(
        actor=actor, survey=survey, kind="short_text", text_bg="Една дума", text_en="One word"
    )
    anevo = q1.options.get(label_en="Anevo")
    q7 = services.question_create(
        actor=actor, survey=survey, kind="long_text", text_bg="Какво липсва в Анево?",
        text_en="What is missing in Anevo?", condition_option=anevo, required=True,
    )  # fmt: skip
    survey.refresh_from_db()
    survey.q = [q1, q2, q3, q4, q5, q6, q7]
    return survey


def valid_answers(survey, *, settlement=0, likert=4, age=40, goals=(0, 2), text="Пътища"):
    q1, q2, q3, q4, q5, q6, q7 = survey.q
    o1 = list(q1.options.all())
    o2 = list(q2.options.all())
    o4 = list(q4.options.all())
    answers = {
        q1.pk: str(o1[settlement].pk),
        q2.pk: [str(o2[i].pk) for i in goals],
        q3.pk: str(likert),
        q4.pk: {o4[0].pk: "2", o4[1].pk: "1", o4[2].pk: "3"},
        q5.pk: str(age),
        q6.pk: text,
    }
    if settlement == 1:
        answers[q7.pk] = "Детска площадка"
    return answers


@pytest.fixture
def survey(sopot, planner):
    return build_survey(sopot, planner)
