"""The API's indicators on the Sopot demo: passports, targets and published values only (never a
draft or a value awaiting verification), those of draft plans hidden, filters and query counts."""

import datetime

import pytest
from django.utils import timezone
from django.utils.http import http_date

from civitas.indicators import selectors as indicator_selectors
from civitas.indicators.models import COUNTED_STATES, Indicator, IndicatorChange, Measurement
from civitas.plans import selectors as plan_selectors
from civitas.plans.models import Plan, PlanStatus
from civitas.testing.factories import IndicatorFactory, MeasurementFactory, PlanElementFactory, PlanFactory

from .sopot_demo import loaded_demo

pytestmark = pytest.mark.django_db

INDICATORS = "/api/v1/indicators"


@pytest.fixture(scope="module")
def sopot(django_db_setup, django_db_blocker):
    yield from loaded_demo(django_db_blocker)


def _all(client, url):
    items = []
    while url:
        body = client.get(url).json()
        items += body["items"]
        url = body["next"]
    return items


def test_every_indicator_once_with_its_passport_targets_and_published_values(client, sopot):
    items = _all(client, INDICATORS + "?limit=5")
    assert sorted(i["id"] for i in items) == sorted(Indicator.objects.values_list("pk", flat=True))
    for item in items:
        indicator = Indicator.objects.get(pk=item["id"])
        published = indicator.measurements.filter(state__in=COUNTED_STATES).order_by("year", "sub")
        assert [(m["year"], m["sub"], m["value"]) for m in item["measurements"]] == [
            (m.year, m.sub, None if m.value is None else float(m.value)) for m in published
        ]
        assert [(t["year"], t["value"], t["is_final"]) for t in item["targets"]] == [
            (t.year, float(t.value), t.is_final) for t in indicator.targets.all()
        ]
        assert (item["code"], item["direction"], item["frequency"]) == (
            indicator.code,
            indicator.direction,
            indicator.frequency,
        )
        assert item["baseline_value"] == (
            None if indicator.baseline_value is None else float(indicator.baseline_value)
        )
    first = items[0]
    assert client.get(first["url"]).json() == first
    assert client.get(first["web_url"]).status_code == 200


def test_a_value_awaiting_verification_or_in_draft_is_never_shown(client, sopot):
    waiting = Measurement.objects.get(state="submitted")  # ОПР-И3.1, 2020, in the demo
    MeasurementFactory(indicator=waiting.indicator, year=2021, state="draft")
    MeasurementFactory(indicator=waiting.indicator, year=2022, state="returned")
    MeasurementFactory(indicator=waiting.indicator, year=2023, state="approved")
    item = client.get(f"{INDICATORS}/{waiting.indicator_id}").json()
    years = [m["year"] for m in item["measurements"]]
    assert years and max(years) < 2020
    assert len(years) == waiting.indicator.measurements.filter(state="published").count()


def test_the_periods_are_written_as_the_indicator_page_writes_them(client, sopot):
    indicator = indicator_selectors.indicator_get(municipality=sopot, code="ОПР-И3.1")
    detail = indicator_selectors.indicator_detail(indicator)
    item = client.get(f"{INDICATORS}/{indicator.pk}").json()
    assert [t["period"] for t in item["targets"]] == [label for label, _target in detail.target_rows]
    assert [m["period"] for m in item["measurements"]] == [
        detail.period_label(m.year, m.sub) for m in detail.measurements
    ]


def test_an_indicator_of_a_draft_plan_is_hidden(client, sopot):
    element = PlanElementFactory(plan=PlanFactory(municipality=sopot, status=PlanStatus.DRAFT))
    hidden = IndicatorFactory(element=element, municipality=sopot, code="HIDDEN")
    response = client.get(f"{INDICATORS}/{hidden.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert hidden.pk not in {i["id"] for i in _all(client, INDICATORS + "?limit=100")}
    refused = client.get(f"{INDICATORS}?plan={element.plan_id}")
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_parameter"


def test_a_plans_indicators_are_those_its_evaluation_counts(client, sopot):
    for plan in Plan.objects.filter(municipality=sopot):
        evaluation = indicator_selectors.plan_evaluation(plan, plan_selectors.plan_tree(plan))
        counted = {item.indicator.pk for items in evaluation.indicators.values() for item in items}
        listed = {i["id"] for i in _all(client, f"{INDICATORS}?plan={plan.pk}&limit=3")}
        assert listed == counted, plan.slug
    project_indicator = Indicator.objects.get(project__isnull=False)
    listed = client.get(f"{INDICATORS}?project={project_indicator.project_id}").json()["items"]
    assert [i["id"] for i in listed] == [project_indicator.pk]
    assert listed[0]["project_url"].endswith(f"/api/v1/projects/{project_indicator.project_id}")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?plan=x", "invalid_parameter"),
        ("?project=999999", "invalid_parameter"),
        ("?project=", "invalid_parameter"),
        ("?municipality=sopot", None),
        ("?updated_since=2020-01-01T25:00", "invalid_parameter"),
        ("?state=draft", "unknown_parameter"),
    ],
)
def test_bad_indicator_filters_are_json_400s(client, sopot, query, code):
    response = client.get(INDICATORS + query)
    if code is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 400 and response.json()["code"] == code


def test_a_list_of_indicators_runs_the_same_queries_whatever_its_size(
    client, sopot, django_assert_num_queries
):
    client.get(INDICATORS + "?limit=1")  # warm up the throttle table
    # The rate-limit counter (two), the page, its targets, published values and shared elements.
    with django_assert_num_queries(6):
        assert len(client.get(INDICATORS + "?limit=1").json()["items"]) == 1
    with django_assert_num_queries(6):
        assert len(client.get(INDICATORS + "?limit=100").json()["items"]) == 22


def test_a_new_value_or_target_change_counts_as_a_change_of_the_indicator(client, sopot):
    soon = timezone.now() + datetime.timedelta(days=2)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert client.get(f"{INDICATORS}?updated_since={tomorrow}").json()["items"] == []
    valued, targeted = Indicator.objects.order_by("pk")[:2]
    Measurement.objects.filter(pk=MeasurementFactory(indicator=valued, year=2030).pk).update(updated_at=soon)
    IndicatorChange.objects.create(indicator=targeted, field="target", reason="Нова цел")
    IndicatorChange.objects.filter(indicator=targeted).update(changed_at=soon)
    changed = client.get(f"{INDICATORS}?updated_since={tomorrow}").json()["items"]
    assert [i["id"] for i in changed] == [valued.pk, targeted.pk]
    assert all(
        datetime.datetime.fromisoformat(i["updated_at"])
        == soon.replace(microsecond=soon.microsecond // 1000 * 1000)
        for i in changed
    )
    detail = client.get(f"{INDICATORS}/{valued.pk}")
    assert detail["Last-Modified"] == http_date(soon.timestamp())
