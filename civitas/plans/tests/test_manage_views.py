"""The back office's pages for plans and their goal trees."""

import pytest
from django.urls import reverse

from civitas.core.models import Role
from civitas.plans.models import Plan, PlanElement
from civitas.testing.signin import sign_in_with_role

pytestmark = pytest.mark.django_db


def test_plan_create_taken_slug_and_element_moves(client, town, plan):
    sign_in_with_role(client, town, Role.PLANNER)
    data = {"title_bg": "Стратегия", "slug": "opr", "kind": "sectoral_strategy", "period_start": 2014,
            "period_end": 2020, "position": 0, "level_names_text": "Цел | Goal\nМярка | Measure"}  # fmt: skip
    response = client.post(reverse("manage:plan_create", args=["sopot"]), data)
    assert response.status_code == 400 and Plan.objects.count() == 1
    response = client.post(reverse("manage:plan_create", args=["sopot"]), {**data, "slug": "housing"})
    assert response.status_code == 302
    housing = Plan.objects.get(slug="housing")
    assert housing.level_names[1] == {"bg": "Мярка", "en": "Measure"}
    add = reverse("manage:element_create", args=["sopot", "housing"])
    client.post(add, {"code": "G1", "title_bg": "Цел 1"})
    goal = PlanElement.objects.get(plan=housing, code="G1")
    client.post(add + f"?parent={goal.pk}", {"code": "M1", "title_bg": "Мярка 1"})
    measure = PlanElement.objects.get(plan=housing, code="M1")
    move = reverse("manage:element_move", args=["sopot", "housing", goal.pk])
    response = client.post(move, {"parent": measure.pk, "position": 1})
    assert response.status_code == 400  # under its own child
    assert PlanElement.objects.get(pk=goal.pk).parent is None


def test_plan_edit_sets_and_checks_the_plans_tolerance(client, town, plan):
    sign_in_with_role(client, town, Role.PLANNER)
    url = reverse("manage:plan_edit", args=["sopot", "opr"])
    assert "tolerance_amount" in client.get(url).content.decode()
    data = {"title_bg": plan.title_bg, "slug": "opr", "kind": plan.kind, "period_start": 2014,
            "period_end": 2020, "position": 0, "level_names_text": "Цел | Goal", "version": plan.version,
            "tolerance_amount": "150", "tolerance_unit": "percent"}  # fmt: skip
    assert client.post(url, data).status_code == 400  # more than 100 %
    assert client.post(url, {**data, "tolerance_amount": "10"}).status_code == 302
    plan.refresh_from_db()
    assert (plan.tolerance_amount, plan.tolerance_unit) == (10, "percent")
