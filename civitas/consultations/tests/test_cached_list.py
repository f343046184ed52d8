"""The list of consultations from the page cache: an anonymous visitor's second request costs no
database query with a cache every server process shares; a proposal, a closing or an opening is
seen on the next request, including the moment a consultation's period begins or ends by itself."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from civitas.consultations import rules, services
from civitas.consultations.models import ConsultationStatus
from civitas.core import cache as page_cache

from .conftest import build_consultation

pytestmark = pytest.mark.django_db(transaction=True)  # changes renew the cache's tokens after commit

URL = reverse("consultations:list", args=["sopot"])


@pytest.fixture(autouse=True)
def shared_cache(settings):
    settings.CIVITAS_SHARED_CACHE = True
    cache.clear()


@pytest.fixture
def kept(monkeypatch):
    """How long each page stored in the page cache is kept, in seconds."""
    timeouts = []
    store = page_cache.cache.set

    def recording(key, value, timeout):
        timeouts.append(timeout)
        return store(key, value, timeout)

    monkeypatch.setattr(page_cache.cache, "set", recording)
    return timeouts


def test_a_second_anonymous_request_reads_nothing_from_the_database(
    client, consultation, django_assert_num_queries
):
    first = client.get(URL)
    assert "Проект на наредба" in first.content.decode()
    with django_assert_num_queries(0):
        assert client.get(URL).content == first.content


def test_a_proposal_is_counted_at_once(client, consultation, citizen):
    assert "Досега 0 предложения." in client.get(URL).content.decode()
    services.proposal_submit(actor=citizen, consultation=consultation, text="Предлагам велоалея.")
    assert "Досега 1 предложение." in client.get(URL).content.decode()


def test_a_closing_moves_it_to_the_past_ones_at_once(client, consultation, planner):
    assert "В момента няма открита консултация." not in client.get(URL).content.decode()
    services.consultation_close(actor=planner, consultation=consultation, now=consultation.closes_at)
    assert "В момента няма открита консултация." in client.get(URL).content.decode()


def test_the_page_is_kept_no_longer_than_until_a_period_ends_by_itself(client, sopot, planner, kept):
    consultation = build_consultation(sopot, planner)
    closes = timezone.now() + datetime.timedelta(seconds=90)
    type(consultation).objects.filter(pk=consultation.pk).update(closes_at=closes)
    client.get(URL)
    assert kept and 0 < kept[-1] <= 90


def test_a_page_with_nothing_to_change_by_itself_is_kept_the_usual_time(client, consultation, kept):
    client.get(URL)
    assert kept == [page_cache.CACHE_SECONDS]


def test_the_next_change_is_the_first_opening_or_closing_of_an_open_consultation_still_to_come():
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    open_, closed = ConsultationStatus.OPEN, ConsultationStatus.CLOSED
    assert rules.next_change(
        [(open_, now - hour, now + 3 * hour), (open_, now + 2 * hour, now + 9 * hour)], now
    ) == (now + 2 * hour)
    assert rules.next_change([(open_, now - 2 * hour, now - hour)], now) is None  # over already
    assert rules.next_change([(closed, now - hour, now + hour)], now) is None  # closed by staff: stays closed
    assert rules.next_change([], now) is None
