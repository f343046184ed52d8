"""The public pages of the register: the events calendar (month table, navigation by month with
plain links across the year's end, kind filter, upcoming and past lists), an event's page, and the
project page's publicity section; each in a fixed number of queries as the data grows."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civitas.testing.factories import (
    EventPhotoFactory,
    MunicipalityFactory,
    ProjectFactory,
    PublicationFactory,
    PublicityEventFactory,
    PublicityMaterialFactory,
)
from civitas.testing.pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot", name_bg="Община Сопот", name_en="Sopot Municipality")


def _count(client, path) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries.captured_queries)


def calendar(month="", kind="", lang="bg"):
    query = "&".join(
        part for part in [f"month={month}" if month else "", f"kind={kind}" if kind else ""] if part
    )
    return url("publicity:calendar", "sopot", lang=lang) + (f"?{query}" if query else "")


def test_the_month_is_a_table_of_days_with_its_events(client, town):
    PublicityEventFactory(municipality=town, date=datetime.date(2014, 7, 24), title_bg="Заключителна пресконференция",
                          title_en="Closing press conference")  # fmt: skip
    page = client.get(calendar("2014-07")).content.decode()
    assert "юли 2014" in page and "Заключителна пресконференция" in page
    assert '<time datetime="2014-07-31">31</time>' in page and 'datetime="2014-08-01"' not in page
    assert 'scope="col"' in page and "<caption" in page
    english = client.get(calendar("2014-07", lang="en")).content.decode()
    assert "July 2014" in english and "Closing press conference" in english


def test_months_are_navigated_with_plain_links_across_the_years_end(client, town):
    december = client.get(calendar("2014-12", kind="forum")).content.decode()
    assert "?month=2015-01&amp;kind=forum" in december and "?month=2014-11&amp;kind=forum" in december
    january = client.get(calendar("2015-01")).content.decode()
    assert "?month=2014-12" in january and "?month=2015-02" in january
    assert "<script" not in january.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("query", ["month=2014-13", "month=2014", "month=abc", "month=1989-12", "kind=party"])
def test_a_month_or_kind_the_calendar_does_not_know_is_404(client, town, query):
    assert client.get(url("publicity:calendar", "sopot") + f"?{query}").status_code == 404


def test_the_first_month_has_no_link_before_it(client, town):
    page = client.get(calendar("1990-01")).content.decode()
    assert "month=1989-12" not in page and "month=1990-02" in page


def test_the_kind_filter_keeps_only_that_kind(client, town):
    PublicityEventFactory(municipality=town, kind="forum", title_bg="Дискусионен форум")
    PublicityEventFactory(municipality=town, kind="press_conference", title_bg="Пресконференция")
    page = client.get(calendar("2014-07", kind="forum")).content.decode()
    assert "Дискусионен форум" in page and "Пресконференция</a>" not in page


def test_upcoming_and_past_events_are_listed_apart(client, town):
    today = timezone.localdate()
    PublicityEventFactory(
        municipality=town, date=today + datetime.timedelta(days=40), title_bg="Предстоящо събитие"
    )
    PublicityEventFactory(municipality=town, date=datetime.date(2014, 1, 24), title_bg="Минало събитие")
    page = client.get(calendar()).content.decode()
    upcoming, past = (
        page.split("Минали събития", 1) if "Минали събития" in page else page.split("Past events", 1)
    )
    assert "Предстоящо събитие" in upcoming and "Минало събитие" in past


def test_the_calendar_takes_the_same_queries_as_events_grow(client, town):
    PublicityEventFactory(municipality=town, date=datetime.date(2014, 7, 1))
    few = _count(client, calendar("2014-07"))
    for day in range(2, 29):
        PublicityEventFactory(municipality=town, date=datetime.date(2014, 7, day),
                              project=ProjectFactory(municipality=town))  # fmt: skip
    PublicityEventFactory.create_batch(30, municipality=town, date=datetime.date(2013, 5, 1))
    many = _count(client, calendar("2014-07"))
    assert few == many == 4  # municipality, the month, upcoming, past


def test_the_calendar_is_cached_for_anonymous_visitors(client, town, django_assert_num_queries):
    cache.clear()
    client.get(calendar("2014-07"))
    with django_assert_num_queries(1):  # the municipality (with its content versions) only
        assert client.get(calendar("2014-07")).status_code == 200


def test_an_event_page_shows_its_facts_photos_and_minutes(client, town):
    project = ProjectFactory(municipality=town, code="OPAK", slug="opak")
    event = PublicityEventFactory(municipality=town, project=project, participants=42,
                                  minutes="publicity/2014/0123456789abcdef-protokol.pdf")  # fmt: skip
    EventPhotoFactory(event=event, caption_bg="Залата по време на пресконференцията")
    page = client.get(url("publicity:event", "sopot", event.pk)).content.decode()
    for text in ["Ритуална зала – гр. Сопот", "42", "protokol.pdf", 'alt="Залата по време на пресконференцията"',
                 "/sopot/projects/opak/"]:  # fmt: skip
        assert text in page, text
    english = client.get(url("publicity:event", "sopot", event.pk, lang="en")).content.decode()
    assert "Ceremonial Hall, Sopot" in english and "Participants" in english


def test_an_event_of_another_municipality_is_404(client, town):
    other = PublicityEventFactory(municipality=MunicipalityFactory(slug="karlovo"))
    assert client.get(url("publicity:event", "sopot", other.pk)).status_code == 404


def test_an_event_page_takes_the_same_queries_with_more_photos(client, town):
    event = PublicityEventFactory(municipality=town, project=ProjectFactory(municipality=town))
    EventPhotoFactory(event=event)
    few = _count(client, url("publicity:event", "sopot", event.pk))
    EventPhotoFactory.create_batch(8, event=event)
    assert _count(client, url("publicity:event", "sopot", event.pk)) == few == 3


def test_the_project_page_shows_its_publicity(client, town):
    project = ProjectFactory(municipality=town, code="OPAK", slug="opak")
    event = PublicityEventFactory(municipality=town, project=project, participants=30,
                                  minutes="publicity/2014/0123456789abcdef-protokol.pdf")  # fmt: skip
    EventPhotoFactory(event=event, caption_bg="Пресконференцията")
    PublicityMaterialFactory(municipality=town, project=project, title_bg="Брошури с информация за проекта")
    PublicationFactory(municipality=town, project=project, url="https://dialogdnes.bg/a")
    page = client.get(url("portal:project", "sopot", "opak")).content.decode()
    for text in ['id="publicity-heading"', "Ритуална зала – гр. Сопот", "protokol.pdf", 'alt="Пресконференцията"',
                 "Брошури с информация за проекта", "1000", 'href="https://dialogdnes.bg/a"', "„Диалог днес“"]:  # fmt: skip
        assert text in page, text
    english = client.get(url("portal:project", "sopot", "opak", lang="en")).content.decode()
    assert "Publicity" in english and "print run: 1000" in english and "30 participants" in english


def test_a_project_without_publicity_has_no_section(client, town):
    ProjectFactory(municipality=town, slug="empty")
    assert (
        'id="publicity-heading"' not in client.get(url("portal:project", "sopot", "empty")).content.decode()
    )


def test_the_project_page_takes_the_same_queries_as_its_publicity_grows(client, town):
    project = ProjectFactory(municipality=town, slug="opak")
    EventPhotoFactory(event=PublicityEventFactory(municipality=town, project=project))
    PublicityMaterialFactory(municipality=town, project=project)
    PublicationFactory(municipality=town, project=project)
    few = _count(client, url("portal:project", "sopot", "opak"))
    for _ in range(6):
        EventPhotoFactory.create_batch(3, event=PublicityEventFactory(municipality=town, project=project))
        PublicityMaterialFactory(municipality=town, project=project)
        PublicationFactory(municipality=town, project=project)
    assert _count(client, url("portal:project", "sopot", "opak")) == few


def test_minutes_and_photos_are_served_to_anyone_through_the_media_view(client, town, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "publicity" / "2014").mkdir(parents=True)
    (tmp_path / "publicity" / "2014" / "0123456789abcdef-protokol.pdf").write_bytes(b"%PDF-1.4\n")
    PublicityEventFactory(municipality=town, minutes="publicity/2014/0123456789abcdef-protokol.pdf")
    response = client.get("/media/publicity/2014/0123456789abcdef-protokol.pdf")
    assert response.status_code == 200 and response["Cache-Control"].startswith("public")
    (tmp_path / "publicity" / "2014" / "fedcba9876543210-stray.pdf").write_bytes(b"%PDF-1.4\n")
    assert client.get("/media/publicity/2014/fedcba9876543210-stray.pdf").status_code == 404
