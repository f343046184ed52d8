"""Annual assessments of a plan's elements (issue 9): what was done and what held it back, per year,
written by staff, public once published and never before; and the plan's reporting year start."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from civitas.core.errors import ConflictError
from civitas.core.models import AuditEvent, Role
from civitas.plans import rules, selectors, services
from civitas.plans.models import ElementAssessment, Plan, PlanStatus
from civitas.testing.factories import MembershipFactory, UserFactory
from civitas.testing.pages import url
from civitas.testing.signin import sign_in_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner(town):
    user = UserFactory(username="planner")
    MembershipFactory(user=user, municipality=town, role=Role.PLANNER)
    return user


@pytest.fixture
def goal(plan):
    plan.status = PlanStatus.ADOPTED
    plan.save()
    return plan.elements.get(code="SG1")


def save(planner, goal, **fields):
    values = {"year": 2019, "achieved_bg": "Ремонтирани 3 училища", "achieved_en": "3 schools renovated",
              "obstacles_bg": "Забавени обществени поръчки", "obstacles_en": "Delayed tenders",
              "publish": True, "expected_version": None} | fields  # fmt: skip
    return services.assessment_save(actor=planner, element=goal, **values)


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"year": 2013}, "year"),
        ({"year": 2021}, "year"),
        ({"achieved_bg": "x" * 5001}, "achieved_bg"),
        ({"obstacles_en": "x" * 5001}, "obstacles_en"),
        ({"achieved_bg": "  ", "publish": True}, "achieved_bg"),  # nothing to publish
    ],
)
def test_an_assessment_is_refused_with_a_reason(planner, goal, fields, field):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        save(planner, goal, **fields)
    assert field in refused.value.message_dict
    assert not ElementAssessment.objects.exists()


def test_a_draft_assessment_may_be_empty_and_is_never_public(client, town, planner, goal):
    version = town.planning_version
    save(planner, goal, achieved_bg="", achieved_en="", publish=False)
    town.refresh_from_db()
    assert town.planning_version == version  # nothing public changed
    save(planner, goal, year=2018, achieved_bg="Тайна чернова", publish=False)
    page = client.get(url("portal:plan", "sopot", "opr")).content.decode()
    assert "Тайна чернова" not in page and "2018" not in page.split("Annual assessment")[-1]


def test_a_published_assessment_shows_under_its_element(client, town, planner, goal):
    save(planner, goal)
    page = client.get(url("portal:plan", "sopot", "opr", lang="en")).content.decode()
    assert "Annual assessment 2019" in page
    assert "3 schools renovated" in page and "Delayed tenders" in page
    assert "Ремонтирани 3 училища" in client.get(url("portal:plan", "sopot", "opr")).content.decode()


def test_rewriting_and_taking_back_an_assessment(client, town, planner, goal):
    first = save(planner, goal)
    with pytest.raises(ConflictError):
        save(planner, goal, achieved_bg="Друго", expected_version=None)  # written meanwhile by someone
    with pytest.raises(ConflictError):
        save(planner, goal, achieved_bg="Друго", expected_version=first.version + 1)
    version = town.planning_version
    taken_back = save(planner, goal, publish=False, expected_version=first.version)
    assert taken_back.published_at is None and taken_back.version == first.version + 1
    town.refresh_from_db()
    assert town.planning_version > version  # it leaves the public page at once
    event = AuditEvent.objects.filter(object_type="plans.elementassessment").latest("pk")
    assert event.action == "unpublish" and event.changes["is_published"] == [True, False]
    assert (
        "3 schools renovated"
        not in client.get(url("portal:plan", "sopot", "opr", lang="en")).content.decode()
    )


def test_the_staff_pages_list_the_years_and_save_an_assessment(client, town, goal):
    sign_in_with_role(client, town, Role.PLANNER)
    listing = client.get(reverse("manage:element_assessments", args=["sopot", "opr", goal.pk]))
    assert listing.status_code == 200
    assert all(str(year) in listing.content.decode() for year in range(2014, 2021))
    path = reverse("manage:assessment_edit", args=["sopot", "opr", goal.pk, 2016])
    assert client.get(path).status_code == 200
    response = client.post(
        path, {"achieved_bg": "Направено", "obstacles_bg": "", "publish": "on", "version": "0"}
    )
    assert response.status_code == 302
    saved = ElementAssessment.objects.get()
    assert (saved.year, saved.is_published, saved.achieved_bg) == (2016, True, "Направено")
    stale = client.post(path, {"achieved_bg": "Ново", "publish": "on", "version": "0"})
    assert stale.status_code == 400 and ElementAssessment.objects.get().achieved_bg == "Направено"
    outside = reverse("manage:assessment_edit", args=["sopot", "opr", goal.pk, 2030])
    assert client.post(outside, {"achieved_bg": "x", "version": "0"}).status_code == 400


def test_an_indicator_owner_may_not_write_assessments(client, town, goal):
    sign_in_with_role(client, town, Role.INDICATOR_OWNER)
    assert (
        client.get(reverse("manage:element_assessments", args=["sopot", "opr", goal.pk])).status_code == 403
    )


def test_the_plan_form_sets_the_reporting_year_start(client, town, plan):
    sign_in_with_role(client, town, Role.PLANNER)
    path = reverse("manage:plan_edit", args=["sopot", "opr"])
    data = {"title_bg": plan.title_bg, "slug": "opr", "kind": plan.kind, "period_start": 2014,
            "period_end": 2020, "position": 0, "level_names_text": "Цел | Goal", "version": plan.version,
            "year_start_month": "4"}  # fmt: skip
    assert client.post(path, data).status_code == 302
    assert Plan.objects.get().year_start_month == 4
    data["version"] = plan.version + 1
    assert client.post(path, {**data, "year_start_month": ""}).status_code == 302
    assert Plan.objects.get().year_start_month is None  # the municipality's
    assert "year_start_month" in client.post(path, {**data, "year_start_month": "13"}).content.decode()
    assert rules.check_year_start_month(13) and rules.check_year_start_month(None, allow_none=True) == {}
    assert "year_start_month" in rules.check_plan({"year_start_month": 0})


def test_the_annual_report_reads_the_published_assessments_of_a_year(
    planner, goal, django_assert_num_queries
):
    save(planner, goal, year=2019)
    save(planner, goal, year=2020, publish=False, achieved_bg="Чернова")
    with django_assert_num_queries(1):
        found = selectors.published_assessments(plan=goal.plan, year=2019)
    assert list(found) == [goal.pk] and found[goal.pk].achieved_bg == "Ремонтирани 3 училища"
    assert selectors.published_assessments(plan=goal.plan, year=2020) == {}
