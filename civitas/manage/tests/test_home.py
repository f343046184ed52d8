"""The staff home (/<m>/manage/) and the back office's menus: each role sees what waits for it and
only links it may follow (every link of the home and of the monitoring menu answers 200, role by
role), and the home reads the same number of queries however much data there is."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civitas.consultations.models import Consultation, ConsultationStatus, Proposal, ProposalState
from civitas.core.models import AuditEvent, Role
from civitas.core.permissions import RULES, Action
from civitas.forum.models import Flag, Post, Topic
from civitas.indicators.models import Indicator, Measurement
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    ProjectFactory,
    UserFactory,
)
from civitas.testing.signin import sign_in, sign_in_with_role

pytestmark = pytest.mark.django_db

HOME = "/sopot/manage/"
MONITORING = "/sopot/manage/indicators/dashboard/"


def busy(town, plan, n=1, owner=None):
    """Work of every kind in the municipality, ``n`` of each: indicators with values due and
    returned, values waiting for a verifier, a consultation closing soon with unanswered and
    pending proposals, flagged forum posts, projects and changes in the audit log."""
    now = timezone.now()
    citizen = UserFactory()
    for i in range(n):
        element = PlanElementFactory(plan=plan, code=f"B{i}-{PlanElementFactory._meta.model.objects.count()}")
        indicator = IndicatorFactory(element=element, owner=owner)
        MeasurementFactory(indicator=indicator, year=2015, state="returned", return_note="Провери източника")
        MeasurementFactory(
            indicator=indicator, year=2016, state="submitted", submitted_at=now, entered_by=owner
        )
        MeasurementFactory(indicator=indicator, year=2017, state="approved")
        ProjectFactory(municipality=town)
        consultation = Consultation.objects.create(
            municipality=town,
            slug=f"c-{Consultation.objects.count()}",
            title_bg="Обществено обсъждане",
            opens_at=now - datetime.timedelta(days=20),
            closes_at=now + datetime.timedelta(days=3),
            status=ConsultationStatus.OPEN,
        )
        Proposal.objects.create(consultation=consultation, text="Предложение", author=citizen)
        Proposal.objects.create(
            consultation=consultation, text="Чака модерация", author=citizen, state=ProposalState.PENDING
        )
        topic = Topic.objects.create(municipality=town, title="Тема", author=citizen)
        post = Post.objects.create(topic=topic, body="Пост", body_html="<p>Пост</p>", author=citizen)
        Flag.objects.create(post=post, reporter=UserFactory(), reason="спам")
        AuditEvent.objects.create(
            municipality=town, actor=owner, action="update", object_type="projects.project",
            object_id="1", object_repr=f"Проект {i}",
        )  # fmt: skip


def links(html: str) -> list[str]:
    """The site's own links of a page (its header, menus and content), once each."""
    found = re.findall(r'<a [^>]*href="(/[^"]*)"', html)
    return sorted({url.replace("&amp;", "&") for url in found})


@pytest.mark.parametrize("role", list(Role))
def test_every_link_of_the_home_and_the_monitoring_menu_answers(client, town, plan, project, role):
    """No dead ends: every link a role is shown leads to a page it may see (a 403 would fail)."""
    user = sign_in_with_role(client, town, role)
    busy(town, plan, owner=user)
    for page in (HOME, MONITORING):
        response = client.get(page)
        assert response.status_code == 200
        for url in links(response.content.decode()):
            answer = client.get(url, follow=True)
            assert answer.status_code == 200, (role, page, url, answer.status_code)


@pytest.mark.parametrize("role", list(Role))
def test_the_queue_is_offered_only_to_those_who_verify(client, town, plan, role):
    sign_in_with_role(client, town, role)
    busy(town, plan)
    queue = reverse("indicators:queue", args=["sopot"])
    verifies = role in RULES[Action.VERIFY_MEASUREMENT]
    for page in (HOME, MONITORING, reverse("indicators:calendar", args=["sopot"])):
        assert (f'href="{queue}"' in client.get(page).content.decode()) == verifies, (role, page)


BLOCKS = {
    "home-entry": Action.ENTER_MEASUREMENT,
    "home-verify": Action.VERIFY_MEASUREMENT,
    "home-consultations": Action.MANAGE_CONSULTATION,
    "home-moderation": Action.MODERATE,
    "home-plans-title": Action.EDIT_PLAN,
    "home-projects-title": Action.EDIT_PROJECT,
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_the_work_it_may_do(client, town, plan, role):
    user = sign_in_with_role(client, town, role)
    busy(town, plan, owner=user)
    html = client.get(HOME).content.decode()
    for block, action in BLOCKS.items():
        assert (f'id="{block}"' in html) == (role in RULES[action]), (role, block)
    assert "Проект 0" in html  # the last changes, for everyone


def test_the_indicator_owner_sees_what_is_due_and_what_was_returned(client, town, plan):
    owner = sign_in_with_role(client, town, Role.INDICATOR_OWNER)
    busy(town, plan, owner=owner)
    other = IndicatorFactory(element=plan.elements.first(), owner=UserFactory(), code="THEIRS")
    MeasurementFactory(indicator=other, year=2015, state="returned")
    html = client.get(HOME).content.decode()
    returned = html[html.index('data-list="returned"') :]
    assert "Провери източника" in returned and "THEIRS" not in returned
    assert (
        reverse("indicators:value", args=["sopot", Indicator.objects.get(owner=owner).code]) + "?period=2015"
        in returned
    )
    assert 'data-count="late"' in html and "THEIRS" not in html[: html.index('data-list="returned"')]


def test_the_verifier_is_one_click_from_the_queue_and_the_oldest_value(client, town, plan):
    sign_in_with_role(client, town, Role.VERIFIER)
    busy(town, plan, n=3)
    html = client.get(HOME).content.decode()
    card = html[html.index('id="home-verify"') :]
    assert f'href="{reverse("indicators:queue", args=["sopot"])}">3 ' in card
    oldest = Measurement.objects.filter(state="submitted").order_by("submitted_at", "pk").first()
    assert f'href="{reverse("indicators:review", args=["sopot", oldest.pk])}"' in card


def test_a_person_of_several_municipalities_is_offered_the_others(client, town):
    karlovo = MunicipalityFactory(slug="karlovo", name_bg="Карлово")
    user = sign_in_with_role(client, town, Role.PLANNER)
    MembershipFactory(user=user, municipality=karlovo, role=Role.VERIFIER)
    sign_in(client, user)
    html = client.get(HOME).content.decode()
    assert 'href="/karlovo/manage/"' in html


@pytest.mark.parametrize("role", list(Role))
def test_the_home_reads_a_fixed_number_of_queries(client, town, plan, role, django_assert_num_queries):
    user = sign_in_with_role(client, town, role)
    busy(town, plan, owner=user)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(HOME).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    busy(town, plan, n=12, owner=user)
    with django_assert_num_queries(few):
        assert client.get(HOME).status_code == 200


# The header's way to the back office -------------------------------------------------------------


def test_staff_see_their_own_back_office_in_the_header_of_any_page(client, town):
    karlovo = MunicipalityFactory(slug="karlovo", name_bg="Карлово")
    sign_in_with_role(client, karlovo, Role.VERIFIER)
    for page in ("/sopot/", "/sopot/projects/", "/karlovo/", reverse("accounts:profile")):
        html = client.get(page, follow=True).content.decode()
        assert 'class="civitas-header__link civitas-header__office" href="/karlovo/manage/"' in html, page
    assert client.get("/karlovo/manage/").status_code == 200


def test_the_header_leads_to_the_pages_municipality_when_the_person_works_there(client, town):
    karlovo = MunicipalityFactory(slug="karlovo", name_bg="Карлово")
    user = sign_in_with_role(client, karlovo, Role.PLANNER)
    MembershipFactory(user=user, municipality=town, role=Role.PLANNER)
    assert 'civitas-header__office" href="/sopot/manage/"' in client.get("/sopot/").content.decode()
    assert 'civitas-header__office" href="/karlovo/manage/"' in client.get("/karlovo/").content.decode()


def test_citizens_and_visitors_see_no_back_office_link(client, town):
    assert "civitas-header__office" not in client.get("/sopot/").content.decode()
    sign_in(client, UserFactory())
    assert "civitas-header__office" not in client.get("/sopot/").content.decode()
