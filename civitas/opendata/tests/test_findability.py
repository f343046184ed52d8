"""What search engines and link previews read: robots.txt, the sitemap index and each
municipality's sitemap (both languages, alternates, lastmod, nothing unpublished), the pages'
descriptions and Open Graph tags, and the accessibility statement."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.utils import timezone

from civitas.consultations.models import ConsultationStatus
from civitas.evaluations.models import EvaluationStatus
from civitas.plans.models import PlanStatus
from civitas.reports.models import AnnualReport, ReportStatus
from civitas.testing.factories import (
    DecisionFactory,
    EvaluationFactory,
    IndicatorFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    ProjectFactory,
    PublicityEventFactory,
)
from civitas.testing.pages import url

from .conftest import make_consultation

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def sitemap(client, path) -> dict[str, dict]:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SM}urlset"
    found = {}
    for node in root.findall(f"{SM}url"):
        lastmod = node.find(f"{SM}lastmod")
        found[node.find(f"{SM}loc").text] = {
            "lastmod": lastmod.text if lastmod is not None else None,
            "alternates": {a.get("hreflang"): a.get("href") for a in node.findall(f"{XHTML}link")},
        }
    return found


def fill(town, n, start=0):
    for i in range(start, start + n):
        plan = PlanFactory(municipality=town, slug=f"plan-{i}", status=PlanStatus.ADOPTED)
        IndicatorFactory(element=PlanElementFactory(plan=plan, code=f"G{i}"), code=f"I-{i}")
        ProjectFactory(municipality=town, code=f"P{i}", slug=f"p-{i}")
        make_consultation(town, slug=f"c-{i}")
        PublicityEventFactory(municipality=town)
        DecisionFactory(municipality=town)
        AnnualReport.objects.create(
            municipality=town, plan=plan, year=2016, status=ReportStatus.APPROVED, approved_at=timezone.now()
        )
        EvaluationFactory(municipality=town, plan=plan, status=EvaluationStatus.PUBLISHED)


def test_robots_txt_points_at_the_sitemap(client, town):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_the_index_lists_the_site_and_every_municipality(client, town):
    MunicipalityFactory(slug="anevo")
    root = ET.fromstring(client.get("/sitemap.xml").content)
    assert root.tag == f"{SM}sitemapindex"
    locations = [n.text for n in root.iter(f"{SM}loc")]
    assert locations == [
        "http://testserver/sitemaps/site.xml",
        "http://testserver/sitemaps/anevo.xml",
        "http://testserver/sitemaps/sopot.xml",
    ]
    site = sitemap(client, "/sitemaps/site.xml")
    assert "http://testserver/accessibility/" in site and "http://testserver/en/accessibility/" in site
    # Nothing the sitemap lists is closed to crawlers by robots.txt.
    closed = [line.split(": ", 1)[1] for line in client.get("/robots.txt").content.decode().splitlines()
              if line.startswith("Disallow: ") and "*" not in line]  # fmt: skip
    listed = [loc.removeprefix("http://testserver") for loc in site] + [
        loc.removeprefix("http://testserver") for loc in sitemap(client, "/sitemaps/anevo.xml")
    ]
    assert not [path for path in listed if any(path.startswith(prefix) for prefix in closed)]


def test_a_municipalitys_sitemap_has_every_public_page_in_both_languages(client, town):
    fill(town, 1)
    draft = PlanFactory(municipality=town, slug="secret", status=PlanStatus.DRAFT)
    PlanElementFactory(plan=draft, code="HIDDEN")
    make_consultation(town, slug="draft-one", status=ConsultationStatus.DRAFT)
    AnnualReport.objects.create(municipality=town, plan=draft, year=2017)
    EvaluationFactory(municipality=town, plan=draft, status="draft")
    urls = sitemap(client, "/sitemaps/sopot.xml")
    report = AnnualReport.objects.get(status=ReportStatus.APPROVED)
    expected = {
        "/sopot/", "/sopot/accessibility/", "/sopot/plans/", "/sopot/projects/", "/sopot/plans/plan-0/",
        "/sopot/plans/plan-0/G0/", "/sopot/projects/p-0/", "/sopot/indicators/I-0/",
        "/sopot/consultations/c-0/", f"/sopot/reports/{report.pk}/",
    }  # fmt: skip
    paths = {loc.removeprefix("http://testserver") for loc in urls}
    assert expected <= paths
    assert {"/en" + path for path in expected} <= paths
    assert not any("secret" in p or "HIDDEN" in p or "draft-one" in p for p in paths)
    assert (
        sum("/evaluations/" in p and p.rstrip("/").split("/")[-1].isdigit() for p in paths) == 2
    )  # bg and en
    assert sum("/decisions/" in p and p.count("/") > 4 for p in paths) == 2
    assert sum("/publicity/events/" in p for p in paths) == 2
    project = urls["http://testserver/sopot/projects/p-0/"]
    assert project["alternates"] == {
        "bg": "http://testserver/sopot/projects/p-0/",
        "en": "http://testserver/en/sopot/projects/p-0/",
    }
    assert project["lastmod"].endswith("Z")


def test_a_sitemap_runs_the_same_queries_whatever_its_size(client, town, django_assert_num_queries):
    """The municipality, then one query per kind of page (plans, elements, projects, indicators,
    consultations, decisions, events, reports, evaluations)."""
    fill(town, 1)
    with django_assert_num_queries(10):
        small = sitemap(client, "/sitemaps/sopot.xml")
    fill(town, 4, start=1)
    with django_assert_num_queries(10):
        large = sitemap(client, "/sitemaps/sopot.xml")
    assert len(large) > len(small)


def test_an_unknown_municipality_has_no_sitemap(client, town):
    assert client.get("/sitemaps/nowhere.xml").status_code == 404


def meta(html: str, key: str) -> str:
    found = re.search(rf'<meta (?:name|property)="{re.escape(key)}" content="([^"]*)"', html)
    assert found, key
    return found.group(1)


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_pages_have_descriptions_and_open_graph_tags(client, town, lang):
    ProjectFactory(municipality=town, slug="alley", title_bg="Алея", title_en="Alley",
                   description_bg="Ремонт на алеята", description_en="Repair of the alley")  # fmt: skip
    html = client.get(url("portal:project", "sopot", "alley", lang=lang)).content.decode()
    title = {"bg": "Алея", "en": "Alley"}[lang]
    assert meta(html, "og:title") == title
    assert (
        meta(html, "description")
        == meta(html, "og:description")
        == {"bg": "Ремонт на алеята", "en": "Repair of the alley"}[lang]
    )
    assert meta(html, "og:type") == "article"
    prefix = "" if lang == "bg" else "/en"
    assert meta(html, "og:url") == f"http://testserver{prefix}/sopot/projects/alley/"
    assert meta(html, "og:site_name") == f"{town.name_bg if lang == 'bg' else town.name_en} · Civitas"
    assert meta(html, "og:locale") == {"bg": "bg_BG", "en": "en_GB"}[lang]
    home = client.get(url("portal:home", "sopot", lang=lang)).content.decode()
    assert meta(home, "og:type") == "website"
    assert (town.name_bg if lang == "bg" else town.name_en) in meta(home, "description")


def test_the_statement_names_the_municipalitys_contact_and_is_in_the_footer(client, town):
    html = client.get(url("opendata:municipality_accessibility", "sopot", lang="en")).content.decode()
    assert "mailto:obshtina@sopot.example" in html
    for words in ("Compliance status", "Non-accessible content", "axe-core", "Enforcement procedure",
                  "State e-Government Agency", "Ombudsman", "Directive (EU) 2016/2102"):  # fmt: skip
        assert words in html
    home = client.get(url("portal:home", "sopot")).content.decode()
    assert f'href="{url("opendata:municipality_accessibility", "sopot")}"' in home
    general = client.get(url("opendata:accessibility")).content.decode()
    assert "Enforcement procedure" in client.get(url("opendata:accessibility", lang="en")).content.decode()
    assert f'href="{url("opendata:accessibility")}"' in general
    assert client.get(url("opendata:municipality_accessibility", "nowhere")).status_code == 404
    cache.clear()


@pytest.mark.parametrize(
    "name",
    ["portal:plans", "portal:projects", "consultations:list", "council:list", "reports:list",
     "publicity:calendar", "evaluations:list"],
)  # fmt: skip
def test_list_pages_describe_themselves(client, town, name):
    html = client.get(url(name, "sopot", lang="en")).content.decode()
    home = client.get(url("portal:home", "sopot", lang="en")).content.decode()
    assert "Sopot" in meta(html, "description")
    assert meta(html, "description") != meta(home, "description")
    assert meta(html, "og:description") == meta(html, "description")
