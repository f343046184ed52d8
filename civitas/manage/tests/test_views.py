import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civitas.core.models import Role
from civitas.core.permissions import RULES
from civitas.indicators.models import Indicator, Measurement
from civitas.plans.models import Plan, PlanElement
from civitas.projects.models import FundingLine, Project
from civitas.testing.factories import (
    ActivityFactory,
    FundingLineFactory,
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectFactory,
    ProjectPartnerFactory,
)
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def plan(town):
    plan = PlanFactory(municipality=town, slug="opr")
    PlanElementFactory(plan=plan, code="SG1")
    return plan


@pytest.fixture
def project(town):
    return ProjectFactory(municipality=town, code="P1", slug="p1")


def login(client, town, role):
    user = MembershipFactory(municipality=town, role=role).user
    sign_in(client, user)
    return user


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
    login(client, town, role)
    for name, (path, action) in pages(plan, project).items():
        expected = 200 if role in RULES[action] else 403
        assert client.get(path).status_code == expected, (name, role)


def test_anonymous_is_sent_to_sign_in(client, plan, project):
    for path, _action in pages(plan, project).values():
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_of_another_municipality_can_change_nothing_here(client, town, plan, project):
    karlovo = MunicipalityFactory(slug="karlovo")
    login(client, karlovo, Role.ADMINISTRATOR)
    for path, _action in pages(plan, project).values():
        assert client.get(path).status_code == 403
    response = client.post(
        reverse("manage:project_edit", args=["sopot", "p1"]), {"code": "X", "title_bg": "hack"}
    )
    assert response.status_code == 403
    assert Project.objects.get(pk=project.pk).title_bg != "hack"


def test_a_karlovo_project_is_not_found_through_sopot(client, town):
    other = ProjectFactory(municipality=MunicipalityFactory(slug="karlovo"), slug="k1")
    login(client, town, Role.PLANNER)
    assert client.get(reverse("manage:project_edit", args=["sopot", other.slug])).status_code == 404


def project_post(project, **changes):
    data = {
        "version": project.version, "code": project.code, "slug": project.slug, "title_bg": project.title_bg,
        "title_en": project.title_en, "status": project.status, "progress": project.progress,
        "planned_start": "2015-01-01", "planned_end": "2017-12-31",
    }  # fmt: skip
    data.update(changes)
    return data


def test_project_edit_saves(client, town, plan, project):
    login(client, town, Role.PROJECT_MANAGER)
    element = plan.elements.first()
    path = reverse("manage:project_edit", args=["sopot", "p1"])
    response = client.post(
        path, project_post(project, progress=65, title_bg="Ново заглавие", element_ids=[element.pk])
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.progress, project.title_bg, project.version) == (65, "Ново заглавие", 2)
    assert list(project.elements.all()) == [element]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"planned_start": "2018-01-01", "planned_end": "2016-01-01"}, "края"),
        ({"location_text": "{not json"}, "JSON"),
        ({"location_text": '{"type": "Point", "coordinates": [500, 1]}'}, "дължина"),
        ({"progress": 140}, "100"),
    ],
)
def test_bad_project_input_changes_nothing(client, town, project, changes, message):
    login(client, town, Role.PLANNER)
    response = client.post(
        reverse("manage:project_edit", args=["sopot", "p1"]), project_post(project, **changes)
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    fresh = Project.objects.get(pk=project.pk)
    assert (fresh.version, fresh.progress) == (1, project.progress)


def test_second_of_two_editors_gets_a_conflict_and_keeps_their_input(client, town, project):
    login(client, town, Role.PLANNER)
    path = reverse("manage:project_edit", args=["sopot", "p1"])
    assert client.post(path, project_post(project, progress=50)).status_code == 302
    response = client.post(
        path, project_post(project, progress=70, title_bg="Мои промени")
    )  # still version 1
    content = response.content.decode()
    assert response.status_code == 400
    assert "Някой друг" in content and "Мои промени" in content
    assert Project.objects.get(pk=project.pk).progress == 50


def test_an_edit_without_the_version_it_was_opened_on_is_refused(client, town, project):
    """A form that cannot say which version it was opened on is not saved over the stored one."""
    login(client, town, Role.PLANNER)
    path = reverse("manage:project_edit", args=["sopot", "p1"])
    data = project_post(project, progress=70)
    data.pop("version")
    response = client.post(path, data)
    assert response.status_code == 400 and "Някой друг" in response.content.decode()
    assert Project.objects.get(pk=project.pk).progress != 70


def test_funding_line_bad_input(client, town, project):
    login(client, town, Role.PLANNER)
    path = reverse("manage:part_add", args=["sopot", "p1", "funding"])
    base = {"version": 1, "source": "municipal", "amount": "-10", "spent": "0"}
    assert client.post(path, base).status_code == 400
    assert client.post(path, {**base, "amount": "10", "source": "lottery"}).status_code == 400
    assert FundingLine.objects.count() == 0
    assert client.post(path, {**base, "amount": "1000"}).status_code == 302
    assert FundingLine.objects.get().amount == 1000


def test_plan_create_taken_slug_and_element_moves(client, town, plan):
    login(client, town, Role.PLANNER)
    data = {"title_bg": "Стратегия", "slug": "opr", "kind": "sectoral_strategy", "period_start": 2014,
            "period_end": 2020, "position": 0, "level_names_text": "Цел | Goal\nМярка | Measure"}  # fmt: skip
    response = client.post(reverse("manage:plan_create", args=["sopot"]), data)
    assert response.status_code == 400 and Plan.objects.count() == 1
    response = client.post(reverse("manage:plan_create", args=["sopot"]), {**data, "slug": "housing"})
    assert response.status_code == 302
    housing = Plan.objects.get(slug="housing")
    assert housing.level_names[1] == {"bg": "Мярка", "en": "Measure"}
    add = reverse("manage:element_create", args=["sopot", "housing"])
    client.post(add, {"code": "G1", "title_bg": "Цел 1"})
    goal = PlanElement.objects.get(plan=housing, code="G1")
    client.post(add + f"?parent={goal.pk}", {"code": "M1", "title_bg": "Мярка 1"})
    measure = PlanElement.objects.get(plan=housing, code="M1")
    move = reverse("manage:element_move", args=["sopot", "housing", goal.pk])
    response = client.post(move, {"parent": measure.pk, "position": 1})
    assert response.status_code == 400  # under its own child
    assert PlanElement.objects.get(pk=goal.pk).parent is None


def test_oversize_upload_is_refused(client, town, project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CIVITAS_MAX_UPLOAD_BYTES = 1024
    login(client, town, Role.PLANNER)
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 4096)
    response = client.post(
        reverse("manage:document_add", args=["sopot", "p1"]),
        {"kind": "document", "title_bg": "Отчет", "upload": upload, "version": 1},
    )
    assert response.status_code == 400 and "MB" in response.content.decode()
    assert project.documents.count() == 0


@pytest.mark.parametrize("page", ["dashboard", "project_edit", "plan_elements"])
def test_back_office_query_counts_do_not_grow(client, town, plan, project, page):
    login(client, town, Role.ADMINISTRATOR)

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


def test_contribution_checkboxes_carry_their_element(client, town, plan, project):
    login(client, town, Role.PLANNER)
    element = plan.elements.first()
    content = client.get(reverse("manage:project_edit", args=["sopot", "p1"])).content.decode()
    assert f'name="element_ids" value="{element.pk}"' in content


def test_plans_elements_and_projects_with_indicators_are_not_deleted(client, town, plan, project):
    """An indicator and its values never go with the plan, element or project they hang on: the
    deletion is refused with a message naming them, and nothing changes."""
    element = plan.elements.get()
    MeasurementFactory(indicator=IndicatorFactory(element=element, code="E-1"), year=2016)
    MeasurementFactory(indicator=IndicatorFactory(element=None, project=project, code="P-1"), year=2016)
    login(client, town, Role.ADMINISTRATOR)
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
