"""The home page's picture of the main plan in force (issue 10): its indicators by status and its
money by source and by year, as charts with their numbers in words and a table."""

from decimal import Decimal

import pytest
from django.utils import timezone

from civitas.core import content
from civitas.plans.models import FinancialLine, PlanKind, PlanStatus
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    TargetFactory,
)
from civitas.testing.pages import build_plan, url

from .test_pages import count_queries

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot", name_bg="Община Сопот", name_en="Sopot Municipality")


def plan_in_force(town, *, goals=1, kind=PlanKind.DEVELOPMENT_PLAN, title="План в сила", position=0):
    plan = PlanFactory(municipality=town, kind=kind, title_bg=title, status=PlanStatus.IMPLEMENTATION,
                       period_start=YEAR - 3, period_end=YEAR + 2, position=position)  # fmt: skip
    for g in range(goals):
        goal = PlanElementFactory(plan=plan, code=f"G{g}")
        indicator = IndicatorFactory(element=goal, code=f"{plan.slug}-{g}", baseline_year=YEAR - 4)
        TargetFactory(indicator=indicator, year=YEAR + 2, value=Decimal("200"))
        MeasurementFactory(indicator=indicator, year=YEAR - 2, value=Decimal("150"))
        FinancialLine.objects.create(
            plan=plan, element=goal, source="eu", year=YEAR - 1, amount=Decimal("1000")
        )
        FinancialLine.objects.create(
            plan=plan, element=goal, source="municipal", year=None, amount=Decimal("500")
        )
    return plan


def test_home_pictures_the_main_plan_in_force(client, town):
    build_plan(town)  # 2014–2020: no longer in force
    plan_in_force(town, kind=PlanKind.SECTORAL_STRATEGY, title="Стратегия в сила")
    plan_in_force(town, goals=2, position=5)
    page = client.get(url("portal:home", "sopot")).content.decode()
    assert "План в сила" in page.split('id="plan-in-force-heading"')[1].split("</section>")[0]
    assert "Стратегия в сила" not in page.split('id="plan-in-force-heading"')[1].split("</section>")[0]
    assert 'class="civitas-share-bar"' in page and 'class="civitas-columns"' in page
    assert "2\xa0000,00\xa0€" in page  # the table's two EU lines of last year, by year
    assert str(YEAR - 1) in page
    assert 'style="' not in page
    english = client.get(url("portal:home", "sopot", lang="en")).content.decode()
    assert "The plan in force" in english


def test_without_a_plan_in_force_the_home_page_has_no_plan_picture(client, town):
    build_plan(town)
    assert 'id="plan-in-force-heading"' not in client.get(url("portal:home", "sopot")).content.decode()


def test_the_plan_in_force_costs_a_fixed_number_of_queries(client, town):
    first = plan_in_force(town, goals=1)
    few = count_queries(client, url("portal:home", "sopot"))
    main = first
    for g in range(1, 8):
        goal = PlanElementFactory(plan=main, code=f"H{g}")
        indicator = IndicatorFactory(element=goal, code=f"more-{g}", baseline_year=YEAR - 4)
        MeasurementFactory(indicator=indicator, year=YEAR - 2, value=Decimal("150"))
        FinancialLine.objects.create(
            plan=main, element=goal, source="national", year=YEAR, amount=Decimal("70")
        )
    plan_in_force(town, goals=8, position=1)
    build_plan(town, goals=4, projects_per_goal=4, prefix="B")
    PlanFactory.create_batch(3, municipality=town, status=PlanStatus.IMPLEMENTATION, period_start=YEAR - 1,
                             period_end=YEAR + 1, position=9)  # fmt: skip
    content.changed(town, content.Content.PLANNING)  # as the services do: the evaluation is read anew
    town.refresh_from_db()
    many = count_queries(client, url("portal:home", "sopot"))
    assert few == many
    assert many <= 16
