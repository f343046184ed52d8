"""The embeddable widgets: what they show comes from the plan's and the project's selectors, they
alone may be framed by other sites, set no cookie, and answer 404 for what is not public."""

import pytest
from django.core.cache import cache

from civitas.core.cache import ProcessCache
from civitas.indicators import selectors as indicator_selectors
from civitas.indicators.presentation import STATUS_LABELS
from civitas.plans import selectors as plan_selectors
from civitas.plans.models import PlanStatus
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectFactory,
    TargetFactory,
)
from civitas.testing.pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(town):
    plan = PlanFactory(municipality=town, slug="opr", status=PlanStatus.ADOPTED, title_bg="План за развитие")
    for n in range(2):
        goal = PlanElementFactory(plan=plan, code=f"СЦ{n + 1}", title_bg=f"Цел {n + 1}")
        indicator = IndicatorFactory(element=goal, code=f"T-{n}")
        TargetFactory(indicator=indicator, year=2020, value=200)
        MeasurementFactory(indicator=indicator, year=2016, value=150 if n else 101)
    return plan


def test_the_plan_widget_shows_the_plans_evaluation(client, town, plan):
    response = client.get(url("opendata:embed_plan", "sopot", "opr"))
    assert response.status_code == 200
    html = response.content.decode()
    plan.municipality = town
    tree = plan_selectors.plan_tree(plan)
    evaluation = indicator_selectors.plan_evaluation(plan, tree)
    assert str(STATUS_LABELS[evaluation.plan_result.status]) in html
    for node in tree:
        assert node.element.title_bg in html
        assert f"civitas-status--{node.result.status}" in html
    assert 'href="/sopot/plans/opr/"' in html and 'target="_top"' in html


def test_the_project_widget_shows_status_and_progress(client, town):
    ProjectFactory(municipality=town, slug="alley", title_bg="Алея", status="in_progress", progress=45)
    html = client.get(url("opendata:embed_project", "sopot", "alley")).content.decode()
    assert "Алея" in html and "45% " in html
    assert 'width="45"' in html  # the progress bar (components/progress.html)


@pytest.mark.parametrize(
    "name,args", [("opendata:embed_plan", ["sopot", "opr"]), ("opendata:embed_project", ["sopot", "alley"])]
)
def test_widgets_may_be_framed_and_set_no_cookie(client, town, plan, name, args):
    ProjectFactory(municipality=town, slug="alley")
    response = client.get(url(name, *args))
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" not in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert not response.cookies
    cache.clear()
    # Other pages still refuse framing.
    page = client.get(url("portal:plan", "sopot", "opr"))
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_the_pages_show_the_snippet_to_copy(client, town, plan):
    ProjectFactory(municipality=town, slug="alley")
    for page, widget in (
        (url("portal:plan", "sopot", "opr"), url("opendata:embed_plan", "sopot", "opr")),
        (url("portal:project", "sopot", "alley"), url("opendata:embed_project", "sopot", "alley")),
    ):
        html = client.get(page).content.decode()
        assert (
            f"&lt;iframe src=&quot;http://testserver{widget}&quot;" in html
            or f'&lt;iframe src="http://testserver{widget}"' in html
        )
        assert "<textarea" in html and "readonly" in html


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("opendata:embed_plan", ["sopot", "no-such-plan"]),
        ("opendata:embed_plan", ["sopot", "draft"]),
        ("opendata:embed_plan", ["nowhere", "opr"]),
        ("opendata:embed_project", ["sopot", "no-such-project"]),
        ("opendata:embed_project", ["nowhere", "alley"]),
    ],
)
def test_unknown_or_draft_plans_and_projects_are_404(client, town, plan, name, args):
    PlanFactory(municipality=town, slug="draft", status=PlanStatus.DRAFT)
    ProjectFactory(municipality=town, slug="alley")
    assert client.get(url(name, *args)).status_code == 404


def test_widgets_run_the_same_queries_whatever_the_size(client, town, plan, django_assert_num_queries):
    """The plan widget: the municipality, the plan, its tree and the evaluation's reads (the plan
    page's selectors); the project widget: the municipality and project_get's reads."""
    ProjectFactory(municipality=town, slug="alley")
    for extra in (0, 4):
        for n in range(extra):
            goal = PlanElementFactory(plan=plan, code=f"X{n}")
            MeasurementFactory(indicator=IndicatorFactory(element=goal), year=2016)
        cache.clear()
        ProcessCache.clear_all()  # the evaluation kept in this process
        with django_assert_num_queries(9):
            client.get(url("opendata:embed_plan", "sopot", "opr"))
        with django_assert_num_queries(7):
            client.get(url("opendata:embed_project", "sopot", "alley"))
