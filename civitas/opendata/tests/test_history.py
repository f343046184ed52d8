"""The public change history of a plan and of a project (opendata.history): what the services
record in the audit log shows with its role and reason; drafts, values awaiting verification,
private fields and persons never do; a page's queries do not grow with the history."""

import pytest
from django.test import Client
from django.urls import reverse

from civitas.core.models import AuditEvent, Role
from civitas.indicators import services as indicator_services
from civitas.opendata import history
from civitas.plans import services as plan_services
from civitas.plans.models import PlanStatus
from civitas.projects import services as project_services
from civitas.testing.factories import (
    IndicatorFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectContributionFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
VERIFIER = str(Role.VERIFIER.label).lower()


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


def staff(town, username, *roles):
    user = UserFactory(
        username=username, email=f"{username}@example.org", first_name="Иван", last_name="Петров"
    )
    for role in roles:
        MembershipFactory(user=user, municipality=town, role=role)
    return user


@pytest.fixture
def people(town):
    return {
        "planner": staff(town, "planner.person", Role.PLANNER),
        "owner": staff(town, "owner.person", Role.INDICATOR_OWNER),
        "verifier": staff(town, "verifier.person", Role.VERIFIER, Role.ADMINISTRATOR),
        "manager": staff(town, "manager.person", Role.PROJECT_MANAGER),
    }


@pytest.fixture
def plan(town):
    return PlanFactory(municipality=town, slug="opr", period_start=2014, period_end=2020)


@pytest.fixture
def indicator(plan, people):
    element = PlanElementFactory(plan=plan, code="СЦ1")
    return IndicatorFactory(element=element, owner=people["owner"], code="И1", frequency="annual")


@pytest.fixture
def project(town, indicator):
    project = ProjectFactory(municipality=town, code="P1", slug="p1", status="planned")
    ProjectContributionFactory(project=project, element=indicator.element)
    return project


def publish(people, indicator, year, value):
    m = indicator_services.measurement_save(
        actor=people["owner"], indicator=indicator, year=year, value=value, submit=True
    )
    return indicator_services.measurement_approve(actor=people["verifier"], measurement=m, publish=True)


def page_text(path: str) -> str:
    response = Client().get(path)
    assert response.status_code == 200
    return response.content.decode()


def plan_page(plan) -> str:
    return page_text(reverse("history:plan", args=[plan.municipality.slug, plan.slug]))


def entries(plan):
    return history.plan_history(plan=plan)[1]


def test_a_target_change_shows_with_its_role_and_reason(plan, indicator, people):
    indicator_services.target_set(actor=people["planner"], indicator=indicator, year=2020, value="100")
    indicator_services.target_set(
        actor=people["planner"], indicator=indicator, year=2020, value="120", reason="Нова методика на НСИ"
    )
    changed = entries(plan)[0]
    assert changed.subject.startswith("И1") and changed.role == str(Role.PLANNER.label).lower()
    assert changed.reason == "Нова методика на НСИ"
    assert [(c.before, c.after) for c in changed.changes] == [("100", "120")]
    assert "Нова методика на НСИ" in plan_page(plan)


def test_published_values_and_a_correction_with_its_reason(plan, indicator, people):
    m = publish(people, indicator, 2016, "5")
    first = entries(plan)[0]
    assert (first.changes[0].before, first.changes[0].after) == ("–", "5") and first.role == VERIFIER

    indicator_services.measurement_correct(
        actor=people["owner"], measurement=m, value="7", reason="НСИ коригира данните"
    )
    withdrawn = entries(plan)[0]
    # The corrected value awaits verification: neither it nor the reason is public yet.
    assert (withdrawn.changes[0].before, withdrawn.changes[0].after) == ("5", "–") and withdrawn.reason == ""
    assert "НСИ коригира" not in plan_page(plan)

    m.refresh_from_db()
    indicator_services.measurement_approve(actor=people["verifier"], measurement=m, publish=True)
    corrected = entries(plan)[0]
    assert (corrected.changes[0].before, corrected.changes[0].after) == ("5", "7")
    assert corrected.reason == "НСИ коригира данните" and corrected.role == VERIFIER
    assert "НСИ коригира данните" in plan_page(plan)


def test_drafts_and_values_awaiting_verification_never_show(plan, indicator, people):
    publish(people, indicator, 2015, "3")
    indicator_services.measurement_save(actor=people["owner"], indicator=indicator, year=2016, value="987654")
    indicator_services.measurement_save(
        actor=people["owner"], indicator=indicator, year=2017, value="876543", submit=True
    )
    m = indicator_services.measurement_save(
        actor=people["owner"], indicator=indicator, year=2018, value="765432", submit=True
    )
    indicator_services.measurement_approve(actor=people["verifier"], measurement=m)  # approved, not published
    text = plan_page(plan)
    assert "987654" not in text and "876" not in text and "765" not in text
    assert [e.changes[0].after for e in entries(plan) if e.subject.startswith("И1")] == ["3"]


def test_a_project_status_change_shows_on_the_plan_and_the_project(town, plan, project, people):
    project_services.project_update(
        actor=people["manager"], project=project, expected_version=project.version, status="in_progress"
    )
    change = entries(plan)[0]
    assert change.subject.startswith("P1") and change.role == str(Role.PROJECT_MANAGER.label).lower()
    assert [(c.before, c.after) for c in change.changes] == [("Планиран", "В изпълнение")]
    text = page_text(reverse("history:project", args=[town.slug, project.slug]))
    assert "В изпълнение" in text and change.role in text


def test_personal_data_and_private_fields_never_show(town, plan, project, indicator, people):
    project.refresh_from_db()
    project_services.project_update(
        actor=people["manager"], project=project, expected_version=project.version,
        responsible_person="Георги Георгиев", location={"type": "Point", "coordinates": [24.47, 42.66]},
    )  # fmt: skip
    publish(people, indicator, 2016, "5")
    texts = [plan_page(plan), page_text(reverse("history:project", args=[town.slug, project.slug]))]
    for text in texts:
        assert "Георги" not in text and "24.47" not in text
        for user in people.values():
            assert user.username not in text and user.email not in text
        assert "Иван" not in text and "Петров" not in text
    # The event is in the log, with the person; the history skips it whole (no private key is shown).
    assert AuditEvent.objects.filter(changes__has_key="responsible_person", actor=people["manager"]).exists()
    assert not [e for e in history.project_history(project=project)[1] if "Георги" in str(e)]


def test_a_draft_plans_changes_stay_private_until_it_is_public(town, people):
    plan = PlanFactory(municipality=town, slug="draft", status="draft", period_start=2021, period_end=2027)
    element = PlanElementFactory(plan=plan, code="Ц1", title_bg="Работно заглавие")
    plan_services.element_update(
        actor=people["planner"], element=element, expected_version=element.version, title_bg="Тайно заглавие"
    )
    assert Client().get(reverse("history:plan", args=[town.slug, plan.slug])).status_code == 404
    plan.refresh_from_db()
    plan_services.plan_change_status(
        actor=people["planner"], plan=plan, status="consultation", expected_version=plan.version
    )
    element.refresh_from_db()
    plan_services.element_update(
        actor=people["planner"],
        element=element,
        expected_version=element.version,
        title_bg="Публично заглавие",
    )
    shown = entries(plan)
    assert len(shown) == 2
    # The change made in public, from the title the plan was made public with; none made before.
    assert [(c.before, c.after) for c in shown[0].changes] == [("Тайно заглавие", "Публично заглавие")]
    assert "Работно заглавие" not in plan_page(plan)
    assert shown[1].changes[0].after == str(PlanStatus.CONSULTATION.label)


def test_the_role_is_recorded_not_the_name(plan, indicator, people):
    indicator_services.target_set(actor=people["planner"], indicator=indicator, year=2020, value="100")
    event = AuditEvent.objects.get(action="set_target")
    assert event.role == Role.PLANNER
    publish(people, indicator, 2016, "5")
    # The verifier is also an administrator: the role that verifies is the one recorded.
    assert AuditEvent.objects.get(action="approve").role == Role.VERIFIER


def grow(plan, indicator, people, years):
    for year in years:
        publish(people, indicator, year, str(year))
        indicator_services.target_set(
            actor=people["planner"],
            indicator=indicator,
            year=year,
            value=str(year * 2),
            reason="По-висока цел",
        )


def test_a_page_of_the_history_costs_the_same_queries_however_long_the_history(
    plan, indicator, project, people, django_assert_num_queries
):
    grow(plan, indicator, people, [2014, 2015])
    project_services.project_update(
        actor=people["manager"], project=project, expected_version=project.version, status="in_progress"
    )
    project.refresh_from_db()
    path = reverse("history:plan", args=[plan.municipality.slug, plan.slug])
    project_path = reverse("history:project", args=[plan.municipality.slug, project.slug])
    # The municipality, the plan, its status changes, the page's count and rows, and the names
    # of its elements, indicators, versions and projects; for a project: the municipality, the
    # project, the page's count and rows, and its indicators.
    with django_assert_num_queries(9):
        assert Client().get(path).status_code == 200
    with django_assert_num_queries(5):
        assert Client().get(project_path).status_code == 200
    grow(plan, indicator, people, range(2016, 2021))
    project_services.project_update(
        actor=people["manager"], project=project, expected_version=project.version, status="completed"
    )
    assert history.plan_history_events(plan).count() == 16
    with django_assert_num_queries(9):
        assert Client().get(path).status_code == 200
    with django_assert_num_queries(5):
        assert Client().get(project_path).status_code == 200
    with django_assert_num_queries(9):
        assert Client().get(path, {"page": "7"}).status_code == 200


def test_pages_go_newest_first_and_are_paginated(plan, indicator, people, monkeypatch):
    monkeypatch.setattr(history, "ENTRIES_PER_PAGE", 5)
    grow(plan, indicator, people, range(2014, 2021))
    pages = [history.plan_history(plan=plan, page_number=n) for n in (1, 2, 3)]
    assert pages[0][0].paginator.count == 14 and [len(p[1]) for p in pages] == [5, 5, 4]
    times = [(e.at, e.subject, e.what) for _page, shown in pages for e in shown]
    assert [t[0] for t in times] == sorted((t[0] for t in times), reverse=True)
    assert len({(e.at, str(e.changes)) for _page, shown in pages for e in shown}) == 14  # no repeats
    text = page_text(reverse("history:plan", args=[plan.municipality.slug, plan.slug]) + "?page=3")
    assert 'aria-current="page">3<' in text
    oldest = pages[2][1][-1]  # the first value published, last on the last page
    assert "2014" in oldest.changes[0].label and oldest.changes[0].before == "–"


def test_the_pages_speak_english_too(plan, indicator, project, people):
    indicator_services.target_set(actor=people["planner"], indicator=indicator, year=2020, value="100")
    text = page_text(f"/en/sopot/history/plans/{plan.slug}/")
    assert "Change history" in text and "by the planner" in text and "Target for 2020" in text
    assert "Change history" in page_text(f"/en/sopot/history/projects/{project.slug}/")


def test_the_plan_and_project_pages_link_their_history(plan, project):
    assert reverse("history:plan", args=["sopot", plan.slug]) in page_text(f"/sopot/plans/{plan.slug}/")
    assert reverse("history:project", args=["sopot", project.slug]) in page_text(
        f"/sopot/projects/{project.slug}/"
    )


def test_an_unknown_plan_or_project_is_not_found(town):
    assert Client().get(reverse("history:plan", args=["sopot", "none"])).status_code == 404
    assert Client().get(reverse("history:project", args=["sopot", "none"])).status_code == 404
    assert Client().get("/nowhere/history/plans/opr/").status_code == 404


def test_a_plan_taken_back_to_draft_hides_what_changed_meanwhile(town, people):
    plan = PlanFactory(
        municipality=town, slug="back", status="consultation", period_start=2021, period_end=2027
    )
    element = PlanElementFactory(plan=plan, code="Ц1", title_bg="Първо заглавие")

    def rename(title):
        element.refresh_from_db()
        plan_services.element_update(
            actor=people["planner"], element=element, expected_version=element.version, title_bg=title
        )

    def move(status):
        plan.refresh_from_db()
        plan_services.plan_change_status(
            actor=people["planner"], plan=plan, status=status, expected_version=plan.version
        )

    rename("Второ заглавие")
    move("draft")
    rename("Работно заглавие")
    move("consultation")
    rename("Трето заглавие")
    shown = [[(c.before, c.after) for c in e.changes] for e in entries(plan)]
    consultation, draft = str(PlanStatus.CONSULTATION.label), str(PlanStatus.DRAFT.label)
    # The change made while it was a draft again ("Второ" → "Работно") is not shown; the title it
    # was made public with again is the next change's "before".
    assert shown == [
        [("Работно заглавие", "Трето заглавие")],
        [(draft, consultation)],
        [(consultation, draft)],
        [("Първо заглавие", "Второ заглавие")],
    ]
