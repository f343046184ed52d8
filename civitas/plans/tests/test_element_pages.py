"""The page of each goal and element of a plan (issue 10), and the charts of the plan page: status
by share bars with their numbers in words, a trend line per indicator, money by source and year."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civitas.consultations.models import Consultation
from civitas.plans.models import ElementAssessment, FinancialLine, PlanStatus
from civitas.testing.factories import (
    FundingLineFactory,
    IndicatorFactory,
    MeasurementFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectContributionFactory,
    ProjectFactory,
    TargetFactory,
    UserFactory,
)
from civitas.testing.pages import build_plan, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot", name_bg="Община Сопот", name_en="Sopot Municipality")


def measured_indicator(element, *, code, values=((2015, "120"), (2016, "150"), (2017, "170"))):
    indicator = IndicatorFactory(element=element, code=code)
    TargetFactory(indicator=indicator, year=2020, value=Decimal("200"))
    for year, value in values:
        MeasurementFactory(indicator=indicator, year=year, value=Decimal(value))
    return indicator


def priority_plan(town, *, measures=2, prefix="P"):
    """A plan with a Cyrillic-coded priority "П1" and measures "П1.1", "П1.2"..., each with a
    measured indicator and a project with funding; a financial table, an assessment, a consultation."""
    plan = PlanFactory(municipality=town, slug=f"piro-{prefix.lower()}", is_sample=True)
    priority = PlanElementFactory(plan=plan, code="П1", title_bg="Туризъм", title_en="Tourism",
                                  description_bg="Описание на приоритета", description_en="About the priority")  # fmt: skip
    PlanElementFactory(plan=plan, code="П2", title_bg="Друг приоритет")
    for m in range(measures):
        measure = PlanElementFactory(
            plan=plan, parent=priority, code=f"П1.{m + 1}", title_bg=f"Мярка {m + 1}"
        )
        measured_indicator(measure, code=f"{prefix}И{m}")
        project = ProjectFactory(municipality=town, code=f"{prefix}-{m}", title_bg=f"Проект {prefix} {m}")
        ProjectContributionFactory(project=project, element=measure)
        FundingLineFactory(project=project, source="eu", amount=Decimal("1000"), currency="EUR")
        FundingLineFactory(project=project, source="municipal", amount=Decimal("1955.83"), currency="BGN")
        FinancialLine.objects.create(
            plan=plan, element=measure, source="eu", year=2016 + m, amount=Decimal("5000")
        )
    FinancialLine.objects.create(
        plan=plan, element=priority, source="national", year=None, amount=Decimal("3000")
    )
    ElementAssessment.objects.create(element=priority, year=2016, achieved_bg="Открит посетителски център",
                                     obstacles_bg="Забавени поръчки", is_published=True)  # fmt: skip
    ElementAssessment.objects.create(element=priority, year=2017, achieved_bg="Чернова", is_published=False)
    now = timezone.now()
    Consultation.objects.create(municipality=town, slug=f"c-{prefix}", title_bg="Обсъждане на плана", plan=plan,
                                opens_at=now - datetime.timedelta(days=40), closes_at=now - datetime.timedelta(days=5),
                                status="closed")  # fmt: skip
    return plan


def test_the_page_of_a_priority_shows_where_it_sits_its_status_indicators_projects_and_money(client, town):
    plan = priority_plan(town)
    response = client.get(url("portal:plan_element", "sopot", plan.slug, "П1"))
    assert response.status_code == 200
    page = response.content.decode()
    # Its place: the breadcrumb to the plan, its level, code, title and description; sample data marked.
    assert f'href="{url("portal:plan", "sopot", plan.slug)}"' in page
    assert (
        "Стратегическа цел" in page
        and "П1" in page
        and "Туризъм" in page
        and "Описание на приоритета" in page
    )
    assert "Примерни данни" in page
    # Its status from the roll-up of the measures' indicators, as a chart with the numbers in words.
    assert 'class="civitas-share-bar"' in page and 'role="img"' in page
    # The elements under it, each linked, with their own status charts.
    assert f'href="{url("portal:plan_element", "sopot", plan.slug, "П1.1")}"' in page
    assert page.count('-status-title">') == 3  # П1 and its two measures
    # Its projects (those of its measures), each once, and the measure each serves.
    assert "Проект P 0" in page and "Проект P 1" in page and "П1.2" in page
    # Its published assessment only.
    assert "Открит посетителски център" in page and "Забавени поръчки" in page and "Чернова" not in page
    # Its money: the financial table's lines of it and its measures, the projects' funding once each.
    assert "Индикативна финансова таблица" in page or "Indicative financial table" in page
    assert "13\xa0000,00\xa0€" in page  # 5 000 + 5 000 + 3 000
    assert "4\xa0000,00\xa0€" in page  # 2 × (1 000 € + 1 955,83 лв. = 1 000 €)
    # The plan's consultation (an element has no consultation of its own).
    assert "Обсъждане на плана" in page
    assert 'style="' not in page


def test_a_measure_page_shows_its_indicators_with_a_trend_line_and_the_latest_value(client, town):
    plan = priority_plan(town, measures=1)
    page = client.get(url("portal:plan_element", "sopot", plan.slug, "П1.1", lang="en")).content.decode()
    assert 'class="civitas-sparkline"' in page
    assert "2015: 120; 2016: 150; 2017: 170" in page  # the trend's description gives every value
    assert "PИ0" in page and "170" in page  # the indicator and its latest value in text
    # The breadcrumb goes through the priority.
    assert f'href="{url("portal:plan_element", "sopot", plan.slug, "П1", lang="en")}"' in page


def test_the_element_page_keeps_the_date_chosen_on_the_plan_page(client, town):
    plan = priority_plan(town, measures=1)
    page = client.get(
        url("portal:plan_element", "sopot", plan.slug, "П1.1") + "?as_of=2016-06-30"
    ).content.decode()
    assert "30.06.2016" in page
    assert "2015: 120" in page and "2017: 170" not in page  # values after the date are not shown
    assert "?as_of=2016-06-30" in page  # its links keep the date
    plan_page = client.get(url("portal:plan", "sopot", plan.slug) + "?as_of=2016-06-30").content.decode()
    assert url("portal:plan_element", "sopot", plan.slug, "П1.1") + "?as_of=2016-06-30" in plan_page


@pytest.mark.parametrize("code", ["1.2", "СЦ1", "A/B"])
def test_any_code_makes_an_address(client, town, code):
    plan = PlanFactory(municipality=town)
    PlanElementFactory(plan=plan, code=code, title_bg="Елемент с код")
    response = client.get(url("portal:plan_element", "sopot", plan.slug, code))
    assert response.status_code == 200 and "Елемент с код" in response.content.decode()


def test_unknown_elements_drafts_and_other_municipalities_plans_are_404(client, town):
    plan = priority_plan(town, measures=1)
    assert client.get(url("portal:plan_element", "sopot", plan.slug, "П9")).status_code == 404
    other = PlanFactory(municipality=MunicipalityFactory(slug="karlovo"))
    PlanElementFactory(plan=other, code="SG1")
    assert client.get(url("portal:plan_element", "sopot", other.slug, "SG1")).status_code == 404
    assert client.get(url("portal:plan_element", "karlovo", other.slug, "SG1")).status_code == 200
    draft = PlanFactory(municipality=town, status=PlanStatus.DRAFT)
    PlanElementFactory(plan=draft, code="SG1")
    assert client.get(url("portal:plan_element", "sopot", draft.slug, "SG1")).status_code == 404
    # An element of another plan of the same municipality is not under this plan's address.
    assert client.get(url("portal:plan_element", "sopot", draft.slug, "П1")).status_code == 404


def test_the_plan_page_draws_status_trend_and_money_and_links_each_element(client, town):
    plan = priority_plan(town)
    page = client.get(url("portal:plan", "sopot", plan.slug)).content.decode()
    for code in ("П1", "П1.1", "П1.2", "П2"):
        assert f'href="{url("portal:plan_element", "sopot", plan.slug, code)}"' in page
    assert page.count('class="civitas-sparkline"') == 2
    # The plan's own status chart and one per element with rated indicators (П1, П1.1, П1.2).
    assert page.count('-status-title">') == 1 + 3
    assert page.count('class="civitas-share-bar"') == 1 + 3 + 2  # + the table's and the projects' sources
    assert 'class="civitas-columns"' in page  # the table's years
    assert 'style="' not in page


def count_queries(client, path):
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


def test_the_element_page_reads_a_fixed_number_of_queries_as_the_plan_grows(client, town):
    small = priority_plan(town, measures=1, prefix="A")
    few = count_queries(client, url("portal:plan_element", "sopot", small.slug, "П1"))
    big = priority_plan(town, measures=6, prefix="B")
    for measure in big.elements.filter(parent__code="П1"):
        measured_indicator(measure, code=f"X{measure.pk}", values=((2015, "1"), (2016, "2"), (2018, "3")))
        PlanElementFactory(plan=big, parent=measure, code=f"{measure.code}.1")
    many = count_queries(client, url("portal:plan_element", "sopot", big.slug, "П1"))
    assert few == many
    assert many <= 19  # municipality, plan, tree 2, evaluation 5, assessments, money 2 + 5, consultations,
    # the version in force (its decision)


def test_the_element_page_is_cached_and_never_stale(client, town, django_assert_num_queries):
    from civitas.core import content

    plan = priority_plan(town, measures=1)
    path = url("portal:plan_element", "sopot", plan.slug, "П1")
    client.get(path)
    with django_assert_num_queries(1):  # the municipality only
        assert client.get(path).status_code == 200
    plan.elements.filter(code="П1").update(title_bg="Нов туризъм")
    content.changed(town, content.Content.PLANNING)
    assert "Нов туризъм" in client.get(path).content.decode()
    Consultation.objects.filter(plan=plan).update(title_bg="Ново обсъждане")
    content.changed(town, content.Content.PARTICIPATION)
    assert "Ново обсъждане" in client.get(path).content.decode()


def test_build_plan_elements_have_pages(client, town):
    plan = build_plan(town)
    assert client.get(url("portal:plan_element", "sopot", plan.slug, "SG1")).status_code == 200


def test_a_project_serving_two_elements_counts_once_in_the_money_by_source(town):
    from civitas.plans import selectors

    plan = priority_plan(town, measures=2)
    shared = ProjectFactory(municipality=town, code="SHARED")
    for code in ("П1.1", "П1.2"):
        ProjectContributionFactory(project=shared, element=plan.elements.get(code=code))
    FundingLineFactory(project=shared, source="other", amount=Decimal("700"), currency="EUR")
    budget = selectors.plan_budget(plan)
    assert [(s.source, s.amount) for s in budget.projects_by_source] == [
        ("municipal", Decimal("2000.00")),
        ("eu", Decimal("2000.00")),
        ("other", Decimal("700.00")),
    ]
    assert budget.converted  # the municipal lines were in leva
    assert [(y.year, y.total) for y in budget.planned_by_year] == [
        (2016, Decimal("5000.00")),
        (2017, Decimal("5000.00")),
        (None, Decimal("3000.00")),
    ]
    only_first = selectors.plan_budget(plan, element_ids={plan.elements.get(code="П1.1").pk})
    assert only_first.planned == Decimal("5000.00") and only_first.projects == Decimal("2700.00")


def test_trend_lines_are_drawn_once_per_kept_evaluation_and_never_stale(client, town, monkeypatch):
    """A signed-in visitor's plan page (no page cache) draws each trend line once per kept
    evaluation; a new value moves the data's version, and the next page draws it with that value."""
    from civitas.core import charts as core_charts
    from civitas.core import content
    from civitas.testing.signin import sign_in

    plan = priority_plan(town, measures=2)
    sign_in(client, UserFactory())
    drawn = []
    original = core_charts.render_sparkline
    monkeypatch.setattr(
        core_charts,
        "render_sparkline",
        lambda values, **kw: drawn.append(list(values)) or original(values, **kw),
    )
    path = url("portal:plan", "sopot", plan.slug)
    client.get(path)
    first = len(drawn)
    assert first == 2  # one per measured indicator
    client.get(path)
    assert len(drawn) == first  # the same evaluation: nothing drawn again
    MeasurementFactory(
        indicator=plan.elements.get(code="П1.1").indicators.get(), year=2018, value=Decimal("190")
    )
    content.changed(town, content.Content.PLANNING)
    client.get(path)
    assert len(drawn) == first + 2 and [120.0, 150.0, 170.0, 190.0] in drawn
