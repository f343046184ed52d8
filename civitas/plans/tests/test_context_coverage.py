"""Issue 9: context indicators are counted apart in coverage (docs/evaluation-rules.md §13) on the
plan page, its goal tree and the elements export: "K of N context indicators with values", never
among the indicators without data."""

import csv
import io
from decimal import Decimal

import pytest

from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    TargetFactory,
)
from civitas.testing.pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    town = MunicipalityFactory(slug="sopot")
    plan = PlanFactory(municipality=town, slug="opr", period_start=2021, period_end=2027)
    element = PlanElementFactory(plan=plan, code="SG1")
    rated = IndicatorFactory(element=element, code="R1", baseline_value=Decimal(100), baseline_year=2020)
    TargetFactory(indicator=rated, year=2027, value=Decimal(200))
    MeasurementFactory(indicator=rated, year=2022, value=Decimal(120))
    incidents = IndicatorFactory(
        element=element, code="C1", type="context", baseline_value=None, baseline_year=None
    )
    MeasurementFactory(indicator=incidents, year=2022, value=Decimal(410))
    IndicatorFactory(element=element, code="C2", type="context", baseline_value=None, baseline_year=None)
    # An element with context indicators only still says how many have values.
    only_context = PlanElementFactory(plan=plan, code="SG2")
    context = IndicatorFactory(
        element=only_context, code="C3", type="context", baseline_value=None, baseline_year=None
    )
    MeasurementFactory(indicator=context, year=2022, value=Decimal(7))
    return plan


def test_the_plan_page_counts_context_indicators_apart(client, plan):
    content = client.get(url("portal:plan", "sopot", plan.slug, lang="en")).content.decode()
    assert "(1 of 1 indicators)" in content
    assert "2 of 3 context indicators with values" in content
    assert "1 of 2 context indicators with values" in content  # SG1 in the goal tree
    assert "1 of 1 context indicators with values" in content  # SG2, with context indicators only


def test_the_plan_page_in_bulgarian(client, plan):
    content = client.get(url("portal:plan", "sopot", plan.slug)).content.decode()
    assert "(1 от 1 индикатора)" in content
    assert "2 от 3 контекстни индикатора със стойности" in content


def test_the_elements_export_counts_context_indicators_apart(client, plan):
    response = client.get(f"/sopot/plans/{plan.slug}/indicators.csv?table=elements")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(text))}
    assert (rows["opr"]["indicators_with_data"], rows["opr"]["indicators_total"]) == ("1", "1")
    assert (rows["opr"]["context_total"], rows["opr"]["context_with_values"]) == ("3", "2")
    assert (rows["SG2"]["indicators_total"], rows["SG2"]["context_with_values"]) == ("0", "1")
