"""Plan versions: a draft is started, published for consultation and adopted by a council decision;
while the latest version is adopted or amended the plan is frozen, and every service that changes
what a version holds refuses (monitoring goes on); a new draft version opens it again."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from civitas.core.models import AuditEvent, Role
from civitas.core.permissions import OPERATOR
from civitas.indicators import services as indicator_services
from civitas.indicators.passport import IndicatorPassport
from civitas.planfiles import imports, services
from civitas.plans import services as plan_services
from civitas.plans.models import FinancialLine, Plan, PlanElement, PlanVersion
from civitas.projects import services as project_services
from civitas.testing.factories import (
    DecisionFactory,
    IndicatorFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectContributionFactory,
    ProjectFactory,
    TargetFactory,
)

from .test_planfile import GOOD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """The messages and pages are read in English (their Bulgarian comes with the catalogue)."""
    with translation.override("en"):
        yield


FROZEN = "is in force as adopted by Decision № 123 of 27.03.2014; start a new draft version to change it"


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def planner(town):
    return MembershipFactory(municipality=town, role=Role.PLANNER).user


@pytest.fixture
def decision(town):
    return DecisionFactory(municipality=town, number=123, date=datetime.date(2014, 3, 27))


@pytest.fixture
def plan(town):
    plan = PlanFactory(
        municipality=town, title_bg="ОПР", status="draft",
        level_names=[{"bg": "Цел"}, {"bg": "Приоритет"}, {"bg": "Мярка"}],
    )  # fmt: skip
    goal = PlanElementFactory(plan=plan, code="G1", title_bg="Цел 1", title_en="", position=0)
    PlanElementFactory(plan=plan, code="P1", title_bg="Приоритет 1", parent=goal, position=0)
    plan_services.financial_line_create(actor=OPERATOR, plan=plan, source="eu", amount="1000", year=2015)
    return plan


@pytest.fixture
def adopted(plan, planner, decision):
    services.plan_version_start_draft(actor=planner, plan=plan)
    services.plan_version_publish_for_consultation(
        actor=planner, plan=plan, published_on=datetime.date(2014, 1, 10)
    )
    services.plan_version_adopt(
        actor=planner, plan=plan, decision=decision, note_bg="Приет", note_en="Adopted"
    )
    plan.refresh_from_db()
    return plan


def kinds(plan):
    return list(PlanVersion.objects.filter(plan=plan).order_by("number").values_list("number", "kind"))


def test_a_draft_is_published_for_consultation_and_adopted(plan, planner, decision):
    draft = services.plan_version_start_draft(actor=planner, plan=plan)
    assert (draft.number, draft.kind) == (1, "draft")
    assert [e["code"] for e in draft.snapshot["goals"]] == ["G1"]
    published = services.plan_version_publish_for_consultation(
        actor=planner, plan=plan, published_on=datetime.date(2014, 1, 10)
    )
    # The open draft is recorded as the draft for consultation: no second version.
    assert (published.pk, published.number, published.kind) == (draft.pk, 1, "consultation_draft")
    assert published.effective_on == datetime.date(2014, 1, 10)
    plan.refresh_from_db()
    assert plan.status == "consultation"
    plan_services.element_update(actor=planner, element=PlanElement.objects.get(code="G1"), expected_version=1,
                                 title_bg="Цел 1, след консултацията", title_en="")  # fmt: skip
    version = services.plan_version_adopt(actor=planner, plan=plan, decision=decision, note_bg="Приет")
    assert (version.number, version.kind, version.decision, version.effective_on) == (
        2,
        "adopted",
        decision,
        datetime.date(2014, 3, 27),
    )
    assert version.snapshot["goals"][0]["title"] == {"bg": "Цел 1, след консултацията"}
    # The consultation draft kept what was published.
    assert PlanVersion.objects.get(number=1).snapshot["goals"][0]["title"] == {"bg": "Цел 1"}
    plan.refresh_from_db()
    assert plan.status == "adopted"
    assert AuditEvent.objects.filter(object_type="plans.planversion").count() == 3


def test_an_update_is_recorded_as_amended(adopted, planner, town):
    draft = services.plan_version_start_draft(actor=planner, plan=adopted, note_bg="Актуализация")
    assert (draft.number, draft.kind) == (3, "draft")
    line = FinancialLine.objects.get(plan=adopted)
    plan_services.financial_line_update(actor=planner, line=line, amount="2500")
    update = DecisionFactory(municipality=town, number=45, date=datetime.date(2018, 2, 22))
    amended = services.plan_version_adopt(
        actor=planner, plan=adopted, decision=update, note_bg="Средносрочна"
    )
    assert (amended.pk, amended.number, amended.kind, amended.decision) == (draft.pk, 3, "amended", update)
    assert kinds(adopted) == [(1, "consultation_draft"), (2, "adopted"), (3, "amended")]
    with pytest.raises(ValidationError, match="Decision № 45 of 22.02.2018"):
        plan_services.financial_line_update(actor=planner, line=line, amount="1")


def test_a_plan_without_versions_may_be_adopted_at_once(plan, planner, decision):
    version = services.plan_version_adopt(actor=planner, plan=plan, decision=decision)
    assert (version.number, version.kind) == (1, "adopted")


def test_a_decision_of_another_municipality_is_refused(plan, planner):
    other = DecisionFactory(municipality=MunicipalityFactory(), number=123)
    with pytest.raises(ValidationError, match="another municipality"):
        services.plan_version_adopt(actor=planner, plan=plan, decision=other)
    assert not PlanVersion.objects.exists()


def test_a_version_takes_effect_no_earlier_than_its_decision(plan, planner, decision):
    with pytest.raises(ValidationError, match="before the decision"):
        services.plan_version_adopt(
            actor=planner, plan=plan, decision=decision, effective_on=datetime.date(2014, 3, 1)
        )
    assert not PlanVersion.objects.exists()


def test_publishing_needs_an_open_draft(plan, planner):
    with pytest.raises(ValidationError, match="no draft version open"):
        services.plan_version_publish_for_consultation(actor=planner, plan=plan)
    assert not PlanVersion.objects.exists()


def test_a_frozen_plan_is_not_published_nor_adopted_again(adopted, planner, decision):
    with pytest.raises(ValidationError, match=FROZEN):
        services.plan_version_publish_for_consultation(actor=planner, plan=adopted)
    with pytest.raises(ValidationError, match=FROZEN):
        services.plan_version_adopt(actor=planner, plan=adopted, decision=decision)
    assert len(kinds(adopted)) == 2


def test_one_draft_at_a_time(plan, planner):
    services.plan_version_start_draft(actor=planner, plan=plan)
    with pytest.raises(ValidationError, match="already open"):
        services.plan_version_start_draft(actor=planner, plan=plan)
    assert kinds(plan) == [(1, "draft")]


def test_a_publication_in_the_future_is_refused(plan, planner):
    services.plan_version_start_draft(actor=planner, plan=plan)
    with pytest.raises(ValidationError, match="has come"):
        services.plan_version_publish_for_consultation(
            actor=planner, plan=plan, published_on=datetime.date.today() + datetime.timedelta(days=2)
        )
    assert kinds(plan) == [(1, "draft")]


# The freeze ---------------------------------------------------------------------------------------


def _element(plan, code="G1"):
    return PlanElement.objects.get(plan=plan, code=code)


def _indicator(plan):
    indicator = IndicatorFactory(element=_element(plan), code="I1")
    TargetFactory(indicator=indicator, year=2020, value=Decimal("200"))
    return indicator


PASSPORT = dict(
    code="T2", name_bg="Нощувки", type="result", measure="number", direction="increase",
    accumulation="per_period", frequency="annual", baseline_value=Decimal("1000"), baseline_year=2013,
)  # fmt: skip


def _linked_project(plan):
    return ProjectContributionFactory(
        element=_element(plan), project=ProjectFactory(municipality=plan.municipality, code="PR-1")
    ).project


# What each call changes, made before it (factories write directly, as a plan's older records are).
SETUP = {
    "indicator_update": _indicator,
    "indicator_edit": _indicator,
    "target_set": _indicator,
    "project_update_links": lambda plan: ProjectFactory(municipality=plan.municipality, code="PR-2"),
    "project_delete": _linked_project,
}

FROZEN_CALLS = {
    "plan_update": lambda plan, actor, _: plan_services.plan_update(
        actor=actor, plan=plan, expected_version=plan.version, title_bg="Ново заглавие"
    ),
    "element_create": lambda plan, actor, _: plan_services.element_create(
        actor=actor, plan=plan, code="G2", title_bg="Цел 2"
    ),
    "element_create_tree": lambda plan, actor, _: plan_services.element_create_tree(
        actor=actor, plan=plan, elements=[plan_services.NewElement("G2", "Цел 2")]
    ),
    "element_update": lambda plan, actor, _: plan_services.element_update(
        actor=actor, element=_element(plan), expected_version=1, title_bg="Друга цел"
    ),
    "element_move": lambda plan, actor, _: plan_services.element_move(
        actor=actor, element=_element(plan, "P1"), parent=None, position=0
    ),
    "element_delete": lambda plan, actor, _: plan_services.element_delete(
        actor=actor, element=_element(plan, "P1")
    ),
    "financial_table_fill": lambda plan, actor, _: plan_services.financial_table_fill(
        actor=actor, plan=plan, lines=[{"source": "national", "amount": "5", "year": 2016}]
    ),
    "financial_line_create": lambda plan, actor, _: plan_services.financial_line_create(
        actor=actor, plan=plan, source="national", amount="5"
    ),
    "financial_line_update": lambda plan, actor, _: plan_services.financial_line_update(
        actor=actor, line=plan.financial_lines.get(), amount="5"
    ),
    "financial_line_delete": lambda plan, actor, _: plan_services.financial_line_delete(
        actor=actor, line=plan.financial_lines.get()
    ),
    "indicator_create": lambda plan, actor, _: indicator_services.indicator_create(
        actor=actor,
        municipality=plan.municipality,
        element=_element(plan),
        passport=IndicatorPassport(**PASSPORT),
    ),
    "indicator_update": lambda plan, actor, found: indicator_services.indicator_update(
        actor=actor,
        indicator=found,
        expected_version=found.version,
        passport=replace(IndicatorPassport.of(found), baseline_value=Decimal("90")),
        reason="нова база",
    ),  # fmt: skip
    "indicator_edit": lambda plan, actor, found: indicator_services.indicator_edit(
        actor=actor,
        indicator=found,
        expected_version=found.version,
        passport=IndicatorPassport.of(found),
        targets=[{"year": 2020, "value": 300}],
        reason="по-висока цел",
    ),  # fmt: skip
    "target_set": lambda plan, actor, found: indicator_services.target_set(
        actor=actor, indicator=found, year=2020, value=300, reason="по-висока цел"
    ),
    "project_create": lambda plan, actor, _: project_services.project_create(
        actor=actor,
        municipality=plan.municipality,
        code="PR-9",
        slug="pr-9",
        title_bg="Проект",
        element_ids=[_element(plan).pk],
    ),  # fmt: skip
    "project_update_links": lambda plan, actor, project: project_services.project_update(
        actor=actor, project=project, expected_version=project.version, element_ids=[_element(plan).pk]
    ),
    "project_delete": lambda plan, actor, project: project_services.project_delete(
        actor=actor, project=project
    ),
    "planfile_replace": lambda plan, actor, _: imports.planfile_import(
        actor=actor,
        municipality=plan.municipality,
        data=GOOD.replace("slug: housing", f"slug: {plan.slug}", 1).encode(),
        replace=True,
    ),  # fmt: skip
}


def _state(plan):
    plan.refresh_from_db()
    return (
        plan.title_bg, plan.version, Plan.objects.count(),
        list(PlanElement.objects.filter(plan=plan).order_by("pk").values_list("code", "title_bg", "parent_id",
                                                                              "position")),
        list(FinancialLine.objects.filter(plan=plan).values_list("source", "amount", "year")),
        list(PlanElement.objects.filter(plan=plan, indicators__isnull=False).values_list(
            "indicators__code", "indicators__baseline_value", "indicators__targets__value")),
        list(PlanElement.objects.filter(plan=plan, contributions__isnull=False).values_list(
            "contributions__project__code")),
    )  # fmt: skip


@pytest.mark.parametrize("name", sorted(FROZEN_CALLS))
def test_a_frozen_plan_refuses_every_change_to_what_a_version_holds(adopted, name):
    admin = MembershipFactory(municipality=adopted.municipality, role=Role.ADMINISTRATOR).user
    thing = SETUP[name](adopted) if name in SETUP else None
    before = _state(adopted)
    with pytest.raises((ValidationError, imports.PlanImportError), match=FROZEN):
        FROZEN_CALLS[name](adopted, admin, thing)
    assert _state(adopted) == before


@pytest.mark.parametrize("name", sorted(FROZEN_CALLS))
def test_a_new_draft_version_opens_the_plan_again(adopted, name):
    admin = MembershipFactory(municipality=adopted.municipality, role=Role.ADMINISTRATOR).user
    services.plan_version_start_draft(actor=admin, plan=adopted)
    thing = SETUP[name](adopted) if name in SETUP else None
    FROZEN_CALLS[name](adopted, admin, thing)


def test_monitoring_goes_on_in_a_frozen_plan(adopted, planner):
    admin = MembershipFactory(municipality=adopted.municipality, role=Role.ADMINISTRATOR).user
    indicator = _indicator(adopted)
    measurement = indicator_services.measurement_save(actor=admin, indicator=indicator, year=2016, value="150",
                                                      submit=True)  # fmt: skip
    indicator_services.measurement_approve(actor=OPERATOR, measurement=measurement, publish=True)
    plan_services.assessment_save(
        actor=admin, element=_element(adopted), year=2016, achieved_bg="Направено", publish=True,
        expected_version=None,
    )  # fmt: skip
    project = _linked_project(adopted)
    project_services.project_touch_progress(actor=admin, project=project, expected_version=project.version,
                                            progress=40)  # fmt: skip
    # Fields no version holds: its address name.
    plan_services.plan_update(actor=admin, plan=adopted, expected_version=adopted.version, slug="opr-new")


def test_deleting_a_plan_records_its_versions(adopted):
    admin = MembershipFactory(municipality=adopted.municipality, role=Role.ADMINISTRATOR).user
    plan_services.plan_delete(actor=admin, plan=adopted)
    event = AuditEvent.objects.get(action="delete", object_type="plans.plan")
    assert [(v["number"], v["kind"]) for v in event.changes["versions"]] == [
        (1, "consultation_draft"),
        (2, "adopted"),
    ]
    assert event.changes["versions"][1]["snapshot"]["goals"][0]["code"] == "G1"
