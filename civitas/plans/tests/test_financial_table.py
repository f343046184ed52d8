"""A plan's indicative financial table: its services' rules, and the table beside the projects'
funding on the plan's page and in the back office."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civitas.core.models import AuditEvent, Role
from civitas.core.permissions import OPERATOR
from civitas.plans import services
from civitas.plans.models import FinancialLine
from civitas.projects.selectors import financial_comparison
from civitas.testing.factories import (
    FundingLineFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectContributionFactory,
    ProjectFactory,
)
from civitas.testing.pages import url
from civitas.testing.signin import sign_in_with_role

pytestmark = pytest.mark.django_db

# The refusals in the language the tests run in (Bulgarian once the catalogue has them).
DUPLICATE = "element, source and year|елемент, източник и година"
ANOTHER_PLAN = "another plan|друг план"


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def piro(town):
    plan = PlanFactory(
        municipality=town, slug="piro", period_start=2021, period_end=2027, currency="EUR",
        level_names=[{"bg": "Приоритет", "en": "Priority"}, {"bg": "Мярка", "en": "Measure"}],
    )  # fmt: skip
    priority = PlanElementFactory(plan=plan, code="P1", title_en="Priority 1")
    PlanElementFactory(plan=plan, parent=priority, code="M1.1")
    PlanElementFactory(plan=plan, parent=priority, code="M1.2")
    PlanElementFactory(plan=plan, code="P2")
    return plan


def element(plan, code):
    return plan.elements.get(code=code)


def add(plan, amount, *, code=None, source="eu", year=None, currency=None):
    return services.financial_line_create(
        actor=OPERATOR, plan=plan, element=element(plan, code) if code else None, source=source,
        amount=amount, year=year, currency=currency,
    )  # fmt: skip


def test_a_new_line_is_in_the_plan_currency_unless_told(piro):
    assert add(piro, "1000", code="P1").currency == "EUR"
    piro.currency = "BGN"
    assert add(piro, "1000", code="P2").currency == "BGN"
    assert add(piro, "1000", code="M1.1", currency="EUR").currency == "EUR"


@pytest.mark.parametrize("code,year", [("P1", 2024), ("P1", None), (None, 2024), (None, None)])
def test_one_line_per_element_source_and_year_even_without_element_or_year(piro, code, year):
    add(piro, "1000", code=code, year=year)
    with pytest.raises(ValidationError, match=DUPLICATE):
        add(piro, "5", code=code, year=year)
    add(piro, "5", code=code, year=year, source="municipal")  # another source is another line
    assert FinancialLine.objects.count() == 2


def test_an_update_cannot_make_a_duplicate(piro):
    add(piro, "1000", code="P1", year=2024)
    other = add(piro, "1000", code="P1", year=2025)
    with pytest.raises(ValidationError, match=DUPLICATE):
        services.financial_line_update(actor=OPERATOR, line=other, year=2024)
    services.financial_line_update(actor=OPERATOR, line=other, year=2026, amount="12.5")
    other.refresh_from_db()
    assert (other.year, other.amount) == (2026, Decimal("12.50"))


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"year": 2030}, "year"),
        ({"amount": "-1"}, "amount"),
        ({"amount": "много"}, "amount"),
        ({"source": "lottery"}, "source"),
        ({"currency": "USD"}, "currency"),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_written(piro, fields, field):
    data = {"source": "eu", "amount": "10", "year": None, "currency": None} | fields
    with pytest.raises(ValidationError) as error:
        services.financial_line_create(actor=OPERATOR, plan=piro, **data)
    assert field in error.value.message_dict
    assert not FinancialLine.objects.exists()


def test_an_element_of_another_plan_is_refused(piro, town):
    stranger = PlanElementFactory(plan=PlanFactory(municipality=town), code="X")
    with pytest.raises(ValidationError, match=ANOTHER_PLAN):
        services.financial_line_create(actor=OPERATOR, plan=piro, element=stranger, source="eu", amount=1)


def test_a_deleted_line_is_kept_in_the_audit_log(piro):
    line = add(piro, "1000", code="P1", year=2024)
    services.financial_line_delete(actor=OPERATOR, line=line)
    event = AuditEvent.objects.get(action="delete", object_type="plans.financialline")
    assert event.changes["amount"] == "1000.00" and event.changes["year"] == 2024


def fund(plan, code, amount, *, currency="EUR", source="eu"):
    project = ProjectFactory(municipality=plan.municipality)
    ProjectContributionFactory(project=project, element=element(plan, code))
    FundingLineFactory(project=project, amount=Decimal(amount), currency=currency, source=source)
    return project


def test_the_table_is_compared_with_the_projects_of_each_element_and_its_measures(piro):
    add(piro, "100000", code="P1", year=2024)
    add(piro, "50000", code="P1", year=2025)
    add(piro, "195583", code="P2", currency="BGN")  # = 100 000 €
    add(piro, "20000", code="M1.1", source="municipal")
    both = fund(piro, "M1.1", "60000")
    ProjectContributionFactory(project=both, element=element(piro, "M1.2"))  # counted once under P1
    fund(piro, "M1.2", "97791.50", currency="BGN")  # = 50 000 €
    fund(piro, "M1.1", "5000", source="municipal")
    comparison = financial_comparison(piro)
    rows = {(row.element.code if row.element else None, row.source): row for row in comparison.rows}
    assert (rows["P1", "eu"].planned, rows["P1", "eu"].projects) == (
        Decimal("150000.00"),
        Decimal("110000.00"),
    )
    assert rows["P1", "eu"].difference == Decimal("-40000.00")
    assert rows["P1", "eu"].years == (2024, 2025)
    assert (rows["P2", "eu"].planned, rows["P2", "eu"].projects) == (Decimal("100000.00"), Decimal("0"))
    assert (rows["M1.1", "municipal"].planned, rows["M1.1", "municipal"].projects) == (
        Decimal("20000.00"),
        Decimal("5000.00"),
    )
    assert comparison.planned == Decimal("270000.00")
    assert comparison.projects == Decimal("115000.00") and comparison.converted


def test_a_plan_without_a_table_has_no_comparison(piro):
    assert financial_comparison(piro) is None


def test_the_plan_page_shows_the_table_beside_the_projects_in_a_constant_number_of_queries(client, piro):
    add(piro, "100000", code="P1", year=2024)
    fund(piro, "M1.1", "60000")

    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url("portal:plan", "sopot", "piro", lang="en")).content.decode()
        return len(ctx.captured_queries), page

    few, page = queries()
    assert "Indicative financial table" in page
    for text in ["€100,000.00", "€60,000.00", "-€40,000.00", "2024"]:
        assert text in page.replace("−", "-"), text
    for year in (2025, 2026):
        add(piro, "100000", code="P2", year=year, source="national")
    for _ in range(3):
        fund(piro, "M1.2", "1000", currency="BGN")
    many, page = queries()
    assert few == many
    assert "1 EUR = 1.95583 BGN" in page


def test_staff_add_a_line_from_the_plan_page(client, piro, town):
    sign_in_with_role(client, town, Role.PLANNER)
    plan_page = client.get(reverse("manage:plan_elements", args=["sopot", "piro"])).content.decode()
    table_url = reverse("manage:plan_financial", args=["sopot", "piro"])
    assert table_url in plan_page
    add_url = reverse("manage:financial_line_add", args=["sopot", "piro"])
    form = client.get(add_url).content.decode()
    assert '<option value="EUR" selected>' in form
    data = {"version": piro.version, "element": element(piro, "P1").pk, "source": "eu", "year": "2024",
            "amount": "1000", "currency": "EUR"}  # fmt: skip
    assert client.post(add_url, data).status_code == 302
    duplicate = client.post(add_url, data | {"version": piro.version + 1, "amount": "5"})
    assert duplicate.status_code == 400 and FinancialLine.objects.count() == 1
    stale = client.post(add_url, data | {"version": piro.version, "year": "2025"})  # saved since opened
    assert stale.status_code == 400 and FinancialLine.objects.get().amount == 1000
    line = FinancialLine.objects.get()
    assert client.get(table_url).status_code == 200
    edit_url = reverse("manage:financial_line_edit", args=["sopot", "piro", line.pk])
    assert client.post(edit_url, data | {"version": piro.version + 1, "amount": "7"}).status_code == 302
    assert FinancialLine.objects.get().amount == 7
    delete_url = reverse("manage:financial_line_delete", args=["sopot", "piro", line.pk])
    assert client.post(delete_url).status_code == 302 and not FinancialLine.objects.exists()


def test_a_whole_table_is_filled_at_once_or_not_at_all(plan):
    lines = [
        {"element": None, "source": "eu", "year": 2015, "amount": "100"},
        {"element": None, "source": "eu", "year": 2015, "amount": "200"},
        {"element": None, "source": "municipal", "year": 2030, "amount": "5"},
    ]
    with pytest.raises(ValidationError) as refused:
        services.financial_table_fill(actor=OPERATOR, plan=plan, lines=lines)
    assert len(refused.value.messages) == 2  # the duplicate line and the year after the plan
    assert not plan.financial_lines.exists()
    created = services.financial_table_fill(actor=OPERATOR, plan=plan, lines=lines[:1])
    assert [(line.amount, line.currency) for line in created] == [(Decimal("100.00"), plan.currency)]
