"""The verifier's queue is paginated: a page has at most QUEUE_PAGE_SIZE values, whatever the
queue holds, each page costs the same queries, and the page links keep the other parameters."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civitas.core.models import Role
from civitas.indicators.manage_views import QUEUE_PAGE_SIZE
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    UserFactory,
)
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def verifier(town):
    user = UserFactory(username="verifier")
    MembershipFactory(user=user, municipality=town, role=Role.VERIFIER)
    return user


@pytest.fixture
def submit(town):
    """submit(count): that many more submitted values, oldest first, on indicators of the town."""
    element = PlanElementFactory(plan=PlanFactory(municipality=town, slug="opr"), code="SG1")
    owner = UserFactory(username="owner")
    MembershipFactory(user=owner, municipality=town, role=Role.INDICATOR_OWNER)
    made = []

    def submit(count):
        for _n in range(count):
            n = len(made)
            indicator = IndicatorFactory(element=element, owner=owner, code=f"Q{n:04d}")
            made.append(
                MeasurementFactory(
                    indicator=indicator, year=2016, value=Decimal(n), state="submitted", entered_by=owner
                )
            )

    return submit


def queue(client, town, query=""):
    response = client.get(f"/en/{town.slug}/manage/indicators/queue/{query}")
    assert response.status_code == 200
    page = response.content.decode()
    return page, re.findall(r"<span class=\"govuk-visually-hidden\"> (Q\d{4}) ", page)


def test_a_page_of_the_queue_holds_at_most_the_page_size(client, town, verifier, submit):
    submit(QUEUE_PAGE_SIZE + 3)
    sign_in(client, verifier)
    first, on_first = queue(client, town)
    assert len(on_first) == QUEUE_PAGE_SIZE
    assert f"{QUEUE_PAGE_SIZE + 3} values" in first
    assert 'href="?page=2" rel="next"' in first and 'aria-current="page">1<' in first
    second, on_second = queue(client, town, "?page=2")
    assert on_second == [f"Q{n:04d}" for n in range(QUEUE_PAGE_SIZE, QUEUE_PAGE_SIZE + 3)]
    assert not set(on_first) & set(on_second)
    assert 'href="?page=1" rel="prev"' in second and 'rel="next"' not in second
    # Out of range or not a number: the nearest page, never an error.
    assert queue(client, town, "?page=99")[1] == on_second
    assert queue(client, town, "?page=x")[1] == on_first


def test_page_links_keep_the_other_parameters(client, town, verifier, submit):
    submit(QUEUE_PAGE_SIZE + 1)
    sign_in(client, verifier)
    page, _rows = queue(client, town, "?indicator=Q&page=2")
    assert 'href="?indicator=Q&amp;page=1" rel="prev"' in page


def test_a_small_queue_has_no_page_links(client, town, verifier, submit):
    submit(2)
    sign_in(client, verifier)
    page, rows = queue(client, town)
    assert len(rows) == 2 and "govuk-pagination" not in page


def test_every_page_costs_the_same_queries_however_long_the_queue(client, town, verifier, submit):
    submit(3)
    sign_in(client, verifier)
    queue(client, town)  # warm the session and the role cache
    with CaptureQueriesContext(connection) as small:
        queue(client, town)
    submit(2 * QUEUE_PAGE_SIZE + 7)
    for query in ("", "?page=2", "?page=3"):
        with CaptureQueriesContext(connection) as long:
            queue(client, town, query)
        assert len(long) == len(small), query


def test_the_dashboard_lists_only_the_oldest_waiting_values_and_counts_all(client, town, verifier, submit):
    from civitas.indicators.selectors import DASHBOARD_WAITING

    submit(DASHBOARD_WAITING + 7)
    sign_in(client, verifier)
    response = client.get(f"/en/{town.slug}/manage/indicators/dashboard/")
    assert response.status_code == 200
    page = response.content.decode()
    listed = re.findall(r">(Q\d{4}) · ", page)
    assert listed == [f"Q{n:04d}" for n in range(DASHBOARD_WAITING)]  # the oldest, in order
    assert f'data-count="waiting">{DASHBOARD_WAITING + 7}<' in page
    assert f"of {DASHBOARD_WAITING + 7} values waiting" in page
    assert f'href="/en/{town.slug}/manage/indicators/queue/"' in page
