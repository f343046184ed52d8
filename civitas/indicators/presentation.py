"""How the engine's vocabularies and results are shown: the names of directions, accumulations,
measures and frequencies (the model fields' choices are made from them), status names and colours,
note texts, the indicator chart.

The engine's enums are the vocabularies; this module only names and draws them. A member added to
an enum needs its name here (a test checks that every member has one).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from civitas.core.charts import Chart, Series
from civitas.evaluation.engine import (
    Accumulation,
    Direction,
    Frequency,
    IndicatorResult,
    Measure,
    Note,
    SeriesPoint,
    Status,
    TargetKind,
    ToleranceUnit,
)

E = TypeVar("E", bound=StrEnum)

DIRECTION_LABELS = {
    Direction.INCREASE: gettext_lazy("Increase"),
    Direction.DECREASE: gettext_lazy("Decrease"),
    Direction.MAINTAIN: gettext_lazy("Maintain"),
}
ACCUMULATION_LABELS = {
    Accumulation.PER_PERIOD: gettext_lazy("Per period"),
    Accumulation.CUMULATIVE: gettext_lazy("Cumulative"),
    Accumulation.LATEST: gettext_lazy("Latest level"),
}
MEASURE_LABELS = {
    Measure.NUMBER: gettext_lazy("Number"),
    Measure.PERCENTAGE: gettext_lazy("Percentage (as reported, or numerator / denominator)"),
    Measure.SCORE: gettext_lazy("Qualitative score on a scale"),
}
FREQUENCY_LABELS = {
    Frequency.ANNUAL: gettext_lazy("Annual"),
    Frequency.SEMIANNUAL: gettext_lazy("Semi-annual"),
    Frequency.QUARTERLY: gettext_lazy("Quarterly"),
    Frequency.MONTHLY: gettext_lazy("Monthly"),
}

TARGET_KIND_LABELS = {
    TargetKind.TRAJECTORY: gettext_lazy("Trajectory from the baseline"),
    TargetKind.THRESHOLD: gettext_lazy("Threshold: a standard to meet or stay within"),
}
TOLERANCE_UNIT_LABELS = {
    ToleranceUnit.UNIT: gettext_lazy("In the indicator's unit"),
    ToleranceUnit.PERCENT: gettext_lazy("In percent of the target"),
}


def choices(vocabulary: type[E], labels: Mapping[E, Promise]) -> list[tuple[str, Promise]]:
    """A model field's choices: the vocabulary's values, in its order, with their names."""
    return [(member.value, labels[member]) for member in vocabulary]


STATUS_LABELS = {
    Status.ON_TRACK: gettext_lazy("On track"),
    Status.AT_RISK: gettext_lazy("At risk"),
    Status.OFF_TRACK: gettext_lazy("Off track"),
    Status.NO_DATA: gettext_lazy("No data"),
    Status.STALE: gettext_lazy("Stale"),
    # "Context" alone names the indicator type (IndicatorType.CONTEXT), in another form.
    Status.CONTEXT: pgettext_lazy("status", "Context"),
}
STATUS_COLOURS = {
    Status.ON_TRACK: "green",
    Status.AT_RISK: "yellow",
    Status.OFF_TRACK: "red",
    Status.NO_DATA: "grey",
    Status.STALE: "orange",
    Status.CONTEXT: "blue",  # shown, never rated: neither a rating colour nor "no data" grey
}
NOTE_LABELS = {
    Note.NO_MEASUREMENTS: gettext_lazy("No published value yet."),
    Note.NO_TARGET: gettext_lazy("No target to compare with."),
    Note.BEFORE_START: gettext_lazy("The period is before the baseline or the first target."),
    Note.NO_BASELINE: gettext_lazy("No baseline: assessed by whether the target is reached."),
    Note.PARTIAL_PERIOD: gettext_lazy("The period assessed has not ended yet."),
    Note.STALE: gettext_lazy("No value has been published within the reporting frequency and grace period."),
    Note.RATES_NOT_COMBINED: gettext_lazy("Rates only for parts of the period"),
}


class Reported(StrEnum):
    """Whether a period of an indicator's table has a value reported for it."""

    REPORTED = "reported"
    NOT_REPORTED = "not_reported"  # ended by the as-of date without a value
    NOT_DUE = "not_due"  # not ended yet


@dataclass(frozen=True)
class ValueRow:
    """A row of an indicator's table of values by period. ``carried``: the last reported level that
    the evaluation uses for a period without a report of its own (cumulative and latest-value
    indicators), shown beside "not reported" and never as the period's value."""

    point: SeriesPoint
    reported: Reported
    carried: float | None


def value_rows(result: IndicatorResult) -> list[ValueRow]:
    """The rows of an indicator's table: each period as reported, not reported, or not due yet."""
    rows = []
    for point in result.series:
        if point.measured:
            reported = Reported.REPORTED
        elif point.period.end < result.as_of:
            reported = Reported.NOT_REPORTED
        else:
            reported = Reported.NOT_DUE
        carried = point.actual if reported == Reported.NOT_REPORTED else None
        rows.append(ValueRow(point=point, reported=reported, carried=carried))
    return rows


def indicator_chart(*, name: str, unit: str, result: IndicatorResult, dom_id: str = "chart") -> Chart:
    """The chart of an indicator: baseline, targets, expected trajectory and actuals by period."""
    labels = tuple(point.period.label for point in result.series)
    series = [
        Series(_("Expected trajectory"), tuple(p.expected for p in result.series), style="expected"),
        Series(_("Target"), tuple(p.target for p in result.series), style="target", connect=False),
        # Only the periods with a reported value: a period without one is a gap in the line, never
        # the last level drawn again (into later years, or into future ones).
        Series(_("Actual"), tuple(p.actual if p.measured else None for p in result.series), style="actual"),
    ]
    if result.baseline is not None:
        series.insert(
            0, Series(_("Baseline"), tuple(result.baseline for _p in result.series), style="baseline")
        )
    measured = [p for p in result.series if p.measured and p.actual is not None]
    if measured:
        last = measured[-1]
        description = _(
            "%(name)s: %(count)s periods with values; latest actual %(actual)s in %(period)s, "
            "expected %(expected)s. Status: %(status)s. The table below the chart gives every value."
        ) % {
            "name": name,
            "count": len(measured),
            "actual": f"{last.actual:g}",
            "period": last.period.label,
            "expected": "–" if last.expected is None else f"{last.expected:g}",
            "status": STATUS_LABELS[result.status],
        }
    else:
        description = _("%(name)s: no published values yet.") % {"name": name}
    return Chart(title=name, description=description, x_labels=labels, series=tuple(series), unit=unit)
