"""Test data factories for every app, in one place."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from civitas.core.models import Membership, Municipality, Role
from civitas.plans.models import Plan, PlanElement, PlanKind, PlanStatus
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
