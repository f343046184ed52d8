"""English pages in English: the plan's adopting body in its English twin, and dates day first
("1 March 2016"), never the US order (03/01/2016)."""

import datetime

import pytest
from django import forms
from django.utils import formats, translation

from civitas.testing.factories import MunicipalityFactory, PlanFactory, ProjectFactory
from civitas.testing.pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot", name_bg="Община Сопот", name_en="Sopot Municipality")


def test_english_dates_are_day_month_year():
    day = datetime.date(2016, 3, 1)
    with translation.override("en"):
        assert formats.date_format(day) == "1 March 2016"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "1 Mar 2016"
        # Typed dates are read day first.
        assert forms.DateField().clean("01.03.2016") == day
        assert forms.DateField().clean("01/03/2016") == day
    with translation.override("bg"):
        assert formats.date_format(day) == "1 март 2016 г."


def test_the_plan_page_in_english_names_the_adopting_body_in_english(client, town):
    plan = PlanFactory(
        municipality=town, adopted_by_bg="Общински съвет – Сопот", adopted_by_en="Sopot Municipal Council"
    )
    english = client.get(url("portal:plan", "sopot", plan.slug, lang="en")).content.decode()
    assert "Sopot Municipal Council" in english and "Общински съвет" not in english
    bulgarian = client.get(url("portal:plan", "sopot", plan.slug)).content.decode()
    assert "Общински съвет – Сопот" in bulgarian


def test_the_project_page_in_english_writes_dates_day_first(client, town):
    project = ProjectFactory(
        municipality=town, planned_start=datetime.date(2016, 3, 1), planned_end=datetime.date(2019, 12, 31)
    )
    english = client.get(url("portal:project", "sopot", project.slug, lang="en")).content.decode()
    assert "1 Mar 2016" in english and "31 Dec 2019" in english
    assert "03/01/2016" not in english
