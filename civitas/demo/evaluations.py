"""The Sopot demo's evaluations (sample data: the press release names no evaluation): a mid-term
evaluation of the Municipal Development Plan 2014–2020 in 2017, and a thematic evaluation of the
tourism policy, the first area of the monitoring and evaluation methodology. Their findings cite
the demo's indicators, its citizen survey and the consultation on the plan; their recommendations
stand in different states of follow-up, one of them overdue.

Written through the evaluation services and published; loading twice changes nothing.
"""

import datetime

from django.db import transaction

from civitas.consultations.models import Consultation
from civitas.core.models import Municipality
from civitas.core.permissions import OPERATOR
from civitas.evaluations import services
from civitas.evaluations.models import Evaluation
from civitas.indicators.models import Indicator
from civitas.plans.models import Plan
from civitas.surveys.models import Survey

from .consultations import OPR_SLUG
from .surveys import SLUG as SURVEY_SLUG

EVALUATOR = ("Външен оценител (примерни данни)", "External evaluator (sample data)")

# criterion: (rating, findings bg, findings en, evidence: [("indicator", code) | ("survey",) | ("consultation",)])
MID_TERM_RATINGS = {
    "relevance": (4, "Целите на плана отговарят на нуждите, посочени от жителите в анкетата за приоритетите: "
                     "икономика и заетост, околна среда, социални услуги.",
                  "The plan's goals answer the needs residents named in the priorities survey: economy and "
                  "jobs, environment, social services.", [("survey",)]),
    "coherence": (3, "Мерките на плана са съгласувани със Стратегията за градоустройствена и жилищна политика; "
                     "предложенията от обществената консултация са отразени в справката.",
                  "The plan's measures agree with the Urban planning and housing strategy; the public "
                  "consultation's proposals are answered in its table.", [("consultation",)]),
    "effectiveness": (2, "Заетите в туризма растат по-бавно от планираното (индикатор ОПР-И1.1); "
                         "обхватът на сметосъбирането е близо до целта (ОПР-И2.1).",
                      "Employment in tourism grows more slowly than planned (indicator ОПР-И1.1); waste "
                      "collection coverage is close to its target (ОПР-И2.1).",
                      [("indicator", "ОПР-И1.1"), ("indicator", "ОПР-И2.1")]),
    "efficiency": (3, "Разходът за улично осветление намалява след обновяването (ОПР-И2.2).",
                   "The cost of street lighting falls after the renovation (ОПР-И2.2).",
                   [("indicator", "ОПР-И2.2")]),
    "impact": (2, "Въздействието върху удовлетвореността от административното обслужване още не се вижда "
                  "(ОПР-И4.2).",
               "No impact on satisfaction with administrative services is visible yet (ОПР-И4.2).",
               [("indicator", "ОПР-И4.2")]),
    "sustainability": (3, "Електронните услуги (ОПР-И4.1) се поддържат от общинския бюджет след края на проекта.",
                       "The e-services (ОПР-И4.1) are kept up from the municipal budget after the project.",
                       [("indicator", "ОПР-И4.1")]),
}  # fmt: skip

# (text bg, text en, priority, follow-up)
MID_TERM_RECOMMENDATIONS = [
    ("Да се въведе годишен график за отчитане на индикаторите с отговорно звено за всеки индикатор.",
     "Introduce an annual schedule for reporting the indicators, with a responsible unit for each.", "high",
     {"response": "accepted", "action_bg": "Утвърден график за отчитане със заповед на кмета.",
      "action_en": "Reporting schedule approved by the mayor's order.",
      "responsible_unit_bg": "Дирекция „Устройство на територията, програми и проекти“",
      "responsible_unit_en": "Spatial development, programmes and projects directorate",
      "deadline": datetime.date(2018, 3, 31), "status": "done", "closed_at": datetime.date(2018, 3, 15)}),
    ("Да се ускорят мерките за заетост в туризма, включително обучения за местни предприятия.",
     "Speed up the measures for employment in tourism, including training for local businesses.", "high",
     {"response": "accepted", "action_bg": "Програма за обучения по туристическо обслужване.",
      "action_en": "A training programme in tourist services.",
      "responsible_unit_bg": "Отдел „Туризъм и култура“", "responsible_unit_en": "Tourism and culture unit",
      "deadline": datetime.date(2019, 12, 31), "status": "in_progress"}),
    ("Да се създаде общинско звено за оценка на политиките с щатни служители.",
     "Set up a municipal policy evaluation unit with permanent staff.", "medium",
     {"response": "rejected",
      "response_reasons_bg": "Числеността на администрацията не позволява ново звено; оценките се възлагат външно.",
      "response_reasons_en": "The administration's headcount does not allow a new unit; evaluations are contracted out.",
      "status": "closed", "closed_at": datetime.date(2018, 1, 31)}),
    ("Да се публикуват данните на индикаторите в отворен формат.",
     "Publish the indicators' data in an open format.", "low",
     {"response": "partly_accepted",
      "response_reasons_bg": "Публикуват се годишните стойности; месечните данни не се събират.",
      "response_reasons_en": "Annual values are published; monthly data are not collected.",
      "responsible_unit_bg": "Отдел „Информационно обслужване“", "responsible_unit_en": "Information services unit",
      "deadline": datetime.date(2018, 12, 31), "status": "closed", "closed_at": datetime.date(2018, 11, 30),
      "closing_note_bg": "Данните се публикуват на портала.", "closing_note_en": "The data are published on the portal."}),
]  # fmt: skip

TOURISM_RATINGS = {
    "relevance": (3, "Политиката отговаря на туристическия потенциал на Сопот и крепостта „Аневско кале“.",
                  "The policy answers the tourist potential of Sopot and the Anevsko Kale fortress.",
                  [("indicator", "Т-2")]),
    "coherence": (3, "Мерките за туризъм са свързани със СЦ1 на общинския план за развитие.",
                  "The tourism measures are linked to SG1 of the municipal development plan.", []),
    "effectiveness": (2, "Нощувките растат, но под целта (индикатор Т-1).",
                      "Overnight stays grow, but below the target (indicator Т-1).", [("indicator", "Т-1")]),
    "efficiency": (3, "Разходите за популяризиране са в рамките на бюджета.",
                   "Promotion costs stay within the budget.", []),
    "impact": (2, "Посещенията на крепостта растат; ефектът върху заетостта е слаб.",
               "Visits to the fortress grow; the effect on employment is weak.", [("indicator", "Т-2")]),
    "sustainability": (3, "Поддръжката на обектите е осигурена от общинския бюджет.",
                       "Upkeep of the sites is funded by the municipal budget.", []),
}  # fmt: skip

TOURISM_RECOMMENDATIONS = [
    ("Да се разработи общ туристически продукт с община Карлово.",
     "Develop a joint tourist product with Karlovo municipality.", "medium",
     {"response": "accepted", "responsible_unit_bg": "Отдел „Туризъм и култура“",
      "responsible_unit_en": "Tourism and culture unit", "deadline": datetime.date(2030, 12, 31), "status": "open"}),
    ("Да се въведе годишно проучване на удовлетвореността на посетителите.",
     "Introduce a yearly survey of visitors' satisfaction.", "low", {}),
]  # fmt: skip


def _indicators(municipality: Municipality) -> dict[str, Indicator]:
    return {indicator.code: indicator for indicator in Indicator.objects.filter(municipality=municipality)}


def _target(municipality, evidence, indicators):
    kind = evidence[0]
    if kind == "indicator":
        return indicators.get(evidence[1])
    if kind == "survey":
        return Survey.objects.filter(municipality=municipality, slug=SURVEY_SLUG).first()
    return Consultation.objects.filter(municipality=municipality, slug=OPR_SLUG).first()


def _write(municipality: Municipality, *, ratings: dict, recommendations: list, **fields) -> Evaluation:
    evaluation = services.evaluation_create(
        actor=OPERATOR, municipality=municipality, evaluator_name_bg=EVALUATOR[0], evaluator_name_en=EVALUATOR[1],
        is_sample=True, **fields,
    )  # fmt: skip
    indicators = _indicators(municipality)
    for criterion, (rating, findings_bg, findings_en, evidence) in ratings.items():
        found = services.rating_set(actor=OPERATOR, evaluation=evaluation, criterion=criterion, rating=rating,
                                    findings_bg=findings_bg, findings_en=findings_en,
                                    expected_version=evaluation.version)  # fmt: skip
        for item in evidence:
            target = _target(municipality, item, indicators)
            if target is not None:  # the demo's other parts may be loaded without it
                services.evidence_add(actor=OPERATOR, rating=found, kind=item[0], target=target)
    made = [
        (
            services.recommendation_create(
                actor=OPERATOR, evaluation=evaluation, text_bg=text_bg, text_en=text_en, priority=priority
            ),
            follow_up,
        )  # fmt: skip
        for text_bg, text_en, priority, follow_up in recommendations
    ]
    evaluation = services.evaluation_publish(actor=OPERATOR, evaluation=evaluation,
                                             expected_version=evaluation.version)  # fmt: skip
    for recommendation, follow_up in made:
        if follow_up:
            services.recommendation_respond(actor=OPERATOR, recommendation=recommendation,
                                            expected_version=recommendation.version, **follow_up)  # fmt: skip
    return evaluation


@transaction.atomic
def load_evaluations(municipality: Municipality) -> list[Evaluation]:
    existing = list(Evaluation.objects.filter(municipality=municipality, is_sample=True))
    if existing:
        return existing
    plan = Plan.objects.get(municipality=municipality, slug="opr-2014-2020")
    methodology = Plan.objects.filter(municipality=municipality, slug="pravila-monitoring-ocenka").first()
    mid_term = _write(
        municipality, ratings=MID_TERM_RATINGS, recommendations=MID_TERM_RECOMMENDATIONS,
        kind="mid_term", subject_kind="plan", plan=plan,
        title_bg="Междинна оценка на Общинския план за развитие на община Сопот 2014–2020 г.",
        title_en="Mid-term evaluation of the Municipal Development Plan of Sopot 2014–2020",
        period_start=2014, period_end=2016, started_on=datetime.date(2017, 4, 3),
        completed_on=datetime.date(2017, 10, 31),
        summary_bg="Примерна междинна оценка: планът е уместен и съгласуван; напредъкът към целите за заетост "
                   "и удовлетвореност от услугите изостава. Оценката прави четири препоръки.",
        summary_en="A sample mid-term evaluation: the plan is relevant and coherent; progress towards the goals "
                   "for jobs and satisfaction with services lags behind. The evaluation makes four recommendations.",
    )  # fmt: skip
    tourism = _write(
        municipality, ratings=TOURISM_RATINGS, recommendations=TOURISM_RECOMMENDATIONS,
        kind="thematic", subject_kind="policy_area", policy_area="tourism", plan=methodology,
        title_bg="Тематична оценка на политиката за туризъм на община Сопот",
        title_en="Thematic evaluation of Sopot's tourism policy",
        period_start=2014, period_end=2018, started_on=datetime.date(2019, 2, 1),
        completed_on=datetime.date(2019, 6, 28),
        summary_bg="Примерна тематична оценка на политиката за туризъм по правилата и методиките за мониторинг "
                   "и оценка.",
        summary_en="A sample thematic evaluation of the tourism policy under the monitoring and evaluation "
                   "methodology.",
    )  # fmt: skip
    return [mid_term, tourism]
