"""The back office's plan-file pages: upload, preview of what changes (or every error by its path,
in the user's language), confirm; the download of a plan's file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from civitas.core.models import Role
from civitas.core.permissions import OPERATOR
from civitas.indicators.models import Measurement
from civitas.planfiles.imports import planfile_export, planfile_import
from civitas.planfiles.models import PlanFileUpload
from civitas.plans.models import Plan
from civitas.testing.factories import UserFactory
from civitas.testing.signin import sign_in, sign_in_with_role

from .test_planfile import GOOD
from .test_planfile_v2 import V2

pytestmark = pytest.mark.django_db


def upload(client, town, text: str, name="plan.yaml", **extra):
    return client.post(
        reverse("manage:plan_file_upload", args=[town.slug]),
        {"file": SimpleUploadedFile(name, text.encode()), **extra},
    )


def preview_url(town, response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_upload_preview_confirm(client, town):
    sign_in_with_role(client, town, Role.PLANNER)
    page = client.get(reverse("manage:plan_file_upload", args=[town.slug]))
    assert page.status_code == 200
    url = preview_url(town, upload(client, town, GOOD))
    assert PlanFileUpload.objects.count() == 1
    with translation.override("en"):
        preview = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert preview.status_code == 200
    assert not Plan.objects.exists()  # a preview imports nothing
    found = preview.context["preview"]
    assert [(c.kind, c.key, c.change) for c in found.changes] == [
        ("plan", "housing", "created"), ("element", "SG1", "created"), ("element", "M1.1", "created"),
        ("project", "P1", "created"),
    ]  # fmt: skip
    assert found.counts[0][1] == [1, 0, 0, 0]
    confirmed = client.post(url)
    plan = Plan.objects.get(municipality=town)
    assert confirmed["Location"] == reverse("manage:plan_elements", args=[town.slug, plan.slug])
    assert not PlanFileUpload.objects.exists()


def test_a_replacing_file_shows_what_is_created_changed_unchanged_and_removed(client, town):
    planfile_import(actor=OPERATOR, municipality=town, data=GOOD.encode())
    administrator = sign_in_with_role(client, town, Role.ADMINISTRATOR)
    changed = GOOD.replace("title: {bg: Цел 1, en: Goal 1}", "title: {bg: Цел едно, en: Goal 1}").replace(
        "      - code: M1.1\n        title: {bg: Мярка 1.1}\n        projects: [{ref: P1}]\n",
        "      - code: M1.2\n        title: {bg: Мярка 1.2}\n",
    )
    url = preview_url(town, upload(client, town, changed, replace="on"))
    sign_in_with_role(client, town, Role.ADMINISTRATOR)  # a colleague does not see the upload
    assert client.get(url).status_code == 404
    sign_in(client, administrator)
    found = client.get(url).context["preview"]
    assert {(c.kind, c.key): c.change for c in found.changes} == {
        ("plan", "housing"): "unchanged", ("element", "SG1"): "changed", ("element", "M1.2"): "created",
        ("project", "P1"): "unchanged", ("element", "M1.1"): "removed",
    }  # fmt: skip
    assert [(c.key, c.change) for c in found.listed] == [
        ("SG1", "changed"),
        ("M1.2", "created"),
        ("M1.1", "removed"),
    ]
    client.post(url)
    assert list(Plan.objects.get().elements.order_by("code").values_list("code", flat=True)) == [
        "M1.2",
        "SG1",
    ]


def test_every_error_by_path_in_the_users_language_and_nothing_imported(client, town):
    sign_in_with_role(client, town, Role.PLANNER)
    bad = GOOD.replace("source: eu", "source: lottery").replace("amount: 1000.5", "amount: lots")
    url = preview_url(town, upload(client, town, bad))
    page = client.get(url)  # Bulgarian: the default language
    assert page.status_code == 400
    text = page.content.decode()
    assert "goals[0].projects[0].budget[0].source" in text and "goals[0].projects[0].budget[0].amount" in text
    assert "не е число" in text  # "not a number", in Bulgarian
    assert client.post(url).status_code == 400
    assert not Plan.objects.exists()


def test_values_need_a_verifier_and_are_recorded_as_the_importers(client, town):
    UserFactory(username="owner1")
    sign_in_with_role(client, town, Role.PLANNER)
    url = preview_url(town, upload(client, town, V2))
    issues = [str(i) for i in client.get(url).context["preview"].issues]  # in the page's language
    assert issues[0].startswith(
        "goals[0].indicators[0].values[0]: публикуваните стойности и промените на статус се записват "
        "като публикувани от посочен проверител"
    )
    administrator = sign_in_with_role(client, town, Role.ADMINISTRATOR)
    url = preview_url(town, upload(client, town, V2, name="report.yaml"))
    counts = dict(client.get(url).context["preview"].counts)
    assert list(counts.values())[-1] == [3, 0, 0, 0]  # three published values created
    client.post(url)
    assert set(Measurement.objects.values_list("approved_by", flat=True)) == {administrator.pk}


def test_only_who_may_edit_plans_uploads(client, town):
    sign_in_with_role(client, town, Role.PROJECT_MANAGER)
    assert client.get(reverse("manage:plan_file_upload", args=[town.slug])).status_code == 403
    assert upload(client, town, GOOD).status_code == 403
    assert not PlanFileUpload.objects.exists()


def test_the_plans_list_links_to_the_upload_and_the_plan_page_to_its_file(client, town, plan):
    sign_in_with_role(client, town, Role.PLANNER)
    dashboard = client.get(reverse("manage:dashboard", args=[town.slug])).content.decode()
    assert reverse("manage:plan_file_upload", args=[town.slug]) in dashboard
    page = client.get(reverse("manage:plan_elements", args=[town.slug, plan.slug])).content.decode()
    assert reverse("manage:plan_file_download", args=[town.slug, plan.slug]) in page


def test_download_is_the_export_in_a_fixed_number_of_queries(client, town, django_assert_num_queries):
    UserFactory(username="owner1")
    verifier = sign_in_with_role(client, town, Role.VERIFIER)
    plan = planfile_import(actor=OPERATOR, municipality=town, data=V2.encode(), verifier=verifier).plan
    sign_in_with_role(client, town, Role.PLANNER)
    url = reverse("manage:plan_file_download", args=[town.slug, plan.slug])
    with django_assert_num_queries(18):
        response = client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="piro.yaml"'
    assert response.content.decode() == planfile_export(plan)
