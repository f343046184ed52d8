"""The iCalendar: RFC 5545's escaping and folding, stable UIDs, the public dates only, and the same
queries whatever the number of events."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from civitas.consultations.models import ConsultationStatus
from civitas.opendata.calendars import escape_text, fold
from civitas.testing.factories import MunicipalityFactory, PublicityEventFactory
from civitas.testing.pages import url

from .conftest import make_consultation

pytestmark = pytest.mark.django_db


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def events_of(text: str) -> list[dict]:
    found, current = [], None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, value = line.split(":", 1)
            current[name] = value
    return found


def test_text_is_escaped():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


@pytest.mark.parametrize(
    "text", ["SUMMARY:" + "Консултация " * 20, "DESCRIPTION:" + "x" * 200, "X:" + "€" * 60]
)
def test_long_lines_fold_at_75_octets_without_splitting_a_character(text):
    folded = fold(text)
    for line in folded.split("\r\n"):
        assert len(line.encode()) <= 75
        line.encode().decode()  # whole characters on every line
    assert folded.replace("\r\n ", "") == text


def test_the_calendar_has_consultations_closing_and_events(client, town):
    consultation = make_consultation(town, slug="budget")
    make_consultation(town, slug="secret", status=ConsultationStatus.DRAFT)
    today = datetime.date.today()
    timed = PublicityEventFactory(
        municipality=town, date=today + datetime.timedelta(days=3), time=datetime.time(17, 0),
        title_bg="Обществено обсъждане, площад", place_bg="пл. „Иван Вазов“",
    )  # fmt: skip
    all_day = PublicityEventFactory(municipality=town, date=today)
    PublicityEventFactory(municipality=town, date=today - datetime.timedelta(days=800))  # long past
    PublicityEventFactory(municipality=MunicipalityFactory(slug="anevo"), date=today)
    response = client.get(url("opendata:calendar", "sopot"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    events = {e["UID"]: e for e in events_of(text)}
    assert set(events) == {
        f"consultation-{consultation.pk}-closes@testserver",
        f"event-{timed.pk}@testserver",
        f"event-{all_day.pk}@testserver",
    }
    closing = events[f"consultation-{consultation.pk}-closes@testserver"]
    assert closing["DTSTART"] == consultation.closes_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert closing["URL"] == "http://testserver/sopot/consultations/budget/"
    event = events[f"event-{timed.pk}@testserver"]
    assert event["SUMMARY"].endswith("Обществено обсъждане\\, площад")
    assert event["LOCATION"] == "пл. „Иван Вазов“"
    start = datetime.datetime.combine(timed.date, datetime.time(17, 0), tzinfo=ZoneInfo("Europe/Sofia"))
    assert event["DTSTART"] == start.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    whole_day = events[f"event-{all_day.pk}@testserver"]
    assert whole_day["DTSTART;VALUE=DATE"] == today.strftime("%Y%m%d")
    assert whole_day["DTEND;VALUE=DATE"] == (today + datetime.timedelta(days=1)).strftime("%Y%m%d")
    for e in events.values():
        assert e["DTSTAMP"].endswith("Z")


def test_uids_and_stamps_stay_the_same_from_one_download_to_the_next(client, town):
    make_consultation(town, slug="budget")
    PublicityEventFactory(municipality=town, date=datetime.date.today())
    first = events_of(client.get(url("opendata:calendar", "sopot")).content.decode())
    cache.clear()
    second = events_of(client.get(url("opendata:calendar", "sopot")).content.decode())
    assert [(e["UID"], e["DTSTAMP"]) for e in first] == [(e["UID"], e["DTSTAMP"]) for e in second]


def test_the_calendar_is_in_the_pages_language(client, town):
    PublicityEventFactory(municipality=town, date=datetime.date.today(), title_en="Press conference")
    text = client.get(url("opendata:calendar", "sopot", lang="en")).content.decode()
    assert "X-WR-CALNAME:Consultations and events · Sopot" in unfold(text)
    assert "/en/sopot/publicity/events/" in text


def test_the_calendar_runs_the_same_queries_whatever_its_size(client, town, django_assert_num_queries):
    """The municipality, the consultations, the events."""
    for size in (1, 6):
        for n in range(size):
            make_consultation(town, slug=f"c{size}-{n}")
            PublicityEventFactory(municipality=town, date=datetime.date.today())
        cache.clear()
        with django_assert_num_queries(3):
            assert client.get(url("opendata:calendar", "sopot")).status_code == 200


def test_an_unknown_municipality_has_no_calendar(client, town):
    assert client.get(url("opendata:calendar", "nowhere")).status_code == 404


def test_the_events_and_consultations_pages_link_the_calendar(client, town):
    ics = url("opendata:calendar", "sopot")
    for page in ("publicity:calendar", "consultations:list"):
        html = client.get(url(page, "sopot")).content.decode()
        assert f'href="{ics}"' in html
        assert 'type="text/calendar"' in html
