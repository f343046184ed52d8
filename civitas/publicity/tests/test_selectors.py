"""The register's reads: the annual report's year (what counts in a year, with and without a plan),
and the project's publicity, each in a fixed number of queries."""

import datetime

import pytest
from django.utils import translation

from civitas.publicity import selectors
from civitas.testing.factories import (
    EventPhotoFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectContributionFactory,
    ProjectFactory,
    PublicationFactory,
    PublicityEventFactory,
    PublicityMaterialFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    municipality = MunicipalityFactory(slug="sopot")
    plan = PlanFactory(municipality=municipality)
    element = PlanElementFactory(plan=plan)
    project = ProjectFactory(municipality=municipality, code="P1", planned_start=datetime.date(2013, 10, 31),
                             planned_end=datetime.date(2014, 7, 31))  # fmt: skip
    ProjectContributionFactory(project=project, element=element)
    other_project = ProjectFactory(municipality=municipality, code="P2")  # no contribution to the plan
    return municipality, plan, project, other_project


def test_the_year_has_its_events_materials_and_publications_with_their_facts(world):
    municipality, plan, project, _other = world
    PublicityEventFactory(municipality=municipality, project=project, date=datetime.date(2014, 1, 24),
                          title_bg="Начална пресконференция", title_en="Opening press conference",
                          participants=30)  # fmt: skip
    PublicityEventFactory(municipality=municipality, project=project, date=datetime.date(2015, 1, 24))
    PublicityMaterialFactory(municipality=municipality, project=project, kind="brochure", quantity=1000,
                             produced_on=None)  # fmt: skip
    PublicationFactory(municipality=municipality, project=project, url="https://example.org/a",
                       published_on=datetime.date(2014, 7, 25))  # fmt: skip
    with translation.override("en"):
        year = selectors.publicity_of_year(municipality=municipality, year=2014)
    assert [row.title for row in year.events] == ["Opening press conference"]
    event = year.events[0]
    assert (event.record, event.date, event.kind, event.kind_label, event.participants) == (
        "event", datetime.date(2014, 1, 24), "press_conference", "Press conference", 30)  # fmt: skip
    assert event.place == "Ceremonial Hall, Sopot" and event.project_code == "P1"
    # The brochures' date is not known: they count in the years the project ran (2013–2014).
    assert [(row.kind_label, row.print_run, row.date) for row in year.materials] == [("Brochure", 1000, None)]
    assert [(row.kind_label, row.outlet, row.link) for row in year.publications] == [
        ("Newspaper", 'the newspaper "Dialog Dnes"', "https://example.org/a")]  # fmt: skip
    assert year.participants == 30 and year.print_run == 1000
    assert [row.record for row in year.rows] == ["event", "publication", "material"]
    assert not selectors.publicity_of_year(municipality=municipality, year=2016).materials


def test_with_a_plan_only_its_projects_and_its_own_records_count(world):
    municipality, plan, project, other_project = world
    PublicityEventFactory(municipality=municipality, project=project, title_bg="на проекта на плана")
    PublicityEventFactory(municipality=municipality, plan=plan, title_bg="на плана")
    PublicityEventFactory(municipality=municipality, project=other_project, title_bg="на друг проект")
    PublicityEventFactory(municipality=MunicipalityFactory(slug="karlovo"), title_bg="на друга община")
    titles = {
        row.title
        for row in selectors.publicity_of_year(municipality=municipality, year=2014, plan=plan).events
    }
    assert titles == {"на проекта на плана", "на плана"}
    everything = selectors.publicity_of_year(municipality=municipality, year=2014)
    assert {row.title for row in everything.events} == {"на проекта на плана", "на плана", "на друг проект"}


def test_the_year_takes_three_queries_however_many_records(world, django_assert_num_queries):
    municipality, plan, project, _other = world
    for day in range(1, 4):
        PublicityEventFactory(municipality=municipality, project=project, date=datetime.date(2014, 2, day))
    PublicityMaterialFactory(municipality=municipality, project=project)
    PublicationFactory(municipality=municipality, project=project)
    with django_assert_num_queries(3):
        selectors.publicity_of_year(municipality=municipality, year=2014, plan=plan)
    for day in range(4, 20):
        PublicityEventFactory(municipality=municipality, project=project, date=datetime.date(2014, 2, day))
        PublicityMaterialFactory(municipality=municipality, project=project)
        PublicationFactory(municipality=municipality, project=project, published_on=None)
    with django_assert_num_queries(3):
        year = selectors.publicity_of_year(municipality=municipality, year=2014, plan=plan)
    assert (len(year.events), len(year.materials), len(year.publications)) == (19, 17, 17)


def test_project_publicity_takes_four_queries_however_many_records(world, django_assert_num_queries):
    municipality, _plan, project, _other = world
    event = PublicityEventFactory(municipality=municipality, project=project)
    EventPhotoFactory(event=event)
    PublicityMaterialFactory(municipality=municipality, project=project)
    PublicationFactory(municipality=municipality, project=project)
    with django_assert_num_queries(4):
        publicity = selectors.project_publicity(project)
        assert [photo.pk for photo in publicity.events[0].photos.all()]
    for _ in range(5):
        EventPhotoFactory(event=PublicityEventFactory(municipality=municipality, project=project))
        PublicityMaterialFactory(municipality=municipality, project=project)
        PublicationFactory(municipality=municipality, project=project)
    with django_assert_num_queries(4):
        publicity = selectors.project_publicity(project)
        assert sum(len(event.photos.all()) for event in publicity.events) == 6


def test_files_of_the_register_are_public_and_others_are_not_its(world):
    municipality, *_ = world
    photo = EventPhotoFactory(event=PublicityEventFactory(municipality=municipality))
    assert selectors.file_access(None, photo.file.name) == selectors.FileAccess.PUBLIC
    assert selectors.file_access(None, "publicity/2014/unknown.pdf") is None
    assert selectors.file_access(None, "") is None
