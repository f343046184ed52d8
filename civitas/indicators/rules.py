"""Pure rules for indicator passports and measurements (no database). Used by services and imports.

Each ``check_*`` returns a dict {field: [messages]}; empty means valid.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from civitas.evaluation.engine import Period

MEASURES = {"number", "percentage", "score"}
DIRECTIONS = {"increase", "decrease", "maintain"}


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def check_passport(data: dict, *, period: tuple[int, int] | None) -> dict:
    """A passport's fields: scale for scores, tolerance for "maintain", baseline, weight."""
    errors: dict = {}
    if data.get("measure") == "score":
        lo, hi = data.get("scale_min"), data.get("scale_max")
        if lo is None or hi is None:
            _add(
                errors, "scale_max", _("A qualitative score needs the lowest and highest value of its scale.")
            )
        elif lo >= hi:
            _add(errors, "scale_max", _("The highest value of the scale must be above the lowest."))
    if data.get("direction") == "maintain":
        tolerance = data.get("tolerance")
        if tolerance is None or tolerance < 0:
            _add(errors, "tolerance", _("An indicator to maintain needs a tolerance band of zero or more."))
    baseline, year = data.get("baseline_value"), data.get("baseline_year")
    if baseline is None:
        if not (data.get("baseline_unavailable_reason_bg") or "").strip():
            _add(errors, "baseline_value", _("Give a baseline value and year, or say why there is none."))
    elif year is None:
        _add(errors, "baseline_year", _("Give the year of the baseline value."))
    if year is not None and period is not None and not (period[0] - 10 <= year <= period[1]):
        _add(
            errors,
            "baseline_year",
            _("The baseline year must fall before or within the plan's period %(start)s–%(end)s.")
            % {"start": period[0], "end": period[1]},
        )
    weight = data.get("weight")
    if weight is not None and weight <= 0:
        _add(errors, "weight", _("The weight must be above zero."))
    if data.get("measure") == "score" and baseline is not None and not errors.get("scale_max"):
        errors.update(
            check_score(baseline, data.get("scale_min"), data.get("scale_max"), field="baseline_value")
        )
    return errors


def check_score(value, lo, hi, *, field="value") -> dict:
    if lo is not None and hi is not None and not (lo <= value <= hi):
        return {field: [_("The value must be on the scale from %(lo)s to %(hi)s.") % {"lo": lo, "hi": hi}]}
    return {}


def period_of(year: int, sub: int, frequency: str) -> Period | None:
    """The reporting period (year, part of the year) of an indicator of this frequency, or None if
    there is no such period: an annual indicator has only whole years (sub 0), the others only
    their parts (halves 1–2, quarters 1–4, months 1–12)."""
    if (sub == 0) != (frequency == "annual"):
        return None
    try:
        return Period.of(year, sub, frequency)
    except ValueError:
        return None


def check_target(*, year: int, sub: int, frequency: str, period: tuple[int, int] | None) -> dict:
    errors: dict = {}
    if period is not None and not (period[0] <= year <= period[1]):
        _add(
            errors,
            "year",
            _("The target year %(year)s is outside the plan's period %(start)s–%(end)s.")
            % {"year": year, "start": period[0], "end": period[1]},
        )
    if sub and period_of(year, sub, frequency) is None:
        _add(errors, "sub", _("There is no such part of the year for this indicator's frequency."))
    return errors


def check_measurement(
    *,
    year: int,
    sub: int,
    frequency: str,
    period: tuple[int, int] | None,
    measure: str,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    scale: tuple[Decimal | None, Decimal | None],
    breakdown: dict,
    dimensions: list[dict],
) -> dict:
    """A measurement's period, value and disaggregation."""
    errors: dict = {}
    if period_of(year, sub, frequency) is None or (
        period is not None and not (period[0] <= year <= period[1])
    ):
        _add(errors, "period", _("There is no such reporting period for this indicator."))
    if measure == "percentage":
        if numerator is None or denominator is None:
            _add(errors, "denominator", _("A percentage needs a numerator and a denominator."))
        elif denominator == 0:
            _add(errors, "denominator", _("The denominator cannot be zero."))
        elif numerator < 0 or denominator < 0:
            _add(errors, "numerator", _("The numerator and denominator cannot be negative."))
    elif value is None:
        _add(errors, "value", _("Enter a value."))
    elif measure == "score":
        errors.update(check_score(value, *scale))
    total = value if measure != "percentage" else numerator
    if breakdown:
        errors.update(check_breakdown(breakdown, dimensions, total))
    return errors


def check_breakdown(breakdown: dict, dimensions: list[dict], total) -> dict:
    """Each dimension's values use its categories and add up to the total."""
    errors: dict = {}
    known = {d["key"]: {c["key"] for c in d.get("categories", [])} for d in dimensions}
    for dim, values in breakdown.items():
        if dim not in known:
            _add(errors, "breakdown", _("Unknown disaggregation “%(dim)s”.") % {"dim": dim})
            continue
        unknown = set(values) - known[dim]
        if unknown:
            _add(
                errors,
                "breakdown",
                _("Unknown categories for “%(dim)s”: %(cats)s.")
                % {"dim": dim, "cats": ", ".join(sorted(unknown))},
            )
            continue
        try:
            parts = sum(Decimal(str(v)) for v in values.values())
        except ArithmeticError:
            _add(errors, "breakdown", _("The values for “%(dim)s” must be numbers.") % {"dim": dim})
            continue
        if total is not None and parts != Decimal(str(total)):
            _add(
                errors,
                "breakdown",
                _("The values for “%(dim)s” add up to %(sum)s, not to the total %(total)s.")
                % {"dim": dim, "sum": parts, "total": total},
            )
    return errors
