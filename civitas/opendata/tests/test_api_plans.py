"""The API's plans, their versions, elements and evaluation, on the Sopot demo: only what the
portal shows, filters, pagination, fixed query counts, and the evaluation the plan page shows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from civitas.core.cache import ProcessCache
from civitas.indicators import selectors as indicator_selectors
from civitas.indicators.models import Measurement
from civitas.plans import selectors as plan_selectors
from civitas.plans.models import ElementAssessment, FinancialLine, Plan, PlanStatus, PlanVersion, VersionKind
from civitas.testing.factories import MunicipalityFactory, PlanElementFactory, PlanFactory

from .sopot_demo import loaded_demo

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/plans"
ELEMENTS = "/api/v1/elements"


@pytest.fixture(scope="module")
def sopot(django_db_setup, django_db_blocker):
    yield from loaded_demo(django_db_blocker)


@pytest.fixture
def opr(sopot):
    return Plan.objects.get(municipality=sopot, slug="opr-2014-2020")


@pytest.fixture
def draft(sopot):
    """A draft plan of Sopot with an element: the portal does not show it."""
    plan = PlanFactory(municipality=sopot, slug="draft-plan", status=PlanStatus.DRAFT)
    PlanElementFactory(plan=plan, code="D1")
    return plan


def _all(client, url):
    items = []
    while url:
        body = client.get(url).json()
        items += body["items"]
        url = body["next"]
    return items


def test_the_list_has_every_public_plan_once_and_no_draft(client, sopot, draft):
    items = _all(client, PLANS + "?limit=1")
    public = Plan.objects.filter(municipality=sopot).exclude(status=PlanStatus.DRAFT)
    assert sorted(item["id"] for item in items) == sorted(public.values_list("pk", flat=True))
    assert draft.pk not in {item["id"] for item in items} and len(items) == 4
    opr = next(item for item in items if item["slug"] == "opr-2014-2020")
    assert opr["url"] == f"http://testserver{PLANS}/{opr['id']}"
    assert opr["web_url"] == "http://testserver/sopot/plans/opr-2014-2020/"
    assert opr["municipality"] == "sopot" and opr["kind"] == "development_plan"
    assert opr["level_names"][0] == {"bg": "Стратегическа цел", "en": "Strategic goal"}
    assert client.get(opr["url"]).json() == opr


def test_a_draft_plan_and_its_parts_are_not_found(client, draft):
    element = draft.elements.get()
    for url in (
        f"{PLANS}/{draft.pk}",
        f"{PLANS}/{draft.pk}/versions",
        f"{PLANS}/{draft.pk}/elements",
        f"{PLANS}/{draft.pk}/evaluation",
        f"{ELEMENTS}/{element.pk}",
        f"{PLANS}/999999",
        f"{PLANS}/{2**63}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    # Named in a filter, it names nothing, as an unknown plan would.
    refused = client.get(f"{ELEMENTS}?plan={draft.pk}")
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_parameter"


def test_plans_filter_by_municipality_status_kind_and_change(client, sopot, opr):
    other = PlanFactory(municipality=MunicipalityFactory(slug="elsewhere"), status=PlanStatus.ADOPTED)

    def ids(query):
        response = client.get(PLANS + query)
        assert response.status_code == 200, response.json()
        return {item["id"] for item in response.json()["items"]}

    sopot_ids = set(Plan.objects.filter(municipality=sopot).values_list("pk", flat=True))
    assert ids("?municipality=sopot") == sopot_ids
    assert ids("?municipality=elsewhere") == {other.pk}
    assert ids("?status=implementation") == {Plan.objects.get(slug="piro-2021-2027").pk}
    assert ids("?kind=methodology&municipality=sopot") == {
        Plan.objects.get(slug="pravila-monitoring-ocenka").pk
    }
    Plan.objects.filter(pk=opr.pk).update(updated_at=timezone.now() + datetime.timedelta(days=2))
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert ids(f"?updated_since={tomorrow}") == {opr.pk}
    assert ids("?updated_since=2000-01-01T00:00:00Z") == sopot_ids | {other.pk}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?status=draft", "invalid_parameter"),  # a draft is never public
        ("?status=nonsense", "invalid_parameter"),
        ("?kind=poem", "invalid_parameter"),
        ("?municipality=", "invalid_parameter"),  # empty: leave it out rather than filter by nothing
        ("?status=", "invalid_parameter"),
        ("?updated_since=yesterday", "invalid_parameter"),
        ("?updated_since=2020-02-30", "invalid_parameter"),
        ("?owner=me", "unknown_parameter"),
        ("?limit=101", "invalid_limit"),
        ("?cursor=xyz", "invalid_cursor"),
    ],
)
def test_bad_plan_filters_are_json_400s(client, sopot, query, code):
    response = client.get(PLANS + query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["detail"]


@pytest.mark.parametrize(
    "query", ["?plan=abc", "?plan=-1", "?plan=0", "?plan=" + "9" * 30, "?plan=", "?plan=١"]
)
def test_a_bad_plan_filter_is_a_400(client, sopot, query):
    response = client.get(ELEMENTS + query)
    assert response.status_code == 400 and response.json()["code"] == "invalid_parameter"


@pytest.mark.parametrize("query", ["?plan=999999", "?municipality=atlantis"])
def test_a_filter_naming_nothing_is_a_400(client, sopot, query):
    response = client.get(ELEMENTS + query)
    assert response.status_code == 400 and response.json()["code"] == "invalid_parameter"


def test_a_list_of_plans_runs_the_same_queries_whatever_its_size(client, sopot, django_assert_num_queries):
    client.get(PLANS + "?limit=1")  # warm up the throttle table
    # The rate-limit counter (two), the municipality and the page.
    with django_assert_num_queries(4):
        assert len(client.get(PLANS + "?limit=1&municipality=sopot").json()["items"]) == 1
    with django_assert_num_queries(4):
        assert len(client.get(PLANS + "?limit=20&municipality=sopot").json()["items"]) == 4


def test_elements_are_the_goal_tree_with_levels_and_parents(client, opr):
    items = _all(client, f"{PLANS}/{opr.pk}/elements?limit=2")
    flat = plan_selectors.flatten(plan_selectors.plan_tree_elements(opr))
    assert len(items) == len(flat) == 5
    by_id = {item["id"]: item for item in items}
    for element, depth in flat:
        item = by_id[element.pk]
        assert (item["code"], item["parent_id"], item["level"]) == (element.code, element.parent_id, depth)
        assert item["title_bg"] == element.title_bg and item["description_en"] == element.description_en
        assert item["level_name_en"] == opr.level_names[min(depth, len(opr.level_names) - 1)]["en"]
        web = reverse("portal:plan_element", args=["sopot", "opr-2014-2020", element.code])
        assert item["web_url"] == f"http://testserver{web}"
    goal = next(item for item in items if item["code"] == "СЦ1")
    assert client.get(goal["web_url"]).status_code == 200  # the portal's page of the element
    assert client.get(goal["url"]).json() == goal
    assert {i["id"] for i in client.get(f"{ELEMENTS}?plan={opr.pk}&limit=100").json()["items"]} == set(by_id)


def test_a_list_of_elements_runs_the_same_queries_whatever_its_size(client, sopot, django_assert_num_queries):
    client.get(ELEMENTS + "?limit=1")
    # The rate-limit counter (two), the page, its published assessments and the levels of its
    # plans' elements.
    with django_assert_num_queries(5):
        assert len(client.get(ELEMENTS + "?limit=1").json()["items"]) == 1
    with django_assert_num_queries(5):
        assert len(client.get(ELEMENTS + "?limit=100").json()["items"]) == 21


def test_versions_are_the_public_ones_with_their_decisions(client, opr):
    PlanVersion.objects.create(plan=opr, number=4, kind=VersionKind.DRAFT, snapshot={})
    items = client.get(f"{PLANS}/{opr.pk}/versions").json()["items"]
    assert [(v["number"], v["kind"]) for v in items] == [
        (1, "consultation_draft"),
        (2, "adopted"),
        (3, "amended"),
    ]
    adopted = PlanVersion.objects.select_related("decision").get(plan=opr, number=2)
    decision = items[1]["decision"]
    assert (decision["id"], decision["number"], decision["year"]) == (
        adopted.decision.pk,
        adopted.decision.number,
        adopted.decision.year,
    )
    assert client.get(decision["web_url"]).status_code == 200
    assert items[0]["decision"] is None
    assert client.get(items[2]["web_url"]).status_code == 200  # the version's frozen text in the portal
    assert client.get(items[2]["url"]).json() == items[2]
    assert client.get(f"{PLANS}/{opr.pk}/versions/4").status_code == 404  # the draft
    assert client.get(f"{PLANS}/{opr.pk}/versions/0").status_code == 404


def _portal_evaluation(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["evaluation"], response.context["tree"]


@pytest.mark.parametrize("as_of", ["2016-12-31", "2019-12-31", ""])
def test_the_evaluation_is_the_one_the_plan_page_shows(client, opr, as_of):
    query = f"?as_of={as_of}" if as_of else ""
    api = client.get(f"{PLANS}/{opr.pk}/evaluation{query}").json()
    ProcessCache.clear_all()  # the portal evaluates afresh rather than reuse the API's
    portal, tree = _portal_evaluation(client, f"/sopot/plans/opr-2014-2020/{query}")
    assert api["as_of"] == portal.as_of.isoformat()
    if not as_of:
        assert portal.as_of == indicator_selectors.plan_as_of(opr)
    assert api["plan"]["status"] == portal.plan_result.status
    assert api["plan"]["score"] == pytest.approx(portal.plan_result.score)
    assert api["plan"]["coverage"] == pytest.approx(portal.plan_result.coverage)
    flat = plan_selectors.flatten(tree)
    assert [e["element_id"] for e in api["elements"]] == [element.pk for element, _depth in flat]
    evaluated = 0
    for item in api["elements"]:
        result = portal.elements[item["element_id"]]
        assert (item["status"], item["indicators_total"]) == (result.status, result.indicators_total)
        assert item["score"] == pytest.approx(result.score)
        assert item["coverage"] == pytest.approx(result.coverage)
        shown = portal.indicators.get(item["element_id"], [])
        assert [i["indicator_id"] for i in item["indicators"]] == [e.indicator.pk for e in shown]
        for ours, theirs in zip(item["indicators"], shown, strict=True):
            assert ours["status"] == theirs.result.status
            assert ours["actual"] == pytest.approx(theirs.result.actual)
            assert ours["expected"] == pytest.approx(theirs.result.expected)
            assert ours["forecast"]["outcome"] == theirs.result.forecast.outcome
            evaluated += 1
    assert evaluated == api["plan"]["indicators_total"] == 6


def test_the_evaluation_counts_published_values_only(client, opr):
    """ОПР-И3.1 has a value for 2020 that waits for a verifier: the evaluation ignores it."""
    body = client.get(f"{PLANS}/{opr.pk}/evaluation?as_of=2020-12-31").json()
    indicator = next(i for e in body["elements"] for i in e["indicators"] if i["code"] == "ОПР-И3.1")
    published = Measurement.objects.filter(indicator_id=indicator["indicator_id"], state="published")
    assert indicator["period"]["year"] == max(m.year for m in published) < 2020


@pytest.mark.parametrize("as_of", ["31.02.2019", "tomorrow", "2019-13-01", "", "31.12.2019", "2019-1-31"])
def test_a_bad_evaluation_date_is_a_400(client, opr, as_of):
    response = client.get(f"{PLANS}/{opr.pk}/evaluation?as_of={as_of}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameter" and "as_of" in response.json()["detail"]


def test_the_openapi_description_declares_the_planning_reads(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/plans",
        "/api/v1/plans/{id}",
        "/api/v1/plans/{id}/versions",
        "/api/v1/plans/{id}/versions/{number}",
        "/api/v1/plans/{id}/elements",
        "/api/v1/plans/{id}/evaluation",
        "/api/v1/elements",
        "/api/v1/elements/{id}",
    ):
        operation = schema["paths"][path]["get"]
        assert {"200", "400", "404"} <= set(operation["responses"]), path
    listed = schema["paths"]["/api/v1/plans"]["get"]
    names = {p["name"]: p for p in listed["parameters"]}
    assert {"municipality", "status", "kind", "updated_since", "cursor", "limit"} <= set(names)
    assert "draft" not in names["status"]["schema"]["enum"]
    plan = schema["components"]["schemas"]["PlanOut"]
    assert {"id", "url", "web_url"} <= set(plan["required"])
    version = schema["components"]["schemas"]["PlanVersionOut"]["properties"]["decision"]
    assert {"type": "null"} in version["anyOf"]


def test_an_evaluation_runs_the_same_queries_whatever_the_plans_size(
    client, sopot, django_assert_num_queries
):
    """The ОПР has 5 elements and 6 indicators, the ПИРО 9 elements and 8 indicators."""
    small, large = Plan.objects.get(slug="opr-2014-2020"), Plan.objects.get(slug="piro-2021-2027")
    client.get(f"{PLANS}/{small.pk}")  # warm up the throttle table
    # The rate-limit counter (two), the plan, its tree (two) and the evaluation (five).
    for plan in (small, large):
        with django_assert_num_queries(10):
            body = client.get(f"{PLANS}/{plan.pk}/evaluation?as_of=2020-12-31").json()
        assert len(body["elements"]) == plan.elements.count()
    # Kept until the data change, like the plan page's: the plan and its tree only.
    with django_assert_num_queries(5):
        client.get(f"{PLANS}/{large.pk}/evaluation?as_of=2020-12-31")


def test_a_bad_filter_is_explained_in_the_requests_language(client, sopot):
    english = client.get(PLANS + "?kind=poem", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert english.startswith("kind: must be one of: development_plan")
    bulgarian = client.get(PLANS + "?kind=poem", HTTP_ACCEPT_LANGUAGE="bg").json()["detail"]
    # Passes once the merger has put api-plans-strings.po into the catalogue.
    assert bulgarian.startswith("kind: трябва да е едно от: development_plan")


def test_an_element_shows_its_published_assessments_only(client, opr):
    element = opr.elements.get(code="СЦ1")
    ElementAssessment.objects.update_or_create(
        element=element, year=2016, defaults={"achieved_bg": "Направено", "is_published": True}
    )
    ElementAssessment.objects.update_or_create(
        element=element, year=2017, defaults={"achieved_bg": "Чернова", "is_published": False}
    )
    shown = client.get(f"{ELEMENTS}/{element.pk}").json()["assessments"]
    published = ElementAssessment.objects.filter(element=element, is_published=True).order_by("-year")
    assert [(a["year"], a["achieved_bg"]) for a in shown] == [(a.year, a.achieved_bg) for a in published]
    assert 2017 not in {a["year"] for a in shown} and 2016 in {a["year"] for a in shown}


def test_the_indicative_financial_table_line_by_line(client, sopot):
    piro = Plan.objects.get(slug="piro-2021-2027")
    lines = _all(client, f"{PLANS}/{piro.pk}/financial-lines?limit=4")
    stored = FinancialLine.objects.filter(plan=piro).order_by("pk")
    assert len(lines) == stored.count() > 0
    assert [(x["element_id"], x["source"], x["year"], x["amount_cents"], x["currency"]) for x in lines] == [
        (x.element_id, x.source, x.year, int(x.amount * 100), x.currency) for x in stored
    ]
    assert (
        client.get(f"{PLANS}/{piro.pk}")
        .json()["financial_lines_url"]
        .endswith(f"/api/v1/plans/{piro.pk}/financial-lines")
    )
