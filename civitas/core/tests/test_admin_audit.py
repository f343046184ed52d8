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


def test_the_audit_log_is_read_only_in_the_admin_even_for_superusers(superuser_client):
    """Append-only: the admin shows events, and neither adds, changes nor deletes one."""
    town = MunicipalityFactory(slug="sopot")
    event = AuditEvent.objects.create(
        municipality=town, action="update", object_type="plans.plan", object_id="1", object_repr="План",
        changes={"title_bg": ["Старо", "Ново"]}, role="planner", reason="Причина",
    )  # fmt: skip
    change = reverse("admin:core_auditevent_change", args=[event.pk])
    shown = superuser_client.get(change)
    assert shown.status_code == 200 and b'name="_save"' not in shown.content  # a view, not a form
    assert superuser_client.post(change, {"action": "delete", "reason": "Друга"}).status_code == 403
    delete = reverse("admin:core_auditevent_delete", args=[event.pk])
    assert superuser_client.get(delete).status_code == 403
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    assert superuser_client.get(reverse("admin:core_auditevent_add")).status_code == 403
    listing = reverse("admin:core_auditevent_changelist")
    assert b"delete_selected" not in superuser_client.get(listing).content
    superuser_client.post(
        listing, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.reason, stored.changes) == (
        "update",
        "Причина",
        {"title_bg": ["Старо", "Ново"]},
    )
