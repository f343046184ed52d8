"""How evaluation results are shown: status names and colours, note texts, the indicator chart.

The figures themselves come from the engine; this module only names and draws them.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civitas.core.charts import Chart, Series
from civitas.evaluation.engine import IndicatorResult, Note, Status

STATUS_LABELS = {
    Status.ON_TRACK: gettext_lazy("On track"),
    Status.AT_RISK: gettext_lazy("At risk"),
    Status.OFF_TRACK: gettext_lazy("Off track"),
    Status.NO_DATA: gettext_lazy("No data"),
    Status.STALE: gettext_lazy("Stale"),
}
STATUS_COLOURS = {
    Status.ON_TRACK: "green",
    Status.AT_RISK: "yellow",
    Status.OFF_TRACK: "red",
    Status.NO_DATA: "grey",
    Status.STALE: "orange",
}
NOTE_LABELS = {
    Note.NO_MEASUREMENTS: gettext_lazy("No published value yet."),
    Note.NO_TARGET: gettext_lazy("No target to compare with."),
    Note.BEFORE_START: gettext_lazy("The period is before the baseline or the first target."),
    Note.NO_BASELINE: gettext_lazy("No baseline: assessed by whether the target is reached."),
    Note.PARTIAL_PERIOD: gettext_lazy("The period assessed has not ended yet."),
    Note.STALE: gettext_lazy("No value has been published within the reporting frequency and grace period."),
}


def indicator_chart(*, name: str, unit: str, result: IndicatorResult, dom_id: str = "chart") -> Chart:
    """The chart of an indicator: baseline, targets, expected trajectory and actuals by period."""
    labels = tuple(point.period.label for point in result.series)
    series = [
        Series(_("Expected trajectory"), tuple(p.expected for p in result.series), style="expected"),
        Series(_("Target"), tuple(p.target for p in result.series), style="target", connect=False),
        Series(_("Actual"), tuple(p.actual for p in result.series), style="actual"),
    ]
    if result.baseline is not None:
        series.insert(
            0, Series(_("Baseline"), tuple(result.baseline for _p in result.series), style="baseline")
        )
    measured = [p for p in result.series if p.actual is not None]
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
