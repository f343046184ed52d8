"""Reporting periods: a year and a part of it, as an indicator's frequency divides the year. Pure."""

import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

PARTS = {"annual": 1, "semiannual": 2, "quarterly": 4, "monthly": 12}


@dataclass(frozen=True, order=True)
class PeriodKey:
    year: int
    sub: int = 0  # 0 = the whole year

    def parts(self, frequency: str) -> int:
        return PARTS[frequency]

    def start(self, frequency: str) -> datetime.date:
        if self.sub == 0:
            return datetime.date(self.year, 1, 1)
        months = 12 // PARTS[frequency]
        return datetime.date(self.year, (self.sub - 1) * months + 1, 1)

    def end(self, frequency: str) -> datetime.date:
        if self.sub == 0:
            return datetime.date(self.year, 12, 31)
        months = 12 // PARTS[frequency]
        last_month = self.sub * months
        return datetime.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def label(self, frequency: str) -> str:
        if self.sub == 0:
            return str(self.year)
        if frequency == "semiannual":
            return _("%(year)s, half %(n)s") % {"year": self.year, "n": self.sub}
        if frequency == "quarterly":
            return _("%(year)s, Q%(n)s") % {"year": self.year, "n": self.sub}
        return f"{self.sub:02d}.{self.year}"

    def __str__(self):
        return f"{self.year}" if self.sub == 0 else f"{self.year}-{self.sub}"


def periods(frequency: str, first_year: int, last_year: int) -> list[PeriodKey]:
    """Every reporting period of the years, in order."""
    parts = PARTS[frequency]
    if parts == 1:
        return [PeriodKey(year) for year in range(first_year, last_year + 1)]
    return [PeriodKey(year, sub) for year in range(first_year, last_year + 1) for sub in range(1, parts + 1)]


def is_valid(key: PeriodKey, frequency: str) -> bool:
    parts = PARTS[frequency]
    return key.sub == 0 if parts == 1 else 1 <= key.sub <= parts


def parse(text: str) -> PeriodKey:
    """'2016' → (2016, 0); '2016-3' → (2016, 3); ValueError otherwise."""
    text = str(text).strip()
    year, _sep, sub = text.partition("-")
    if not year.isdigit() or (sub and not sub.isdigit()):
        raise ValueError(text)
    return PeriodKey(int(year), int(sub or 0))
