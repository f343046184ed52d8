"""A plan's former addresses: when its address name changes, the old addresses of the plan's page
and of its elements' pages redirect permanently to the current ones."""

import pytest

from civitas.core.permissions import OPERATOR
from civitas.plans import services
from civitas.plans.models import PlanFormerSlug, PlanKind, PlanStatus
from civitas.testing.factories import MunicipalityFactory
from civitas.testing.pages import build_plan, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


def _rename(plan, slug):
    plan.refresh_from_db()
    return services.plan_update(actor=OPERATOR, plan=plan, expected_version=plan.version, slug=slug)


def test_the_plans_old_address_and_its_elements_redirect_permanently(client, town):
    plan = build_plan(town)
    old = plan.slug
    _rename(plan, "new-name")
    response = client.get(url("portal:plan", "sopot", old) + "?as_of=2016-12-31")
    assert response.status_code == 301
    assert response["Location"] == url("portal:plan", "sopot", "new-name") + "?as_of=2016-12-31"
    element = client.get(url("portal:plan_element", "sopot", old, "SG1", lang="en"))
    assert element.status_code == 301
    assert element["Location"] == url("portal:plan_element", "sopot", "new-name", "SG1", lang="en")
    assert client.get(element["Location"]).status_code == 200


def test_renamed_twice_both_old_addresses_lead_to_the_current_one(client, town):
    plan = build_plan(town)
    first = plan.slug
    _rename(plan, "second")
    _rename(plan, "third")
    assert client.get(url("portal:plan", "sopot", first))["Location"].endswith("/plans/third/")
    assert client.get(url("portal:plan", "sopot", "second"))["Location"].endswith("/plans/third/")


def test_a_former_address_taken_by_a_new_plan_leads_to_the_new_plan(client, town):
    plan = build_plan(town)
    old = plan.slug
    _rename(plan, "renamed")
    services.plan_create(
        actor=OPERATOR, municipality=town, slug=old, kind=PlanKind.DEVELOPMENT_PLAN, title_bg="Нов план",
        period_start=2021, period_end=2027, status=PlanStatus.ADOPTED,
    )  # fmt: skip
    assert not PlanFormerSlug.objects.filter(slug=old).exists()
    response = client.get(url("portal:plan", "sopot", old))
    assert response.status_code == 200 and "Нов план" in response.content.decode()


def test_an_unknown_element_of_a_current_plan_is_still_404(client, town):
    plan = build_plan(town)
    _rename(plan, "renamed")
    assert client.get(url("portal:plan_element", "sopot", "renamed", "NO-SUCH")).status_code == 404
    assert client.get(url("portal:plan", "sopot", "never-was")).status_code == 404
