"""Plan files against the database: conflicts, all-or-nothing writing, round trips, commands."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from civitas.core.permissions import OPERATOR
from civitas.indicators.models import Indicator, Measurement
from civitas.planfiles.imports import PlanImportError, planfile_export, planfile_import
from civitas.plans import services as plan_services
from civitas.plans.models import Plan, PlanElement
from civitas.projects import services as project_services
from civitas.projects.models import Activity, FundingLine, Project, ProjectPartner
from civitas.testing.factories import IndicatorFactory, MeasurementFactory, MunicipalityFactory

from .test_planfile import GOOD

pytestmark = pytest.mark.django_db

FULL = """
format: civitas-plan/1
plan:
  slug: opr
  kind: development_plan
  status: implementation
  title: {bg: План, en: Plan}
  period: {start: 2021, end: 2027}
  vision: {bg: "Визия\\nна два реда", en: Vision}
  description: {bg: Описание, en: Description}
  adopted_by: Решение № 1 / 2021
  levels: [{bg: Цел, en: Goal}, {bg: Приоритет, en: Priority}, {bg: Мярка}]
  is_sample: true
  position: 3
goals:
  - code: G2
    title: {bg: Втора цел}
    projects:
      - code: Z-last
        title: {bg: Последен по код}
      - code: A-first
        slug: a-first
        title: {bg: Първи, en: First}
        description: {bg: "Ред 1\\nРед 2", en: Line}
        status: completed
        progress: 100
        planned: {start: 2021-01-01, end: 2022-12-31}
        actual: {start: 2021-02-01, end: 2023-01-15}
        responsible: {unit: {bg: Отдел, en: Unit}, person: Иван Иванов}
        location:
          geometry: {type: MultiLineString, coordinates: [[[24.75, 42.65], [24.8, 42.64]], [[24.75, 42.65], [24.79, 42.67]]]}
          name: {bg: Сопот, en: Sopot}
        is_sample: true
        partners:
          - {name: {bg: Община Карлово, en: Karlovo}, role: {bg: партньор, en: partner}}
          - {name: {bg: НПО}}
        budget:
          - {source: eu, programme: {bg: ОПАК, en: OPAC}, amount: 1234567.89, spent: 0.5, grant_share: 85.25,
             contract: {number: 13-13-146, date: 2013-10-31}}
          - {source: municipal, amount: 0}
          - {source: other, amount: 10}
        activities:
          - {title: {bg: Старт}, milestone: true, due: 2021-02-01, completed: 2021-02-01, state: done}
          - {title: {bg: Работа, en: Work}, description: {bg: Описание}, start: 2021-02-01, due: 2022-12-31,
             state: delayed}
    children:
      - code: G2.1
        title: {bg: Приоритет 2.1}
        projects: [{ref: A-first}]
        children:
          - code: G2.1.1
            title: {bg: Мярка 2.1.1}
            description: {bg: Мярка}
            projects: [{ref: Z-last}, {ref: A-first}]
  - code: G1
    title: {bg: Първа цел}
    projects: [{ref: Z-last}]
"""


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def do_import(municipality, text, **options):
    return planfile_import(actor=OPERATOR, municipality=municipality, data=text.encode(), **options)


def issues(excinfo) -> list[str]:
    return [str(issue) for issue in excinfo.value.issues]


def test_everything_in_the_file_is_written():
    town = MunicipalityFactory()
    result = do_import(town, FULL)
    assert (result.elements, result.projects_created, result.projects_updated) == (4, 2, 0)
    plan = result.plan
    assert (plan.position, plan.is_sample, plan.vision_bg) == (3, True, "Визия\nна два реда")
    assert [e.code for e in plan.elements.filter(parent=None).order_by("position")] == ["G2", "G1"]
    first = Project.objects.get(code="A-first")
    assert sorted(first.elements.values_list("code", flat=True)) == ["G2", "G2.1", "G2.1.1"]
    line = first.funding_lines.get(source="eu")
    assert (str(line.amount), str(line.spent), str(line.grant_share)) == ("1234567.89", "0.50", "85.25")
    assert line.contract_date == datetime.date(2013, 10, 31)
    assert [p.name_en for p in first.partners.all()] == ["Karlovo", ""]
    assert list(first.activities.values_list("state", flat=True)) == ["done", "delayed"]
    assert Project.objects.get(code="Z-last").slug == "z-last"


def test_round_trip_is_exact_in_yaml_and_json():
    plan = do_import(MunicipalityFactory(), FULL).plan
    exported = planfile_export(plan)
    again = do_import(MunicipalityFactory(), exported).plan
    assert planfile_export(again) == exported
    as_json = planfile_export(plan, "json")
    third = do_import(MunicipalityFactory(), as_json, name="plan.json").plan
    assert planfile_export(third, "json") == as_json
    assert planfile_export(third) == exported
    # A project listed under several elements: in full once (first in reading order), then refs.
    assert exported.count("code: A-first") == 1 and exported.count("ref: A-first") == 2


def test_round_trip_of_data_made_in_the_back_office():
    """Contributions made in any order by staff still export a file that imports back the same."""
    town = MunicipalityFactory()
    plan = plan_services.plan_create(actor=OPERATOR, municipality=town, slug="p", kind="programme", title_bg="П",
                                     period_start=2020, period_end=2024)  # fmt: skip
    g1 = plan_services.element_create(actor=OPERATOR, plan=plan, code="G1", title_bg="Едно")
    g2 = plan_services.element_create(actor=OPERATOR, plan=plan, code="G2", title_bg="Две")
    for code, ids in [("B", [g2.pk, g1.pk]), ("A", [g1.pk]), ("C", [g2.pk])]:
        project_services.project_create(
            actor=OPERATOR, municipality=town, code=code, title_bg=code, element_ids=ids
        )
    exported = planfile_export(plan)
    again = do_import(MunicipalityFactory(), exported).plan
    assert planfile_export(again) == exported


def test_mutual_links_between_two_plans_round_trip():
    town = MunicipalityFactory()
    a = do_import(town, GOOD.replace("slug: housing", "slug: a")).plan
    b = do_import(town, FULL.replace("P1", "X")).plan
    shared = Project.objects.get(municipality=town, code="P1")
    project_services.project_update(actor=OPERATOR, project=shared, expected_version=shared.version,
                                    element_ids=[*shared.elements.values_list("pk", flat=True),
                                                 b.elements.get(code="G1").pk])  # fmt: skip
    file_a, file_b = planfile_export(a), planfile_export(b)
    assert "also_contributes_to:\n    - opr/G1" in file_a.replace("      ", "    ")
    fresh = MunicipalityFactory()
    with pytest.raises(PlanImportError) as error:
        do_import(fresh, file_a)
    assert any("also_contributes_to[0]: the municipality has no plan “opr”" in i for i in issues(error))
    first = do_import(fresh, file_a, skip_missing_plans=True)
    assert first.skipped_links == ["goals[0].projects[0].also_contributes_to[0]: opr/G1"]
    do_import(fresh, file_b, replace=True)
    assert planfile_export(Plan.objects.get(municipality=fresh, slug="a")) == file_a
    assert planfile_export(Plan.objects.get(municipality=fresh, slug="opr")) == file_b


def test_conflicts_with_the_database_are_listed_with_their_paths():
    town = MunicipalityFactory()
    do_import(town, GOOD)
    with pytest.raises(PlanImportError) as error:
        do_import(town, GOOD)
    assert issues(error) == [
        "plan.slug: the municipality already has a plan “housing”; import with --replace to replace it",
        "goals[0].projects[0].code: the municipality already has a project “P1”; import with --replace to update it",
    ]
    other = (
        GOOD.replace("slug: housing", "slug: other")
        .replace("code: P1", "code: P2")
        .replace("ref: P1", "ref: P2")
    )
    other = other.replace(
        "        activities:", "        also_contributes_to: [housing/NOPE, missing/SG1]\n        activities:"
    )
    with pytest.raises(PlanImportError) as error:
        do_import(town, other)
    reported = issues(error)
    assert "goals[0].projects[0].also_contributes_to[0]: the plan “housing” has no element “NOPE”" in reported
    assert any(i.startswith("goals[0].projects[0].also_contributes_to[1]: the municipality has no plan “missing”")
               for i in reported)  # fmt: skip
    taken = other.replace("housing/NOPE, missing/SG1", "housing/SG1").replace(
        "title: {bg: Велоалея", "slug: p1\n        title: {bg: Велоалея"
    )
    with pytest.raises(PlanImportError) as error:
        do_import(town, taken)
    assert issues(error) == [
        "goals[0].projects[0].slug: the address name “p1” is taken by the project “P1” of the municipality; give "
        "the project another slug"
    ]


def test_replace_does_not_take_over_a_project_of_another_plan():
    """A project that already contributes to another plan is updated from a file only if the file
    lists those links: otherwise the code is a clash, not the same project."""
    town = MunicipalityFactory()
    do_import(town, GOOD)
    clash = GOOD.replace("slug: housing", "slug: roads").replace("Велоалея", "Пътища")
    with pytest.raises(PlanImportError) as error:
        do_import(town, clash, replace=True)
    (message,) = issues(error)
    assert message.startswith("goals[0].projects[0].code: the project “P1” already exists and also contributes to "
                              "housing/M1.1, housing/SG1")  # fmt: skip
    assert Project.objects.get(code="P1").title_bg == "Велоалея"
    declared = clash.replace(
        "        activities:", "        also_contributes_to: [housing/SG1, housing/M1.1]\n        activities:"
    )
    result = do_import(town, declared, replace=True)
    assert result.projects_updated == 1
    project = Project.objects.get(code="P1")
    assert project.title_bg == "Пътища"
    assert sorted(project.elements.values_list("plan__slug", flat=True)) == [
        "housing",
        "housing",
        "roads",
        "roads",
    ]


def test_replace_replaces_the_plan_and_updates_projects_without_duplicating_their_parts():
    town = MunicipalityFactory()
    do_import(town, FULL)
    changed = FULL.replace("progress: 100", "progress: 90").replace(
        "title: {bg: Първа цел}", "title: {bg: Нова}"
    )
    changed = changed.replace("  - code: G1\n    title: {bg: Нова}\n    projects: [{ref: Z-last}]\n", "")
    changed = changed.replace(
        "            projects: [{ref: Z-last}, {ref: A-first}]", "            projects: [{ref: A-first}]"
    )
    changed = changed.replace("      - code: Z-last\n        title: {bg: Последен по код}\n", "")
    result = do_import(town, changed, replace=True)
    assert (result.projects_created, result.projects_updated) == (0, 1)
    assert result.unlinked_projects == ["Z-last"]  # kept, not deleted
    assert Plan.objects.filter(municipality=town).count() == 1
    first = Project.objects.get(code="A-first")
    assert first.progress == 90
    assert (first.funding_lines.count(), first.activities.count(), first.partners.count()) == (3, 2, 2)
    assert Project.objects.filter(code="Z-last", contributions__isnull=True).exists()


def test_replace_is_refused_while_indicators_hang_on_the_plan():
    """Replacing a plan deletes it: its indicators and their values must not go with it."""
    town = MunicipalityFactory()
    do_import(town, FULL)
    indicator = IndicatorFactory(
        element=PlanElement.objects.filter(plan__municipality=town).first(), code="I-1"
    )
    MeasurementFactory(indicator=indicator, year=2016)
    with pytest.raises(PlanImportError) as error:
        do_import(town, FULL, replace=True)
    assert any("I-1" in text and text.startswith("plan") for text in issues(error)), issues(error)
    assert Indicator.objects.filter(code="I-1").exists() and Measurement.objects.count() == 1


def test_dry_run_checks_everything_and_writes_nothing():
    town = MunicipalityFactory()
    result = do_import(town, FULL, dry_run=True)
    assert result.dry_run and result.projects_created == 2
    assert not Plan.objects.exists() and not Project.objects.exists()


@pytest.mark.parametrize(
    "service, path",
    [
        ("funding_line_add", "goals[0].projects[1].budget[0].amount"),
        ("activity_add", "goals[0].projects[1].activities[0].amount"),
        ("partner_add", "goals[0].projects[1].partners[0].amount"),
    ],
)
def test_a_service_refusing_a_value_rolls_everything_back(monkeypatch, service, path):
    def refuse(**kwargs):
        raise ValidationError({"amount": ["refused by the service"]})

    monkeypatch.setattr(project_services, service, refuse)
    town = MunicipalityFactory()
    with pytest.raises(PlanImportError) as error:
        do_import(town, FULL)
    assert issues(error) == [f"{path}: refused by the service"]
    assert not Plan.objects.exists() and not Project.objects.exists()
    assert not (FundingLine.objects.exists() or Activity.objects.exists() or ProjectPartner.objects.exists())


def test_a_service_error_on_an_element_or_project_names_its_path(monkeypatch):
    def refuse_deep(**kwargs):
        index = [new.code for new in kwargs["elements"]].index("G2.1.1")
        raise plan_services.ElementsRefused({index: {"title_bg": ["no"], "parent": ["too deep"]}})

    monkeypatch.setattr(plan_services, "element_create_tree", refuse_deep)
    with pytest.raises(PlanImportError) as error:
        do_import(MunicipalityFactory(), FULL)
    assert issues(error) == [
        "goals[0].children[0].children[0].title.bg: no",
        "goals[0].children[0].children[0]: too deep",
    ]
    assert not Plan.objects.exists()


def test_export_runs_a_fixed_number_of_queries(django_assert_num_queries):
    small = do_import(MunicipalityFactory(), GOOD).plan
    big_text = FULL
    big = do_import(MunicipalityFactory(), big_text).plan
    with django_assert_num_queries(9):
        planfile_export(small)
    with django_assert_num_queries(9):
        planfile_export(big)


def test_commands_print_every_error_and_exit_non_zero(tmp_path):
    MunicipalityFactory(slug="sopot")
    source = tmp_path / "plan.yaml"
    source.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("import_plan", str(source), municipality="sopot", dry_run=True, stdout=out)
    assert "dry run" in out.getvalue() and not Plan.objects.exists()
    call_command("import_plan", str(source), municipality="sopot", stdout=StringIO())
    target = tmp_path / "out.json"
    call_command("export_plan", "housing", municipality="sopot", output=str(target))
    assert '"format": "civitas-plan/2"' in target.read_text(encoding="utf-8")
    printed = StringIO()
    call_command("export_plan", "housing", municipality="sopot", format="yaml", stdout=printed)
    assert printed.getvalue() == planfile_export(Plan.objects.get())
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        GOOD.replace("source: eu", "source: lottery").replace("amount: 1000.5", "amount: lots"), "utf-8"
    )
    err = StringIO()
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_plan", str(bad), municipality="sopot", replace=True, stderr=err)
    lines = err.getvalue().splitlines()
    assert lines == [
        "goals[0].projects[0].budget[0].source: unknown funding source “lottery”; expected one of: municipal, "
        "national, eu, other",
        "goals[0].projects[0].budget[0].amount: not a number",
    ]
    binary = tmp_path / "photo.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_plan", str(binary), municipality="sopot", stderr=err)
    assert "not UTF-8" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("export_plan", "nope", municipality="sopot")
