"""Pure rules for plans and their goal trees (no database). Used by services and the plan-file importer.

Each ``check_*`` returns a dict {field: [messages]}; an empty dict means valid.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from civitas.core.money import CENT, Currency

from .models import PLAN_STATUS_ORDER, FundingSource, PlanKind, PlanStatus, PlanToleranceUnit

MIN_YEAR, MAX_YEAR = 1990, 2100
# Pages draw the goal tree recursively; no real plan has more levels than this.
MAX_LEVELS = 10


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def check_tolerance(amount, unit: str, *, prefix: str = "") -> dict:
    """A tolerance for missing a target (a plan's or an indicator's): none, or an amount of zero or
    more with its unit, at most 100 in percent. The fields are ``{prefix}tolerance_amount`` and
    ``{prefix}tolerance_unit``."""
    errors: dict = {}
    if amount is None:
        return errors
    if unit not in PlanToleranceUnit.values:
        _add(errors, f"{prefix}tolerance_unit", _("Choose the unit of the tolerance."))
    if amount < 0:
        _add(errors, f"{prefix}tolerance_amount", _("The tolerance must be zero or more."))
    elif unit == PlanToleranceUnit.PERCENT and amount > 100:
        _add(errors, f"{prefix}tolerance_amount", _("A tolerance in percent must be between 0 and 100."))
    return errors


def check_plan(data: dict) -> dict:
    errors: dict = check_tolerance(data.get("tolerance_amount"), data.get("tolerance_unit") or "")
    if not (data.get("title_bg") or "").strip():
        _add(errors, "title_bg", _("Give the plan's title in Bulgarian."))
    kind = data.get("kind")
    if kind not in PlanKind.values:
        _add(errors, "kind", _("Unknown kind of plan “%(value)s”.") % {"value": kind})
    status = data.get("status", PlanStatus.DRAFT)
    if status not in PlanStatus.values:
        _add(errors, "status", _("Unknown plan status “%(value)s”.") % {"value": status})
    start, end = data.get("period_start"), data.get("period_end")
    for field, year in (("period_start", start), ("period_end", end)):
        if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= MAX_YEAR:
            _add(
                errors,
                field,
                _("Give a year between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            )
    if isinstance(start, int) and isinstance(end, int) and end < start:
        _add(errors, "period_end", _("The last year cannot be before the first year."))
    if data.get("currency", Currency.EUR) not in Currency.values:
        _add(errors, "currency", _("Unknown currency “%(value)s”.") % {"value": data["currency"]})
    levels = data.get("level_names")
    if levels is not None:
        if not isinstance(levels, list) or not levels:
            _add(errors, "level_names", _("A plan needs at least one level, e.g. “Strategic goal”."))
        elif len(levels) > MAX_LEVELS:
            _add(errors, "level_names", _("A plan has at most %(max)s levels.") % {"max": MAX_LEVELS})
        elif any(not isinstance(level, dict) or not str(level.get("bg", "")).strip() for level in levels):
            _add(errors, "level_names", _("Every level needs a name in Bulgarian."))
    errors.update(check_year_start_month(data.get("year_start_month"), allow_none=True))
    return errors


def check_year_start_month(month, *, allow_none: bool = False) -> dict:
    """The month a reporting year starts in: 1 (January, the calendar year) to 12; a plan may leave
    it empty (its municipality's)."""
    if month is None and allow_none:
        return {}
    if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
        return {"year_start_month": [_("Choose the month the reporting year starts in (1–12).")]}
    return {}


def check_status_change(old: str, new: str) -> dict:
    """Forward along draft → consultation → adopted → in implementation → completed → archived
    (steps may be skipped), or from consultation back to draft."""
    if new not in PlanStatus.values:
        return {"status": [_("Unknown plan status “%(value)s”.") % {"value": new}]}
    if new == old:
        return {}
    if old == PlanStatus.CONSULTATION and new == PlanStatus.DRAFT:
        return {}
    if PLAN_STATUS_ORDER.index(new) > PLAN_STATUS_ORDER.index(old):
        return {}
    return {
        "status": [
            _("A plan cannot go back from “%(old)s” to “%(new)s”.")
            % {"old": PlanStatus(old).label, "new": PlanStatus(new).label}
        ]
    }


def check_element(data: dict) -> dict:
    errors: dict = {}
    if not (data.get("code") or "").strip():
        _add(errors, "code", _("Give the element a code, e.g. SG1."))
    if not (data.get("title_bg") or "").strip():
        _add(errors, "title_bg", _("Give the element's title in Bulgarian."))
    return errors


def check_depth(*, depth: int, levels: int) -> dict:
    """``depth`` is 0 for a top-level element; a plan with N level names allows depths 0..N-1."""
    if depth >= max(levels, 1):
        return {
            "parent": [
                _("The plan has only %(levels)s levels: an element cannot go this deep.") % {"levels": levels}
            ]
        }
    return {}


def subtree_height(element_id: int, children: dict) -> int:
    """How many levels the element's subtree spans (1 for a leaf). ``children``: id → child ids."""
    height, stack = 0, [(element_id, 1)]
    while stack:
        node, level = stack.pop()
        height = max(height, level)
        stack.extend((child, level + 1) for child in children.get(node, ()))
    return height


def descendants(element_id: int, children: dict) -> set[int]:
    found, stack = set(), list(children.get(element_id, ()))
    while stack:
        node = stack.pop()
        found.add(node)
        stack.extend(children.get(node, ()))
    return found


def to_amount(value) -> Decimal | None:
    """An amount given as a number or text, or None when it is none."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return amount.quantize(CENT) if amount.is_finite() and abs(amount) < 10**15 else None


def check_funding_source(errors: dict, source, *, field: str = "source") -> None:
    """A known funding source (a plan's financial table, a project's funding line)."""
    if source not in FundingSource.values:
        _add(
            errors,
            field,
            _("Unknown funding source “%(value)s”; expected one of: %(allowed)s.")
            % {"value": source, "allowed": ", ".join(FundingSource.values)},
        )


def check_currency(errors: dict, currency, *, field: str = "currency") -> None:
    """A known currency of an amount."""
    if currency not in Currency.values:
        _add(
            errors,
            field,
            _("Unknown currency “%(value)s”; expected one of: %(allowed)s.")
            % {"value": currency, "allowed": ", ".join(Currency.values)},
        )


def check_financial_line(data: dict, *, period_start: int, period_end: int) -> dict:
    """A line of a plan's indicative financial table: a known source and currency, an amount of
    zero or more, and a year (if any) within the plan's period."""
    errors: dict = {}
    check_funding_source(errors, data.get("source"))
    check_currency(errors, data.get("currency"))
    raw = data.get("amount")
    amount = to_amount(raw)
    if amount is None:
        _add(errors, "amount", _("“%(value)s” is not a number.") % {"value": raw})
    elif amount < 0:
        _add(errors, "amount", _("An amount cannot be negative."))
    year = data.get("year")
    if year is not None and (
        not isinstance(year, int) or isinstance(year, bool) or not period_start <= year <= period_end
    ):
        _add(
            errors,
            "year",
            _("Give a year of the plan's period, %(start)s–%(end)s, or none for the whole period.")
            % {"start": period_start, "end": period_end},
        )
    return errors


# The longest text of an annual assessment's part (what was done, what held it back), per language.
ASSESSMENT_TEXT_MAX = 5000


def check_assessment(
    *,
    year: int,
    period: tuple[int, int],
    achieved_bg: str,
    achieved_en: str,
    obstacles_bg: str,
    obstacles_en: str,
    publish: bool,
) -> dict:
    """An element's annual assessment: a year of its plan's period, texts of bounded length, and
    something to publish (what was done, in Bulgarian) before it is published."""
    errors: dict = {}
    if not period[0] <= year <= period[1]:
        _add(
            errors, "year",
            _("The year %(year)s is outside the plan's period %(start)s–%(end)s.")
            % {"year": year, "start": period[0], "end": period[1]},
        )  # fmt: skip
    texts = {"achieved_bg": achieved_bg, "achieved_en": achieved_en, "obstacles_bg": obstacles_bg,
             "obstacles_en": obstacles_en}  # fmt: skip
    for field, text in texts.items():
        if len(text) > ASSESSMENT_TEXT_MAX:
            _add(
                errors, field,
                _("The text is too long: at most %(max)s characters.") % {"max": ASSESSMENT_TEXT_MAX},
            )  # fmt: skip
    if publish and not achieved_bg.strip():
        _add(errors, "achieved_bg", _("Write what was done (in Bulgarian) before publishing the assessment."))
    return errors
