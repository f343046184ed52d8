"""The plan page's goal tree is kept for signed-in visitors too (who never get the cached page),
under the municipality's content version: a change through a service is on the next page."""

import pytest
from django.core.cache import cache

from civitas.core.permissions import OPERATOR
from civitas.plans import services
from civitas.plans.models import PlanStatus
from civitas.testing.factories import IndicatorFactory, PlanElementFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_signed_in_visitor_sees_a_change_to_the_tree_on_the_next_page(client):
    plan = PlanFactory()
    element = PlanElementFactory(plan=plan, title_bg="Старо заглавие")
    IndicatorFactory(element=element, name_bg="Индикатор на плана")
    client.force_login(UserFactory())
    address = f"/{plan.municipality.slug}/plans/{plan.slug}/"
    page = client.get(address).content.decode()
    assert "Старо заглавие" in page and "Индикатор на плана" in page
    assert client.get(address).content.decode().count("Старо заглавие") == page.count("Старо заглавие")
    services.element_update(
        actor=OPERATOR, element=element, expected_version=element.version, title_bg="Ново заглавие"
    )
    page = client.get(address).content.decode()
    assert "Ново заглавие" in page and "Старо заглавие" not in page


def test_a_draft_plans_tree_is_always_rendered(client):
    plan = PlanFactory(status=PlanStatus.DRAFT)
    element = PlanElementFactory(plan=plan, title_bg="Чернова")
    staff = UserFactory(is_superuser=True)
    client.force_login(staff)
    session = client.session
    session["civitas_second_factor"] = staff.pk
    session.save()
    address = f"/{plan.municipality.slug}/plans/{plan.slug}/"
    assert "Чернова" in client.get(address).content.decode()
    element.title_bg = "Поправена чернова"  # a draft's changes do not move the content version
    element.save()
    assert "Поправена чернова" in client.get(address).content.decode()
