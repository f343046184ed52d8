"""The Atom feeds: valid Atom 1.0 (read with ElementTree against the Atom namespace), the entries
the portal shows and nothing it hides, the same queries whatever the number of entries, and 404s
for what does not exist."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.utils import timezone

from civitas.consultations.models import ConsultationStatus
from civitas.core import content
from civitas.core.content import Content
from civitas.plans.models import PlanStatus
from civitas.reports.models import AnnualReport, ReportStatus
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectContributionFactory,
    ProjectFactory,
)
from civitas.testing.pages import url

from .conftest import make_consultation

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}").text
    assert root.find(f"{ATOM}author/{ATOM}name").text
    return root


def entries(root) -> list[dict]:
    found = []
    for entry in root.findall(f"{ATOM}entry"):
        updated = entry.find(f"{ATOM}updated").text
        datetime.datetime.fromisoformat(updated)  # RFC 3339
        found.append(
            {
                "id": entry.find(f"{ATOM}id").text,
                "title": entry.find(f"{ATOM}title").text,
                "link": entry.find(f"{ATOM}link[@rel='alternate']").get("href"),
                "updated": updated,
            }
        )
    return found


@pytest.fixture
def plan(town):
    return PlanFactory(municipality=town, slug="opr", status=PlanStatus.ADOPTED)


def test_project_updates_name_each_project_as_of_its_last_change(client, town):
    first = ProjectFactory(municipality=town, code="P1", title_bg="Алея", progress=40)
    ProjectFactory(municipality=town, code="P2", title_bg="Училище")
    found = entries(parse(client.get(url("opendata:feed", "sopot", "projects"))))
    assert {e["title"] for e in found} == {"P1 Алея", "P2 Училище"}
    one = next(e for e in found if e["title"] == "P1 Алея")
    assert one["link"] == f"http://testserver/sopot/projects/{first.slug}/"
    assert one["id"].startswith("tag:testserver,")
    # A change is a new entry (a new id): a reader shows the update.
    first.progress = 60
    first.save()
    content.changed(town, Content.PLANNING)  # as the project services say
    again = entries(parse(client.get(url("opendata:feed", "sopot", "projects"))))
    assert next(e for e in again if e["title"] == "P1 Алея")["id"] != one["id"]


def test_the_feed_is_in_the_pages_language(client, town):
    ProjectFactory(municipality=town, code="P1", title_bg="Алея", title_en="Alley")
    root = parse(client.get(url("opendata:feed", "sopot", "projects", lang="en")))
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert entries(root)[0]["title"] == "P1 Alley"
    assert entries(root)[0]["link"] == "http://testserver/en/sopot/projects/" + town.projects.get().slug + "/"


def test_consultations_leave_out_drafts(client, town):
    make_consultation(town, slug="open")
    make_consultation(town, slug="closed", status=ConsultationStatus.CLOSED)
    make_consultation(town, slug="hidden", status=ConsultationStatus.DRAFT)
    found = entries(parse(client.get(url("opendata:feed", "sopot", "consultations"))))
    assert sorted(e["link"].rsplit("/", 2)[-2] for e in found) == ["closed", "open"]


def test_values_are_the_published_ones_of_public_plans(client, town, plan):
    shown = IndicatorFactory(element=PlanElementFactory(plan=plan), code="T-1")
    MeasurementFactory(indicator=shown, year=2016, value=150)
    MeasurementFactory(indicator=shown, year=2017, value=170, state="submitted")
    draft_plan = PlanFactory(municipality=town, slug="draft", status=PlanStatus.DRAFT)
    MeasurementFactory(indicator=IndicatorFactory(element=PlanElementFactory(plan=draft_plan)), year=2016)
    found = entries(parse(client.get(url("opendata:feed", "sopot", "values"))))
    assert len(found) == 1
    assert found[0]["title"].startswith("T-1 ") and "2016" in found[0]["title"]
    assert found[0]["link"].endswith("/sopot/indicators/T-1/")


def test_reports_are_the_approved_ones(client, town, plan):
    AnnualReport.objects.create(
        municipality=town, plan=plan, year=2016, status=ReportStatus.APPROVED, approved_at=timezone.now()
    )
    AnnualReport.objects.create(municipality=town, plan=plan, year=2017)
    found = entries(parse(client.get(url("opendata:feed", "sopot", "reports"))))
    assert len(found) == 1 and "2016" in found[0]["title"]


def test_a_plans_feeds_hold_only_that_plan(client, town, plan):
    other = PlanFactory(municipality=town, slug="other", status=PlanStatus.ADOPTED)
    mine = ProjectFactory(municipality=town, code="P1")
    ProjectContributionFactory(project=mine, element=PlanElementFactory(plan=plan))
    ProjectContributionFactory(
        project=ProjectFactory(municipality=town, code="P2"), element=PlanElementFactory(plan=other)
    )
    make_consultation(town, slug="on-plan", plan=plan)
    make_consultation(town, slug="elsewhere", plan=other)
    projects = entries(parse(client.get(url("opendata:plan_feed", "sopot", "opr", "projects"))))
    assert [e["title"].split()[0] for e in projects] == ["P1"]
    consultations = entries(parse(client.get(url("opendata:plan_feed", "sopot", "opr", "consultations"))))
    assert [e["link"].rsplit("/", 2)[-2] for e in consultations] == ["on-plan"]


def test_an_empty_feed_is_still_valid_atom(client, town):
    assert entries(parse(client.get(url("opendata:feed", "sopot", "reports")))) == []


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("opendata:feed", ["sopot", "weather"]),
        ("opendata:feed", ["nowhere", "projects"]),
        ("opendata:plan_feed", ["sopot", "no-such-plan", "projects"]),
        ("opendata:plan_feed", ["sopot", "draft", "projects"]),
        ("opendata:plan_feed", ["sopot", "opr", "weather"]),
    ],
)
def test_unknown_feeds_plans_and_municipalities_are_404(client, town, plan, name, args):
    PlanFactory(municipality=town, slug="draft", status=PlanStatus.DRAFT)
    assert client.get(url(name, *args)).status_code == 404


def _fill(town, plan, n, start):
    for i in range(start, start + n):
        project = ProjectFactory(municipality=town, code=f"Q{i:03d}")
        ProjectContributionFactory(project=project, element=PlanElementFactory(plan=plan))
        make_consultation(town, slug=f"c{i}", plan=plan)
        MeasurementFactory(indicator=IndicatorFactory(element=PlanElementFactory(plan=plan)), year=2016)
        AnnualReport.objects.create(
            municipality=town, plan=PlanFactory(municipality=town, status=PlanStatus.ADOPTED), year=2016,
            status=ReportStatus.APPROVED, approved_at=timezone.now(),
        )  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "queries"), [("projects", 2), ("consultations", 2), ("values", 2), ("reports", 2)]
)
def test_a_feed_runs_the_same_queries_whatever_its_size(
    client, town, plan, django_assert_num_queries, kind, queries
):
    """The municipality, then the entries; per plan one more (the plan)."""
    _fill(town, plan, 2, 0)
    for size in (2, 7):
        if size == 7:
            _fill(town, plan, 5, 2)
        cache.clear()  # measure the rendering, not the page cache
        with django_assert_num_queries(queries):
            found = entries(parse(client.get(url("opendata:feed", "sopot", kind))))
        assert len(found) == size
        with django_assert_num_queries(queries + 1):
            parse(client.get(url("opendata:plan_feed", "sopot", "opr", kind)))


def test_pages_announce_their_feeds(client, town, plan):
    home = client.get(url("portal:home", "sopot")).content.decode()
    assert 'type="application/atom+xml"' in home
    assert url("opendata:feed", "sopot", "projects") in home
    page = client.get(url("portal:plan", "sopot", "opr")).content.decode()
    assert url("opendata:plan_feed", "sopot", "opr", "values") in page
    assert url("opendata:feed", "sopot", "values") in page


def test_another_municipalitys_objects_stay_out(client, town):
    ProjectFactory(municipality=MunicipalityFactory(slug="anevo"), code="X1")
    assert entries(parse(client.get(url("opendata:feed", "sopot", "projects")))) == []


def test_unknown_query_parameters_change_nothing(client, town):
    ProjectFactory(municipality=town, code="P1")
    plain = entries(parse(client.get(url("opendata:feed", "sopot", "projects"))))
    odd = entries(parse(client.get(url("opendata:feed", "sopot", "projects") + "?page=%%%&limit=-1&<x>=1")))
    assert [e["id"] for e in odd] == [e["id"] for e in plain]
