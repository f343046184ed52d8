"""A project's money: amounts in their currency, totals in euro at the fixed rate, ceilings, the
declared total, and spending or progress not reported never read as zero."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civitas.core.models import Role
from civitas.core.permissions import OPERATOR
from civitas.projects import selectors, services
from civitas.projects.models import FundingLine, Project
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


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


def line(project, amount, currency="EUR", spent=None, **fields):
    return FundingLineFactory(
        project=project, amount=Decimal(amount), currency=currency,
        spent=None if spent is None else Decimal(spent), **fields,
    )  # fmt: skip


def summary(project, **kwargs):
    return selectors.budget_summary(FundingLine.objects.filter(project=project), **kwargs)


def test_totals_convert_each_leva_line_to_euro_then_add(town):
    project = ProjectFactory(municipality=town)
    line(project, "100000", "BGN", source="eu")
    line(project, "1000.00", "EUR", source="municipal")
    budget = summary(project)
    assert budget.total == Decimal("52129.19")  # 100 000 лв. = 51 129,19 €
    assert budget.converted
    assert [(source, amount) for source, _label, amount, _share in budget.by_source] == [
        ("eu", Decimal("51129.19")),
        ("municipal", Decimal("1000.00")),
    ]


def test_spending_not_reported_stays_out_of_the_totals_and_the_execution(town):
    project = ProjectFactory(municipality=town)
    line(project, "1000", spent="500")
    line(project, "3000")  # spending not reported
    budget = summary(project)
    assert budget.spent == Decimal("500.00")
    # 500 of the 1000 of the line that reports it, not 500 of 4000.
    assert budget.execution == 0.5
    assert budget.spending_partly_reported


def test_no_spending_reported_is_not_an_execution_of_zero(town):
    project = ProjectFactory(municipality=town)
    line(project, "1000")
    budget = summary(project)
    assert budget.spent is None and budget.execution is None
    assert not budget.spending_partly_reported


def test_spending_reported_as_zero_is_zero(town):
    project = ProjectFactory(municipality=town)
    line(project, "1000", spent="0")
    assert summary(project).execution == 0.0


def test_a_declared_total_that_differs_from_the_lines_is_flagged_in_euro(town):
    project = ProjectFactory(municipality=town, declared_total=Decimal("100000"), declared_currency="BGN")
    line(project, "51129.19")
    assert not selectors.project_budget(Project.objects.get(pk=project.pk)).declared_differs
    line(project, "10")
    budget = selectors.project_budget(Project.objects.get(pk=project.pk))
    assert budget.declared_differs and budget.difference == Decimal("-10.00")


def test_the_project_page_shows_euro_with_leva_ceilings_and_what_is_not_reported(client, town):
    project = ProjectFactory(
        municipality=town,
        slug="p1",
        progress=None,
        declared_total=Decimal("1000000"),
        declared_currency="EUR",
    )
    line(project, "100000", "BGN", spent="20000", source="eu", programme_bg="ОПРР", programme_en="OPRD")
    line(project, "50000", "EUR", source="municipal", is_ceiling=True)
    english = client.get(url("portal:project", "sopot", "p1", lang="en")).content.decode()
    for text in [
        "€51,129.19 (BGN\xa0100,000.00)",
        "up to €50,000.00",
        "not reported",
        "Progress: not reported",
        "1 EUR = 1.95583 BGN",
        "differs from the sum of its funding lines",
        "€101,129.19",  # the total in euro
        "Counted over the 1 of 2 funding lines",
    ]:
        assert text in english, text
    assert "0% done" not in english
    assert "a budget execution of 20 %" in english or "a budget execution of 20 %" in english


def test_lists_and_the_home_page_say_not_reported_never_zero(client, town):
    plan = PlanFactory(municipality=town)
    project = ProjectFactory(municipality=town, progress=None)
    ProjectContributionFactory(project=project, element=PlanElementFactory(plan=plan))
    line(project, "100000", "BGN")
    for name, args in [
        ("portal:projects", ["sopot"]),
        ("portal:home", ["sopot"]),
        ("portal:plan", ["sopot", plan.slug]),
    ]:
        page = client.get(url(name, *args, lang="en")).content.decode()
        assert "not reported" in page, name
        assert "0% done" not in page, name
    home = client.get(url("portal:home", "sopot", lang="en")).content.decode()
    assert "€51,129" in home and "1 EUR = 1.95583 BGN" in home


def test_services_keep_currency_ceiling_and_spending_not_reported(town):
    project = ProjectFactory(municipality=town)
    created = services.funding_line_add(
        actor=OPERATOR, project=project, source="eu", programme_bg="ПВУ", amount="1000000", currency="EUR",
        is_ceiling=True,
    )  # fmt: skip
    created.refresh_from_db()
    assert (created.currency, created.is_ceiling, created.spent) == ("EUR", True, None)
    services.funding_line_update(actor=OPERATOR, line=created, spent="10")
    services.funding_line_update(actor=OPERATOR, line=created, spent=None)
    created.refresh_from_db()
    assert created.spent is None


def test_an_unknown_currency_is_refused(town):
    project = ProjectFactory(municipality=town)
    with pytest.raises(ValidationError) as refused:
        services.funding_line_add(
            actor=OPERATOR, project=project, source="municipal", amount="1", currency="USD"
        )
    assert list(refused.value.message_dict) == ["currency"]
    with pytest.raises(ValidationError) as refused:
        services.project_update(
            actor=OPERATOR, project=project, expected_version=project.version, declared_currency="USD"
        )
    assert list(refused.value.message_dict) == ["declared_currency"]
    assert not FundingLine.objects.exists()


def test_progress_can_be_cleared(town):
    project = ProjectFactory(municipality=town, progress=40)
    services.project_touch_progress(actor=OPERATOR, project=project, progress=None, expected_version=1)
    assert Project.objects.get(pk=project.pk).progress is None


def test_a_new_line_is_in_the_plan_currency_and_an_old_one_keeps_its_own(client, town):
    plan = PlanFactory(municipality=town, currency="BGN")
    project = ProjectFactory(municipality=town, slug="p1")
    ProjectContributionFactory(project=project, element=PlanElementFactory(plan=plan))
    old = line(project, "10", "EUR")
    sign_in_with_role(client, town, Role.PLANNER)
    new_form = client.get(reverse("manage:part_add", args=["sopot", "p1", "funding"])).content.decode()
    assert '<option value="BGN" selected>' in new_form
    old_form = client.get(
        reverse("manage:part_edit", args=["sopot", "p1", "funding", old.pk])
    ).content.decode()
    assert '<option value="EUR" selected>' in old_form


def test_the_back_office_flags_a_declared_total_that_differs(client, town):
    project = ProjectFactory(municipality=town, slug="p1", declared_total=Decimal("5"))
    line(project, "10")
    sign_in_with_role(client, town, Role.PLANNER)
    with_lang = client.get(reverse("manage:project_edit", args=["sopot", "p1"]), HTTP_ACCEPT_LANGUAGE="en")
    assert "civitas-declared-total" in with_lang.content.decode()


def test_the_project_form_clears_progress_to_not_reported(client, town):
    project = ProjectFactory(municipality=town, code="P1", slug="p1", progress=40)
    sign_in_with_role(client, town, Role.PLANNER)
    data = {
        "version": project.version, "code": "P1", "slug": "p1", "title_bg": project.title_bg,
        "status": project.status, "progress": "", "declared_total": "1000", "declared_currency": "BGN",
    }  # fmt: skip
    assert client.post(reverse("manage:project_edit", args=["sopot", "p1"]), data).status_code == 302
    project.refresh_from_db()
    assert project.progress is None and project.declared_money.eur == Decimal("511.29")
