"""The API's projects on the Sopot demo: funding in cents as the models keep it, the budget as the
project page sums it, activities, place, filters, pagination and fixed query counts."""

import datetime

import pytest
from django.utils import timezone

from civitas.core import geo
from civitas.plans.models import Plan, PlanStatus
from civitas.projects import selectors as project_selectors
from civitas.projects.models import Project, ProjectContribution
from civitas.testing.factories import PlanElementFactory, PlanFactory

from .sopot_demo import loaded_demo

pytestmark = pytest.mark.django_db

PROJECTS = "/api/v1/projects"


@pytest.fixture(scope="module")
def sopot(django_db_setup, django_db_blocker):
    yield from loaded_demo(django_db_blocker)


def _all(client, url):
    items = []
    while url:
        body = client.get(url).json()
        items += body["items"]
        url = body["next"]
    return items


def test_every_project_once_with_its_funding_budget_and_place(client, sopot):
    items = _all(client, PROJECTS + "?limit=7")
    assert sorted(i["id"] for i in items) == sorted(Project.objects.values_list("pk", flat=True))
    assert len(items) == 22
    placed = 0
    for item in items:
        project = project_selectors.public_projects().get(pk=item["id"])
        lines = list(project.funding_lines.all())
        assert [line["amount_cents"] for line in item["funding_lines"]] == [
            int(x.amount * 100) for x in lines
        ]
        assert [line["currency"] for line in item["funding_lines"]] == [x.currency for x in lines]
        budget = project_selectors.project_budget(project)
        assert item["budget"]["total_eur_cents"] == int(budget.total * 100)
        assert item["budget"]["spent_eur_cents"] == (
            None if budget.spent is None else int(budget.spent * 100)
        )
        assert item["progress"] == project.progress and item["status"] == project.status
        assert [a["title_bg"] for a in item["activities"]] == [a.title_bg for a in project.activities.all()]
        marker = geo.marker_point(project.location)
        assert [item["lon"], item["lat"]] == (marker or [None, None])
        placed += marker is not None
        assert item["web_url"] == f"http://testserver/sopot/projects/{project.slug}/"
    assert placed == 13
    first = items[0]
    assert client.get(first["url"]).json() == first
    assert client.get(first["web_url"]).status_code == 200


def test_milestones_and_overdue_activities_as_the_project_page_shows_them(client, sopot):
    project = next(
        p for p in project_selectors.public_projects() if any(a.is_milestone for a in p.activities.all())
    )
    item = client.get(f"{PROJECTS}/{project.pk}").json()
    overdue = project_selectors.overdue_activity_ids(project, as_of=timezone.localdate())
    assert {a["id"] for a in item["activities"] if a["is_milestone"]} == {
        a.pk for a in project.activities.all() if a.is_milestone
    }
    assert {a["id"] for a in item["activities"] if a["overdue"]} == overdue


def test_a_project_shows_only_the_elements_of_public_plans_it_serves(client, sopot):
    project = Project.objects.get(municipality=sopot, code="ОПР-1.1")
    shown_before = client.get(f"{PROJECTS}/{project.pk}").json()["elements"]
    draft = PlanElementFactory(plan=PlanFactory(municipality=sopot, status=PlanStatus.DRAFT), code="D1")
    ProjectContribution.objects.create(project=project, element=draft)
    shown = client.get(f"{PROJECTS}/{project.pk}").json()["elements"]
    assert shown == shown_before and draft.pk not in {e["element_id"] for e in shown}
    assert shown and all(client.get(e["element_url"]).status_code == 200 for e in shown)
    refused = client.get(f"{PROJECTS}?plan={draft.plan_id}")
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_parameter"


def test_projects_filter_by_plan_status_municipality_and_change(client, sopot):
    def ids(query):
        response = client.get(PROJECTS + query + "&limit=100")
        assert response.status_code == 200, response.json()
        return {item["id"] for item in response.json()["items"]}

    piro = Plan.objects.get(slug="piro-2021-2027")
    serving = set(ProjectContribution.objects.filter(element__plan=piro).values_list("project_id", flat=True))
    assert serving and ids(f"?plan={piro.pk}") == serving
    in_progress = set(Project.objects.filter(status="in_progress").values_list("pk", flat=True))
    assert len(ids("?status=in_progress")) == 9 and ids("?status=in_progress") == in_progress
    assert ids(f"?status=in_progress&plan={piro.pk}") == in_progress & serving
    assert len(ids("?municipality=sopot")) == 22
    changed = Project.objects.get(code="ОПР-1.1")
    Project.objects.filter(pk=changed.pk).update(updated_at=timezone.now() + datetime.timedelta(days=2))
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert ids(f"?updated_since={tomorrow}") == {changed.pk}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?status=finished", "invalid_parameter"),
        ("?plan=piro", "invalid_parameter"),
        ("?municipality=nowhere", "invalid_parameter"),
        ("?updated_since=", "invalid_parameter"),
        ("?updated_since=01/02/2020", "invalid_parameter"),
        ("?source=eu", "unknown_parameter"),
        ("?limit=0", "invalid_limit"),
    ],
)
def test_bad_project_filters_are_json_400s(client, sopot, query, code):
    response = client.get(PROJECTS + query)
    assert response.status_code == 400 and response.json()["code"] == code


@pytest.mark.parametrize("path", ["/999999", f"/{2**63}", "/0"])
def test_an_unknown_project_is_a_json_404(client, sopot, path):
    response = client.get(PROJECTS + path)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_list_of_projects_runs_the_same_queries_whatever_its_size(client, sopot, django_assert_num_queries):
    client.get(PROJECTS + "?limit=1")  # warm up the throttle table
    # The rate-limit counter (two), the page, its partners, funding lines, activities and elements.
    with django_assert_num_queries(7):
        assert len(client.get(PROJECTS + "?limit=1").json()["items"]) == 1
    with django_assert_num_queries(7):
        assert len(client.get(PROJECTS + "?limit=30").json()["items"]) == 22


def test_the_openapi_description_declares_the_project_reads(client):
    schema = client.get("/api/v1/openapi.json").json()
    listed = schema["paths"]["/api/v1/projects"]["get"]
    assert {"municipality", "plan", "status", "updated_since", "limit", "cursor"} <= {
        p["name"] for p in listed["parameters"]
    }
    assert {"200", "400", "404"} <= set(schema["paths"]["/api/v1/projects/{id}"]["get"]["responses"])
    line = schema["components"]["schemas"]["FundingLineOut"]["properties"]
    assert line["amount_cents"]["type"] == "integer"
    assert {"type": "null"} in line["spent_cents"]["anyOf"]
