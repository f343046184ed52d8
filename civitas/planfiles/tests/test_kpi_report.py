"""A local authority's quarterly KPI report goes into Civitas through files and commands alone, and
the evaluation rates it as the authority did (issue 9, "Done means").

The report (tests/data/kpi-report-2023-24-q3.yaml, made up in the shape of a real one): 44
indicators under seven priorities, reporting years April–March, quarter 3 of 2023/24 (October–
December 2023), reported in February 2024. Targets without baselines, "at least 90 %" service
standards with last year above them, rates as percentages without counts, context measures with no
target, year-to-date counts against a year's target, and four judgement cases the authority rated
otherwise than its rule, with its reasons (overrides in the file). Its rule: green when the target
is met, amber when missed by no more than 10 % of the target, red beyond (the plan's tolerance).

The authority's own red/amber/green is held here, not in the file: it is what the evaluation must
agree with.
"""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

from civitas.core.models import Municipality, Role
from civitas.evaluation.engine import Status
from civitas.indicators.models import Indicator, Measurement, MeasurementState, StatusOverride
from civitas.indicators.selectors import plan_evaluation
from civitas.plans.models import Plan
from civitas.plans.selectors import plan_tree

pytestmark = pytest.mark.django_db

REPORT = Path(__file__).parent / "data" / "kpi-report-2023-24-q3.yaml"
VERIFIER = "performance-team@borough.example"
REPORTED_ON = datetime.date(2024, 2, 15)  # the report's date: quarter 3 ended on 31 December 2023

G, A, R = Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK
# The authority's rating of quarter 3, as published in its report. Context measures have none.
AUTHORITY = {
    "CS01": G, "CS02": A, "CS03": R, "CS04": G, "CS05": G, "CS06": A, "CS07": A, "CS08": G,
    "HO01": A, "HO02": G, "HO03": R, "HO04": A, "HO05": G, "HO06": R, "HO07": R, "HO08": A, "HO09": R,
    "HO10": G,
    "EN01": G, "EN02": A, "EN03": G, "EN04": A, "EN05": R, "EN06": G, "EN07": A, "EN08": R, "EN09": A,
    "EN10": G,
    "SW01": G, "SW02": A, "SW03": R, "SW04": A,
    "YT01": G, "YT02": A, "YT03": R, "YT04": G,
    "JG01": A, "JG02": A, "JG03": A, "JG04": G,
}  # fmt: skip
CONTEXT = {"CX01", "CX02", "CX03", "CX04"}
# Year to date since April: their rating needs the reporting year and the year-to-date sum.
YEAR_TO_DATE = {"YT01", "YT02", "YT03", "YT04"}
# Where the authority used judgement: what its rule gives, and the override it published.
JUDGEMENT = {
    "JG01": (R, "Missed collections in December were due to two vehicle breakdowns; performance recovered in "
                "January."),
    "JG02": (G, "The target was met with one-off funding that will not recur next quarter."),
    "JG03": (R, "The delay is due to the new system going live; the backlog is being cleared."),
    "JG04": (A, "Cabinet lowered the standard to 85 % from October; the new standard is met."),
}  # fmt: skip
BY_RULE = {code: status for code, status in AUTHORITY.items() if code not in YEAR_TO_DATE | set(JUDGEMENT)}


@pytest.fixture
def imported():
    """The set-up as an installer and an officer do it, with commands alone: the authority, its
    verifier's account (invited by e-mail), and the report imported with its values recorded as
    published by that verifier."""
    out = StringIO()
    call_command("create_municipality", slug="borough", name_bg="Район Боро", name_en="Borough", stdout=out)
    call_command("create_staff", municipality="borough", email=VERIFIER, role=Role.VERIFIER, stdout=out)
    call_command("import_plan", str(REPORT), municipality="borough", verifier=VERIFIER, stdout=out)
    return Municipality.objects.get(slug="borough"), get_user_model().objects.get(username=VERIFIER)


def statuses(plan: Plan) -> dict[str, tuple]:
    """Each indicator's (computed status, published status, result) as of the report's date."""
    evaluation = plan_evaluation(plan, plan_tree(plan), today=REPORTED_ON)
    assert evaluation.as_of == REPORTED_ON
    found = {}
    for items in evaluation.indicators.values():
        for item in items:
            assert item.result is not None, (item.indicator.code, item.error)
            found[item.indicator.code] = (item.result.status, item.result.published_status, item.result)
    return found


def test_the_report_goes_in_whole_through_the_command(imported):
    town, verifier = imported
    plan = Plan.objects.get(municipality=town)
    assert (plan.year_start_month, plan.tolerance_amount, plan.tolerance_unit) == (4, 10, "percent")
    assert Indicator.objects.filter(municipality=town).count() == 44
    values = Measurement.objects.filter(indicator__municipality=town)
    assert values.count() == 44 * 3
    assert set(values.values_list("state", "approved_by")) == {(MeasurementState.PUBLISHED, verifier.pk)}
    # Rates as reported: percentages without counts.
    assert not values.filter(indicator__measure="percentage", value__isnull=True).exists()
    # Targets without baselines: 12 target-only indicators and the 4 year-to-date ones.
    assert (
        Indicator.objects.filter(municipality=town, baseline_value=None).exclude(type="context").count() == 16
    )


def test_the_report_round_trips_through_its_plan_file(imported, tmp_path):
    exported = tmp_path / "exported.yaml"
    call_command("export_plan", "council-plan-2023-26", municipality="borough", output=str(exported))
    out = StringIO()
    call_command("create_municipality", slug="copy", name_bg="Копие", stdout=out)
    call_command(
        "create_staff", municipality="copy", email="admin@copy.example", role=Role.ADMINISTRATOR, stdout=out
    )
    call_command("import_plan", str(exported), municipality="copy", verifier="admin@copy.example", stdout=out)
    again = tmp_path / "again.yaml"
    call_command("export_plan", "council-plan-2023-26", municipality="copy", output=str(again))
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")


def test_computed_statuses_agree_with_the_authority_where_it_used_no_judgement(imported):
    found = statuses(Plan.objects.get())
    computed = {code: found[code][0] for code in BY_RULE}
    assert computed == BY_RULE
    assert {found[code][0] for code in CONTEXT} == {Status.CONTEXT}
    # "At least" standards with last year above them are accepted and rated by attainment.
    assert found["CS01"][2].ratio == 1 and found["CS04"][2].ratio == 1


def test_the_roll_up_counts_every_rated_indicator_and_context_apart(imported):
    evaluation = plan_evaluation(Plan.objects.get(), plan_tree(Plan.objects.get()), today=REPORTED_ON)
    result = evaluation.plan_result
    assert (result.context_total, result.context_with_values) == (4, 4)
    # Every rated indicator has a value and a score (none "without data"), year-to-date ones aside
    # until the bridge passes their year (they have no expected value yet).
    assert result.indicators_total == 44 - len(CONTEXT)
    assert result.indicators_with_data >= result.indicators_total - len(YEAR_TO_DATE)


def test_year_to_date_statuses_agree_with_the_authority(imported):
    found = statuses(Plan.objects.get())
    assert {code: found[code][0] for code in YEAR_TO_DATE} == {code: AUTHORITY[code] for code in YEAR_TO_DATE}


def test_the_judgement_cases_are_recorded_as_overrides_with_their_reasons(imported):
    town, verifier = imported
    found = statuses(Plan.objects.get())
    for code, (by_rule, reason) in JUDGEMENT.items():
        assert found[code][0] == by_rule, code  # the rule gives another status than the authority's...
        override = StatusOverride.objects.get(indicator__code=code)  # ...and its judgement is recorded
        assert (override.year, override.sub, override.status) == (2023, 3, AUTHORITY[code])
        assert (override.reason_en, override.decided_by, override.decided_on) == (
            reason, verifier, datetime.date(2024, 1, 25)
        )  # fmt: skip
        assert override.reason_bg
    assert StatusOverride.objects.count() == len(JUDGEMENT)


def test_the_published_status_of_the_judgement_cases_is_the_authoritys(imported):
    with translation.override("en"):  # the reasons in the report's language
        found = statuses(Plan.objects.get())
    for code, (by_rule, reason) in JUDGEMENT.items():
        computed, published, result = found[code]
        assert (computed, published) == (by_rule, AUTHORITY[code]), code
        assert result.override.reason == reason
