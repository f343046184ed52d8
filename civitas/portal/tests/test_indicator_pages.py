from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civitas.indicators.models import IndicatorChange
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    TargetFactory,
)
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    town = MunicipalityFactory(slug="sopot")
    return PlanFactory(municipality=town, period_start=2014, period_end=2020, slug="opr")


def add_indicator(element, code, values):
    indicator = IndicatorFactory(element=element, code=code, accumulation="latest", name_bg=f"Нощувки {code}")
    TargetFactory(indicator=indicator, year=2020, value=Decimal(200))
    for year, value in values.items():
        MeasurementFactory(indicator=indicator, year=year, value=Decimal(value))
    return indicator


def test_plan_page_shows_traffic_lights_scores_and_coverage(client, plan):
    goal = PlanElementFactory(plan=plan, code="SG1")
    add_indicator(goal, "T1", {2020: 200})
    add_indicator(PlanElementFactory(plan=plan, code="SG2"), "T2", {})
    content = client.get(reverse("portal:plan", args=["sopot", "opr"])).content.decode()
    assert "По график" in content  # on track
    assert "Няма данни" in content  # no data
    assert "покритие 50" in content.replace("\xa0", " ") or "50 %" in content.replace("\xa0", " ")
    assert reverse("portal:indicator", args=["sopot", "T1"]) in content


def test_indicator_page_has_chart_table_passport_and_history(client, plan):
    indicator = add_indicator(PlanElementFactory(plan=plan), "T1", {2016: 130, 2018: 150})
    IndicatorChange.objects.create(
        indicator=indicator,
        field="baseline_value",
        old_value="90",
        new_value="100",
        reason="Коригирани данни от НСИ",
    )
    response = client.get(reverse("portal:indicator", args=["sopot", "T1"]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in content and 'role="img"' in content and "<desc" in content
    assert "<table" in content and "2018" in content and "150" in content
    assert "Коригирани данни от НСИ" in content
    assert "Паспорт" in content


def test_unknown_indicator_is_404(client, plan):
    assert client.get(reverse("portal:indicator", args=["sopot", "NOPE"])).status_code == 404


@pytest.mark.parametrize("page", ["plan", "indicator"])
def test_indicator_page_queries_do_not_grow(client, plan, page):
    from django.core.cache import cache

    from civitas.core.cache import ProcessCache

    goal = PlanElementFactory(plan=plan)
    first = add_indicator(goal, "T0", {2015: 110})

    def count():
        cache.clear()
        ProcessCache.clear_all()  # the page rendered and the plan evaluated from the database
        path = (
            reverse("portal:plan", args=["sopot", "opr"])
            if page == "plan"
            else reverse("portal:indicator", args=["sopot", first.code])
        )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(15):
        add_indicator(goal, f"T{n + 1}", {2014 + y: 100 + 10 * y for y in range(7)})
    for year in range(2016, 2021):
        MeasurementFactory(indicator=first, year=year, value=Decimal(100 + year - 2014))
    IndicatorChange.objects.create(indicator=first, field="target", old_value="1", new_value="2", reason="x")
    assert count() == few


def test_a_signed_in_user_sees_the_plan_evaluated_once_per_change(client, plan):
    """Signed-in users get the page rendered for them, with the plan's evaluation kept under the
    municipality's content version: reused until a change, then evaluated anew."""
    from civitas.core import content
    from civitas.testing.factories import UserFactory

    goal = PlanElementFactory(plan=plan)
    indicator = add_indicator(goal, "T1", {2016: 110})
    sign_in(client, UserFactory())
    path = reverse("portal:plan", args=["sopot", "opr"])
    with CaptureQueriesContext(connection) as first:
        before = client.get(path).context["evaluation"]
    with CaptureQueriesContext(connection) as second:
        assert client.get(path).context["evaluation"].plan_result == before.plan_result
    evaluation_tables = ("indicators_indicator", "indicators_target", "indicators_measurement")
    assert any(t in q["sql"] for q in first.captured_queries for t in evaluation_tables)
    assert not any(t in q["sql"] for q in second.captured_queries for t in evaluation_tables)
    MeasurementFactory(indicator=indicator, year=2020, value=Decimal(200))
    content.changed(plan.municipality, content.Content.PLANNING)  # what every service does on a write
    with CaptureQueriesContext(connection) as third:
        after = client.get(path).context["evaluation"]
    assert any(t in q["sql"] for q in third.captured_queries for t in evaluation_tables)
    [evaluated] = after.indicators[goal.pk]
    assert evaluated.result.actual == 200 and after.plan_result != before.plan_result


def test_indicator_page_english(client, plan):
    add_indicator(PlanElementFactory(plan=plan), "T1", {2016: 130})
    content = client.get("/en" + reverse("portal:indicator", args=["sopot", "T1"])).content.decode()
    assert "Passport" in content and "Values by period" in content


def test_project_page_shows_its_indicators_and_budget_execution(client):
    from civitas.testing.factories import FundingLineFactory, ProjectFactory

    town = MunicipalityFactory(slug="sopot")
    project = ProjectFactory(municipality=town, slug="bike")
    FundingLineFactory(project=project, amount=Decimal(1000), spent=Decimal(250))
    indicator = IndicatorFactory(element=None, project=project, code="BP1", name_bg="Километри велоалея")
    TargetFactory(indicator=indicator, year=2017, value=Decimal(200))
    MeasurementFactory(indicator=indicator, year=2016, value=Decimal(150))
    content = client.get(reverse("portal:project", args=["sopot", "bike"])).content.decode()
    assert "Километри велоалея" in content
    assert "25\xa0%" in content or "25 %" in content  # budget execution 250 / 1000
