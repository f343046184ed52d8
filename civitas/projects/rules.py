"""Pure rules for projects (no database). Used by services and the plan-file importer.

Each ``check_*`` returns a dict {field: [messages]}; an empty dict means valid.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from civitas.core.money import DEFAULT_CURRENCY
from civitas.core.text import slug_from
from civitas.plans.rules import check_currency, check_funding_source

from .models import ActivityState, FundingSource, ProjectStatus


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def check_dates(errors: dict, start, end, *, end_field: str) -> None:
    if start and end and end < start:
        _add(errors, end_field, _("The end cannot be before the start."))


def default_slug(code: str) -> str:
    """The address name of a project that was given none: its code transliterated ("ОПР-1.1" →
    "opr-1-1"), or "project" when nothing of it remains."""
    return slug_from(code) or "project"


def check_project(data: dict) -> dict:
    errors: dict = {}
    if not (data.get("code") or "").strip():
        _add(errors, "code", _("Give the project a code."))
    if not (data.get("title_bg") or "").strip():
        _add(errors, "title_bg", _("Give the project's title in Bulgarian."))
    status = data.get("status", ProjectStatus.IDEA)
    if status not in ProjectStatus.values:
        _add(errors, "status", _("Unknown project status “%(value)s”.") % {"value": status})
    check_dates(errors, data.get("planned_start"), data.get("planned_end"), end_field="planned_end")
    check_dates(errors, data.get("actual_start"), data.get("actual_end"), end_field="actual_end")
    progress = data.get("progress")
    if progress is not None and (
        not isinstance(progress, int) or isinstance(progress, bool) or not 0 <= progress <= 100
    ):
        _add(errors, "progress", _("Progress is a whole number from 0 to 100."))
    declared = data.get("declared_total")
    if declared is not None and declared != "":
        value = to_decimal(declared)
        if value is None:
            _add(errors, "declared_total", _("“%(value)s” is not a number.") % {"value": declared})
        elif value < 0:
            _add(errors, "declared_total", _("An amount cannot be negative."))
    check_currency(errors, data.get("declared_currency", DEFAULT_CURRENCY), field="declared_currency")
    if data.get("location") is not None:
        message = check_geometry(data["location"])
        if message:
            _add(errors, "location", message)
    return errors


def _point_ok(point) -> bool:
    return (
        isinstance(point, (list, tuple))
        and len(point) in (2, 3)
        and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in point)
        and -180 <= point[0] <= 180
        and -90 <= point[1] <= 90
    )


def check_geometry(geometry) -> str | None:
    """None if ``geometry`` is a GeoJSON Point, LineString or MultiLineString in [lon, lat]."""
    if not isinstance(geometry, dict):
        return _("The location must be a GeoJSON geometry object.")
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        ok = _point_ok(coords)
    elif kind == "LineString":
        ok = isinstance(coords, list) and len(coords) >= 2 and all(_point_ok(p) for p in coords)
    elif kind == "MultiLineString":
        ok = (
            isinstance(coords, list)
            and len(coords) >= 1
            and all(
                isinstance(line, list) and len(line) >= 2 and all(_point_ok(p) for p in line)
                for line in coords
            )
        )
    else:
        return _("The location must be a Point, a LineString or a MultiLineString.")
    if not ok:
        return _("The location's coordinates must be [longitude, latitude] pairs in degrees.")
    return None


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def check_funding(data: dict) -> dict:
    errors: dict = {}
    source = data.get("source")
    check_funding_source(errors, source)
    if source == FundingSource.EU and not (data.get("programme_bg") or "").strip():
        _add(errors, "programme_bg", _("Name the EU programme."))
    check_currency(errors, data.get("currency", DEFAULT_CURRENCY), field="currency")
    for field in ("amount", "spent"):
        raw = data.get(field)
        if field == "spent" and (raw is None or raw == ""):  # not reported
            continue
        value = to_decimal(raw)
        if value is None:
            _add(errors, field, _("“%(value)s” is not a number.") % {"value": raw})
        elif value < 0:
            _add(errors, field, _("An amount cannot be negative."))
    share = data.get("grant_share")
    if share is not None and share != "":
        value = to_decimal(share)
        if value is None:
            _add(errors, "grant_share", _("“%(value)s” is not a number.") % {"value": share})
        elif not 0 <= value <= 100:
            _add(errors, "grant_share", _("The grant share is a percentage from 0 to 100."))
    return errors


def check_activity(data: dict, *, today) -> dict:
    errors: dict = {}
    if not (data.get("title_bg") or "").strip():
        _add(errors, "title_bg", _("Give the activity's title in Bulgarian."))
    state = data.get("state", ActivityState.PLANNED)
    if state not in ActivityState.values:
        _add(errors, "state", _("Unknown activity state “%(value)s”.") % {"value": state})
    check_dates(errors, data.get("start_date"), data.get("due_date"), end_field="due_date")
    completed = data.get("completed_on")
    if completed and completed > today:
        _add(errors, "completed_on", _("The completion date cannot be in the future."))
    if completed and data.get("start_date") and completed < data["start_date"]:
        _add(errors, "completed_on", _("The completion date cannot be before the start."))
    return errors


# An activity in one of these states is finished with: its due date passing is no warning.
FINISHED_ACTIVITY_STATES = frozenset({ActivityState.DONE, ActivityState.CANCELLED})


def activity_overdue(*, state: str, due_date, completed_on, today) -> bool:
    """An activity is overdue when its due date has passed (``today`` is after it) and it is
    neither done nor cancelled nor completed: whatever state it still says ("Planned", "In
    progress", "Delayed"), the page warns."""
    return (
        due_date is not None
        and due_date < today
        and completed_on is None
        and state not in FINISHED_ACTIVITY_STATES
    )


def check_partner(data: dict) -> dict:
    if not (data.get("name_bg") or "").strip():
        return {"name_bg": [_("Give the partner's name in Bulgarian.")]}
    return {}


def order_with_one_moved(ids: list[int], pk: int, *, up: bool) -> list[int] | None:
    """``ids`` with ``pk`` swapped with its neighbour above (or below); None when it cannot move
    that way or is not among them."""
    if pk not in ids:
        return None
    i = ids.index(pk)
    j = i - 1 if up else i + 1
    if not 0 <= j < len(ids):
        return None
    moved = list(ids)
    moved[i], moved[j] = moved[j], moved[i]
    return moved
