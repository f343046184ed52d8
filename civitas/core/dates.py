"""Dates as the staff forms show and send them: to the minute, on the local clock."""

import datetime

from django.utils.timezone import localtime


def edited_date(*, stored: datetime.datetime | None, submitted: datetime.datetime | None):
    """The date an editor sent back, or the stored one when they left it as the form showed it.

    The staff forms show and send dates to the minute (a datetime-local input), while stored
    dates have seconds (a consultation opened at 10:04:37). Sent back untouched, 10:04 means
    "unchanged", not "moved 37 seconds earlier"; any other value is a real change. Compared as
    the form shows them, on the local clock (so the repeated hour when summer time ends cannot
    tell them apart either). Consultations and surveys use this rule."""
    if stored is None or submitted is None or submitted == stored:
        return submitted
    shown = localtime(stored).replace(second=0, microsecond=0, tzinfo=None)
    return stored if localtime(submitted).replace(tzinfo=None) == shown else submitted
