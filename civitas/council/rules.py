"""Pure rules for a council decision: what a decision's fields must hold (no database)."""

import datetime

from django.utils.translation import gettext as _

# The most councillors a Bulgarian municipal council has (Sofia's 61), with room: votes beyond it
# are a typing error.
MOST_COUNCILLORS = 101


def check_decision(data: dict, *, today: datetime.date) -> dict[str, list[str]]:
    """Errors by field for a decision's data (``number``, ``date``, the votes)."""
    errors: dict[str, list[str]] = {}
    number = data.get("number")
    if not isinstance(number, int) or number < 1:
        errors["number"] = [_("Give the decision's number, a whole number from 1.")]
    date = data.get("date")
    if not isinstance(date, datetime.date):
        errors["date"] = [_("Give the date of the decision.")]
    elif date > today:
        errors["date"] = [_("The date of a decision cannot be in the future.")]
    votes = [data.get(name) for name in ("votes_for", "votes_against", "votes_abstained")]
    given = [v for v in votes if v is not None]
    if any(v < 0 for v in given):
        errors["votes_for"] = [_("Votes cannot be negative.")]
    elif sum(given) > MOST_COUNCILLORS:
        errors["votes_for"] = [
            _("%(count)s votes in all is more than a municipal council has.") % {"count": sum(given)}
        ]
    if not (data.get("subject_bg") or "").strip():
        errors["subject_bg"] = [_("Give the subject of the decision in Bulgarian.")]
    return errors
