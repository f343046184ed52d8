"""Edits in Django's admin (platform superusers) are audit-logged like the services' and
invalidate the municipality's cached public pages."""

import pytest
from django.forms import FileField
from django.test import Client
from django.urls import reverse

from civitas.core.models import AuditEvent, Municipality
from civitas.plans.models import Plan
from civitas.testing.factories import MunicipalityFactory, PlanFactory, UserFactory
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    sign_in(client, UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_deleting_a_plan_in_the_admin_is_recorded_with_its_content_and_refreshes_pages(superuser_client):
    town = MunicipalityFactory(slug="sopot")
    plan = PlanFactory(municipality=town, title_bg="План за изтриване", status="adopted")
    visitor = Client()  # anonymous: served from the page cache
    assert visitor.get(f"/sopot/plans/{plan.slug}/").status_code == 200
    assert visitor.get(f"/sopot/plans/{plan.slug}/").status_code == 200
    version = Municipality.objects.get(pk=town.pk).planning_version
    response = superuser_client.post(reverse("admin:plans_plan_delete", args=[plan.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Plan.objects.filter(pk=plan.pk).exists()
    event = AuditEvent.objects.get(action="admin_delete")
    assert event.municipality == town and event.changes["title_bg"] == "План за изтриване"
    assert Municipality.objects.get(pk=town.pk).planning_version > version
    assert visitor.get(f"/sopot/plans/{plan.slug}/").status_code == 404


def test_changing_the_municipality_in_the_admin_is_recorded(superuser_client):
    town = MunicipalityFactory(slug="sopot", name_bg="Сопот")
    version = town.planning_version
    url = reverse("admin:core_municipality_change", args=[town.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form[name].value()) if not isinstance(field, FileField) else None
        if value is not None:
            data[name] = value
    data["name_bg"] = "Община Сопот"
    response = superuser_client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    town.refresh_from_db()
    assert town.name_bg == "Община Сопот" and town.planning_version > version
    event = AuditEvent.objects.get(action="admin_change")
    assert "name_bg" in event.changes["fields"]


def test_deleting_a_municipality_in_the_admin_is_recorded(superuser_client):
    town = MunicipalityFactory(slug="novo", name_bg="Ново село")
    response = superuser_client.post(
        reverse("admin:core_municipality_delete", args=[town.pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and not Municipality.objects.filter(pk=town.pk).exists()
    event = AuditEvent.objects.get(action="admin_delete")
    assert event.municipality is None and event.changes["name_bg"] == "Ново село"
