import json

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from civitas.core.permissions import OPERATOR
from civitas.planfiles import planfile
from civitas.planfiles.imports import PlanImportError, planfile_export, planfile_import
from civitas.plans.models import Plan
from civitas.projects.models import Project
from civitas.testing.factories import MunicipalityFactory


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (their msgids); the Bulgarian catalogue translates them."""
    with translation.override("en"):
        yield


GOOD = """
format: civitas-plan/1
plan:
  slug: housing
  kind: sectoral_strategy
  status: adopted
  title: {bg: Стратегия за жилищна политика, en: Housing strategy}
  period: {start: 2014, end: 2020}
  levels: [{bg: Стратегическа цел, en: Strategic goal}, {bg: Мярка, en: Measure}]
goals:
  - code: SG1
    title: {bg: Цел 1, en: Goal 1}
    projects:
      - code: P1
        title: {bg: Велоалея, en: Bike path}
        status: in_progress
        progress: 30
        planned: {start: 2016-01-01, end: 2018-12-31}
        location: {geometry: {type: Point, coordinates: [24.75, 42.65]}, name: {bg: Сопот}}
        partners: [{name: {bg: Община Карлово, en: Karlovo Municipality}}]
        budget:
          - {source: eu, programme: {bg: ОПРР}, amount: 1000.5, spent: 200, grant_share: 85,
             contract: {number: "13-13-146", date: 2013-10-31}}
        activities:
          - {title: {bg: Проектиране}, due: 2016-06-30, state: planned}
    children:
      - code: M1.1
        title: {bg: Мярка 1.1}
        projects: [{ref: P1}]
"""


def issues_of(text: str) -> list[str]:
    checked, issues = planfile.check(yaml.safe_load(text))
    return [str(issue) for issue in issues]


def test_a_good_file_has_no_issues():
    checked, issues = planfile.check(yaml.safe_load(GOOD))
    assert issues == []
    assert [e["code"] for e in checked.elements] == ["SG1", "M1.1"]
    assert checked.projects[0]["element_codes"] == ["SG1", "M1.1"]


@pytest.mark.parametrize(
    "change, path, message",
    [
        (("amount: 1000.5", "amount: lots"), "goals[0].projects[0].budget[0].amount", "not a number"),
        (("amount: 1000.5", "amount: .nan"), "goals[0].projects[0].budget[0].amount", "not a number"),
        (("amount: 1000.5", "amount: 10.505"), "goals[0].projects[0].budget[0].amount", "two decimal places"),
        (("amount: 1000.5", "amount: 1e15"), "goals[0].projects[0].budget[0].amount", "too large"),
        (("amount: 1000.5", "amount: -3"), "goals[0].projects[0].budget[0].amount", "negative"),
        (("spent: 200", "spent: -1"), "goals[0].projects[0].budget[0].spent", "negative"),
        (
            ("source: eu", "source: lottery"),
            "goals[0].projects[0].budget[0].source",
            "unknown funding source “lottery”; expected one of: municipal, national, eu, other",
        ),
        (("grant_share: 85", "grant_share: 120"), "goals[0].projects[0].budget[0].grant_share", "0 to 100"),
        (("grant_share: 85", "grant_share: -1"), "goals[0].projects[0].budget[0].grant_share", "0 to 100"),
        (("programme: {bg: ОПРР}, ", ""), "goals[0].projects[0].budget[0].programme.bg", "EU programme"),
        (("end: 2018-12-31", "end: 2015-12-31"), "goals[0].projects[0].planned.end", "before the start"),
        (("end: 2020}", "end: 2010}"), "plan.period.end", "before the first year"),
        (("end: 2020}", "end: two}"), "plan.period.end", "not a whole number"),
        (("kind: sectoral_strategy", "kind: wishlist"), "plan.kind", "unknown kind of plan “wishlist”"),
        (("status: adopted", "status: dreaming"), "plan.status", "unknown plan status"),
        (
            ("status: in_progress", "status: rumoured"),
            "goals[0].projects[0].status",
            "unknown project status",
        ),
        (
            ("state: planned", "state: maybe"),
            "goals[0].projects[0].activities[0].state",
            "unknown activity state",
        ),
        (("{ref: P1}", "{ref: P9}"), "goals[0].children[0].projects[0].ref", "no project “P9”"),
        (("code: M1.1", "code: SG1"), "goals[0].children[0].code", "used twice"),
        (("format: civitas-plan/1", "format: civitas-plan/9"), "format", "unsupported format"),
        (("format: civitas-plan/1", "formats: civitas-plan/1"), "format", "required"),
        (("progress: 30", "progress: lots"), "goals[0].projects[0].progress", "not a whole number"),
        (("progress: 30", "progress: 130"), "goals[0].projects[0].progress", "0 to 100"),
        (("due: 2016-06-30", "due: 30.06.2016"), "goals[0].projects[0].activities[0].due", "not a date"),
        (
            ("due: 2016-06-30", "due: 2016-06-30 10:00:00"),
            "goals[0].projects[0].activities[0].due",
            "not a date",
        ),
        (("slug: housing", "slug: жилища"), "plan.slug", "Latin letters"),
        (("  slug: housing\n", ""), "plan.slug", "required"),
        (("title: {bg: Цел 1, en: Goal 1}", "title: {en: Goal 1}"), "goals[0].title.bg", "required"),
        (("title: {bg: Цел 1, en: Goal 1}", "title: [Цел 1]"), "goals[0].title", "expected {bg"),
        (("budget:", "budjet:"), "goals[0].projects[0].budjet", "unknown field"),
        (
            ("name: {bg: Община Карлово", "name: {bx: Община Карлово"),
            "goals[0].projects[0].partners[0].name.bx",
            "unknown field",
        ),
        (("is_sample", "is_sample"), "", ""),  # placeholder replaced below
        (("type: Point", "type: Polygon"), "goals[0].projects[0].location.geometry", "Point, a LineString"),
        (
            ("[24.75, 42.65]", "[424.75, 42.65]"),
            "goals[0].projects[0].location.geometry",
            "longitude, latitude",
        ),
        (("{ref: P1}", "{ref: P1, code: X}"), "goals[0].children[0].projects[0].code", "unknown field"),
        (("    children:", "    children: 7\n    chldren:"), "goals[0].children", "expected a list"),
    ],
)
def test_each_error_is_reported_with_its_path_and_message(change, path, message):
    old, new = change
    if old == "is_sample":  # a boolean given as text
        old, new, path, message = (
            "status: adopted",
            "status: adopted\n  is_sample: yes please",
            "plan.is_sample",
            "true or false",
        )
    assert old in GOOD
    reported = issues_of(GOOD.replace(old, new, 1))
    assert any(issue.startswith(path + ": ") and message in issue for issue in reported), reported


def test_every_error_is_listed_not_only_the_first():
    bad = (
        GOOD.replace("amount: 1000.5", "amount: lots")
        .replace("kind: sectoral_strategy", "kind: x")
        .replace("{ref: P1}", "{ref: P9}")
        .replace("due: 2016-06-30", "due: soon")
    )
    reported = issues_of(bad)
    assert len(reported) == 4, reported
    assert planfile.check(yaml.safe_load(bad))[0] is None


def test_a_project_defined_twice_must_be_a_ref_the_second_time():
    twice = GOOD.replace("projects: [{ref: P1}]", "projects: [{code: P1, title: {bg: Пак}}]")
    assert any(
        i.startswith("goals[0].children[0].projects[0].code: ") and "defined twice" in i
        for i in issues_of(twice)
    )


def test_projects_whose_codes_make_the_same_address_name_are_refused():
    clash = GOOD.replace(
        "projects: [{ref: P1}]",
        "projects: [{code: 'p-1', title: {bg: Друг}}, {code: P-1, title: {bg: Трети}}]",
    )
    reported = issues_of(clash)
    assert any(
        i.startswith("goals[0].children[0].projects[1].code: ") and "address name “p-1”" in i
        for i in reported
    )


def test_too_deep_tree_is_refused():
    bad = GOOD.replace(
        "levels: [{bg: Стратегическа цел, en: Strategic goal}, {bg: Мярка, en: Measure}]",
        "levels: [{bg: Цел}]",
    )
    reported = issues_of(bad)
    assert any(i.startswith("goals[0].children[0]: too deep") for i in reported), reported


def test_links_to_other_plans_are_checked_for_shape():
    bad = GOOD.replace(
        "        activities:",
        "        also_contributes_to: [nothing, housing/SG1, other/A, other/A]\n        activities:",
    )
    reported = issues_of(bad)
    base = "goals[0].projects[0].also_contributes_to"
    assert any(i.startswith(f"{base}[0]: ") for i in reported)
    assert any(i.startswith(f"{base}[1]: ") and "same plan" in i for i in reported)
    assert any(i.startswith(f"{base}[3]: ") and "twice" in i for i in reported)
    assert not any(i.startswith(f"{base}[2]") for i in reported)


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"\xff\xfe\x00binary", "x.yaml", "not UTF-8"),
        (b"a: [1, 2", "x.yaml", "not valid YAML (line"),
        (b'{"format": ', "x.json", "not valid JSON (line 1"),
        (b"{format: civitas-plan/1}", "x.json", "not valid JSON"),
        (b"", "x.yaml", "empty"),
        (b"  \n", "x.yaml", "empty"),
        (b"a: &x [1]\nb: *x\n", "x.yaml", "aliases are not allowed"),
        (b"[" * 100_000, "x.json", "nested too deeply"),
        (b"just some words", "x.txt", "not a plan file"),
        (b"- 1\n- 2\n", "x.yaml", "not a plan file"),
        (b" " * (5 * 1024 * 1024 + 1), "x.yaml", "larger than 5 MB"),
    ],
)
def test_files_that_are_not_plan_documents_get_one_clear_message(data, name, message):
    checked, issues = planfile.load(data, name)
    assert checked is None and len(issues) == 1
    assert message in str(issues[0]), issues
    assert "Traceback" not in str(issues[0])


def test_yaml_and_json_of_the_same_document_check_the_same():
    document = yaml.safe_load(GOOD)
    as_json = json.dumps(document, default=str).encode()
    yaml_checked, _ = planfile.load(GOOD.encode(), "p.yaml")
    json_checked, issues = planfile.load(as_json, "p.json")
    assert issues == []
    assert json_checked == yaml_checked


@pytest.mark.django_db
def test_import_writes_everything_and_round_trips_exactly():
    sopot = MunicipalityFactory(slug="sopot")
    result = planfile_import(actor=OPERATOR, municipality=sopot, data=GOOD.encode())
    assert result.elements == 2 and result.projects_created == 1
    project = Project.objects.get(code="P1")
    assert project.partners.get().name_en == "Karlovo Municipality"
    assert project.elements.count() == 2
    exported = planfile_export(result.plan)
    karlovo = MunicipalityFactory(slug="karlovo")
    again = planfile_import(actor=OPERATOR, municipality=karlovo, data=exported.encode())
    assert planfile_export(again.plan) == exported
    as_json = planfile_export(result.plan, "json")
    third = planfile_import(
        actor=OPERATOR, municipality=MunicipalityFactory(slug="anevo"), data=as_json.encode(), name="p.json"
    )
    assert planfile_export(third.plan) == exported


@pytest.mark.django_db
def test_a_bad_file_imports_nothing():
    sopot = MunicipalityFactory(slug="sopot")
    bad = GOOD.replace("amount: 1000.5", "amount: lots")
    with pytest.raises(PlanImportError) as error:
        planfile_import(actor=OPERATOR, municipality=sopot, data=bad.encode())
    assert "goals[0].projects[0].budget[0].amount" in str(error.value)
    assert not Plan.objects.exists() and not Project.objects.exists()


@pytest.mark.django_db
def test_existing_plan_needs_replace_and_replace_updates_projects():
    sopot = MunicipalityFactory(slug="sopot")
    planfile_import(actor=OPERATOR, municipality=sopot, data=GOOD.encode())
    with pytest.raises(PlanImportError):
        planfile_import(actor=OPERATOR, municipality=sopot, data=GOOD.encode())
    changed = GOOD.replace("progress: 30", "progress: 80")
    result = planfile_import(actor=OPERATOR, municipality=sopot, data=changed.encode(), replace=True)
    assert result.projects_updated == 1
    assert Project.objects.get(code="P1").progress == 80
    assert Plan.objects.count() == 1 and Project.objects.get(code="P1").funding_lines.count() == 1


@pytest.mark.django_db
def test_commands(tmp_path, capsys):
    MunicipalityFactory(slug="sopot")
    source = tmp_path / "plan.yaml"
    source.write_text(GOOD, encoding="utf-8")
    call_command("import_plan", str(source), municipality="sopot")
    out = tmp_path / "out.json"
    call_command("export_plan", "housing", municipality="sopot", output=str(out))
    assert '"civitas-plan/2"' in out.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("source: eu", "source: lottery"), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_plan", str(bad), municipality="sopot", replace=True)
    assert "budget[0].source" in capsys.readouterr().err
