import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from civitas.plans import planfile
from civitas.plans.imports import PlanImportError, planfile_export, planfile_import
from civitas.plans.models import Plan
from civitas.projects.models import Project
from civitas.testing.factories import MunicipalityFactory

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
    "change, path",
    [
        (("amount: 1000.5", "amount: lots"), "goals[0].projects[0].budget[0].amount"),
        (("amount: 1000.5", "amount: -3"), "goals[0].projects[0].budget[0].amount"),
        (("source: eu", "source: lottery"), "goals[0].projects[0].budget[0].source"),
        (("grant_share: 85", "grant_share: 120"), "goals[0].projects[0].budget[0].grant_share"),
        (("end: 2018-12-31", "end: 2015-12-31"), "goals[0].projects[0].planned.end"),
        (("end: 2020}", "end: 2010}"), "plan.period.end"),
        (("kind: sectoral_strategy", "kind: wishlist"), "plan.kind"),
        (("{ref: P1}", "{ref: P9}"), "goals[0].children[0].projects[0].ref"),
        (("code: M1.1", "code: SG1"), "goals[0].children[0].code"),
        (("format: civitas-plan/1", "format: other/9"), "format"),
        (("progress: 30", "progress: lots"), "goals[0].projects[0].progress"),
        (("due: 2016-06-30", "due: 30.06.2016"), "goals[0].projects[0].activities[0].due"),
    ],
)
def test_each_error_is_reported_with_its_path(change, path):
    old, new = change
    assert old in GOOD
    reported = issues_of(GOOD.replace(old, new))
    assert any(issue.startswith(path + ":") for issue in reported), reported


def test_every_error_is_listed_not_only_the_first():
    bad = GOOD.replace("amount: 1000.5", "amount: lots").replace("kind: sectoral_strategy", "kind: x")
    assert len(issues_of(bad)) >= 2


def test_too_deep_tree_is_refused():
    bad = GOOD.replace(
        "levels: [{bg: Стратегическа цел, en: Strategic goal}, {bg: Мярка, en: Measure}]",
        "levels: [{bg: Цел}]",
    )
    assert any("goals[0].children[0]" in issue for issue in issues_of(bad))


@pytest.mark.parametrize(
    "data, name",
    [(b"\xff\xfe\x00binary", "x.yaml"), (b"a: [1, 2", "x.yaml"), (b'{"format": ', "x.json"), (b"", "x.yaml")],
)
def test_files_that_are_not_plan_documents_get_a_clear_message(data, name):
    with pytest.raises((planfile.PlanFileError, AssertionError)):
        document = planfile.parse(data, name)
        checked, issues = planfile.check(document)
        assert not issues


@pytest.mark.django_db
def test_import_writes_everything_and_round_trips_exactly():
    sopot = MunicipalityFactory(slug="sopot")
    result = planfile_import(actor=None, municipality=sopot, data=GOOD.encode())
    assert result.elements == 2 and result.projects_created == 1
    project = Project.objects.get(code="P1")
    assert project.partners.get().name_en == "Karlovo Municipality"
    assert project.elements.count() == 2
    exported = planfile_export(result.plan)
    karlovo = MunicipalityFactory(slug="karlovo")
    again = planfile_import(actor=None, municipality=karlovo, data=exported.encode())
    assert planfile_export(again.plan) == exported
    as_json = planfile_export(result.plan, "json")
    third = planfile_import(
        actor=None, municipality=MunicipalityFactory(slug="anevo"), data=as_json.encode(), name="p.json"
    )
    assert planfile_export(third.plan) == exported


@pytest.mark.django_db
def test_a_bad_file_imports_nothing():
    sopot = MunicipalityFactory(slug="sopot")
    bad = GOOD.replace("amount: 1000.5", "amount: lots")
    with pytest.raises(PlanImportError) as error:
        planfile_import(actor=None, municipality=sopot, data=bad.encode())
    assert "goals[0].projects[0].budget[0].amount" in str(error.value)
    assert not Plan.objects.exists() and not Project.objects.exists()


@pytest.mark.django_db
def test_existing_plan_needs_replace_and_replace_updates_projects():
    sopot = MunicipalityFactory(slug="sopot")
    planfile_import(actor=None, municipality=sopot, data=GOOD.encode())
    with pytest.raises(PlanImportError):
        planfile_import(actor=None, municipality=sopot, data=GOOD.encode())
    changed = GOOD.replace("progress: 30", "progress: 80")
    result = planfile_import(actor=None, municipality=sopot, data=changed.encode(), replace=True)
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
    assert '"civitas-plan/1"' in out.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("source: eu", "source: lottery"), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_plan", str(bad), municipality="sopot", replace=True)
    assert "budget[0].source" in capsys.readouterr().err
