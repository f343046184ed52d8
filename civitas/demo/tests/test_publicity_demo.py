"""The demo's publicity: the OP "Administrative Capacity" project's activity as the seed press
release gives it ("Дейност 5" and its opening paragraph), nothing invented, shown on the project
page and in the events calendar, and counted in the 2014 annual report's rows."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from civitas.core.models import Municipality
from civitas.demo.publicity import load_publicity
from civitas.publicity import selectors
from civitas.publicity.models import Publication, PublicityEvent, PublicityMaterial
from civitas.testing.pages import url

pytestmark = pytest.mark.django_db

# Copied word for word from the seed press release (its opening paragraph and "Дейност 5").
SEED_OPENING_PARAGRAPH = (
    "На 24.07.2014 г. (четвъртък) в Ритуална зала – гр. Сопот се проведе заключителна пресконференция по проект "
    "„Подобряване на процесите на създаване и провеждане на политики в община Сопот“, по договор за предоставяне на "
    "100% безвъзмездна финансова помощ № 13-13-146 / 31.10.2013г. по Оперативна програма „Административен "
    "капацитет“, съфинансирана от Европейския съюз чрез Европейския социален фонд."
)
SEED_ACTIVITY_5 = (
    "Дейност 5: Организирана и проведена Начална пресконференция на 24.01.2014г.; Изработен банер 1бр.; Изработени и "
    "разпространени 1000бр. брошури с информация за проекта; Организирана и проведена заключителна пресконференция на "
    "24.07.2014г.; Направени публикации във в-к „Диалог днес“ и редица информационни сайтове; Поддържана актуална "
    "информация за хода на изпълнение на проекта на сайта на общината в раздел „Проекти“."
)


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())
    return Municipality.objects.get(slug="sopot")


def test_the_press_releases_publicity_activity_is_in_the_demo_and_loading_again_changes_nothing(demo):
    events = list(PublicityEvent.objects.filter(municipality=demo).order_by("date"))
    assert [(e.title_bg, e.date, e.kind) for e in events] == [
        ("Начална пресконференция", datetime.date(2014, 1, 24), "press_conference"),
        ("Заключителна пресконференция", datetime.date(2014, 7, 24), "press_conference"),
    ]
    closing = events[1]
    assert closing.date.strftime("%A") == "Thursday"  # "24.07.2014 г. (четвъртък)"
    assert closing.place_bg == "Ритуална зала – гр. Сопот"
    assert closing.description_bg.startswith("На 24.07.2014 г. (четвъртък) в Ритуална зала – гр. Сопот")
    assert all(e.project.slug == "opak-13-13-146" for e in events)
    # Not given by the press release: left empty, not invented.
    assert all(e.participants is None and e.time is None and not e.is_sample for e in events)
    materials = {
        (m.kind, m.title_bg, m.quantity) for m in PublicityMaterial.objects.filter(municipality=demo)
    }
    assert materials == {("banner", "Банер", 1), ("brochure", "Брошури с информация за проекта", 1000)}
    outlets = {(p.medium, p.outlet_bg, p.url) for p in Publication.objects.filter(municipality=demo)}
    assert outlets == {
        ("newspaper", "вестник „Диалог днес“", ""),
        ("website", "редица информационни сайтове", ""),
        ("website", "сайт на Община Сопот, раздел „Проекти“", ""),
    }
    before = (PublicityEvent.objects.count(), PublicityMaterial.objects.count(), Publication.objects.count())
    load_publicity(demo)
    assert (
        PublicityEvent.objects.count(),
        PublicityMaterial.objects.count(),
        Publication.objects.count(),
    ) == before


def test_the_closing_conference_is_described_by_the_press_releases_opening_paragraph(demo):
    closing = PublicityEvent.objects.get(municipality=demo, date=datetime.date(2014, 7, 24))
    assert closing.description_bg == SEED_OPENING_PARAGRAPH
    opening = PublicityEvent.objects.get(municipality=demo, date=datetime.date(2014, 1, 24))
    assert opening.description_bg in SEED_ACTIVITY_5


def test_the_project_page_and_the_calendar_show_it_in_both_languages(client, demo):
    page = client.get(url("portal:project", "sopot", "opak-13-13-146")).content.decode()
    for text in ['id="publicity-heading"', "Заключителна пресконференция", "Ритуална зала – гр. Сопот",
                 "Брошури с информация за проекта", "„Диалог днес“"]:  # fmt: skip
        assert text in page, text
    english = client.get(url("portal:project", "sopot", "opak-13-13-146", lang="en")).content.decode()
    assert "Closing press conference" in english and "Ceremonial Hall, town of Sopot" in english
    july = client.get(url("publicity:calendar", "sopot") + "?month=2014-07").content.decode()
    assert "Заключителна пресконференция" in july


def test_the_2014_report_rows_carry_the_facts(demo):
    with translation.override("en"):
        year = selectors.publicity_of_year(municipality=demo, year=2014)
    assert [(row.date, row.title, row.place) for row in year.events] == [
        (datetime.date(2014, 1, 24), "Opening press conference", ""),
        (datetime.date(2014, 7, 24), "Closing press conference", "Ceremonial Hall, town of Sopot"),
    ]
    assert year.print_run == 1001 and year.participants is None
    assert {row.outlet for row in year.publications} == {
        'the newspaper "Dialog Dnes"',
        "a number of news websites",
        'the website of Sopot Municipality, "Projects" section',
    }
    assert not selectors.publicity_of_year(municipality=demo, year=2016)
