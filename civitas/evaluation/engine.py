"""The evaluation engine: every evaluation rule of Civitas in one pure module.

Pages, reports and the API call these functions; nothing else computes an actual, an expected
value, a ratio, a status, a forecast, a roll-up or an efficiency figure. The module imports only
the standard library: no Django, no database. Inputs are frozen dataclasses built by the caller
from whatever storage it uses; results are frozen dataclasses with everything a page needs.

The rules, with worked examples, are documented in ``docs/evaluation-rules.md``; the tests in
``civitas/evaluation/tests`` use the same numbers.

Numbers are floats. Sums use ``math.fsum`` (exactly rounded, so the order of the measurements
never changes a result). Bad input raises ``EngineError``, a ValueError with a stable ``code``
(``ErrorCode``) and the values it names; its text is English for developers, and callers translate
the code for the people who read it.
"""

from __future__ import annotations

import bisect
import calendar
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeVar

__all__ = [
    "DEFAULT_THRESHOLDS",
    "Accumulation",
    "Baseline",
    "Direction",
    "Efficiency",
    "EngineError",
    "ErrorCode",
    "Forecast",
    "ForecastOutcome",
    "Frequency",
    "IndicatorResult",
    "IndicatorSpec",
    "Measure",
    "Measurement",
    "Node",
    "NodeResult",
    "Note",
    "Period",
    "Quantity",
    "SeriesPoint",
    "Status",
    "Thresholds",
    "actual_value",
    "budget_execution",
    "cost_per_unit",
    "default_periods",
    "evaluate_efficiency",
    "evaluate_indicator",
    "evaluate_tree",
    "expected_value",
    "forecast",
    "maintain_ratio",
    "progress_ratio",
    "score_for_ratio",
    "stale_after",
    "status_for_ratio",
    "validate_measurements",
    "validate_spec",
]


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"


class Accumulation(StrEnum):
    PER_PERIOD = "per_period"
    CUMULATIVE = "cumulative"
    LATEST = "latest"


class Measure(StrEnum):
    NUMBER = "number"
    PERCENTAGE = "percentage"
    SCORE = "score"


class Frequency(StrEnum):
    ANNUAL = "annual"
    SEMIANNUAL = "semiannual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"

    @property
    def months(self) -> int:
        """Length of one period of this frequency, in months."""
        return _FREQUENCY_MONTHS[self]

    @property
    def parts(self) -> int:
        """Number of periods of this frequency in a year."""
        return 12 // _FREQUENCY_MONTHS[self]


_FREQUENCY_MONTHS = {
    Frequency.ANNUAL: 12,
    Frequency.SEMIANNUAL: 6,
    Frequency.QUARTERLY: 3,
    Frequency.MONTHLY: 1,
}


class Status(StrEnum):
    """Traffic light of an indicator or a plan element. The values are stable (stored, in the API)."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"
    STALE = "stale"


class ForecastOutcome(StrEnum):
    LIKELY = "likely"
    UNLIKELY = "unlikely"
    INSUFFICIENT_DATA = "insufficient_data"
    NO_TARGET = "no_target"


class Note(StrEnum):
    """Why a figure is missing or qualified; pages translate these codes."""

    NO_MEASUREMENTS = "no_measurements"  # no approved value at all
    NO_TARGET = "no_target"  # nothing to compare with (no target; no baseline for "maintain")
    BEFORE_START = "before_start"  # the period ends before the baseline (or the first target)
    NO_BASELINE = "no_baseline"  # baseline not available: status by attainment, no ratio/score
    PARTIAL_PERIOD = "partial_period"  # the period evaluated has not ended on the as-of date
    STALE = "stale"  # no approved value within the frequency plus the grace period


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class Quantity(StrEnum):
    """A number the engine reads, named in the errors about it."""

    BASELINE_VALUE = "baseline_value"
    TOLERANCE = "tolerance"
    WEIGHT = "weight"
    SCALE_MIN = "scale_min"
    SCALE_MAX = "scale_max"
    TARGET = "target"
    VALUE = "value"
    NUMERATOR = "numerator"
    DENOMINATOR = "denominator"
    ON_TRACK_THRESHOLD = "on_track_threshold"
    AT_RISK_THRESHOLD = "at_risk_threshold"
    ELEMENT_WEIGHT = "element_weight"
    SPENT = "spent"
    PLANNED = "planned"
    COST = "cost"
    OUTPUT = "output"

    @property
    def words(self) -> str:
        """The quantity in English words, for the developer's message."""
        return self.value.replace("_", " ")


class ErrorCode(StrEnum):
    """Why the engine refused its input. The values are stable: callers translate them."""

    NOT_A_NUMBER = "not_a_number"
    NOT_FINITE = "not_finite"
    PERIOD_YEAR = "period_year"
    PERIOD_FREQUENCY = "period_frequency"
    PERIOD_INDEX = "period_index"
    PERIOD_TEXT = "period_text"
    BASELINE_YEAR = "baseline_year"
    BASELINE_TYPE = "baseline_type"
    INDICATOR_KEY = "indicator_key"
    UNKNOWN_DIRECTION = "unknown_direction"
    UNKNOWN_ACCUMULATION = "unknown_accumulation"
    UNKNOWN_MEASURE = "unknown_measure"
    UNKNOWN_FREQUENCY = "unknown_frequency"
    TOLERANCE_NEGATIVE = "tolerance_negative"
    WEIGHT_NEGATIVE = "weight_negative"
    SCALE_MISSING = "scale_missing"
    SCALE_ORDER = "scale_order"
    SCORE_NOT_LATEST = "score_not_latest"
    SCALE_NOT_SCORE = "scale_not_score"
    TARGET_PAIR = "target_pair"
    TARGET_PERIOD_TYPE = "target_period_type"
    TARGET_TWICE = "target_twice"
    TARGETS_SAME_MONTH = "targets_same_month"
    BASELINE_OUTSIDE_SCALE = "baseline_outside_scale"
    TARGET_OUTSIDE_SCALE = "target_outside_scale"
    VALUE_OUTSIDE_SCALE = "value_outside_scale"
    TARGET_NOT_AFTER_BASELINE = "target_not_after_baseline"
    TARGET_BELOW_BASELINE = "target_below_baseline"
    TARGET_ABOVE_BASELINE = "target_above_baseline"
    MEASUREMENT_PERIOD_TYPE = "measurement_period_type"
    VALUE_AND_RATIO = "value_and_ratio"
    VALUE_MISSING = "value_missing"
    RATIO_INCOMPLETE = "ratio_incomplete"
    DENOMINATOR_ZERO = "denominator_zero"
    DENOMINATOR_NEGATIVE = "denominator_negative"
    NUMERATOR_NEGATIVE = "numerator_negative"
    COLLECTED_TYPE = "collected_type"
    THRESHOLDS_ORDER = "thresholds_order"
    GRACE_DAYS = "grace_days"
    ELEMENT_WEIGHT = "element_weight"
    PERCENTAGE_NEEDS_RATIO = "percentage_needs_ratio"
    NUMBER_NEEDS_VALUE = "number_needs_value"
    MEASUREMENT_TYPE = "measurement_type"
    MEASUREMENT_TWICE = "measurement_twice"
    MEASUREMENT_SPANS_PERIODS = "measurement_spans_periods"
    SPEC_TYPE = "spec_type"
    AS_OF_TYPE = "as_of_type"
    PERIODS_ORDER = "periods_order"
    NODE_TYPE = "node_type"
    ELEMENT_TWICE = "element_twice"
    RESULT_TYPE = "result_type"
    BUDGET_NEGATIVE = "budget_negative"
    COST_NEGATIVE = "cost_negative"
    OUTPUT_NEGATIVE = "output_negative"
    PLAN_PERIOD = "plan_period"
    TARGET_OUTSIDE_PLAN = "target_outside_plan"
    BASELINE_AFTER_PLAN = "baseline_after_plan"
    MEASUREMENT_OUTSIDE_PLAN = "measurement_outside_plan"


# The developer's message of each code (``str()`` of the error), filled from its parameters. What
# a person reads is the caller's translation of the code (civitas.indicators.rules).
_ENGLISH: dict[ErrorCode, str] = {
    ErrorCode.NOT_A_NUMBER: "{quantity.words} must be a number, got {value!r}",
    ErrorCode.NOT_FINITE: "{quantity.words} must be a finite number, got {value!r}",
    ErrorCode.PERIOD_YEAR: "period year must be an integer between 1 and 9998, got {year!r}",
    ErrorCode.PERIOD_FREQUENCY: "unknown period frequency {value!r} (one of {allowed})",
    ErrorCode.PERIOD_INDEX: "a {frequency} period of {year} has an index from 1 to {parts}, got {index!r}",
    ErrorCode.PERIOD_TEXT: "not a period: {text!r} (expected 2020, 2020-H1, 2020-Q3 or 2020-07)",
    ErrorCode.BASELINE_YEAR: "baseline year must be an integer year, got {year!r}",
    ErrorCode.BASELINE_TYPE: "baseline must be a Baseline(value, year) or None, got {baseline!r}",
    ErrorCode.INDICATOR_KEY: "indicator key must be a non-empty string, got {key!r}",
    ErrorCode.UNKNOWN_DIRECTION: "unknown direction {value!r} (one of {allowed})",
    ErrorCode.UNKNOWN_ACCUMULATION: "unknown accumulation {value!r} (one of {allowed})",
    ErrorCode.UNKNOWN_MEASURE: "unknown measure {value!r} (one of {allowed})",
    ErrorCode.UNKNOWN_FREQUENCY: "unknown frequency {value!r} (one of {allowed})",
    ErrorCode.TOLERANCE_NEGATIVE: "tolerance must not be negative, got {tolerance:g}",
    ErrorCode.WEIGHT_NEGATIVE: "weight must not be negative, got {weight:g}",
    ErrorCode.SCALE_MISSING: "a qualitative score needs scale_min and scale_max",
    ErrorCode.SCALE_ORDER: "scale_min must be below scale_max, got {scale_min:g}–{scale_max:g}",
    ErrorCode.SCORE_NOT_LATEST: (
        "a qualitative score is a level; its accumulation must be 'latest', not {accumulation.value!r} "
        "(scores are never added up)"
    ),
    ErrorCode.SCALE_NOT_SCORE: "a scale applies only to a qualitative score",
    ErrorCode.TARGET_PAIR: "targets must be (period, value) pairs, got {pair!r}",
    ErrorCode.TARGET_PERIOD_TYPE: "target period must be a Period, got {period!r}",
    ErrorCode.TARGET_TWICE: "two targets for period {period}",
    ErrorCode.TARGETS_SAME_MONTH: "targets for {earlier} and {later} end in the same month",
    ErrorCode.BASELINE_OUTSIDE_SCALE: "baseline {value:g} is outside the scale {scale_min:g}–{scale_max:g}",
    ErrorCode.TARGET_OUTSIDE_SCALE: (
        "target for {period} {value:g} is outside the scale {scale_min:g}–{scale_max:g}"
    ),
    ErrorCode.VALUE_OUTSIDE_SCALE: "value for {period} {value:g} is outside the scale {scale_min:g}–{scale_max:g}",
    ErrorCode.TARGET_NOT_AFTER_BASELINE: (
        "target period {period} does not end after the baseline year {baseline_year}"
    ),
    ErrorCode.TARGET_BELOW_BASELINE: (
        "target {target:g} for {period} is below the baseline {baseline:g} of an increasing indicator"
    ),
    ErrorCode.TARGET_ABOVE_BASELINE: (
        "target {target:g} for {period} is above the baseline {baseline:g} of a decreasing indicator"
    ),
    ErrorCode.MEASUREMENT_PERIOD_TYPE: "measurement period must be a Period, got {period!r}",
    ErrorCode.VALUE_AND_RATIO: "give either a value or a numerator and denominator, not both",
    ErrorCode.VALUE_MISSING: "a value (or a numerator and denominator) is required",
    ErrorCode.RATIO_INCOMPLETE: "a percentage needs both a numerator and a denominator",
    ErrorCode.DENOMINATOR_ZERO: "the denominator is 0; a percentage of nothing is undefined",
    ErrorCode.DENOMINATOR_NEGATIVE: "the denominator must be positive, got {denominator:g}",
    ErrorCode.NUMERATOR_NEGATIVE: "the numerator must not be negative, got {numerator:g}",
    ErrorCode.COLLECTED_TYPE: "collected must be a date, got {collected!r}",
    ErrorCode.THRESHOLDS_ORDER: (
        "thresholds must satisfy 0 ≤ at_risk ≤ on_track ≤ 1, got at_risk={at_risk}, on_track={on_track}"
    ),
    ErrorCode.GRACE_DAYS: "stale grace period must be a whole number of days ≥ 0, got {grace!r}",
    ErrorCode.ELEMENT_WEIGHT: "weight must be positive, got {weight:g}",
    ErrorCode.PERCENTAGE_NEEDS_RATIO: (
        "the percentage for {period} needs a numerator and a denominator (percentages are added up "
        "as counts, never averaged)"
    ),
    ErrorCode.NUMBER_NEEDS_VALUE: "the value for {period} is a number, not a numerator and denominator",
    ErrorCode.MEASUREMENT_TYPE: "expected a Measurement, got {value!r}",
    ErrorCode.MEASUREMENT_TWICE: "two approved measurements for {period}",
    ErrorCode.MEASUREMENT_SPANS_PERIODS: (
        "the measurement for {period} spans more than one evaluation period"
    ),
    ErrorCode.SPEC_TYPE: "expected an IndicatorSpec, got {value!r}",
    ErrorCode.AS_OF_TYPE: "as_of must be a date, got {value!r}",
    ErrorCode.PERIODS_ORDER: "evaluation periods must be in order and not overlap: {earlier}, {later}",
    ErrorCode.NODE_TYPE: "expected a Node, got {value!r}",
    ErrorCode.ELEMENT_TWICE: "element key {key!r} appears twice in the tree",
    ErrorCode.RESULT_TYPE: "expected an IndicatorResult, got {value!r}",
    ErrorCode.BUDGET_NEGATIVE: "budget amounts must not be negative, got spent {spent:g} of planned {planned:g}",
    ErrorCode.COST_NEGATIVE: "cost must not be negative, got {cost:g}",
    ErrorCode.OUTPUT_NEGATIVE: "output must not be negative, got {output:g}",
    ErrorCode.PLAN_PERIOD: "plan period must be two years, first ≤ last, got {start!r}–{end!r}",
    ErrorCode.TARGET_OUTSIDE_PLAN: "the target for {period} is outside the plan period {start}–{end}",
    ErrorCode.BASELINE_AFTER_PLAN: "the baseline year {year} is after the plan period {start}–{end}",
    ErrorCode.MEASUREMENT_OUTSIDE_PLAN: (
        "the measurement for {period} is outside the plan period {start}–{end}"
    ),
}

# Parameters naming what an error is about: the developer's message starts with it.
_SUBJECTS = (
    ("indicator", "indicator {}"),
    ("measurement", "measurement for {}"),
    ("element", "element {}"),
)


class EngineError(ValueError):
    """Input the engine refuses: ``code`` says which rule refused it, ``params`` holds the values
    the message names (periods as Periods, numbers as numbers). ``str()`` is an English sentence
    for logs and developers; a page shows the caller's translation of the code instead.

    The subject parameters ``indicator`` (the spec's key), ``measurement`` (its period) and
    ``element`` (the node's key) say what the error is about.
    """

    def __init__(self, code: ErrorCode, /, **params: object) -> None:
        self.code = ErrorCode(code)
        self.params = params
        message = _ENGLISH[self.code].format(**params)
        for name, subject in _SUBJECTS:
            if name in params:
                message = f"{subject.format(params[name])}: {message}"
                break
        super().__init__(message)

    def __reduce__(self):  # pickles by code and parameters (keyword-only, unlike ValueError's)
        return (_engine_error, (self.code, self.params))


def _engine_error(code: ErrorCode, params: dict[str, object]) -> EngineError:
    return EngineError(code, **params)


V = TypeVar("V", bound=StrEnum)


def _member(vocabulary: type[V], raw: str, code: ErrorCode, **subject: object) -> V:
    """The member of the vocabulary that ``raw`` is or names; EngineError with ``code`` otherwise."""
    try:
        return vocabulary(raw)
    except ValueError:
        allowed = ", ".join(member.value for member in vocabulary)
        raise EngineError(code, value=raw, allowed=allowed, **subject) from None


def _number(value: object, quantity: Quantity, **subject: object) -> float:
    """A finite float from an int, float or Decimal; EngineError otherwise."""
    if isinstance(value, bool):
        raise EngineError(ErrorCode.NOT_A_NUMBER, quantity=quantity, value=value, **subject)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise EngineError(ErrorCode.NOT_A_NUMBER, quantity=quantity, value=value, **subject) from None
    if not math.isfinite(number):
        raise EngineError(ErrorCode.NOT_FINITE, quantity=quantity, value=value, **subject)
    return number


# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------

_PERIOD_RE = re.compile(r"^\s*(\d{4})(?:-(?:(H)([12])|(Q)([1-4])|(\d{2})))?\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar period: a whole year, or a half, quarter or month of it.

    ``Period(2020)`` is the year 2020; ``Period(2020, Frequency.QUARTERLY, 3)`` is July–September
    2020. Periods are calendar-aligned, so two periods either nest or do not overlap. They sort
    by end, then by start (so Q4 2020 sorts after the year 2020, which starts earlier).
    """

    year: int
    frequency: Frequency = Frequency.ANNUAL
    index: int = 1

    def __post_init__(self) -> None:
        if isinstance(self.year, bool) or not isinstance(self.year, int) or not 1 <= self.year <= 9998:
            raise EngineError(ErrorCode.PERIOD_YEAR, year=self.year)
        frequency = _member(Frequency, self.frequency, ErrorCode.PERIOD_FREQUENCY)
        object.__setattr__(self, "frequency", frequency)
        if (
            isinstance(self.index, bool)
            or not isinstance(self.index, int)
            or not 1 <= self.index <= frequency.parts
        ):
            raise EngineError(
                ErrorCode.PERIOD_INDEX,
                frequency=frequency,
                year=self.year,
                parts=frequency.parts,
                index=self.index,
            )

    # Constructors -----------------------------------------------------------------------------

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(year)

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        return cls(year, Frequency.SEMIANNUAL, half)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(year, Frequency.QUARTERLY, quarter)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, Frequency.MONTHLY, month)

    @classmethod
    def of(cls, year: int, sub: int = 0, frequency: Frequency | str = Frequency.ANNUAL) -> Period:
        """From the (year, sub) form used by the indicators app: sub 0 is the whole year."""
        if sub == 0:
            return cls(year)
        return cls(year, _member(Frequency, frequency, ErrorCode.PERIOD_FREQUENCY), sub)

    @classmethod
    def parse(cls, text: str) -> Period:
        """'2020', '2020-H1', '2020-Q3', '2020-07' → Period; EngineError otherwise."""
        match = _PERIOD_RE.match(str(text))
        if not match:
            raise EngineError(ErrorCode.PERIOD_TEXT, text=text)
        year = int(match.group(1))
        if match.group(2):
            return cls.half(year, int(match.group(3)))
        if match.group(4):
            return cls.quarter(year, int(match.group(5)))
        if match.group(6):
            return cls.month(year, int(match.group(6)))
        return cls(year)

    # Calendar ---------------------------------------------------------------------------------

    @property
    def first_month(self) -> int:
        return (self.index - 1) * self.frequency.months + 1

    @property
    def last_month(self) -> int:
        return self.index * self.frequency.months

    @property
    def start_index(self) -> int:
        """Months since year 0 of the period's first month (an integer timeline)."""
        return self.year * 12 + self.first_month

    @property
    def end_index(self) -> int:
        """Months since year 0 of the period's last month: the time point the period stands for."""
        return self.year * 12 + self.last_month

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    @property
    def time(self) -> float:
        """The period's end in years (2020 → 2021.0, 2020-H1 → 2020.5): the x axis of trends."""
        return self.end_index / 12

    @property
    def label(self) -> str:
        if self.frequency is Frequency.ANNUAL:
            return f"{self.year:04d}"
        if self.frequency is Frequency.SEMIANNUAL:
            return f"{self.year:04d}-H{self.index}"
        if self.frequency is Frequency.QUARTERLY:
            return f"{self.year:04d}-Q{self.index}"
        return f"{self.year:04d}-{self.index:02d}"

    def __str__(self) -> str:
        return self.label

    def contains(self, other: Period) -> bool:
        """True when ``other`` lies within this period (a period contains itself)."""
        return self.start_index <= other.start_index and other.end_index <= self.end_index

    def overlaps(self, other: Period) -> bool:
        return self.start_index <= other.end_index and other.start_index <= self.end_index

    @property
    def sort_key(self) -> tuple[int, int]:
        return (self.end_index, self.start_index)

    def __lt__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __le__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key <= other.sort_key

    def __gt__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key > other.sort_key

    def __ge__(self, other: Period) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key >= other.sort_key


def _month_end(month_index: int) -> date:
    """Last day of the month with the given ``end_index``-style number."""
    year, month0 = divmod(month_index - 1, 12)
    month = month0 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Baseline:
    """The indicator's value at the end of ``year``. A missing baseline is ``None`` on the spec."""

    value: float
    year: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _number(self.value, Quantity.BASELINE_VALUE))
        if isinstance(self.year, bool) or not isinstance(self.year, int) or not 1 <= self.year <= 9998:
            raise EngineError(ErrorCode.BASELINE_YEAR, year=self.year)

    @property
    def period(self) -> Period:
        return Period(self.year)


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator's passport, as far as evaluation needs it.

    ``targets`` maps periods to target values (milestones and the final target, which is the
    latest one); pass a mapping or (period, value) pairs. ``tolerance`` is the half-width of the
    band around the target of a "maintain" indicator, in the indicator's unit. ``scale_min`` and
    ``scale_max`` bound a qualitative score. ``weight`` is the indicator's weight in the roll-up
    (0 = shown but not rolled up, e.g. context indicators).
    """

    key: str
    direction: Direction
    accumulation: Accumulation = Accumulation.PER_PERIOD
    measure: Measure = Measure.NUMBER
    baseline: Baseline | None = None
    targets: Mapping[Period, float] | Iterable[tuple[Period, float]] = ()
    frequency: Frequency = Frequency.ANNUAL
    tolerance: float = 0.0
    scale_min: float | None = None
    scale_max: float | None = None
    weight: float = 1.0
    # Derived, for fast lookups (not compared, not part of the hash).
    _target_by_period: dict[Period, float] = field(init=False, repr=False, compare=False, hash=False)
    _anchor_times: tuple[int, ...] = field(init=False, repr=False, compare=False, hash=False)
    _anchor_values: tuple[float, ...] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:  # noqa: C901 - one place for every passport check
        set_ = object.__setattr__
        if not isinstance(self.key, str) or not self.key.strip():
            raise EngineError(ErrorCode.INDICATOR_KEY, key=self.key)
        indicator = self.key
        for attribute, enum, unknown in (
            ("direction", Direction, ErrorCode.UNKNOWN_DIRECTION),
            ("accumulation", Accumulation, ErrorCode.UNKNOWN_ACCUMULATION),
            ("measure", Measure, ErrorCode.UNKNOWN_MEASURE),
            ("frequency", Frequency, ErrorCode.UNKNOWN_FREQUENCY),
        ):
            set_(self, attribute, _member(enum, getattr(self, attribute), unknown, indicator=indicator))
        if self.baseline is not None and not isinstance(self.baseline, Baseline):
            raise EngineError(ErrorCode.BASELINE_TYPE, indicator=indicator, baseline=self.baseline)
        set_(self, "tolerance", _number(self.tolerance, Quantity.TOLERANCE, indicator=indicator))
        if self.tolerance < 0:
            raise EngineError(ErrorCode.TOLERANCE_NEGATIVE, indicator=indicator, tolerance=self.tolerance)
        set_(self, "weight", _number(self.weight, Quantity.WEIGHT, indicator=indicator))
        if self.weight < 0:
            raise EngineError(ErrorCode.WEIGHT_NEGATIVE, indicator=indicator, weight=self.weight)

        # Scale of a qualitative score.
        if self.measure is Measure.SCORE:
            if self.scale_min is None or self.scale_max is None:
                raise EngineError(ErrorCode.SCALE_MISSING, indicator=indicator)
            set_(self, "scale_min", _number(self.scale_min, Quantity.SCALE_MIN, indicator=indicator))
            set_(self, "scale_max", _number(self.scale_max, Quantity.SCALE_MAX, indicator=indicator))
            if not self.scale_min < self.scale_max:
                raise EngineError(
                    ErrorCode.SCALE_ORDER,
                    indicator=indicator,
                    scale_min=self.scale_min,
                    scale_max=self.scale_max,
                )
            if self.accumulation is not Accumulation.LATEST:
                raise EngineError(
                    ErrorCode.SCORE_NOT_LATEST, indicator=indicator, accumulation=self.accumulation
                )
        elif self.scale_min is not None or self.scale_max is not None:
            raise EngineError(ErrorCode.SCALE_NOT_SCORE, indicator=indicator)

        # Targets.
        raw_targets = self.targets.items() if isinstance(self.targets, Mapping) else self.targets
        by_period: dict[Period, float] = {}
        for pair in raw_targets:
            try:
                period, value = pair
            except (TypeError, ValueError):
                raise EngineError(ErrorCode.TARGET_PAIR, indicator=indicator, pair=pair) from None
            if not isinstance(period, Period):
                raise EngineError(ErrorCode.TARGET_PERIOD_TYPE, indicator=indicator, period=period)
            if period in by_period:
                raise EngineError(ErrorCode.TARGET_TWICE, indicator=indicator, period=period)
            by_period[period] = _number(value, Quantity.TARGET, indicator=indicator, period=period)
        ordered = sorted(by_period.items(), key=lambda item: item[0].sort_key)
        for (earlier, _v1), (later, _v2) in zip(ordered, ordered[1:], strict=False):
            if earlier.end_index == later.end_index:
                raise EngineError(
                    ErrorCode.TARGETS_SAME_MONTH, indicator=indicator, earlier=earlier, later=later
                )
        set_(self, "targets", tuple(ordered))
        set_(self, "_target_by_period", dict(ordered))

        for code, period, value in self._values_to_check():
            self._check_scale(value, code, period)

        anchors: list[tuple[int, float]] = []
        if self.baseline is not None:
            base_end = self.baseline.period.end_index
            for period, value in ordered:
                if period.end_index <= base_end:
                    raise EngineError(
                        ErrorCode.TARGET_NOT_AFTER_BASELINE,
                        indicator=indicator,
                        period=period,
                        baseline_year=self.baseline.year,
                    )
                if self.direction is Direction.INCREASE and value < self.baseline.value:
                    raise EngineError(
                        ErrorCode.TARGET_BELOW_BASELINE,
                        indicator=indicator,
                        target=value,
                        period=period,
                        baseline=self.baseline.value,
                    )
                if self.direction is Direction.DECREASE and value > self.baseline.value:
                    raise EngineError(
                        ErrorCode.TARGET_ABOVE_BASELINE,
                        indicator=indicator,
                        target=value,
                        period=period,
                        baseline=self.baseline.value,
                    )
            anchors.append((base_end, self.baseline.value))
        anchors.extend((period.end_index, value) for period, value in ordered)
        set_(self, "_anchor_times", tuple(time for time, _value in anchors))
        set_(self, "_anchor_values", tuple(value for _time, value in anchors))

    def _values_to_check(self) -> Iterable[tuple[ErrorCode, Period | None, float]]:
        if self.baseline is not None:
            yield ErrorCode.BASELINE_OUTSIDE_SCALE, None, self.baseline.value
        for period, value in self.targets:  # type: ignore[misc]
            yield ErrorCode.TARGET_OUTSIDE_SCALE, period, value

    def _check_scale(self, value: float, code: ErrorCode, period: Period | None) -> None:
        """``code`` names the value checked: the baseline, a target or a measurement."""
        if self.measure is Measure.SCORE and not self.scale_min <= value <= self.scale_max:  # type: ignore[operator]
            raise EngineError(
                code,
                indicator=self.key,
                period=period,
                value=value,
                scale_min=self.scale_min,
                scale_max=self.scale_max,
            )

    @property
    def final_target(self) -> tuple[Period, float] | None:
        """The latest target (the final target), or None."""
        # After __post_init__, targets is the tuple of (period, value) pairs in order.
        return self.targets[-1] if self.targets else None  # type: ignore[index,return-value]

    def target_for(self, period: Period) -> float | None:
        """The explicit target (milestone or final) of exactly this period, or None."""
        return self._target_by_period.get(period)


@dataclass(frozen=True, slots=True)
class Measurement:
    """One approved (or not) value of an indicator for a period.

    Give either ``value`` or ``numerator`` and ``denominator`` (percentages). ``collected`` is the
    date the value was collected; a value collected after the as-of date is not yet known then.
    """

    period: Period
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    collected: date | None = None
    approved: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.period, Period):
            raise EngineError(ErrorCode.MEASUREMENT_PERIOD_TYPE, period=self.period)
        where = self.period
        has_ratio = self.numerator is not None or self.denominator is not None
        if self.value is not None and has_ratio:
            raise EngineError(ErrorCode.VALUE_AND_RATIO, measurement=where)
        if self.value is None and not has_ratio:
            raise EngineError(ErrorCode.VALUE_MISSING, measurement=where)
        if self.value is not None:
            object.__setattr__(self, "value", _number(self.value, Quantity.VALUE, measurement=where))
        else:
            if self.numerator is None or self.denominator is None:
                raise EngineError(ErrorCode.RATIO_INCOMPLETE, measurement=where)
            numerator = _number(self.numerator, Quantity.NUMERATOR, measurement=where)
            denominator = _number(self.denominator, Quantity.DENOMINATOR, measurement=where)
            if denominator == 0:
                raise EngineError(ErrorCode.DENOMINATOR_ZERO, measurement=where)
            if denominator < 0:
                raise EngineError(ErrorCode.DENOMINATOR_NEGATIVE, measurement=where, denominator=denominator)
            if numerator < 0:
                raise EngineError(ErrorCode.NUMERATOR_NEGATIVE, measurement=where, numerator=numerator)
            object.__setattr__(self, "numerator", numerator)
            object.__setattr__(self, "denominator", denominator)
        if self.collected is not None and not isinstance(self.collected, date):
            raise EngineError(ErrorCode.COLLECTED_TYPE, measurement=where, collected=self.collected)

    @property
    def level(self) -> float:
        """The measurement's own value: the number, or 100 × numerator / denominator."""
        if self.value is not None:
            return self.value
        return 100.0 * self.numerator / self.denominator  # type: ignore[operator]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Configurable per municipality. Ratios at or above ``on_track`` are on track, at or above
    ``at_risk`` at risk, below it off track. A value is stale ``stale_grace_days`` after the next
    one was due."""

    on_track: float = 0.85
    at_risk: float = 0.60
    stale_grace_days: int = 90

    def __post_init__(self) -> None:
        on_track = _number(self.on_track, Quantity.ON_TRACK_THRESHOLD)
        at_risk = _number(self.at_risk, Quantity.AT_RISK_THRESHOLD)
        if not 0 <= at_risk <= on_track <= 1:
            raise EngineError(ErrorCode.THRESHOLDS_ORDER, at_risk=at_risk, on_track=on_track)
        object.__setattr__(self, "on_track", on_track)
        object.__setattr__(self, "at_risk", at_risk)
        grace = self.stale_grace_days
        if isinstance(grace, bool) or not isinstance(grace, int) or grace < 0:
            raise EngineError(ErrorCode.GRACE_DAYS, grace=grace)


DEFAULT_THRESHOLDS = Thresholds()


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One period of an indicator's chart and table."""

    period: Period
    actual: float | None  # by the accumulation rule; None = no data (never 0)
    expected: float | None  # explicit target or interpolated; None = nothing expected
    target: float | None  # the explicit target of this period, if any
    measured: bool  # an approved value falls in this period (cumulative/latest carry forward)
    ratio: float | None
    score: float | None
    status: Status  # of this period alone (no staleness)
    note: Note | None = None


@dataclass(frozen=True, slots=True)
class Forecast:
    outcome: ForecastOutcome
    target_period: Period | None = None
    target_value: float | None = None
    projected_value: float | None = None
    slope_per_year: float | None = None
    points_used: int = 0


@dataclass(frozen=True)
class IndicatorResult:
    """Everything a page, report or API needs about one indicator on the as-of date."""

    key: str
    weight: float
    direction: Direction
    accumulation: Accumulation
    measure: Measure
    as_of: date
    baseline: float | None
    baseline_year: int | None
    tolerance: float
    period: Period | None  # the period evaluated (latest with a value), None without data
    actual: float | None
    expected: float | None
    ratio: float | None
    score: float | None  # ratio clipped to [0, 1]; what the roll-up uses
    status: Status
    notes: tuple[Note, ...]
    last_measured: Period | None
    stale_after: date | None  # after this date, without a newer value, the indicator is stale
    forecast: Forecast
    series: tuple[SeriesPoint, ...]

    @property
    def has_data(self) -> bool:
        return self.score is not None

    @property
    def deviation(self) -> float | None:
        """actual − expected, in the indicator's unit."""
        if self.actual is None or self.expected is None:
            return None
        return self.actual - self.expected


@dataclass(frozen=True)
class Node:
    """A plan element for the roll-up: its own indicators' results and its child elements."""

    key: str
    children: tuple[Node, ...] = ()
    indicators: tuple[IndicatorResult, ...] = ()
    weight: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "children", tuple(self.children))
        object.__setattr__(self, "indicators", tuple(self.indicators))
        weight = _number(self.weight, Quantity.ELEMENT_WEIGHT, element=self.key)
        if weight <= 0:
            raise EngineError(ErrorCode.ELEMENT_WEIGHT, element=self.key, weight=weight)
        object.__setattr__(self, "weight", weight)


@dataclass(frozen=True)
class NodeResult:
    key: str
    score: float | None  # weighted mean over children and own indicators with a score
    status: Status  # from the score with the thresholds; no_data when the score is None
    coverage: float  # weighted share of the element that has data, 0..1 (see the docs)
    indicators_total: int  # indicators in the subtree (including weight 0)
    indicators_with_data: int  # of which with a score
    counts: dict[Status, int]  # indicators in the subtree by status (all five keys)
    children: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Efficiency:
    """Ефикасност (efficiency): how resources turn into outputs."""

    planned: float
    spent: float
    execution: float | None  # spent / planned; None when nothing was planned
    output: float | None
    cost_per_unit: float | None  # spent / output; None when there is no output


# --------------------------------------------------------------------------------------------
# Rules: ratio, score, status
# --------------------------------------------------------------------------------------------


def _right_side(actual: float, reference: float, direction: Direction) -> bool:
    """Is ``actual`` at or beyond ``reference`` in the wanted direction?"""
    if direction is Direction.DECREASE:
        return actual <= reference
    return actual >= reference


def progress_ratio(actual: float, expected: float, baseline: float, direction: Direction) -> float:
    """(actual − baseline) / (expected − baseline).

    Works for increasing and decreasing indicators alike. When nothing is expected to change
    (expected == baseline) the ratio is 1 if the actual is on the right side of the baseline or
    equal to it, else 0.
    """
    direction = _member(Direction, direction, ErrorCode.UNKNOWN_DIRECTION)
    if expected == baseline:
        return 1.0 if _right_side(actual, baseline, direction) else 0.0
    return (actual - baseline) / (expected - baseline)


def maintain_ratio(
    actual: float, expected: float, tolerance: float, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> float:
    """Ratio of a "maintain" indicator, from where the actual lies relative to the band
    [expected − tolerance, expected + tolerance].

    Inside the band: 1 (on track). Outside by a distance d: from just under the on-track
    threshold down to the at-risk threshold while d ≤ tolerance (at risk), then down to 0 at
    d = 2 × tolerance (off track), 0 beyond. With tolerance 0 any deviation gives 0.
    """
    distance = abs(actual - expected) - tolerance
    if distance <= 0:
        return 1.0
    if tolerance == 0:
        return 0.0
    share = distance / tolerance
    on, at = thresholds.on_track, thresholds.at_risk
    if share <= 1:
        ratio = on - (on - at) * share
        return min(ratio, math.nextafter(on, -math.inf))  # strictly below on-track outside the band
    if share <= 2:
        return at * (2 - share)
    return 0.0


def score_for_ratio(ratio: float | None) -> float | None:
    """The ratio clipped to [0, 1]; None stays None."""
    if ratio is None:
        return None
    return min(1.0, max(0.0, ratio))


def status_for_ratio(ratio: float | None, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Status:
    if ratio is None:
        return Status.NO_DATA
    if ratio >= thresholds.on_track:
        return Status.ON_TRACK
    if ratio >= thresholds.at_risk:
        return Status.AT_RISK
    return Status.OFF_TRACK


def stale_after(last: Period, frequency: Frequency, grace_days: int) -> date:
    """The last day on which a value for ``last`` still counts as current: the end of the next
    period of the indicator's frequency, plus the grace period."""
    months = _member(Frequency, frequency, ErrorCode.UNKNOWN_FREQUENCY).months
    return _month_end(last.end_index + months) + timedelta(days=grace_days)


# --------------------------------------------------------------------------------------------
# Rules: expected value
# --------------------------------------------------------------------------------------------


def _expected(spec: IndicatorSpec, period: Period) -> tuple[float | None, Note | None]:
    explicit = spec._target_by_period.get(period)
    if explicit is not None:
        return explicit, None
    times = spec._anchor_times
    if not times:
        return None, Note.NO_TARGET
    if not spec.targets and spec.direction is not Direction.MAINTAIN:
        return None, Note.NO_TARGET  # a baseline alone sets no expectation of change
    values = spec._anchor_values
    t = period.end_index
    i = bisect.bisect_left(times, t)
    if i < len(times) and times[i] == t:
        return values[i], None
    if i == 0:
        if spec.direction is Direction.MAINTAIN:
            return values[0], None  # the level to maintain applies from the start
        return None, Note.BEFORE_START
    if i == len(times):
        return values[-1], None  # after the final target: hold it
    t0, t1 = times[i - 1], times[i]
    v0, v1 = values[i - 1], values[i]
    return v0 + (t - t0) / (t1 - t0) * (v1 - v0), None


def expected_value(spec: IndicatorSpec, period: Period) -> float | None:
    """The period's explicit target, else the linear interpolation (in months) between the
    anchors around it: the baseline (at the end of its year) and the targets. None before the
    first anchor (except for "maintain"), and when there is no target; after the final target,
    the final target."""
    return _expected(spec, period)[0]


# --------------------------------------------------------------------------------------------
# Rules: actual values
# --------------------------------------------------------------------------------------------


def _check_measurement(spec: IndicatorSpec, m: Measurement) -> None:
    if spec.measure is Measure.PERCENTAGE:
        if m.value is not None:
            raise EngineError(ErrorCode.PERCENTAGE_NEEDS_RATIO, indicator=spec.key, period=m.period)
    elif m.value is None:
        raise EngineError(ErrorCode.NUMBER_NEEDS_VALUE, indicator=spec.key, period=m.period)
    if spec.measure is Measure.SCORE:
        spec._check_scale(m.value, ErrorCode.VALUE_OUTSIDE_SCALE, m.period)  # type: ignore[arg-type]


def _usable(
    spec: IndicatorSpec, measurements: Iterable[Measurement], as_of: date | None
) -> list[Measurement]:
    """Approved measurements known on ``as_of``, checked and in canonical order."""
    kept: list[Measurement] = []
    seen: set[Period] = set()
    for m in measurements:
        if not isinstance(m, Measurement):
            raise EngineError(ErrorCode.MEASUREMENT_TYPE, indicator=spec.key, value=m)
        if not m.approved:
            continue
        if as_of is not None and (
            m.period.start > as_of or (m.collected is not None and m.collected > as_of)
        ):
            continue
        _check_measurement(spec, m)
        if m.period in seen:
            raise EngineError(ErrorCode.MEASUREMENT_TWICE, indicator=spec.key, period=m.period)
        seen.add(m.period)
        kept.append(m)
    kept.sort(key=lambda m: m.period.sort_key)
    return kept


def _aggregate(spec: IndicatorSpec, items: Sequence[Measurement]) -> float | None:
    if not items:
        return None
    if spec.measure is Measure.PERCENTAGE:
        return 100.0 * math.fsum(m.numerator for m in items) / math.fsum(m.denominator for m in items)  # type: ignore[misc]
    return math.fsum(m.value for m in items)  # type: ignore[misc]


def _actuals(
    spec: IndicatorSpec, ms: Sequence[Measurement], periods: Sequence[Period]
) -> list[tuple[float | None, bool]]:
    """(actual, measured) for each period. ``ms`` sorted canonically, ``periods`` sorted and
    not overlapping. Linear in len(ms) + len(periods), apart from the cumulative sums."""
    ends = [p.end_index for p in periods]
    buckets: list[list[Measurement]] = [[] for _ in periods]
    for m in ms:
        i = bisect.bisect_left(ends, m.period.end_index)
        if i < len(periods) and periods[i].contains(m.period):
            buckets[i].append(m)
        elif spec.accumulation is Accumulation.PER_PERIOD and (
            (i < len(periods) and periods[i].overlaps(m.period))
            or (i > 0 and periods[i - 1].overlaps(m.period))
        ):
            raise EngineError(ErrorCode.MEASUREMENT_SPANS_PERIODS, indicator=spec.key, period=m.period)
    result: list[tuple[float | None, bool]] = []
    if spec.accumulation is Accumulation.PER_PERIOD:
        for bucket in buckets:
            result.append((_aggregate(spec, bucket), bool(bucket)))
        return result
    j = 0
    for period, bucket in zip(periods, buckets, strict=True):
        while j < len(ms) and ms[j].period.end_index <= period.end_index:
            j += 1
        if spec.accumulation is Accumulation.CUMULATIVE:
            actual = _aggregate(spec, ms[:j])
        else:  # LATEST: the last value at or before the period's end
            actual = ms[j - 1].level if j else None
        result.append((actual, bool(bucket)))
    return result


def actual_value(
    spec: IndicatorSpec, measurements: Iterable[Measurement], period: Period, *, as_of: date | None = None
) -> float | None:
    """Actual of one period. Per period: the sum of the approved values within it. Cumulative:
    the sum of those up to and including it. Latest level: the last approved value at or before
    its end. Percentages add numerators and denominators, then divide. None = no data."""
    ms = _usable(spec, measurements, as_of)
    return _actuals(spec, ms, (period,))[0][0]


def default_periods(spec: IndicatorSpec, measurements: Iterable[Measurement] = ()) -> tuple[Period, ...]:
    """The years of an indicator's series: from the year after the baseline (or the first target
    or value, if earlier) to the final target's year (or the last value's, if later)."""
    years: list[int] = []
    if spec.baseline is not None:
        years.append(spec.baseline.year + 1)
    years.extend(period.year for period, _value in spec.targets)  # type: ignore[misc]
    years.extend(m.period.year for m in measurements)
    if not years:
        return ()
    return tuple(Period(year) for year in range(min(years), max(years) + 1))


# --------------------------------------------------------------------------------------------
# Rules: forecast
# --------------------------------------------------------------------------------------------


def forecast(spec: IndicatorSpec, points: Iterable[tuple[Period, float]]) -> Forecast:
    """Least-squares line through the (period end, actual) points, projected to the final
    target's period: likely when the projection reaches the target (within the band for
    "maintain"). Needs two points in different periods."""
    final = spec.final_target
    if final is None:
        return Forecast(ForecastOutcome.NO_TARGET)
    target_period, target_value = final
    pts = sorted(((p.time, v) for p, v in points))
    xs = [x for x, _y in pts]
    ys = [y for _x, y in pts]
    n = len(pts)
    if n < 2 or xs[0] == xs[-1]:
        return Forecast(ForecastOutcome.INSUFFICIENT_DATA, target_period, target_value, points_used=n)
    x_mean = math.fsum(xs) / n
    y_mean = math.fsum(ys) / n
    sxx = math.fsum((x - x_mean) * (x - x_mean) for x in xs)
    sxy = math.fsum((x - x_mean) * (y - y_mean) for x, y in pts)
    slope = sxy / sxx
    projected = y_mean + slope * (target_period.time - x_mean)
    if spec.direction is Direction.MAINTAIN:
        likely = abs(projected - target_value) <= spec.tolerance
    else:
        likely = _right_side(projected, target_value, spec.direction)
    return Forecast(
        ForecastOutcome.LIKELY if likely else ForecastOutcome.UNLIKELY,
        target_period,
        target_value,
        projected,
        slope,
        n,
    )


# --------------------------------------------------------------------------------------------
# Evaluating one indicator
# --------------------------------------------------------------------------------------------


def _assess(
    spec: IndicatorSpec, actual: float | None, expected: float | None, thresholds: Thresholds
) -> tuple[float | None, float | None, Status, Note | None]:
    """(ratio, score, status, note) of one period, staleness aside."""
    if actual is None:
        return None, None, Status.NO_DATA, None
    if expected is None:
        return None, None, Status.NO_DATA, None
    if spec.direction is Direction.MAINTAIN:
        ratio = maintain_ratio(actual, expected, spec.tolerance, thresholds)
        return ratio, score_for_ratio(ratio), status_for_ratio(ratio, thresholds), None
    if spec.baseline is None:
        met = _right_side(actual, expected, spec.direction)
        return None, None, Status.ON_TRACK if met else Status.OFF_TRACK, Note.NO_BASELINE
    ratio = progress_ratio(actual, expected, spec.baseline.value, spec.direction)
    return ratio, score_for_ratio(ratio), status_for_ratio(ratio, thresholds), None


def evaluate_indicator(
    spec: IndicatorSpec,
    measurements: Iterable[Measurement],
    *,
    as_of: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    periods: Sequence[Period] | None = None,
) -> IndicatorResult:
    """Evaluate one indicator on ``as_of``.

    Only approved measurements whose period has started by ``as_of`` (and which were collected
    by then, when the date is known) count. The series covers ``periods`` (default: the years of
    :func:`default_periods`). The headline figures are those of the latest period with a value
    that has ended by ``as_of`` (else of the latest period with a value, noted as partial).
    """
    if not isinstance(spec, IndicatorSpec):
        raise EngineError(ErrorCode.SPEC_TYPE, value=spec)
    if not isinstance(as_of, date):
        raise EngineError(ErrorCode.AS_OF_TYPE, value=as_of)
    ms = _usable(spec, measurements, as_of)
    if periods is None:
        periods = default_periods(spec, ms)
    else:
        periods = tuple(periods)
        for earlier, later in zip(periods, periods[1:], strict=False):
            if not earlier.end_index < later.start_index:
                raise EngineError(ErrorCode.PERIODS_ORDER, earlier=earlier, later=later)

    series: list[SeriesPoint] = []
    for period, (actual, measured) in zip(periods, _actuals(spec, ms, periods), strict=True):
        expected, note = _expected(spec, period)
        ratio, score, status, assess_note = _assess(spec, actual, expected, thresholds)
        series.append(
            SeriesPoint(
                period=period,
                actual=actual,
                expected=expected,
                target=spec._target_by_period.get(period),
                measured=measured,
                ratio=ratio,
                score=score,
                status=status,
                note=(note if actual is not None else None) or assess_note,
            )
        )

    current: SeriesPoint | None = None
    partial = False
    for point in reversed(series):
        if point.measured and point.period.end <= as_of:
            current = point
            break
    if current is None:
        for point in reversed(series):
            if point.measured:
                current, partial = point, True
                break

    notes: list[Note] = []
    last = ms[-1].period if ms else None
    stale_date = stale_after(last, spec.frequency, thresholds.stale_grace_days) if last else None
    if not ms:
        notes.append(Note.NO_MEASUREMENTS)
    if current is not None:
        if partial:
            notes.append(Note.PARTIAL_PERIOD)
        if current.note is not None:
            notes.append(current.note)
    if spec.baseline is None and spec.direction is not Direction.MAINTAIN and Note.NO_BASELINE not in notes:
        notes.append(Note.NO_BASELINE)
    stale = stale_date is not None and as_of > stale_date
    if stale:
        notes.append(Note.STALE)

    if current is None:
        status = Status.NO_DATA
    elif stale:
        status = Status.STALE
    else:
        status = current.status

    return IndicatorResult(
        key=spec.key,
        weight=spec.weight,
        direction=spec.direction,
        accumulation=spec.accumulation,
        measure=spec.measure,
        as_of=as_of,
        baseline=spec.baseline.value if spec.baseline else None,
        baseline_year=spec.baseline.year if spec.baseline else None,
        tolerance=spec.tolerance,
        period=current.period if current else None,
        actual=current.actual if current else None,
        expected=current.expected if current else None,
        ratio=current.ratio if current else None,
        score=current.score if current else None,
        status=status,
        notes=tuple(notes),
        last_measured=last,
        stale_after=stale_date,
        forecast=forecast(
            spec, ((p.period, p.actual) for p in series if p.measured and p.actual is not None)
        ),
        series=tuple(series),
    )


# --------------------------------------------------------------------------------------------
# Roll-up
# --------------------------------------------------------------------------------------------


def _weighted_mean(pairs: Sequence[tuple[float, float]]) -> float:
    """Σ (w / W) · x; with one pair exactly x (w / w == 1)."""
    total = math.fsum(w for w, _x in pairs)
    return math.fsum((w / total) * x for w, x in pairs)


def evaluate_tree(root: Node, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict[str, NodeResult]:
    """Roll scores up a tree of plan elements. Returns every node's result by key, parents
    before children (pre-order).

    An element's score is the weighted mean of the scores of its child elements and of its own
    indicators that have a score; items without data are left out, never counted as zero.
    Coverage is the weighted share of the element that has data: an indicator counts 1 or 0, a
    child element its own coverage; weight-0 indicators are left out of both.
    """
    results: dict[str, NodeResult] = {}
    order: list[str] = []

    def visit(node: Node) -> NodeResult:
        if not isinstance(node, Node):
            raise EngineError(ErrorCode.NODE_TYPE, value=node)
        if node.key in results or node.key in order:
            raise EngineError(ErrorCode.ELEMENT_TWICE, key=node.key)
        order.append(node.key)
        counts = dict.fromkeys(Status, 0)
        total = with_data = 0
        scored: list[tuple[float, float]] = []
        covered: list[tuple[float, float]] = []
        for indicator in node.indicators:
            if not isinstance(indicator, IndicatorResult):
                raise EngineError(ErrorCode.RESULT_TYPE, element=node.key, value=indicator)
            counts[indicator.status] += 1
            total += 1
            has = indicator.score is not None
            with_data += has
            if indicator.weight > 0:
                covered.append((indicator.weight, 1.0 if has else 0.0))
                if has:
                    scored.append((indicator.weight, indicator.score))  # type: ignore[arg-type]
        for child in node.children:
            result = visit(child)
            for status, count in result.counts.items():
                counts[status] += count
            total += result.indicators_total
            with_data += result.indicators_with_data
            covered.append((child.weight, result.coverage))
            if result.score is not None:
                scored.append((child.weight, result.score))
        score = score_for_ratio(_weighted_mean(scored)) if scored else None
        coverage = min(1.0, max(0.0, _weighted_mean(covered))) if covered else 0.0
        result = NodeResult(
            key=node.key,
            score=score,
            status=status_for_ratio(score, thresholds),
            coverage=coverage,
            indicators_total=total,
            indicators_with_data=with_data,
            counts=counts,
            children=tuple(child.key for child in node.children),
        )
        results[node.key] = result
        return result

    visit(root)
    return {key: results[key] for key in order}


# --------------------------------------------------------------------------------------------
# Efficiency (ефикасност)
# --------------------------------------------------------------------------------------------


def budget_execution(spent: float, planned: float) -> float | None:
    """spent / planned (1.0 = 100 %); None when nothing was planned."""
    spent = _number(spent, Quantity.SPENT)
    planned = _number(planned, Quantity.PLANNED)
    if spent < 0 or planned < 0:
        raise EngineError(ErrorCode.BUDGET_NEGATIVE, spent=spent, planned=planned)
    if planned == 0:
        return None
    return spent / planned


def cost_per_unit(cost: float, units: float | None) -> float | None:
    """cost / units of output; None when there is no output (yet)."""
    cost = _number(cost, Quantity.COST)
    if cost < 0:
        raise EngineError(ErrorCode.COST_NEGATIVE, cost=cost)
    if units is None:
        return None
    units = _number(units, Quantity.OUTPUT)
    if units < 0:
        raise EngineError(ErrorCode.OUTPUT_NEGATIVE, output=units)
    if units == 0:
        return None
    return cost / units


def evaluate_efficiency(*, planned: float, spent: float, output: float | None = None) -> Efficiency:
    execution = budget_execution(spent, planned)
    return Efficiency(
        planned=float(planned),
        spent=float(spent),
        execution=execution,
        output=None if output is None else _number(output, Quantity.OUTPUT),
        cost_per_unit=cost_per_unit(spent, output),
    )


# --------------------------------------------------------------------------------------------
# Validation against a plan
# --------------------------------------------------------------------------------------------


def _check_plan(plan_start: int, plan_end: int) -> None:
    if not (isinstance(plan_start, int) and isinstance(plan_end, int)) or plan_start > plan_end:
        raise EngineError(ErrorCode.PLAN_PERIOD, start=plan_start, end=plan_end)


def validate_spec(spec: IndicatorSpec, *, plan_start: int, plan_end: int) -> None:
    """EngineError when a target lies outside the plan period or the baseline after it."""
    _check_plan(plan_start, plan_end)
    for period, _value in spec.targets:  # type: ignore[misc]
        if not plan_start <= period.year <= plan_end:
            raise EngineError(
                ErrorCode.TARGET_OUTSIDE_PLAN,
                indicator=spec.key,
                period=period,
                start=plan_start,
                end=plan_end,
            )
    if spec.baseline is not None and spec.baseline.year > plan_end:
        raise EngineError(
            ErrorCode.BASELINE_AFTER_PLAN,
            indicator=spec.key,
            year=spec.baseline.year,
            start=plan_start,
            end=plan_end,
        )


def validate_measurements(
    spec: IndicatorSpec, measurements: Iterable[Measurement], *, plan_start: int, plan_end: int
) -> None:
    """EngineError for a measurement outside the plan period (the baseline year is allowed), of
    the wrong kind (a plain value for a percentage), outside a score's scale, or a duplicate."""
    _check_plan(plan_start, plan_end)
    first = plan_start if spec.baseline is None else min(plan_start, spec.baseline.year)
    items = list(measurements)
    for m in items:
        if not first <= m.period.year <= plan_end:
            raise EngineError(
                ErrorCode.MEASUREMENT_OUTSIDE_PLAN,
                indicator=spec.key,
                period=m.period,
                start=plan_start,
                end=plan_end,
            )
    _usable(spec, items, None)
