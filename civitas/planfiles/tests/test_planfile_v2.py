"""Plan files in ``civitas-plan/2``: indicators with their passports, targets, published values and
overrides; the financial table; money with its currency; "not reported" kept apart from zero."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from civitas.core.models import AuditEvent, Role
from civitas.core.permissions import OPERATOR
from civitas.indicators.models import Indicator, Measurement, MeasurementState, StatusOverride
from civitas.planfiles.imports import PlanImportError, planfile_export, planfile_import
from civitas.plans import services as plan_services
from civitas.plans.models import ElementAssessment, FinancialLine, Plan
from civitas.projects import services as project_services
from civitas.projects.models import FundingLine, Project
from civitas.testing.factories import MembershipFactory, MunicipalityFactory, UserFactory

from .test_planfile_import import FULL

pytestmark = pytest.mark.django_db

V2 = """
format: civitas-plan/2
plan:
  slug: piro
  kind: development_plan
  status: implementation
  title: {bg: ПИРО, en: Integrated plan}
  period: {start: 2021, end: 2027}
  levels: [{bg: Приоритет}, {bg: Мярка}]
  year_start_month: 4
  currency: EUR
  tolerance: {amount: 10, unit: percent}
goals:
  - code: P1
    title: {bg: Приоритет 1}
    indicators:
      - code: I1
        name: {bg: Обслужени обаждания, en: Calls answered}
        definition: {bg: Дял на отговорените обаждания}
        type: result
        unit: {bg: "%", en: "%"}
        measure: percentage
        direction: increase
        target_kind: threshold
        tolerance: {amount: 2, unit: unit}
        accumulation: per_period
        baseline: {value: 95, year: 2020}
        data_source: {bg: Телефонна система}
        frequency: quarterly
        responsible_unit: {bg: Център за услуги}
        owner: owner1
        eu_code: RCR01
        weight: 2.5
        also_serves: [P1.1]
        targets:
          - {year: 2021, sub: 4, value: 90}
          - {year: 2027, sub: 4, value: 90, final: true}
        values:
          - {year: 2021, sub: 1, value: 93.5, evidence_url: "https://example.org/q1", comment: Q1}
          - {year: 2021, sub: 2, numerator: 450, denominator: 500, collected: 2021-10-05}
        overrides:
          - {year: 2021, sub: 2, status: on_track, reason: {bg: Преценка, en: Judgement}, decided_on: 2021-10-20}
      - code: I2
        name: {bg: Инциденти}
        type: context
        measure: number
        direction: decrease
        accumulation: cumulative
        year_to_date: true
        baseline_unavailable: {bg: Няма данни}
        frequency: quarterly
        disaggregation:
          - key: place
            name: {bg: Място, en: Place}
            categories: [{key: a, bg: А, en: A}, {key: b, bg: Б, en: B}]
        values:
          - {year: 2021, sub: 1, value: 12, breakdown: {place: {a: 5, b: 7}}}
      - code: I3
        name: {bg: Поддържан индекс}
        type: impact
        measure: score
        scale: {min: 1, max: 5}
        direction: maintain
        accumulation: latest
        maintain_band: 0.25
        baseline: {value: 3.5, year: 2020}
        targets: [{year: 2027, value: 3.5, final: true}]
    projects:
      - code: PR1
        title: {bg: Проект}
        status: in_progress
        planned: {start: 2021-01-01, end: 2023-12-31}
        declared_total: {amount: 1500000, currency: EUR}
        budget:
          - {source: eu, programme: {bg: ПРР}, amount: 1000000, currency: EUR, ceiling: true}
          - {source: municipal, amount: 300000.5, currency: BGN, spent: 0}
        indicators:
          - code: PI1
            name: {bg: Ремонтирани улици}
            type: output
            unit: {bg: км}
            baseline: {value: 0, year: 2021}
            targets: [{year: 2023, value: 12.125, final: true}]
    children:
      - code: P1.1
        title: {bg: Мярка 1.1}
financial_table:
  - {element: P1, source: eu, year: 2022, amount: 2500000, currency: EUR}
  - {element: P1.1, source: municipal, amount: 400000}
  - {source: national, year: 2023, amount: 100000.25, currency: BGN}
"""


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def verifier(town):
    return MembershipFactory(municipality=town, role=Role.VERIFIER).user


@pytest.fixture(autouse=True)
def owner():
    return UserFactory(username="owner1")


def do_import(municipality, text, **options):
    return planfile_import(actor=OPERATOR, municipality=municipality, data=text.encode(), **options)


def issues(excinfo) -> list[str]:
    return [str(issue) for issue in excinfo.value.issues]


def test_everything_of_version_2_is_written(town, verifier, owner):
    result = do_import(town, V2, verifier=verifier, name="report.yaml")
    assert (result.indicators, result.values) == (4, 3)
    plan = result.plan
    assert (plan.year_start_month, plan.currency, plan.tolerance_amount, plan.tolerance_unit) == (
        4, "EUR", Decimal(10), "percent"
    )  # fmt: skip
    i1 = Indicator.objects.get(code="I1")
    assert (i1.target_kind, i1.tolerance_amount, i1.tolerance_unit, i1.owner, i1.weight) == (
        "threshold", Decimal(2), "unit", owner, Decimal("2.5")
    )  # fmt: skip
    assert [e.code for e in i1.also_elements.all()] == ["P1.1"]
    assert Indicator.objects.get(code="I2").year_to_date is True
    assert Indicator.objects.get(code="PI1").project.code == "PR1"
    values = Measurement.objects.filter(indicator=i1).order_by("sub")
    assert all(m.state == MeasurementState.PUBLISHED and m.approved_by == verifier for m in values)
    assert (
        values[0].evidence.name.startswith("evidence/") and values[0].evidence.name == values[1].evidence.name
    )
    assert (values[1].numerator, values[1].denominator, values[1].value) == (450, 500, None)
    override = StatusOverride.objects.get()
    assert (override.status, override.decided_by, override.reason_en) == ("on_track", verifier, "Judgement")
    events = AuditEvent.objects.filter(action="publish_reported")
    assert events.count() == 3 and {e.changes["source"] for e in events} == {"report.yaml"}
    assert {e.actor for e in events} == {verifier}
    project = Project.objects.get(code="PR1")
    assert (project.progress, project.declared_total, project.declared_currency) == (None, 1500000, "EUR")
    lines = list(FundingLine.objects.filter(project=project).order_by("position"))
    assert [(line.currency, line.is_ceiling, line.spent) for line in lines] == [
        ("EUR", True, None), ("BGN", False, Decimal(0))
    ]  # fmt: skip
    table = list(FinancialLine.objects.filter(plan=plan).order_by("position"))
    assert [(t.element.code if t.element else None, t.year, t.currency) for t in table] == [
        ("P1", 2022, "EUR"), ("P1.1", None, "EUR"), (None, 2023, "BGN")
    ]  # fmt: skip


def test_version_2_round_trips_exactly_with_values(town, verifier):
    exported = planfile_export(do_import(town, V2, verifier=verifier).plan)
    other = MunicipalityFactory()
    other_verifier = MembershipFactory(municipality=other, role=Role.ADMINISTRATOR).user
    again = do_import(other, exported, verifier=other_verifier).plan
    assert planfile_export(again) == exported
    as_json = planfile_export(again, "json")
    third = MunicipalityFactory()
    third_verifier = MembershipFactory(municipality=third, role=Role.VERIFIER).user
    assert (
        planfile_export(do_import(third, as_json, name="p.json", verifier=third_verifier).plan, "json")
        == as_json
    )
    # Not reported stays out; zero is written.
    assert "progress:" not in exported.split("code: PR1")[1].split("indicators")[0]
    assert "spent: 0" in exported and exported.count("spent:") == 1


def test_version_1_files_keep_their_meaning():
    """Version 1: amounts in leva, progress and spending left out are 0."""
    plan = do_import(MunicipalityFactory(), FULL).plan
    assert plan.currency == "BGN"
    project = Project.objects.get(code="Z-last")
    assert project.progress == 0
    assert set(FundingLine.objects.values_list("currency", flat=True)) == {"BGN"}
    assert FundingLine.objects.get(source="municipal").spent == 0
    exported = planfile_export(plan)
    assert exported.startswith("format: civitas-plan/2") and "currency: BGN" in exported


def test_round_trip_of_indicators_made_in_the_back_office(town, verifier):
    plan = plan_services.plan_create(actor=OPERATOR, municipality=town, slug="p", kind="programme", title_bg="П",
                                     period_start=2020, period_end=2024)  # fmt: skip
    g1 = plan_services.element_create(actor=OPERATOR, plan=plan, code="G1", title_bg="Едно")
    project = project_services.project_create(actor=OPERATOR, municipality=town, code="B", title_bg="Б",
                                              element_ids=[g1.pk])  # fmt: skip
    project_services.funding_line_add(actor=OPERATOR, project=project, source="municipal", amount="10.5")
    from civitas.testing.factories import IndicatorFactory, MeasurementFactory  # noqa: PLC0415 - test helpers

    indicator = IndicatorFactory(municipality=town, element=g1, code="X1", baseline_value=Decimal("1.1234"),
                                 baseline_year=2020)  # fmt: skip
    MeasurementFactory(indicator=indicator, year=2021, value=Decimal("123456789.1234"), state="published")
    MeasurementFactory(indicator=indicator, year=2022, value=Decimal("5"), state="draft")
    exported = planfile_export(plan)
    assert "2022" not in exported.split("code: X1")[1]  # only published values
    other = MunicipalityFactory()
    again = do_import(
        other, exported, verifier=MembershipFactory(municipality=other, role=Role.VERIFIER).user
    )
    assert planfile_export(again.plan) == exported
    assert Measurement.objects.get(indicator__municipality=other).value == Decimal("123456789.1234")


def test_export_runs_a_fixed_number_of_queries(town, verifier, django_assert_num_queries):
    plan = do_import(town, V2, verifier=verifier).plan
    with django_assert_num_queries(13):
        planfile_export(plan)


def test_values_need_a_named_verifier_of_the_municipality(town, verifier, tmp_path):
    with pytest.raises(PlanImportError) as excinfo:
        do_import(town, V2)
    assert issues(excinfo) == [
        "goals[0].indicators[0].values[0]: published values and status overrides are recorded as published by a "
        "named verifier: import the file as a verifier (the command: --verifier USERNAME)"
    ]
    planner = MembershipFactory(municipality=town, role=Role.PLANNER).user
    with pytest.raises(PermissionDenied):
        do_import(town, V2, verifier=planner)
    assert not Plan.objects.exists() and not Indicator.objects.exists()
    source = tmp_path / "kpi.yaml"
    source.write_text(V2, encoding="utf-8")
    with pytest.raises(CommandError, match="verifier"):
        call_command("import_plan", str(source), municipality="sopot", verifier=planner.username)
    with pytest.raises(CommandError, match="no user"):
        call_command("import_plan", str(source), municipality="sopot", verifier="nobody")
    call_command("import_plan", str(source), municipality="sopot", verifier=verifier.username)
    assert Measurement.objects.filter(approved_by=verifier).count() == 3


def test_every_error_of_the_indicators_at_its_path_and_nothing_written(town, verifier):
    bad = (
        V2.replace("type: result", "type: wish")
        .replace("{year: 2021, sub: 4, value: 90}", "{year: 2021, sub: 5, value: lots}")
        .replace("numerator: 450, denominator: 500", "numerator: 450")
        .replace("status: on_track", "status: stale")
        .replace("also_serves: [P1.1]", "also_serves: [P9]")
        .replace("maintain_band: 0.25", "maintain_band: -1")
        .replace("{element: P1.1, source: municipal", "{element: Q, source: municipal")
        .replace("ceiling: true", "ceiling: yes please")
        .replace("currency: BGN, spent: 0", "currency: USD, spent: 0")
        .replace("value: 12.125, final: true", "value: 12.12345, final: true")
    )
    with pytest.raises(PlanImportError) as excinfo:
        do_import(town, bad, verifier=verifier)
    assert issues(excinfo) == [
        "goals[0].indicators[0].type: unknown indicator type “wish”; expected one of: output, result, impact, context",
        "goals[0].indicators[0].targets[0].value: “lots” is not a number.",
        "goals[0].indicators[0].targets[0].sub: There is no such part of the year for this indicator's frequency.",
        "goals[0].indicators[0].overrides[0].status: unknown status “stale”; expected one of: on_track, at_risk, "
        "off_track",
        "goals[0].indicators[2].maintain_band: An indicator to maintain needs a tolerance band of zero or more.",
        "goals[0].projects[0].budget[0].ceiling: expected true or false",
        "goals[0].projects[0].budget[1].currency: unknown currency “USD”; expected one of: EUR, BGN",
        "goals[0].projects[0].indicators[0].targets[0].value: “12.12345” has more than 4 digits after the decimal "
        "point: round it.",
        "goals[0].indicators[0].also_serves[0]: no element “P9” in this plan",
        "financial_table[1].element: no element “Q” in this plan",
    ]
    assert not Plan.objects.exists() and not Indicator.objects.exists()


def test_a_value_refused_by_the_rules_is_reported_at_its_path(town, verifier):
    bad = V2.replace("numerator: 450, denominator: 500", "numerator: 450").replace(
        "{year: 2021, sub: 1, value: 12, breakdown: {place: {a: 5, b: 7}}}",
        "{year: 2021, sub: 1, value: 12, breakdown: {place: {a: 5, b: 8}}}",
    )
    with pytest.raises(PlanImportError) as excinfo:
        do_import(town, bad, verifier=verifier)
    found = issues(excinfo)
    assert (
        found[0]
        == "goals[0].indicators[0].values[1].denominator: A percentage needs a numerator and a denominator."
    )
    assert found[1].startswith("goals[0].indicators[1].values[0].breakdown: ")
    assert len(found) == 2


def test_an_existing_indicator_code_is_refused(town, verifier):
    do_import(town, V2, verifier=verifier)
    with pytest.raises(PlanImportError) as excinfo:
        do_import(
            town, V2.replace("slug: piro", "slug: piro2").replace("code: PR1", "code: PR2"), verifier=verifier
        )
    assert issues(excinfo)[0].startswith(
        "goals[0].indicators[0].code: the municipality already has an indicator “I1”"
    )


def test_a_dry_run_with_values_leaves_no_evidence_file(town, verifier, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}  # fmt: skip
    do_import(town, V2, verifier=verifier, dry_run=True)
    assert not any(tmp_path.rglob("*.yaml")) and not Measurement.objects.exists()


def test_indicators_keep_the_files_order(town, verifier):
    text = V2.replace("code: I1\n", "code: Z1\n").replace("code: I3\n", "code: A3\n")
    plan = do_import(town, text, verifier=verifier).plan
    assert list(Indicator.objects.filter(element__code="P1").values_list("code", flat=True)) == [
        "Z1",
        "I2",
        "A3",
    ]
    exported = planfile_export(plan)
    assert exported.index("code: Z1") < exported.index("code: I2") < exported.index("code: A3")


def test_an_override_date_defaults_to_the_import(town, verifier):
    do_import(town, V2.replace(", decided_on: 2021-10-20", ""), verifier=verifier)
    assert StatusOverride.objects.get().decided_on == datetime.date.today()


ASSESSMENTS = """
assessments:
  - element: P1
    year: 2023
    achieved: {bg: Ремонтирани са две улици., en: Two streets were repaired.}
    obstacles: {bg: Обществената поръчка беше обжалвана.}
    published: true
  - element: P1.1
    year: 2024
    achieved: {bg: Чернова на оценката.}
"""


def test_annual_assessments_are_written_as_staff_write_them_and_round_trip(town, verifier):
    plan = do_import(town, V2 + ASSESSMENTS, verifier=verifier).plan
    found = {(a.element.code, a.year): a for a in ElementAssessment.objects.select_related("element")}
    assert set(found) == {("P1", 2023), ("P1.1", 2024)}
    assert found["P1", 2023].is_published and found["P1", 2023].obstacles_en == ""
    assert not found["P1.1", 2024].is_published
    exported = planfile_export(plan)
    assert "assessments:" in exported and "Two streets were repaired." in exported
    other = MunicipalityFactory()
    again = do_import(
        other, exported, verifier=MembershipFactory(municipality=other, role=Role.VERIFIER).user
    )
    assert planfile_export(again.plan) == exported


def test_every_error_of_the_assessments_at_its_path_and_nothing_written(town, verifier):
    bad = ASSESSMENTS.replace("element: P1.1", "element: P9").replace("year: 2023", "year: 2031") + (
        "  - {element: P1, year: 2031, published: true}\n"
    )
    with pytest.raises(PlanImportError) as excinfo:
        do_import(town, V2 + bad, verifier=verifier)
    assert issues(excinfo) == [
        "assessments[0].year: outside the plan's period 2021–2027",
        "assessments[1].element: no element “P9” in this plan",
        "assessments[2].year: outside the plan's period 2021–2027",
        "assessments[2].achieved: a published assessment says what was done, in Bulgarian",
        "assessments[2]: the same element and year as assessments[0]",
    ]
    assert not Plan.objects.exists() and not ElementAssessment.objects.exists()
