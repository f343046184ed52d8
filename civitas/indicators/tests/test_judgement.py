"""Issue 9, ratings as authorities make them, on the Django side: status overrides (a verifier's
status with a public reason, beside the computed one), the as-of date chosen on the pages and in
the exports, reporting years starting in another month, year-to-date values, and indicators that
also serve other elements."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from civitas.core.errors import ConflictError
from civitas.core.models import AuditEvent, Role
from civitas.evaluation import engine
from civitas.indicators import services
from civitas.indicators.models import StatusOverride
from civitas.indicators.passport import IndicatorPassport
from civitas.indicators.selectors import indicator_detail, indicator_get, plan_evaluation
from civitas.plans.models import ElementAssessment, PlanStatus
from civitas.plans.selectors import plan_tree
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    TargetFactory,
    UserFactory,
)
from civitas.testing.pages import url
from civitas.testing.signin import sign_in

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def town():
    return MunicipalityFactory(slug="sopot")


@pytest.fixture
def plan(town):
    return PlanFactory(
        municipality=town, slug="opr", period_start=2014, period_end=2020, status=PlanStatus.ADOPTED
    )


@pytest.fixture
def goal(plan):
    return PlanElementFactory(plan=plan, code="SG1", title_bg="Цел едно", title_en="Goal one")


@pytest.fixture
def verifier(town):
    user = UserFactory(username="verifier")
    MembershipFactory(user=user, municipality=town, role=Role.VERIFIER)
    return user


def on_track(goal, code="I1"):
    """An indicator on track in 2020 (baseline 100 in 2013, target 200 in 2020, value 200)."""
    indicator = IndicatorFactory(element=goal, code=code, accumulation="latest")
    TargetFactory(indicator=indicator, year=2020, value=Decimal(200))
    MeasurementFactory(indicator=indicator, year=2020, value=Decimal(200))
    return indicator


def loaded(indicator):
    return indicator_get(municipality=indicator.municipality, code=indicator.code)


# Status overrides ---------------------------------------------------------------------------------


def judge(verifier, indicator, **fields):
    values = {"year": 2020, "status": "at_risk", "reason_bg": "Данните за 2020 г. са предварителни",
              "reason_en": "The 2020 figures are provisional", "decided_on": datetime.date(2021, 3, 1)} | fields  # fmt: skip
    return services.override_set(actor=verifier, indicator=loaded(indicator), **values)


def test_an_override_is_carried_beside_the_computed_status(town, goal, verifier):
    indicator = on_track(goal)
    version = town.planning_version
    judge(verifier, indicator)
    town.refresh_from_db()
    assert town.planning_version > version  # the public pages show it at once
    with translation.override("en"):
        result = indicator_detail(loaded(indicator), today=TODAY).evaluated.result
    assert result.status is engine.Status.ON_TRACK  # never replaced
    assert result.override.status is engine.Status.AT_RISK
    assert result.override.reason == "The 2020 figures are provisional"
    assert result.published_status is engine.Status.AT_RISK
    # The roll-up keeps the computed score.
    evaluation = plan_evaluation(goal.plan, plan_tree(goal.plan), today=TODAY)
    assert evaluation.elements[goal.pk].status is engine.Status.ON_TRACK
    assert evaluation.indicators[goal.pk][0].override.status is engine.Status.AT_RISK


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"status": "no_data"}, "status"),
        ({"status": "stale"}, "status"),
        ({"reason_bg": "   "}, "reason_bg"),
        ({"reason_bg": "x" * 2001}, "reason_bg"),
        ({"year": 2021}, "year"),  # after the plan's period
        ({"year": 2013}, "year"),
        ({"sub": 2}, "sub"),  # an annual indicator has no quarters
        ({"decided_on": datetime.date(2100, 1, 1)}, "decided_on"),
    ],
)
def test_an_override_is_refused_with_a_reason(goal, verifier, fields, field):
    indicator = on_track(goal)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        judge(verifier, indicator, **fields)
    assert field in refused.value.message_dict
    assert not StatusOverride.objects.exists()


def test_a_context_indicator_is_never_overridden(goal, verifier):
    indicator = IndicatorFactory(
        element=goal, code="CTX", type="context", baseline_value=None, baseline_year=None
    )
    MeasurementFactory(indicator=indicator, year=2018, value=Decimal(12))
    with translation.override("en"), pytest.raises(ValidationError, match="context indicator"):
        judge(verifier, indicator, year=2018)


def test_a_changed_override_replaces_the_old_one_and_concurrent_changes_conflict(goal, verifier):
    indicator = on_track(goal)
    first = judge(verifier, indicator, expected_version=0)
    with pytest.raises(ConflictError):  # the form was opened before the first was saved
        judge(verifier, indicator, status="off_track", expected_version=0)
    second = judge(verifier, indicator, status="off_track", expected_version=first.pk)
    assert list(StatusOverride.objects.values_list("status", flat=True)) == ["off_track"]
    with pytest.raises(ConflictError):
        services.override_remove(
            actor=verifier, indicator=loaded(indicator), year=2020, expected_version=first.pk
        )
    event = AuditEvent.objects.filter(object_type="indicators.statusoverride").latest("pk")
    assert event.action == "update" and event.changes["before"]["status"] == "at_risk"
    services.override_remove(
        actor=verifier, indicator=loaded(indicator), year=2020, expected_version=second.pk
    )
    assert not StatusOverride.objects.exists()
    removed = AuditEvent.objects.filter(object_type="indicators.statusoverride").latest("pk")
    assert removed.action == "delete" and removed.changes["status"] == "off_track"
    assert removed.changes["reason_bg"] == "Данните за 2020 г. са предварителни"


def test_an_override_made_after_the_as_of_date_is_not_yet_known(goal, verifier):
    indicator = on_track(goal)
    judge(verifier, indicator, decided_on=datetime.date(2022, 3, 1))
    before = indicator_detail(loaded(indicator), as_of=datetime.date(2021, 6, 30)).evaluated.result
    after = indicator_detail(loaded(indicator), as_of=datetime.date(2022, 6, 30)).evaluated.result
    assert before.override is None and after.override is not None


def test_pages_show_the_computed_status_first_then_the_municipalitys(client, town, goal, verifier):
    indicator = on_track(goal)
    judge(verifier, indicator)
    for name, args in (("portal:indicator", ("sopot", indicator.code)), ("portal:plan", ("sopot", "opr"))):
        page = client.get(url(name, *args, lang="en")).content.decode()
        computed = page.index("On track")
        judged = page.index("Assessed by the municipality: at risk — The 2020 figures are provisional")
        assert computed < judged, name
        bulgarian = client.get(url(name, *args)).content.decode()
        assert "Данните за 2020 г. са предварителни" in bulgarian


def test_the_staff_form_sets_and_removes_an_override(client, town, goal, verifier):
    indicator = on_track(goal)
    sign_in(client, verifier)
    path = f"/en/sopot/manage/indicators/indicator/{indicator.code}/assess/"
    page = client.get(path + "?period=2020")
    assert page.status_code == 200
    response = client.post(path, {"period": "2020", "status": "off_track", "reason_bg": "Причина", "version": "0",
                                  "decided_on": "2021-02-15"})  # fmt: skip
    assert response.status_code == 302
    override = StatusOverride.objects.get()
    assert (override.status, override.decided_by) == ("off_track", verifier)
    assert override.decided_on == datetime.date(2021, 2, 15)
    values = client.get(f"/en/sopot/manage/indicators/indicator/{indicator.code}/").content.decode()
    assert "Причина" in values
    refused = client.post(
        path, {"period": "2020", "status": "on_track", "reason_bg": "", "version": override.pk}
    )
    assert refused.status_code == 400 and StatusOverride.objects.get().status == "off_track"
    client.post(path + "remove/", {"year": "2020", "sub": "0", "version": override.pk})
    assert not StatusOverride.objects.exists()


def test_only_a_verifier_may_open_the_override_form(client, town, goal):
    indicator = on_track(goal)
    planner = UserFactory(username="planner")
    MembershipFactory(user=planner, municipality=town, role=Role.PLANNER)
    sign_in(client, planner)
    assert client.get(f"/sopot/manage/indicators/indicator/{indicator.code}/assess/").status_code == 403


# The as-of date -----------------------------------------------------------------------------------


def test_the_as_of_date_is_chosen_on_the_pages(client, town, goal):
    indicator = on_track(goal)
    for name, args in (("portal:indicator", ("sopot", indicator.code)), ("portal:plan", ("sopot", "opr"))):
        english = client.get(url(name, *args, lang="en") + "?as_of=2017-12-31").content.decode()
        assert "Assessed as of 31.12.2017" in english
        bulgarian = client.get(url(name, *args) + "?as_of=2017-12-31").content.decode()
        assert "Оценка към 31.12.2017" in bulgarian or "31.12.2017" in bulgarian
    # On 31.12.2017 there is no value yet for the indicator: no data.
    result = indicator_detail(loaded(indicator), as_of=datetime.date(2017, 12, 31)).evaluated.result
    assert result.status is engine.Status.NO_DATA


@pytest.mark.parametrize("value", ["31.02.2017", "2017-02-30", "yesterday", "5/13/2017"])
def test_an_invalid_as_of_date_says_so_and_shows_the_default(client, town, goal, value):
    indicator = on_track(goal)
    cache.clear()
    path = url("portal:indicator", "sopot", indicator.code, lang="en")
    page = client.get(path, {"as_of": value})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Enter a real date, day first" in text
    assert "Assessed as of 31.12.2021" in text  # the default: the plan's end plus 12 months
    # Only valid dates reach the cache: the invalid address stored nothing.
    with CaptureQueriesContext(connection) as queries:
        client.get(path, {"as_of": value})
    assert len(queries) > 1


@pytest.mark.parametrize("typed", ["31.12.2017", "31/12/2017", "31 12 2017", "2017-12-31"])
def test_the_as_of_date_is_typed_day_first_whatever_the_browser(client, town, goal, typed):
    """The form's text box takes the date as people write it in Bulgaria and Britain, never in a
    browser's month-first spelling; only the pages' own spelling (YYYY-MM-DD) is cached."""
    on_track(goal)
    cache.clear()
    path = url("portal:plan", "sopot", "opr", lang="en")
    page = client.get(path, {"as_of": typed})
    text = page.content.decode()
    assert page.status_code == 200 and "Assessed as of 31.12.2017" in text
    assert 'name="as_of" type="text"' in text and 'type="date"' not in text
    with CaptureQueriesContext(connection) as queries:
        client.get(path, {"as_of": typed})
    assert (len(queries) == 1) is (typed == "2017-12-31")


def test_cached_pages_are_keyed_by_the_as_of_date(client, town, goal):
    on_track(goal)
    path = url("portal:plan", "sopot", "opr", lang="en")
    assert "Assessed as of 31.12.2017" in client.get(path + "?as_of=2017-12-31").content.decode()
    assert "Assessed as of 31.12.2018" in client.get(path + "?as_of=2018-12-31").content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert "Assessed as of 31.12.2017" in client.get(path + "?as_of=2017-12-31").content.decode()
    assert len(queries) == 1  # served from the cache: only the municipality was read


def test_exports_take_the_as_of_date(client, town, goal):
    on_track(goal)
    response = client.get("/sopot/plans/opr/indicators.csv?table=passports&as_of=2017-12-31")
    text = b"".join(response.streaming_content).decode()
    assert "2017-12-31" in text
    bad = client.get("/en/sopot/plans/opr/indicators.csv?as_of=someday")
    assert bad.status_code == 400 and "Enter a real date" in bad.content.decode()


def test_exports_carry_the_override_beside_the_status(client, town, goal, verifier):
    indicator = on_track(goal)
    judge(verifier, indicator)
    response = client.get("/en/sopot/plans/opr/indicators.csv?table=passports")
    text = b"".join(response.streaming_content).decode()
    header, row = text.lstrip("\ufeff").splitlines()[:2]
    columns = header.split(",")
    assert columns.index("status") < columns.index("override_status")
    assert "on_track" in row and "at_risk" in row and "The 2020 figures are provisional" in row
    values = b"".join(client.get("/en/sopot/plans/opr/indicators.csv").streaming_content).decode()
    assert "The 2020 figures are provisional" in values


# Reporting years and year to date -----------------------------------------------------------------


def quarterly(goal, code="Q1"):
    """Quarterly values, rated year to date (their sum restarts each year); target 100 for 2019."""
    indicator = IndicatorFactory(
        element=goal, code=code, frequency="quarterly", accumulation="cumulative", year_to_date=True,
        baseline_value=None, baseline_year=None,
    )  # fmt: skip
    TargetFactory(indicator=indicator, year=2019, sub=4, value=Decimal(100))
    for sub, value in ((1, 20), (2, 25), (3, 25), (4, 30)):
        MeasurementFactory(indicator=indicator, year=2019, sub=sub, value=Decimal(value))
    return indicator


def test_a_plans_reporting_year_labels_the_periods(client, town, goal):
    goal.plan.year_start_month = 4
    goal.plan.save()
    indicator = quarterly(goal)
    result = indicator_detail(loaded(indicator), today=TODAY).evaluated.result
    labels = [point.period.label for point in result.series]
    assert "2019/20-Q1" in labels and "2019/20-Q4" in labels
    assert result.period.label == "2019/20-Q4" and result.actual == 100
    assert result.period.start == datetime.date(2020, 1, 1)  # the fourth quarter of April–March
    page = client.get(url("portal:indicator", "sopot", indicator.code, lang="en")).content.decode()
    assert "2019/20-Q4" in page and "Starts in April" in page


def test_the_municipalitys_reporting_year_applies_when_the_plan_has_none(town, goal):
    town.year_start_month = 7
    town.save()
    indicator = quarterly(goal)
    labels = [
        p.period.label for p in indicator_detail(loaded(indicator), today=TODAY).evaluated.result.series
    ]
    assert "2019/20-Q2" in labels


def test_year_to_date_values_restart_each_year(goal):
    indicator = quarterly(goal)
    MeasurementFactory(indicator=indicator, year=2020, sub=1, value=Decimal(30))
    result = indicator_detail(loaded(indicator), today=TODAY).evaluated.result
    actual = {point.period.label: point.actual for point in result.series}
    assert actual["2019-Q4"] == 100 and actual["2020-Q1"] == 30  # not 130


def test_the_public_page_shows_the_target_kind_and_tolerance(client, town, goal):
    goal.plan.tolerance_amount = Decimal(10)
    goal.plan.tolerance_unit = "percent"
    goal.plan.save()
    indicator = on_track(goal)
    IndicatorFactory(
        element=goal, code="T1", target_kind="threshold", tolerance_amount=Decimal(5), tolerance_unit="unit"
    )
    page = client.get(url("portal:indicator", "sopot", indicator.code, lang="en")).content.decode()
    assert "Target kind: trajectory from the baseline" in page
    assert "Amber within 10 % of target" in page
    threshold = client.get(url("portal:indicator", "sopot", "T1", lang="en")).content.decode()
    assert "Target kind: threshold" in threshold and "Amber within 5 number of target" in threshold


# Shared indicators --------------------------------------------------------------------------------


def test_a_shared_indicator_counts_once_in_each_elements_roll_up(client, town, plan, goal):
    other_goal = PlanElementFactory(plan=plan, code="SG2", title_bg="Цел две")
    other_plan = PlanFactory(municipality=town, slug="pir", period_start=2014, period_end=2020,
                             status=PlanStatus.ADOPTED)  # fmt: skip
    elsewhere = PlanElementFactory(plan=other_plan, code="P1", title_bg="Приоритет")
    indicator = on_track(goal)
    indicator.also_elements.add(other_goal, elsewhere)
    evaluation = plan_evaluation(plan, plan_tree(plan), today=TODAY)
    assert evaluation.elements[other_goal.pk].indicators_total == 1
    assert evaluation.elements[other_goal.pk].status is engine.Status.ON_TRACK
    assert evaluation.plan_result.indicators_total == 1  # once in the plan, though under two elements
    shared = evaluation.indicators[other_goal.pk][0]
    assert shared.shared and shared.shared_from == goal
    other = plan_evaluation(other_plan, plan_tree(other_plan), today=TODAY)
    assert other.elements[elsewhere.pk].indicators_with_data == 1
    page = client.get(url("portal:plan", "sopot", "opr", lang="en")).content.decode()
    assert page.count(f">{indicator.code} ") == 2
    assert "Also serves" in page and "Shared from SG1" in page
    other_page = client.get(url("portal:plan", "sopot", "pir", lang="en")).content.decode()
    assert "Shared from SG1" in other_page
    detail = client.get(url("portal:indicator", "sopot", indicator.code, lang="en")).content.decode()
    assert "Also serves" in detail and "SG2" in detail and "P1" in detail


def test_an_indicator_of_a_draft_plan_is_not_shared_into_a_public_one(client, town, plan, goal):
    draft = PlanFactory(municipality=town, slug="draft", status=PlanStatus.DRAFT)
    hidden = on_track(PlanElementFactory(plan=draft, code="D1"), code="HIDDEN")
    hidden.also_elements.add(goal)
    evaluation = plan_evaluation(plan, plan_tree(plan), today=TODAY)
    assert not evaluation.indicators.get(goal.pk)


# Query counts ------------------------------------------------------------------------------------


def count(client, path) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_the_plan_and_indicator_pages_keep_their_queries_with_shares_and_overrides(
    client, town, plan, goal, verifier
):
    other_goal = PlanElementFactory(plan=plan, code="SG2")
    first = on_track(goal, code="A0")
    plan_path = url("portal:plan", "sopot", "opr") + "?as_of=2021-06-30"
    indicator_path = url("portal:indicator", "sopot", first.code) + "?as_of=2021-06-30"
    few = (count(client, plan_path), count(client, indicator_path))
    other_plan = PlanFactory(municipality=town, slug="pir", status=PlanStatus.ADOPTED)
    elsewhere = PlanElementFactory(plan=other_plan, code="P1")
    for n in range(1, 12):
        indicator = on_track(goal if n % 2 else other_goal, code=f"A{n}")
        indicator.also_elements.add(other_goal, elsewhere)
        judge(verifier, indicator)
    first.also_elements.add(other_goal, elsewhere)
    judge(verifier, first)
    foreign = on_track(PlanElementFactory(plan=other_plan, code="P2"), code="F1")
    foreign.also_elements.add(goal)
    for element in (goal, other_goal):  # published annual assessments under the elements
        for year in (2018, 2019, 2020):
            ElementAssessment.objects.create(
                element=element, year=year, achieved_bg="Направено", is_published=True
            )
    assert (count(client, plan_path), count(client, indicator_path)) == few


def test_staff_pages_write_and_read_periods_of_the_reporting_year(client, town, goal):
    goal.plan.year_start_month = 4
    goal.plan.save()
    indicator = quarterly(goal)
    owner = UserFactory(username="owner")
    MembershipFactory(user=owner, municipality=town, role=Role.INDICATOR_OWNER)
    sign_in(client, owner)
    values = client.get(f"/en/sopot/manage/indicators/indicator/{indicator.code}/").content.decode()
    assert "2019/20-Q1" in values and "2020/21-Q3" in values
    path = f"/en/sopot/manage/indicators/indicator/{indicator.code}/value/"
    response = client.post(path, {"period": "2020/21-Q2", "value": "12", "action": "save"})
    assert response.status_code == 302
    assert indicator.measurements.filter(year=2020, sub=2, value=12).exists()
    refused = client.post(path, {"period": "2020-Q2", "value": "12", "action": "save"})
    assert refused.status_code == 400 and "2023/24" in refused.content.decode()


def test_year_to_date_is_part_of_the_passport_and_needs_cumulative_values(client, town, goal):
    indicator = quarterly(goal)
    planner = UserFactory(username="planner")
    MembershipFactory(user=planner, municipality=town, role=Role.PLANNER)
    found = loaded(indicator)
    with translation.override("en"), pytest.raises(ValidationError, match="cannot be evaluated"):
        services.indicator_update(
            actor=planner, indicator=found, expected_version=found.version,
            passport=replace(
                IndicatorPassport.of(found), accumulation="per_period", baseline_unavailable_reason_bg="Нов"
            ),
        )  # fmt: skip
    sign_in(client, planner)
    form = client.get(f"/en/sopot/manage/indicators/indicator/{indicator.code}/edit/").content.decode()
    assert 'name="year_to_date"' in form
    page = client.get(url("portal:indicator", "sopot", indicator.code, lang="en")).content.decode()
    assert "year to date: the sum restarts every reporting year" in page
