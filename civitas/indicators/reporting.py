"""The reporting calendar's rules, in one place (pure: no database).

A period's value is due ``deadline_days`` after the period ends (the municipality's reporting
deadline, settings.CIVITAS_REPORTING_DEADLINE_DAYS). For one indicator on a given day:

- **due**: the period has ended, its deadline has not passed, and no value has been submitted;
- **overdue**: the deadline has passed and no value has been submitted (a draft or a returned
  value is not yet reported);
- **stale**: the engine's rule (``engine.stale_after``): no published value within the
  indicator's frequency plus the municipality's grace period, on the date the indicator is
  evaluated, so the calendar and every page agree on what is stale.

Periods are those of the indicator's frequency within its plan's (or project's) years.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from civitas.evaluation import engine

from .models import MeasurementState

# A value in one of these states has been reported: it is with the verifier or already counts.
REPORTED_STATES = frozenset(
    {MeasurementState.SUBMITTED, MeasurementState.APPROVED, MeasurementState.PUBLISHED}
)


class CalendarKind(StrEnum):
    """What the reporting calendar says of a period of an indicator (see above): its value is due,
    overdue (both from ``due_items``), or the indicator is stale (``is_stale``)."""

    DUE = "due"
    OVERDUE = "overdue"
    STALE = "stale"


@dataclass(frozen=True)
class DueItem:
    period: engine.Period
    deadline: datetime.date
    kind: CalendarKind  # DUE or OVERDUE
    state: str  # the stored value's state ("" when there is none)

    def days_left(self, today: datetime.date) -> int:
        return (self.deadline - today).days


def periods(frequency: str, years: tuple[int, int], year_start: int = 1) -> list[engine.Period]:
    """Every reporting period of the frequency in the (reporting) years, in order."""
    frequency = engine.Frequency(frequency)
    if frequency is engine.Frequency.ANNUAL:
        return [engine.Period(year, year_start=year_start) for year in range(years[0], years[1] + 1)]
    return [
        engine.Period(year, frequency, index, year_start)
        for year in range(years[0], years[1] + 1)
        for index in range(1, frequency.parts + 1)
    ]


def deadline(period: engine.Period, deadline_days: int) -> datetime.date:
    """The last day to report the value of ``period``."""
    return period.end + datetime.timedelta(days=deadline_days)


def due_items(
    *,
    frequency: str,
    years: tuple[int, int] | None,
    states: Mapping[engine.Period, str],
    today: datetime.date,
    deadline_days: int,
    year_start: int = 1,
) -> list[DueItem]:
    """The periods of one indicator that are due or overdue on ``today``.

    ``states`` gives the state of the stored value of each period that has one.
    """
    if years is None:
        return []
    items = []
    for period in periods(frequency, years, year_start):
        if period.end >= today:
            break
        state = states.get(period, "")
        if state in REPORTED_STATES:
            continue
        last_day = deadline(period, deadline_days)
        items.append(
            DueItem(period, last_day, CalendarKind.OVERDUE if last_day < today else CalendarKind.DUE, state)
        )
    return items


def is_stale(
    *,
    frequency: str,
    published: Iterable[engine.Period],
    as_of: datetime.date,
    grace_days: int,
    plan_end: datetime.date | None = None,
) -> bool:
    """No published value within the frequency plus the grace period: the engine's rule. Nothing
    is due after ``plan_end`` (the plan's last day), so a last value reaching it is never stale."""
    published = list(published)
    if not published:
        return False
    last = max(published)
    if plan_end is not None and last.end >= plan_end:
        return False
    return as_of > engine.stale_after(last, engine.Frequency(frequency), grace_days)


def due_within(items: Iterable[DueItem], *, today: datetime.date, days: int) -> list[DueItem]:
    """What a reminder lists: every overdue item, and the due ones whose deadline is at most
    ``days`` away."""
    return [item for item in items if item.kind is CalendarKind.OVERDUE or item.days_left(today) <= days]
