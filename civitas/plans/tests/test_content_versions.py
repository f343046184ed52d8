"""Which public content a write to plans changes (core.content): what the cached public pages and
evaluations show moves its version on; a draft's private details do not."""

import pytest
from django.urls import reverse

from civitas.core.models import Municipality
from civitas.core.permissions import OPERATOR
from civitas.plans import services
from civitas.plans.models import PlanStatus
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    TargetFactory,
)
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


def versions(town) -> tuple[int, int]:
    fresh = Municipality.objects.get(pk=town.pk)
    return fresh.planning_version, fresh.participation_version


def moved(town, call) -> tuple[bool, bool]:
    """(planning moved, participation moved) by ``call``."""
    before = versions(town)
    call()
    after = versions(town)
    return after[0] != before[0], after[1] != before[1]


def create(town, status):
    return services.plan_create(actor=OPERATOR, municipality=town, slug=f"p-{status}", kind="programme",
                                title_bg="Програма", period_start=2021, period_end=2027, status=status)  # fmt: skip


def test_a_new_draft_changes_no_public_content_a_published_plan_does(town):
    assert moved(town, lambda: create(town, PlanStatus.DRAFT)) == (False, False)
    assert moved(town, lambda: create(town, PlanStatus.ADOPTED)) == (True, False)


@pytest.mark.parametrize(
    "status, fields, expected",
    [
        (PlanStatus.DRAFT, {"vision_bg": "Нова визия"}, (False, False)),
        # Consultations and forum topics about a plan name it, a draft too.
        (PlanStatus.DRAFT, {"title_bg": "Ново заглавие"}, (False, True)),
        (PlanStatus.ADOPTED, {"vision_bg": "Нова визия"}, (True, False)),
        (PlanStatus.ADOPTED, {"slug": "new-address"}, (True, True)),
    ],
)
def test_editing_a_plan(town, status, fields, expected):
    plan = PlanFactory(municipality=town, status=status)
    assert moved(town, lambda: services.plan_update(actor=OPERATOR, plan=plan, expected_version=plan.version,
                                                    **fields)) == expected  # fmt: skip


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (PlanStatus.DRAFT, PlanStatus.DRAFT, (False, False)),
        (PlanStatus.DRAFT, PlanStatus.CONSULTATION, (True, True)),  # published: its consultation links it
        (PlanStatus.CONSULTATION, PlanStatus.DRAFT, (True, True)),  # withdrawn
        (PlanStatus.ADOPTED, PlanStatus.IMPLEMENTATION, (True, False)),
    ],
)
def test_changing_a_plans_status(town, old, new, expected):
    plan = PlanFactory(municipality=town, status=old)
    change = lambda: services.plan_change_status(  # noqa: E731
        actor=OPERATOR, plan=plan, status=new, expected_version=plan.version
    )
    assert moved(town, change) == expected


@pytest.mark.parametrize("status", [PlanStatus.DRAFT, PlanStatus.ADOPTED])
def test_a_goal_tree_that_changes_shape_moves_the_planning_version_even_for_a_draft(town, status):
    plan = PlanFactory(municipality=town, status=status)
    goal = PlanElementFactory(plan=plan, code="G1")
    assert moved(town, lambda: services.element_create(actor=OPERATOR, plan=plan, code="G2", title_bg="Цел"))[
        0
    ]
    tree = [services.NewElement("G3", "Цел")]
    assert moved(town, lambda: services.element_create_tree(actor=OPERATOR, plan=plan, elements=tree))[0]
    assert moved(town, lambda: services.element_move(actor=OPERATOR, element=goal, parent=None, position=2))[
        0
    ]
    assert moved(town, lambda: services.element_delete(actor=OPERATOR, element=goal))[0]


@pytest.mark.parametrize("status, expected", [(PlanStatus.DRAFT, False), (PlanStatus.ADOPTED, True)])
def test_renaming_an_element_shows_only_on_a_published_plan(town, status, expected):
    element = PlanElementFactory(plan=PlanFactory(municipality=town, status=status))
    rename = lambda: services.element_update(  # noqa: E731
        actor=OPERATOR, element=element, expected_version=element.version, title_bg="Ново"
    )
    assert moved(town, rename) == (expected, False)


@pytest.mark.parametrize(
    "status, expected", [(PlanStatus.DRAFT, (False, True)), (PlanStatus.ADOPTED, (True, True))]
)
def test_deleting_a_plan_unlinks_its_consultations_and_topics(town, status, expected):
    plan = PlanFactory(municipality=town, status=status)
    assert moved(town, lambda: services.plan_delete(actor=OPERATOR, plan=plan)) == expected


def test_the_editors_of_a_draft_see_its_evaluation_follow_the_goal_tree(client, town):
    """A draft's evaluation is kept under the planning version like any plan's: a new goal without
    data lowers the coverage its editors see on the plan's page at once."""
    plan = PlanFactory(
        municipality=town, status=PlanStatus.DRAFT, slug="draft", period_start=2014, period_end=2020
    )
    goal = PlanElementFactory(plan=plan, code="G1")
    indicator = IndicatorFactory(element=goal, code="I1")
    TargetFactory(indicator=indicator)
    MeasurementFactory(indicator=indicator)
    planner = MembershipFactory(municipality=town, role="planner").user
    sign_in(client, planner)
    path = reverse("portal:plan", args=["sopot", "draft"])
    before = client.get(path).context["evaluation"].plan_result
    services.element_create(actor=planner, plan=plan, code="G2", title_bg="Цел без данни")
    after = client.get(path).context["evaluation"].plan_result
    assert after.coverage < before.coverage
