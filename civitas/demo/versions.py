"""The Sopot demo's plan versions, recorded through the planfiles version services.

The press release (shared/seed/sopot-press-release-2014-bg.txt) says the Municipal Development Plan
2014–2020 was adopted by the Municipal Council "after the surveys, a discussion forum and a public
discussion of the draft", and that the council adopted the strategy and the rules the project
produced. It gives no dates, versions or updates.

SAMPLE DATA: the versions' dates and notes are illustrative. The development plan gets
  1. the draft for public consultation, published on 14.04.2014 (the day the demo consultation opens);
  2. the plan adopted by the council's sample decision № 171 of 26.06.2014 (civitas.demo.council);
  3. a sample mid-term update ("актуализация") adopted by a sample decision of 2018, invented here:
     a new description of strategic goal 1 (its title, the press release's, stays), a new level of
     measures with a new measure and a project linked to it, a raised target, a renamed indicator and
     an indicative financial table, all made through the services staff use, so that versions 2 and
     3 differ. No element of the seed's is removed or moved: the goals and projects stay the press
     release's.
The strategy and the rules are each adopted, as they are, by their sample decisions. A version's
snapshot is the plan as the demo loads it, values measured since included (the demo has no history
of its values before). Loading twice changes nothing.
"""

import datetime
from dataclasses import replace

from civitas.core.models import Municipality
from civitas.core.permissions import OPERATOR
from civitas.council import services as council_services
from civitas.council.models import Decision, SessionKind
from civitas.indicators import services as indicator_services
from civitas.indicators.models import Indicator
from civitas.indicators.passport import IndicatorPassport
from civitas.planfiles import services as planfile_services
from civitas.plans import services as plan_services
from civitas.plans.models import Plan, PlanElement, PlanVersion
from civitas.projects import services as project_services
from civitas.projects.models import Project

from .council import SAMPLE_DECISIONS

OPR_SLUG = "opr-2014-2020"
PUBLISHED_ON = datetime.date(2014, 4, 14)

# The sample decision that adopts the mid-term update (invented here: the register's others are the
# council demo's).
UPDATE_NUMBER = 37
UPDATE_DATE = datetime.date(2018, 3, 29)
UPDATE_SUBJECT_BG = (
    "Актуализация на Общинския план за развитие на община Сопот 2014–2020г. след междинната оценка"
)
UPDATE_FIELDS: dict = dict(
    protocol_number=6,
    subject_en="Update of the Municipal Development Plan of Sopot municipality 2014–2020 after the mid-term "
    "evaluation",
    text_bg="Общинският съвет – Сопот приема актуализация на Общинския план за развитие на община Сопот "
    "2014–2020г. след междинната оценка на изпълнението му. (Примерен текст.)",
    text_en="The Municipal Council of Sopot adopts an update of the Municipal Development Plan of Sopot "
    "municipality 2014–2020 after its mid-term evaluation. (Sample text.)",
    session_kind=SessionKind.REGULAR,
    votes_for=12,
    votes_against=1,
    votes_abstained=2,
    is_sample=True,
)

# The goals' titles are the press release's and stay; the update words what goal 1 aims at (sample text).
GOAL_1_UPDATED = {
    "description_bg": "Икономика, основана на туризма и местните производства, с повече заети в туризма. (Примерен "
    "текст на актуализацията.)",
    "description_en": "An economy based on tourism and local industry, with more people employed in tourism. "
    "(Sample text of the update.)",
}
NEW_MEASURE: dict = {
    "code": "М4.1",
    "title_bg": "Електронно управление и обслужване на гражданите (примерна мярка)",
    "title_en": "E-government and services to citizens (sample measure)",
}
# The indicative financial table the update adds (sample amounts, euro): (element code, source, amount).
FINANCIAL_TABLE = [
    ("СЦ1", "eu", "2400000"),
    ("СЦ1", "municipal", "310000"),
    ("М4.1", "national", "150000"),
]


def _decision(municipality: Municipality, number: int, date: datetime.date) -> Decision:
    return Decision.objects.get(municipality=municipality, year=date.year, number=number)


def _update_decision(municipality: Municipality) -> Decision:
    found = Decision.objects.filter(
        municipality=municipality, year=UPDATE_DATE.year, number=UPDATE_NUMBER
    ).first()
    if found is not None:
        return found
    return council_services.decision_create(
        actor=OPERATOR, municipality=municipality, number=UPDATE_NUMBER, date=UPDATE_DATE,
        subject_bg=UPDATE_SUBJECT_BG, **UPDATE_FIELDS,
    )  # fmt: skip


def load_plan_versions(municipality: Municipality) -> list[PlanVersion]:
    """The versions of the demo's plans (none are added to a plan that has versions already)."""
    versions: list[PlanVersion] = []
    for sample in SAMPLE_DECISIONS:
        if sample.plan_slug is None:
            continue
        plan = Plan.objects.filter(municipality=municipality, slug=sample.plan_slug).first()
        if plan is None or plan.versions.exists():
            continue
        decision = _decision(municipality, sample.number, sample.date)
        if plan.slug == OPR_SLUG:
            versions += _development_plan(municipality, plan, decision)
        else:
            versions.append(
                planfile_services.plan_version_adopt(
                    actor=OPERATOR,
                    plan=plan,
                    decision=decision,
                    note_bg="Приет от Общинския съвет. (Примерни данни: датата и решението са илюстративни.)",
                    note_en="Adopted by the Municipal Council. (Sample data: the date and decision are "
                    "illustrative.)",
                )  # fmt: skip
            )
    return versions


def _development_plan(municipality: Municipality, plan: Plan, adopting: Decision) -> list[PlanVersion]:
    planfile_services.plan_version_start_draft(actor=OPERATOR, plan=plan)
    draft = planfile_services.plan_version_publish_for_consultation(
        actor=OPERATOR, plan=plan, published_on=PUBLISHED_ON,
        note_bg="Проектът на плана, публикуван за обществено обсъждане. (Примерни данни.)",
        note_en="The draft plan, published for public consultation. (Sample data.)",
    )  # fmt: skip
    adopted = planfile_services.plan_version_adopt(
        actor=OPERATOR, plan=plan, decision=adopting,
        note_bg="Планът, приет след обществено обсъждане на проекта. (Примерни данни: датата е илюстративна.)",
        note_en="The plan adopted after a public discussion of the draft. (Sample data: the date is illustrative.)",
    )  # fmt: skip
    planfile_services.plan_version_start_draft(
        actor=OPERATOR, plan=plan, note_bg="Междинна актуализация (примерни данни).",
        note_en="Mid-term update (sample data).",
    )  # fmt: skip
    _mid_term_update(plan)
    plan.refresh_from_db()
    amended = planfile_services.plan_version_adopt(
        actor=OPERATOR, plan=plan, decision=_update_decision(municipality),
        note_bg="Актуализация след междинната оценка: описание на стратегическа цел 1, ниво „Мярка“ и нова мярка "
        "М4.1 с проект ОПР-4.1, по-висока цел за заетите в туризма през 2020 г., индикативна финансова таблица. "
        "(Примерни данни.)",
        note_en="Update after the mid-term evaluation: a description of strategic goal 1, a level of measures and a "
        "new measure M4.1 with project ОПР-4.1, a higher 2020 target for people employed in tourism, an "
        "indicative financial table. (Sample data.)",
    )  # fmt: skip
    return [draft, adopted, amended]


def _mid_term_update(plan: Plan) -> None:
    """The sample update's changes to the plan, through the services staff use."""
    plan_services.plan_update(
        actor=OPERATOR, plan=plan, expected_version=plan.version,
        level_names=[*plan.level_names, {"bg": "Мярка", "en": "Measure"}],
    )  # fmt: skip
    goal_1 = PlanElement.objects.get(plan=plan, code="СЦ1")
    plan_services.element_update(
        actor=OPERATOR, element=goal_1, expected_version=goal_1.version, **GOAL_1_UPDATED
    )
    goal_4 = PlanElement.objects.get(plan=plan, code="СЦ4")
    measure = plan_services.element_create(actor=OPERATOR, plan=plan, parent=goal_4, **NEW_MEASURE)
    # Project ОПР-4.1 (the e-municipality) also serves the new measure.
    project = Project.objects.get(municipality=plan.municipality, code="ОПР-4.1")
    elements = [*project.contributions.values_list("element_id", flat=True), measure.pk]
    project_services.project_update(
        actor=OPERATOR, project=project, expected_version=project.version, element_ids=elements
    )
    indicator = Indicator.objects.filter(element=goal_1, code="ОПР-И1.1").first()
    if indicator is not None:
        indicator_services.target_set(
            actor=OPERATOR, indicator=indicator, year=2020, value=420, is_final=True,
            reason="Междинна актуализация на плана (примерни данни).",
        )  # fmt: skip
        indicator.refresh_from_db()
        indicator_services.indicator_update(
            actor=OPERATOR, indicator=indicator, expected_version=indicator.version,
            passport=replace(IndicatorPassport.of(indicator), name_en="People employed in tourism (annual average)"),
        )  # fmt: skip
    by_code = {
        e.code: e
        for e in PlanElement.objects.filter(plan=plan, code__in={c for c, _s, _a in FINANCIAL_TABLE})
    }
    plan_services.financial_table_fill(
        actor=OPERATOR, plan=plan,
        lines=[{"element": by_code[code], "source": source, "amount": amount, "year": None}
               for code, source, amount in FINANCIAL_TABLE],
    )  # fmt: skip
