"""A period without a report says so in the indicator's table and is a gap in its chart, while the
evaluation still uses the last level where the rules say so; a latest-value indicator never draws
its last value into later or future years."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from civitas.indicators.presentation import Reported, indicator_chart
from civitas.testing.factories import (
    IndicatorFactory,
    MeasurementFactory,
    MunicipalityFactory,
    PlanElementFactory,
    PlanFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator():
    plan = PlanFactory(municipality=MunicipalityFactory(slug="sopot"), period_start=2014, period_end=2020)
    indicator = IndicatorFactory(element=PlanElementFactory(plan=plan), code="T1", accumulation="latest")
    TargetFactory(indicator=indicator, year=2020, value=Decimal(200))
    for year, value in {2016: 130, 2018: 150}.items():
        MeasurementFactory(indicator=indicator, year=year, value=Decimal(value))
    return indicator


def _page(client, as_of: str):
    with translation.override("en"):
        path = reverse("portal:indicator", args=["sopot", "T1"])
    response = client.get(path, {"as_of": as_of})
    assert response.status_code == 200
    return response


def _rows(response) -> dict[str, object]:
    return {row.point.period.label: row for row in response.context["value_rows"]}


def test_a_year_without_a_report_says_not_reported_and_keeps_its_assessment(client, indicator):
    response = _page(client, "2019-03-01")
    rows = _rows(response)
    assert rows["2016"].reported == Reported.REPORTED and rows["2018"].reported == Reported.REPORTED
    assert rows["2017"].reported == Reported.NOT_REPORTED
    assert rows["2017"].carried == 130  # the level the evaluation uses for 2017
    assert rows["2019"].reported == Reported.NOT_DUE and rows["2020"].reported == Reported.NOT_DUE
    content = response.content.decode()
    row_2017 = content[content.index('<th scope="row" class="govuk-table__header">2017</th>') :]
    row_2017 = row_2017[: row_2017.index("</tr>")]
    assert "not reported" in row_2017 and "assessed on the last reported level, 130" in row_2017
    assert "govuk-tag" in row_2017  # the engine's status for the year, as it is


def test_the_chart_draws_only_reported_values(client, indicator):
    result = _page(client, "2019-03-01").context["result"]
    chart = indicator_chart(name="T1", unit="", result=result)
    (actual,) = [series for series in chart.series if series.style == "actual"]
    drawn = {label: value for label, value in zip(chart.x_labels, actual.values, strict=True)}
    assert drawn["2016"] == 130 and drawn["2018"] == 150
    # A gap (the line is broken there), not the last level again; nothing in the years to come.
    assert drawn["2017"] is None and drawn["2019"] is None and drawn["2020"] is None


def test_a_latest_value_indicator_does_not_reach_into_future_years(client, indicator):
    rows = _rows(_page(client, "2019-03-01"))
    assert all(rows[year].carried is None for year in ("2019", "2020"))
    content = _page(client, "2019-03-01").content.decode()
    row_2020 = content[content.index('<th scope="row" class="govuk-table__header">2020</th>') :]
    row_2020 = row_2020[: row_2020.index("</tr>")]
    assert "150" not in row_2020 and "not reported" not in row_2020
