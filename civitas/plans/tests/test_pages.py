"""The public pages of plans: the list and a plan with its goal tree; drafts only for its editors."""

import pytest

from civitas.plans.models import PlanStatus
from civitas.testing.factories import (
    MembershipFactory,
    MunicipalityFactory,
    PlanFactory,
)
from civitas.testing.pages import build_plan, url
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot", name_bg="Община Сопот", name_en="Sopot Municipality")


def test_draft_plans_are_hidden_from_the_public(client, town):
    draft = PlanFactory(municipality=town, status=PlanStatus.DRAFT, title_bg="Чернова на план")
    assert "Чернова на план" not in client.get(url("portal:home", "sopot")).content.decode()
    assert client.get(url("portal:plan", "sopot", draft.slug)).status_code == 404


def test_draft_plan_is_visible_to_its_planners(client, town):
    draft = PlanFactory(municipality=town, status=PlanStatus.DRAFT)
    planner = MembershipFactory(municipality=town, role="planner").user
    sign_in(client, planner)
    response = client.get(url("portal:plan", "sopot", draft.slug))
    assert response.status_code == 200


def test_plan_page_shows_goal_tree_with_projects(client, town):
    plan = build_plan(town)
    response = client.get(url("portal:plan", "sopot", plan.slug))
    content = response.content.decode()
    assert "SG1" in content and "Цел 1" in content and "M1.1" in content
    assert "Проект" in content
    # Levels are named by the plan: the first level is "Стратегическа цел", the second "Мярка".
    assert "Стратегическа цел" in content and "Мярка" in content
    english = client.get(url("portal:plan", "sopot", plan.slug, lang="en")).content.decode()
    assert "Goal 1" in english and "Strategic goal" in english


def test_plan_of_another_municipality_is_404(client, town):
    other = PlanFactory(municipality=MunicipalityFactory(slug="karlovo"))
    assert client.get(url("portal:plan", "sopot", other.slug)).status_code == 404
