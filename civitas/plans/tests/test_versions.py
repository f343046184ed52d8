"""A plan's versions in the back office (start a draft, publish it for consultation, record its
adoption by a council decision; refusals shown), and the decision that adopted the version in force
on the plan's public pages, in a fixed number of queries."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from civitas.consultations.models import Consultation
from civitas.core.models import Role
from civitas.core.permissions import OPERATOR
from civitas.planfiles import services as planfile_services
from civitas.plans import selectors
from civitas.plans.models import PlanVersion
from civitas.testing.factories import DecisionFactory, MunicipalityFactory, PlanElementFactory, PlanFactory
from civitas.testing.signin import sign_in_with_role

from .test_element_pages import priority_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """The messages and pages are read in English (their Bulgarian comes with the catalogue)."""
    with translation.override("en"):
        yield


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot", name_bg="Сопот", name_en="Sopot")


@pytest.fixture
def plan(town):
    plan = PlanFactory(municipality=town, slug="opr", title_bg="ОПР", status="draft", adopted_by_bg="")
    PlanElementFactory(plan=plan, code="G1", title_bg="Цел 1")
    return plan


@pytest.fixture
def decision(town):
    return DecisionFactory(municipality=town, number=123, date=datetime.date(2014, 3, 27))


def manage(name, plan):
    return reverse(f"manage:{name}", args=["sopot", plan.slug])


def test_staff_record_the_stages_of_a_plan(client, town, plan, decision):
    sign_in_with_role(client, town, Role.PLANNER)
    page = client.get(manage("plan_versions", plan)).content.decode()
    assert "The plan has no versions yet" in page
    assert manage("plan_versions", plan) in client.get(manage("plan_elements", plan)).content.decode()
    assert client.post(manage("plan_version_start", plan), {"note_bg": "Проект"}).status_code == 302
    response = client.post(manage("plan_version_publish", plan), {"published_on": "10.01.2014"})
    assert response.status_code == 302
    # The adoption form offers this council's decisions only.
    elsewhere = DecisionFactory(number=5)
    form = client.get(manage("plan_version_adopt", plan)).content.decode()
    assert f'value="{decision.pk}"' in form and f'value="{elsewhere.pk}"' not in form
    response = client.post(manage("plan_version_adopt", plan), {"decision": elsewhere.pk})
    assert response.status_code == 400
    response = client.post(
        manage("plan_version_adopt", plan),
        {"decision": decision.pk, "note_bg": "Приет", "note_en": "Adopted"},
    )
    assert response.status_code == 302
    assert list(PlanVersion.objects.order_by("number").values_list("number", "kind")) == [
        (1, "consultation_draft"), (2, "adopted")
    ]  # fmt: skip
    page = client.get(manage("plan_versions", plan)).content.decode()
    assert "start a new draft version to change it" in page
    assert reverse("council:detail", args=["sopot", 2014, 123]) in page
    assert "10.01.2014" in page and "27.03.2014" in page
    # A frozen plan: the refusals are shown, nothing changes.
    response = client.post(manage("plan_version_publish", plan), {"published_on": "", "note_bg": ""})
    assert (
        response.status_code == 400 and "start a new draft version to change it" in response.content.decode()
    )
    element = plan.elements.get()
    edit = reverse("manage:element_edit", args=["sopot", plan.slug, element.pk])
    response = client.post(edit, {"code": "G1", "title_bg": "Друга цел", "version": element.version})
    assert (
        response.status_code == 400 and "start a new draft version to change it" in response.content.decode()
    )
    element.refresh_from_db()
    assert element.title_bg == "Цел 1"


def test_only_who_may_edit_plans_sees_the_versions(client, town, plan):
    sign_in_with_role(client, town, Role.MODERATOR)
    assert client.get(manage("plan_versions", plan)).status_code == 403


def test_the_plan_pages_name_the_decision_of_the_version_in_force(client, town, plan, decision):
    plan.adopted_by_bg = "Общински съвет – Сопот"
    plan.status = "implementation"
    plan.save()
    page = client.get(reverse("portal:plan", args=["sopot", "opr"])).content.decode()
    assert "Общински съвет – Сопот" in page  # no adopted version: the free text
    planfile_services.plan_version_adopt(actor=OPERATOR, plan=plan, decision=decision)
    link = reverse("council:detail", args=["sopot", 2014, 123])
    page = client.get(reverse("portal:plan", args=["sopot", "opr"])).content.decode()
    assert link in page and "Общински съвет – Сопот" not in page
    assert link in client.get(reverse("portal:plan_element", args=["sopot", "opr", "G1"])).content.decode()
    planfile_services.plan_version_start_draft(actor=OPERATOR, plan=plan)
    update = DecisionFactory(municipality=town, number=45, date=datetime.date(2018, 2, 22))
    planfile_services.plan_version_adopt(actor=OPERATOR, plan=plan, decision=update)
    page = client.get(reverse("portal:plan", args=["sopot", "opr"])).content.decode()
    assert reverse("council:detail", args=["sopot", 2018, 45]) in page and link not in page
    assert "22.02.2018" in page


def count_queries(client, path):
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_version_in_force_costs_one_query_however_many_versions(client, town):
    plan = priority_plan(town, measures=2)
    path = reverse("portal:plan", args=["sopot", plan.slug])
    element = reverse("portal:plan_element", args=["sopot", plan.slug, "П1"])
    before = count_queries(client, path), count_queries(client, element)
    for number in (1, 2, 3):
        decision = DecisionFactory(municipality=town, number=number)
        planfile_services.plan_version_start_draft(actor=OPERATOR, plan=plan)
        planfile_services.plan_version_adopt(actor=OPERATOR, plan=plan, decision=decision)
    after = count_queries(client, path), count_queries(client, element)
    assert after == before  # the one query of plan_version_in_force is made with or without versions
    assert selectors.plan_version_in_force(plan).number == 3


def test_the_staff_list_names_the_consultation_held_on_a_version_and_the_version_after_it(
    client, town, plan, decision
):
    planfile_services.plan_version_start_draft(actor=OPERATOR, plan=plan)
    consulted = planfile_services.plan_version_publish_for_consultation(actor=OPERATOR, plan=plan)
    now = timezone.now()
    consultation = Consultation.objects.create(
        municipality=town, slug="obsazhdane", title_bg="Обсъждане", plan=plan, plan_version=consulted,
        opens_at=now, closes_at=now + datetime.timedelta(days=30),
    )  # fmt: skip
    planfile_services.plan_version_adopt(actor=OPERATOR, plan=plan, decision=decision)
    sign_in_with_role(client, town, Role.PLANNER)
    page = client.get(manage("plan_versions", plan)).content.decode()
    assert page.count("Обсъждане") == 2
    assert "Held on this version:" in page and "Follows the consultation" in page
    assert reverse("consultations:report", args=["sopot", consultation.slug]) in page
