"""Test data factories for every app, in one place."""

import datetime
from decimal import Decimal
from pathlib import Path

import factory
from django.contrib.auth import get_user_model

from civitas.core.models import Membership, Municipality, Role
from civitas.core.permissions import OPERATOR
from civitas.council.services import decision_create
from civitas.indicators.passport import IndicatorPassport
from civitas.indicators.services import indicator_create, target_set
from civitas.planfiles.imports import planfile_import
from civitas.planfiles.services import plan_version_adopt, plan_version_start_draft
from civitas.plans import services as plan_services
from civitas.plans.models import (
    FinancialLine,
    Plan,
    PlanElement,
    PlanKind,
    PlanStatus,
)
from civitas.projects.models import (
    Activity,
    FundingLine,
    FundingSource,
    Project,
    ProjectContribution,
    ProjectPartner,
    ProjectStatus,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"town{n}")
    name_bg = factory.Sequence(lambda n: f"Община {n}")
    name_en = factory.Sequence(lambda n: f"Municipality {n}")
    nuts = "BG421"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = Role.PLANNER


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    municipality = factory.SubFactory(MunicipalityFactory)
    slug = factory.Sequence(lambda n: f"plan-{n}")
    kind = PlanKind.DEVELOPMENT_PLAN
    title_bg = factory.Sequence(lambda n: f"План за развитие {n}")
    title_en = factory.Sequence(lambda n: f"Development plan {n}")
    period_start = 2014
    period_end = 2020
    vision_bg = "Визия"
    vision_en = "Vision"
    status = PlanStatus.ADOPTED
    level_names = factory.LazyFunction(
        lambda: [{"bg": "Стратегическа цел", "en": "Strategic goal"}, {"bg": "Мярка", "en": "Measure"}]
    )


class PlanElementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanElement

    plan = factory.SubFactory(PlanFactory)
    parent = None
    position = factory.Sequence(lambda n: n)
    code = factory.Sequence(lambda n: f"SG{n}")
    title_bg = factory.Sequence(lambda n: f"Стратегическа цел {n}")
    title_en = factory.Sequence(lambda n: f"Strategic goal {n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"P{n:03d}")
    slug = factory.LazyAttribute(lambda p: p.code.lower())
    title_bg = factory.Sequence(lambda n: f"Проект {n}")
    title_en = factory.Sequence(lambda n: f"Project {n}")
    description_bg = "Описание"
    description_en = "Description"
    status = ProjectStatus.IN_PROGRESS
    planned_start = datetime.date(2015, 1, 1)
    planned_end = datetime.date(2017, 12, 31)
    progress = 40
    search_text = factory.LazyAttribute(lambda p: f"{p.code} {p.title_bg} {p.title_en}".casefold())


class ProjectContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectContribution

    project = factory.SubFactory(ProjectFactory)
    element = factory.SubFactory(PlanElementFactory)


class FundingLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingLine

    project = factory.SubFactory(ProjectFactory)
    source = FundingSource.MUNICIPAL
    amount = Decimal("100000.00")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    project = factory.SubFactory(ProjectFactory)
    position = factory.Sequence(lambda n: n)
    title_bg = factory.Sequence(lambda n: f"Дейност {n}")
    title_en = factory.Sequence(lambda n: f"Activity {n}")
    due_date = datetime.date(2016, 6, 30)


class ProjectPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectPartner

    project = factory.SubFactory(ProjectFactory)
    name_bg = "Община Карлово"
    name_en = "Karlovo Municipality"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "indicators.Indicator"

    element = factory.SubFactory(PlanElementFactory)
    municipality = factory.LazyAttribute(
        lambda i: i.element.plan.municipality if i.element else i.project.municipality
    )
    project = None
    code = factory.Sequence(lambda n: f"I{n:03d}")
    name_bg = factory.Sequence(lambda n: f"Индикатор {n}")
    name_en = factory.Sequence(lambda n: f"Indicator {n}")
    type = "result"
    unit_bg = "брой"
    unit_en = "number"
    measure = "number"
    direction = "increase"
    accumulation = "per_period"
    baseline_value = Decimal("100")
    baseline_year = 2013
    frequency = "annual"


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "indicators.Target"

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2020
    value = Decimal("200")
    is_final = True


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "indicators.Measurement"

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2016
    value = Decimal("150")
    state = "published"
    # What the public saw, as the services record it on publication.
    published_text = factory.LazyAttribute(
        lambda m: (
            ""
            if m.state != "published"
            else f"{m.numerator.normalize():f}/{m.denominator.normalize():f}"
            if getattr(m, "numerator", None) is not None and getattr(m, "denominator", None) is not None
            else ("" if m.value is None else format(Decimal(m.value).normalize(), "f"))
        )
    )


# Surveys ---------------------------------------------------------------------------------------


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Survey"

    municipality = factory.SubFactory(MunicipalityFactory)
    slug = factory.Sequence(lambda n: f"survey-{n}")
    title_bg = factory.Sequence(lambda n: f"Анкета {n}")
    title_en = factory.Sequence(lambda n: f"Survey {n}")
    status = "published"
    access = "anonymous"
    one_response_per = "none"


class SurveySectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Section"

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n)
    title_bg = factory.Sequence(lambda n: f"Раздел {n}")
    title_en = factory.Sequence(lambda n: f"Section {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Question"

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n)
    kind = "single"
    text_bg = factory.Sequence(lambda n: f"Въпрос {n}")
    text_en = factory.Sequence(lambda n: f"Question {n}")
    scale_size = factory.LazyAttribute(lambda q: 5 if q.kind == "likert" else None)


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Option"

    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n)
    label_bg = factory.Sequence(lambda n: f"Отговор {n}")
    label_en = factory.Sequence(lambda n: f"Answer {n}")


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Invitation"

    survey = factory.SubFactory(SurveyFactory, one_response_per="code")
    code = factory.Sequence(lambda n: f"CODE{n:04d}")


# Evaluations (issue 11) ---------------------------------------------------------------------------


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluations.Evaluation"

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = "mid_term"
    subject_kind = "plan"
    plan = factory.SubFactory(PlanFactory, municipality=factory.SelfAttribute("..municipality"))
    title_bg = factory.Sequence(lambda n: f"Междинна оценка {n}")
    title_en = factory.Sequence(lambda n: f"Mid-term evaluation {n}")
    started_on = datetime.date(2017, 3, 1)
    completed_on = datetime.date(2017, 9, 30)
    status = "draft"


class CriterionRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluations.CriterionRating"

    evaluation = factory.SubFactory(EvaluationFactory)
    criterion = "relevance"
    rating = 3
    findings_bg = "Констатации"


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluations.Recommendation"

    evaluation = factory.SubFactory(EvaluationFactory)
    number = factory.Sequence(lambda n: n + 1)
    text_bg = factory.Sequence(lambda n: f"Препоръка {n}")
    text_en = factory.Sequence(lambda n: f"Recommendation {n}")


# Imported here: the council's factory is appended after the others (issue 11).
from civitas.council.models import Decision  # noqa: E402


class DecisionFactory(factory.django.DjangoModelFactory):
    """A council decision stored directly (services.decision_create checks what the rules say)."""

    class Meta:
        model = Decision

    municipality = factory.SubFactory(MunicipalityFactory)
    number = factory.Sequence(lambda n: n + 1)
    date = datetime.date(2014, 3, 27)
    year = factory.LazyAttribute(lambda d: d.date.year)
    subject_bg = factory.Sequence(lambda n: f"Приемане на план {n}")
    subject_en = factory.Sequence(lambda n: f"Adoption of plan {n}")
    protocol_number = 7
    search_text = factory.LazyAttribute(lambda d: f"{d.number} {d.subject_bg} {d.subject_en}".casefold())


# The demo's plan files, read as files (the demo app sits above this module's layer).
DEMO_DATA = Path(__file__).resolve().parent.parent / "demo" / "data"


def plan_with_versions(municipality=None):
    """The Sopot development plan (civitas/demo/data) in two versions, recorded as
    ``plans.PlanVersion`` rows with snapshots taken before and after changing the plan through the
    services: version 1 (adopted by Decision № 123 of 27.03.2014) and version 2 (amended by Decision
    № 37 of 29.06.2017), in which
    СЦ5 is added, СЦ3 removed, СЦ4 moved to the top, СЦ2 reworded, the 2020 target of indicator
    И-1 raised from 15 000 to 18 000 and СЦ1's 2016 EU amount raised from 100 000 to 120 000 €.
    Returns (plan, version 1, version 2)."""
    municipality = municipality or MunicipalityFactory()
    planfile_import(
        actor=OPERATOR, municipality=municipality, data=(DEMO_DATA / "opr-2014-2020.yaml").read_bytes()
    )
    plan = Plan.objects.get(municipality=municipality, slug="opr-2014-2020")
    elements = {e.code: e for e in plan.elements.all()}
    indicator = indicator_create(
        actor=OPERATOR, municipality=municipality, element=elements["СЦ1"],
        passport=IndicatorPassport(code="И-1", name_bg="Нощувки в местата за настаняване",
                                   name_en="Nights spent in accommodation", type="result", unit_bg="брой",
                                   unit_en="number", baseline_value=Decimal(10000), baseline_year=2013),
        targets=[{"year": 2020, "value": Decimal(15000), "is_final": True}],
    )  # fmt: skip
    plan_services.financial_table_fill(actor=OPERATOR, plan=plan, lines=[
        {"element": elements["СЦ1"], "source": FundingSource.EU, "year": 2016, "amount": Decimal(100000),
         "currency": "EUR"},
    ])  # fmt: skip
    decision = decision_create(
        actor=OPERATOR, municipality=municipality, number=123, date=datetime.date(2014, 3, 27),
        subject_bg="Приемане на Общинския план за развитие 2014–2020", is_sample=True,
    )  # fmt: skip
    first = plan_version_adopt(
        actor=OPERATOR, plan=plan, decision=decision, effective_on=datetime.date(2014, 3, 27),
        note_bg="Първоначално приет план.", note_en="The plan as first adopted.",
    )  # fmt: skip
    plan_version_start_draft(actor=OPERATOR, plan=plan)

    plan_services.element_create(actor=OPERATOR, plan=plan, code="СЦ5", title_bg="Дигитална община",
                                 title_en="A digital municipality")  # fmt: skip
    plan_services.element_delete(actor=OPERATOR, element=elements["СЦ3"])
    plan_services.element_move(actor=OPERATOR, element=elements["СЦ4"], parent=None, position=0)
    reworded = PlanElement.objects.get(pk=elements["СЦ2"].pk)
    plan_services.element_update(
        actor=OPERATOR, element=reworded, expected_version=reworded.version,
        title_bg=reworded.title_bg + " и привличане на инвестиции",
    )  # fmt: skip
    target_set(actor=OPERATOR, indicator=indicator, year=2020, value=Decimal(18000), is_final=True,
               reason="Актуализация на плана")  # fmt: skip
    line = FinancialLine.objects.get(plan=plan)
    plan_services.financial_line_update(actor=OPERATOR, line=line, amount=Decimal(120000))
    plan.refresh_from_db()
    update = decision_create(
        actor=OPERATOR, municipality=municipality, number=37, date=datetime.date(2017, 6, 29),
        subject_bg="Актуализация на Общинския план за развитие 2014–2020", is_sample=True,
    )  # fmt: skip
    second = plan_version_adopt(
        actor=OPERATOR, plan=plan, decision=update, effective_on=datetime.date(2017, 6, 29),
        note_bg="Актуализация в средата на периода.", note_en="Mid-term update.",
    )  # fmt: skip
    return plan, first, second


# Publicity ---------------------------------------------------------------------------------------


class PublicityEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "publicity.PublicityEvent"

    municipality = factory.SubFactory(MunicipalityFactory)
    project = None
    kind = "press_conference"
    title_bg = factory.Sequence(lambda n: f"Пресконференция {n}")
    title_en = factory.Sequence(lambda n: f"Press conference {n}")
    date = datetime.date(2014, 7, 24)
    place_bg = "Ритуална зала – гр. Сопот"
    place_en = "Ceremonial Hall, Sopot"


class EventPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "publicity.EventPhoto"

    event = factory.SubFactory(PublicityEventFactory)
    caption_bg = factory.Sequence(lambda n: f"Снимка {n}")
    caption_en = factory.Sequence(lambda n: f"Photo {n}")
    file = factory.Sequence(lambda n: f"publicity/2014/{n:016x}-photo.jpg")
    content_type = "image/jpeg"


class PublicityMaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "publicity.PublicityMaterial"

    municipality = factory.SubFactory(MunicipalityFactory)
    project = None
    kind = "brochure"
    title_bg = factory.Sequence(lambda n: f"Брошура {n}")
    title_en = factory.Sequence(lambda n: f"Brochure {n}")
    quantity = 1000
    produced_on = datetime.date(2014, 3, 1)


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "publicity.Publication"

    municipality = factory.SubFactory(MunicipalityFactory)
    project = None
    medium = "newspaper"
    outlet_bg = "вестник „Диалог днес“"
    outlet_en = 'the newspaper "Dialog Dnes"'
    title_bg = factory.Sequence(lambda n: f"Публикация {n}")
    title_en = factory.Sequence(lambda n: f"Publication {n}")
    published_on = datetime.date(2014, 7, 25)
    url = "https://example.org/news/1"
