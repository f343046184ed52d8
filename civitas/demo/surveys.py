"""The Sopot demo's citizen survey on the priorities of the Municipal Development Plan 2014–2020,
with several hundred sample responses (sample data: the survey's questions follow the press
release — the four strategic goals, the listed projects, the two settlements — but every answer
is generated, with a fixed random seed, and marked as sample).

The survey is built through the survey services; the sample responses, as paper questionnaires
entered by the planner, are bulk-inserted. Loading twice changes nothing.
"""

import datetime
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from civitas.core.permissions import OPERATOR
from civitas.surveys import services
from civitas.surveys.models import Answer, Response, Source, Survey

SLUG = "priorities-2014-2020"
SAMPLE_RESPONSES = 400
SEED = 2014
SOFIA = ZoneInfo("Europe/Sofia")

GOALS = [
    ("СЦ1: Конкурентоспособна икономика", "SG1: A competitive economy"),
    ("СЦ2: Околна среда и инфраструктура", "SG2: Environment and infrastructure"),
    ("СЦ3: Човешки капитал: социални услуги, здравеопазване, образование",
     "SG3: Human capital: social services, health care, education"),
    ("СЦ4: Ефективност, сътрудничество и административен капацитет",
     "SG4: Effectiveness, cooperation and administrative capacity"),
]  # fmt: skip
PROJECTS = [
    ("Крепостта „Аневско кале“", "The Anevsko Kale fortress"),
    ("Център за развитие на младите хора", "Youth development centre"),
    ("Спортни и развлекателни атракции", "Sports and leisure attractions"),
    ("Подобряване на градската среда на град Сопот", "Improving Sopot's urban environment"),
    ("Компостиране на битови отпадъци", "Composting household waste"),
    ("Велоалея Карлово – Сопот – Анево", "Karlovo–Sopot–Anevo cycle path"),
]
SATISFACTION = [
    ("Много недоволен", "Very dissatisfied"),
    ("Недоволен", "Dissatisfied"),
    ("Нито доволен, нито недоволен", "Neither satisfied nor dissatisfied"),
    ("Доволен", "Satisfied"),
    ("Много доволен", "Very satisfied"),
]
AGES = [
    ("до 18", "under 18"),
    ("18–29", "18–29"),
    ("30–44", "30–44"),
    ("45–64", "45–64"),
    ("65 и повече", "65 and over"),
]
IDEAS = [
    "Повече работни места за младите хора.",
    "Ремонт на улиците в кварталите.",
    "Детска площадка и зеленина в центъра.",
    "Туристически маршрути до Аневско кале.",
    "По-добър транспорт до Карлово.",
    "Електронни услуги в общината, без опашки.",
    "Спортна зала за училищата.",
    "Почистване на реката и парковете.",
    "Подкрепа за малкия бизнес и занаятите.",
    "Повече културни събития през лятото.",
]
ANEVO_NEEDS = [
    "Автобус до Сопот",
    "Ремонт на читалището",
    "Улично осветление",
    "Детска площадка",
    "Водопровод",
]


def _weighted(rng: random.Random, items: list, weights: list):
    return rng.choices(items, weights=weights, k=1)[0]


@transaction.atomic
def load_surveys(municipality) -> Survey:
    existing = Survey.objects.filter(municipality=municipality, slug=SLUG).first()
    if existing is not None:
        return existing
    planner = get_user_model().objects.filter(username="sopot-planner").first()
    actor = planner or OPERATOR  # without the demo's accounts, the operator loading it
    survey = services.survey_create(
        actor=actor, municipality=municipality, slug=SLUG,
        title_bg="Анкета за приоритетите на Общинския план за развитие 2014–2020",
        title_en="Survey on the priorities of the Municipal Development Plan 2014–2020",
        intro_bg="Общината подготвя своя план за развитие за периода 2014–2020 г. Кажете ни кои цели и проекти "
                 "са най-важни за вас. Анкетата е примерна: отговорите в нея са илюстративни данни.",
        intro_en="The municipality is preparing its development plan for 2014–2020. Tell us which goals and "
                 "projects matter most to you. This is a sample survey: its responses are illustrative data.",
        access="account", one_response_per="account", status="published", results_public=True, is_sample=True,
    )  # fmt: skip
    priorities = services.section_create(
        actor=actor, survey=survey, title_bg="Приоритети", title_en="Priorities"
    )
    about = services.section_create(actor=actor, survey=survey, title_bg="За вас", title_en="About you")
    q_rank = services.question_create(
        actor=actor, survey=survey, section=priorities, kind="ranking", options=GOALS,
        text_bg="Подредете четирите стратегически цели по важност за вас",
        text_en="Rank the four strategic goals by their importance to you",
    )  # fmt: skip
    q_projects = services.question_create(
        actor=actor, survey=survey, section=priorities, kind="multiple", options=PROJECTS,
        text_bg="Кои проекти подкрепяте?", text_en="Which projects do you support?",
    )  # fmt: skip
    scale = [{"bg": bg, "en": en} for bg, en in SATISFACTION]
    q_development = services.question_create(
        actor=actor, survey=survey, section=priorities, kind="likert", required=True, scale_size=5,
        scale_labels=scale, text_bg="Доволни ли сте от развитието на общината през последните години?",
        text_en="Are you satisfied with how the municipality has developed in recent years?",
    )  # fmt: skip
    q_services = services.question_create(
        actor=actor, survey=survey, section=priorities, kind="likert", required=True, scale_size=5,
        scale_labels=scale, text_bg="Доволни ли сте от административното обслужване в общината?",
        text_en="Are you satisfied with the municipality's administrative services?",
    )  # fmt: skip
    q_place = services.question_create(
        actor=actor, survey=survey, section=about, kind="single", required=True,
        options=[("Сопот", "Sopot"), ("Анево", "Anevo")], text_bg="Къде живеете?", text_en="Where do you live?",
    )  # fmt: skip
    q_age = services.question_create(
        actor=actor, survey=survey, section=about, kind="single", options=AGES,
        text_bg="Възрастова група", text_en="Age group",
    )  # fmt: skip
    anevo = q_place.options.get(label_bg="Анево")
    q_anevo = services.question_create(
        actor=actor, survey=survey, section=about, kind="short_text", condition_option=anevo, max_length=200,
        text_bg="Какво е най-нужно на село Анево?", text_en="What does the village of Anevo need most?",
    )  # fmt: skip
    q_ideas = services.question_create(
        actor=actor, survey=survey, section=about, kind="long_text",
        text_bg="Какво друго трябва да включи планът?", text_en="What else should the plan include?",
    )  # fmt: skip
    questions = {
        "q_rank": q_rank, "q_projects": q_projects, "q_development": q_development, "q_services": q_services,
        "q_place": q_place, "q_age": q_age, "q_anevo": q_anevo, "q_ideas": q_ideas,
    }  # fmt: skip
    _sample_responses(survey, planner, questions)
    return survey


def _sample_responses(survey, planner, q) -> None:
    """SAMPLE_RESPONSES paper questionnaires with deterministic, plausible answers."""
    rng = random.Random(SEED)
    options = {
        name: list(q[name].options.order_by("position"))
        for name in ("q_rank", "q_projects", "q_place", "q_age")
    }
    start = datetime.datetime(2013, 11, 4, 9, 0, tzinfo=SOFIA)
    responses = Response.objects.bulk_create(
        [
            Response(
                survey=survey,
                source=Source.PAPER,
                entered_by=planner,
                is_sample=True,
                submitted_at=start + datetime.timedelta(hours=rng.randrange(0, 24 * 60)),
            )  # fmt: skip
            for _ in range(SAMPLE_RESPONSES)
        ]
    )
    answers = []
    for response in responses:
        place = _weighted(rng, options["q_place"], [88, 12])
        goals = options["q_rank"][:]
        weights = {0: 4.0, 1: 3.0, 2: 3.5, 3: 1.5}
        order = sorted(range(4), key=lambda i: -weights[i] * rng.random())
        answers += [
            Answer(response=response, question=q["q_rank"], option=goals[i], rank=rank)
            for rank, i in enumerate(order, start=1)
        ]
        for option, share in zip(options["q_projects"], [0.62, 0.55, 0.35, 0.58, 0.30, 0.47], strict=True):
            if rng.random() < share:
                answers.append(Answer(response=response, question=q["q_projects"], option=option))
        answers.append(
            Answer(
                response=response,
                question=q["q_development"],
                number=_weighted(rng, [1, 2, 3, 4, 5], [8, 20, 34, 30, 8]),
            )
        )
        answers.append(
            Answer(
                response=response,
                question=q["q_services"],
                number=_weighted(rng, [1, 2, 3, 4, 5], [6, 14, 30, 36, 14]),
            )
        )
        answers.append(Answer(response=response, question=q["q_place"], option=place))
        if rng.random() < 0.93:
            age = _weighted(rng, options["q_age"], [6, 18, 27, 31, 18])
            answers.append(Answer(response=response, question=q["q_age"], option=age))
        if place.label_bg == "Анево" and rng.random() < 0.7:
            answers.append(Answer(response=response, question=q["q_anevo"], text=rng.choice(ANEVO_NEEDS)))
        if rng.random() < 0.25:
            answers.append(Answer(response=response, question=q["q_ideas"], text=rng.choice(IDEAS)))
    Answer.objects.bulk_create(answers, batch_size=2000)
