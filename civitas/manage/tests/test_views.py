import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civitas.core.models import Role
from civitas.core.permissions import RULES
from civitas.indicators.models import Indicator, Measurement
from civitas.plans.models import Plan, PlanElement
from civitas.projects.models import Project
from civitas.testing.factories import (
    ActivityFactory,
    FundingLineFactory,
    IndicatorFactory,
    MeasurementFactory,
    MunicipalityFactory,
    PlanElementFactory,
    ProjectFactory,
    ProjectPartnerFactory,
)
from civitas.testing.signin import sign_in_with_role

pytestmark = pytest.mark.django_db


def pages(plan, project):
    element = plan.elements.first()
    return {
        "dashboard": (reverse("manage:dashboard", args=["sopot"]), "view_back_office"),
        "plan_create": (reverse("manage:plan_create", args=["sopot"]), "edit_plan"),
        "plan_elements": (reverse("manage:plan_elements", args=["sopot", plan.slug]), "edit_plan"),
        "plan_edit": (reverse("manage:plan_edit", args=["sopot", plan.slug]), "edit_plan"),
        "plan_status": (reverse("manage:plan_status", args=["sopot", plan.slug]), "edit_plan"),
        "plan_delete": (reverse("manage:plan_delete", args=["sopot", plan.slug]), "delete_plan"),
        "element_edit": (reverse("manage:element_edit", args=["sopot", plan.slug, element.pk]), "edit_plan"),
        "element_move": (reverse("manage:element_move", args=["sopot", plan.slug, element.pk]), "edit_plan"),
        "projects": (reverse("manage:projects", args=["sopot"]), "edit_project"),
        "project_create": (reverse("manage:project_create", args=["sopot"]), "edit_project"),
        "project_edit": (reverse("manage:project_edit", args=["sopot", project.slug]), "edit_project"),
        "project_delete": (reverse("manage:project_delete", args=["sopot", project.slug]), "delete_project"),
        "funding_add": (reverse("manage:part_add", args=["sopot", project.slug, "funding"]), "edit_project"),
        "document_add": (reverse("manage:document_add", args=["sopot", project.slug]), "edit_project"),
    }


@pytest.mark.parametrize("role", list(Role))
def test_pages_by_role(client, town, plan, project, role):
    sign_in_with_role(client, town, role)
    for name, (path, action) in pages(plan, project).items():
        expected = 200 if role in RULES[action] else 403
        assert client.get(path).status_code == expected, (name, role)


def test_anonymous_is_sent_to_sign_in(client, plan, project):
    for path, _action in pages(plan, project).values():
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_of_another_municipality_can_change_nothing_here(client, town, plan, project):
    karlovo = MunicipalityFactory(slug="karlovo")
    sign_in_with_role(client, karlovo, Role.ADMINISTRATOR)
    for path, _action in pages(plan, project).values():
        assert client.get(path).status_code == 403
    response = client.post(
        reverse("manage:project_edit", args=["sopot", "p1"]), {"code": "X", "title_bg": "hack"}
    )
    assert response.status_code == 403
    assert Project.objects.get(pk=project.pk).title_bg != "hack"


@pytest.mark.parametrize("page", ["dashboard", "project_edit", "plan_elements"])
def test_back_office_query_counts_do_not_grow(client, town, plan, project, page):
    sign_in_with_role(client, town, Role.ADMINISTRATOR)

    def count():
        path = pages(plan, project)[page][0]
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(12):
        ProjectFactory(municipality=town, code=f"X{n}")
        FundingLineFactory(project=project)
        ActivityFactory(project=project)
        ProjectPartnerFactory(project=project)
        PlanElementFactory(plan=plan, code=f"E{n}")
    assert count() == few


def test_plans_elements_and_projects_with_indicators_are_not_deleted(client, town, plan, project):
    """An indicator and its values never go with the plan, element or project they hang on: the
    deletion is refused with a message naming them, and nothing changes."""
    element = plan.elements.get()
    MeasurementFactory(indicator=IndicatorFactory(element=element, code="E-1"), year=2016)
    MeasurementFactory(indicator=IndicatorFactory(element=None, project=project, code="P-1"), year=2016)
    sign_in_with_role(client, town, Role.ADMINISTRATOR)
    for path, code in (
        (reverse("manage:plan_delete", args=["sopot", "opr"]), "E-1"),
        (reverse("manage:element_delete", args=["sopot", "opr", element.pk]), "E-1"),
        (reverse("manage:project_delete", args=["sopot", "p1"]), "P-1"),
    ):
        response = client.post(path, follow=True)
        assert response.status_code == 200 and code in response.content.decode()
    assert Plan.objects.filter(pk=plan.pk).exists() and PlanElement.objects.filter(pk=element.pk).exists()
    assert Project.objects.filter(pk=project.pk).exists()
    assert Indicator.objects.count() == 2 and Measurement.objects.count() == 2
