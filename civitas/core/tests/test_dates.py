"""A date sent back by a staff form as the form showed it (to the minute, on the local clock) is
the stored one, not a change."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from civitas.core.dates import edited_date

STORED = datetime.datetime(2026, 3, 2, 10, 4, 37, 512000, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("submitted", "kept"),
    [(STORED.replace(second=0, microsecond=0), STORED),  # sent back as the form showed it: unchanged
     (STORED, STORED),
     (STORED.replace(minute=5, second=0, microsecond=0), STORED.replace(minute=5, second=0, microsecond=0)),
     (STORED.replace(minute=3, second=0, microsecond=0), STORED.replace(minute=3, second=0, microsecond=0)),
     (STORED.replace(second=12), STORED.replace(second=12)),  # seconds given on purpose are a change
     (None, None)],
)  # fmt: skip
def test_a_date_left_as_the_form_showed_it_is_unchanged(submitted, kept):
    assert edited_date(stored=STORED, submitted=submitted) == kept
    assert edited_date(stored=None, submitted=submitted) == submitted


def test_the_repeated_hour_when_summer_time_ends_shown_on_the_form_is_unchanged():
    """25 October 2026, Sofia: 03:30 comes twice; the form shows both as 03:30 and reads it back as
    the first."""
    with timezone.override(zoneinfo.ZoneInfo("Europe/Sofia")):
        second = datetime.datetime(2026, 10, 25, 1, 30, 20, tzinfo=datetime.UTC)  # the second 03:30:20
        shown = timezone.make_aware(datetime.datetime(2026, 10, 25, 3, 30))  # what the form sends back
        assert shown != second.replace(second=0)
        assert edited_date(stored=second, submitted=shown) == second
        moved = timezone.make_aware(datetime.datetime(2026, 10, 25, 3, 31))
        assert edited_date(stored=second, submitted=moved) == moved
