"""Money: amounts carry their currency, BGN or EUR.

Bulgaria's currency has been the euro since 1 January 2026 at the fixed rate of 1 EUR = 1.95583 BGN.
Plans made before then state their amounts in leva, new ones in euro. Every amount is stored as
entered, with its currency; totals and comparisons convert to euro at the fixed rate (and the pages
say so). This module is the one place that knows the rate and how to round.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# The irrevocably fixed conversion rate set by the Council of the EU (the lev's central rate in
# ERM II since 1999).
BGN_PER_EUR = Decimal("1.95583")
CENT = Decimal("0.01")


class Currency(models.TextChoices):
    EUR = "EUR", _("euro")
    BGN = "BGN", _("leva")


DEFAULT_CURRENCY = Currency.EUR


def to_eur(amount: Decimal, currency: str) -> Decimal:
    """``amount`` in euro, rounded to the cent (half up, as the conversion rules ask)."""
    if currency == Currency.BGN:
        return (amount / BGN_PER_EUR).quantize(CENT, rounding=ROUND_HALF_UP)
    if currency == Currency.EUR:
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    raise ValueError(f"unknown currency {currency!r}")


def to_bgn(amount: Decimal, currency: str) -> Decimal:
    """``amount`` in leva, rounded to the stotinka."""
    if currency == Currency.EUR:
        return (amount * BGN_PER_EUR).quantize(CENT, rounding=ROUND_HALF_UP)
    if currency == Currency.BGN:
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    raise ValueError(f"unknown currency {currency!r}")


@dataclass(frozen=True, slots=True)
class Money:
    """An amount as entered, with its currency; ``eur`` is what totals add up."""

    amount: Decimal
    currency: str

    @property
    def eur(self) -> Decimal:
        return to_eur(self.amount, self.currency)

    @property
    def converted(self) -> bool:
        """The amount was entered in leva: pages show the euro amount with the leva beside it."""
        return self.currency != Currency.EUR


def total_eur(amounts: Iterable[Money]) -> Decimal:
    """The sum in euro of amounts in any currency: each converted, then added."""
    return sum((m.eur for m in amounts), Decimal("0.00"))
