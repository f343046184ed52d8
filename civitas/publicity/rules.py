"""The register's rules, pure: each check takes a record's values and returns {field: [messages]}
(empty when they are fine). The services apply them before anything is written."""

import datetime
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from .models import EventKind, MaterialKind, Medium

# The register records publicity of the plans and projects of a municipality: nothing before the
# first programming periods of Bulgaria's municipal plans, and nothing planned further ahead than this.
FIRST_DATE = datetime.date(1990, 1, 1)
YEARS_AHEAD = 5


def latest_date(today: datetime.date) -> datetime.date:
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def check_date(value, *, today: datetime.date, field: str, required: bool) -> dict:
    if value is None:
        return {field: [_("Give the date.")]} if required else {}
    if not isinstance(value, datetime.date):
        return {field: [_("Enter a real date, for example 27.3.2014.")]}
    latest = latest_date(today)
    if not FIRST_DATE <= value <= latest:
        return {
            field: [
                _("The date must be between %(first)s and %(last)s.")
                % {"first": FIRST_DATE.strftime("%d.%m.%Y"), "last": latest.strftime("%d.%m.%Y")}
            ]
        }
    return {}


def check_count(value, *, field: str, message: str) -> dict:
    """A number of people or copies: empty (not known) or a whole number from 0."""
    if value is None:
        return {}
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return {field: [message]}
    return {}


def check_url(value: str) -> dict:
    """A link the pages may show: empty, or an http or https address with a host."""
    if not value:
        return {}
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        return {"url": [_("Give the link as a web address beginning with http:// or https://.")]}
    return {}


def _required(data: dict, field: str, message: str) -> dict:
    return {} if str(data.get(field) or "").strip() else {field: [message]}


def check_event(data: dict, *, today: datetime.date) -> dict:
    errors: dict = {}
    errors |= _required(data, "title_bg", _("Give the event's title in Bulgarian."))
    if data.get("kind") not in EventKind.values:
        errors["kind"] = [_("Unknown kind of event.")]
    errors |= check_date(data.get("date"), today=today, field="date", required=True)
    errors |= check_count(
        data.get("participants"), field="participants",
        message=_("The number of participants is a whole number, 0 or more; leave it empty if it was not counted."),
    )  # fmt: skip
    return errors


def check_material(data: dict, *, today: datetime.date) -> dict:
    errors: dict = {}
    errors |= _required(data, "title_bg", _("Give the material's title in Bulgarian."))
    if data.get("kind") not in MaterialKind.values:
        errors["kind"] = [_("Unknown kind of material.")]
    errors |= check_date(data.get("produced_on"), today=today, field="produced_on", required=False)
    errors |= check_count(
        data.get("quantity"), field="quantity",
        message=_("The print run is a whole number, 0 or more; leave it empty if it is not known."),
    )  # fmt: skip
    return errors


def check_publication(data: dict, *, today: datetime.date) -> dict:
    errors: dict = {}
    errors |= _required(data, "title_bg", _("Give the publication's title in Bulgarian."))
    errors |= _required(data, "outlet_bg", _("Give the outlet: the newspaper, website, radio or channel."))
    if data.get("medium") not in Medium.values:
        errors["medium"] = [_("Unknown medium.")]
    errors |= check_date(data.get("published_on"), today=today, field="published_on", required=False)
    errors |= check_url(data.get("url") or "")
    return errors
