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
import functools
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
    "NO_TOLERANCE",
    "Node",
    "NodeResult",
    "OVERRIDE_STATUSES",
    "Note",
    "Period",
    "Quantity",
    "RATED_STATUSES",
    "SeriesPoint",
    "Status",
    "StatusOverride",
    "TargetKind",
    "Thresholds",
    "Tolerance",
    "ToleranceUnit",
    "actual_value",
    "attainment_ratio",
    "breakdown_adds_up",
    "budget_execution",
    "cost_per_unit",
    "default_as_of",
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


class TargetKind(StrEnum):
    """What a target is: a point on the line from the baseline, or a standard to meet."""

    TRAJECTORY = "trajectory"  # baseline → target; rated by the progress ratio
    THRESHOLD = "threshold"  # a standard to meet or stay within; rated by attainment


class ToleranceUnit(StrEnum):
    UNIT = "unit"  # in the indicator's own unit
    PERCENT = "percent"  # in percent of the target (the expected value of the period)


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
    CONTEXT = "context"  # a context indicator: values and trend, never rated


# The statuses of rated indicators, the keys of a roll-up's counts (context indicators are
# counted apart).
RATED_STATUSES = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA, Status.STALE)
# The statuses a verifier may set in an override.
OVERRIDE_STATUSES = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK)


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
    NO_BASELINE = "no_baseline"  # baseline not available: rated by attainment with the tolerance
    PARTIAL_PERIOD = "partial_period"  # the period evaluated has not ended on the as-of date
    STALE = "stale"  # no approved value within the frequency plus the grace period
    RATES_NOT_COMBINED = "rates_not_combined"  # rates without counts for parts of the period only


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
    UNKNOWN_TARGET_KIND = "unknown_target_kind"
    UNKNOWN_TOLERANCE_UNIT = "unknown_tolerance_unit"
    TOLERANCE_TYPE = "tolerance_type"
    CONTEXT_TARGETS = "context_targets"
    OVERRIDE_TYPE = "override_type"
    OVERRIDE_STATUS = "override_status"
    OVERRIDE_REASON = "override_reason"
    OVERRIDE_TWICE = "override_twice"
    OVERRIDE_CONTEXT = "override_context"
    PLAN_END_TYPE = "plan_end_type"
    REPORTING_DEADLINE = "reporting_deadline"
    YEAR_START = "year_start"
    PERIOD_TEXT_REPORTING_YEAR = "period_text_reporting_year"
    MEASUREMENT_SPANS_YEARS = "measurement_spans_years"
    YEAR_TO_DATE_NOT_CUMULATIVE = "year_to_date_not_cumulative"


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
    ErrorCode.UNKNOWN_TARGET_KIND: "unknown target kind {value!r} (one of {allowed})",
    ErrorCode.UNKNOWN_TOLERANCE_UNIT: "unknown tolerance unit {value!r} (one of {allowed})",
    ErrorCode.TOLERANCE_TYPE: "a target tolerance must be a Tolerance(amount, unit) or None, got {value!r}",
    ErrorCode.CONTEXT_TARGETS: "a context indicator has no targets (it is shown, never rated)",
    ErrorCode.OVERRIDE_TYPE: (
        "expected a StatusOverride(period, status, reason, decided=None) with a Period and a date, "
        "got {value!r}"
    ),
    ErrorCode.OVERRIDE_STATUS: "an override sets on_track, at_risk or off_track, got {value!r}",
    ErrorCode.OVERRIDE_REASON: "an override of the status for {period} needs a public reason",
    ErrorCode.OVERRIDE_TWICE: "two status overrides for {period}",
    ErrorCode.OVERRIDE_CONTEXT: "a context indicator is not rated, so its status cannot be overridden",
    ErrorCode.PLAN_END_TYPE: "plan_end must be a date or None, got {value!r}",
    ErrorCode.REPORTING_DEADLINE: (
        "the reporting deadline must be a whole number of months ≥ 0, got {months!r}"
    ),
    ErrorCode.YEAR_START: "a reporting year starts in a month from 1 to 12, got {value!r}",
    ErrorCode.PERIOD_TEXT_REPORTING_YEAR: (
        "not a period of a reporting year starting in month {year_start}: {text!r} "
        "(expected 2023/24, 2023/24-H1, 2023/24-Q3 or 2023-07)"
    ),
    ErrorCode.MEASUREMENT_SPANS_YEARS: (
        "the measurement for {period} spans two reporting years (each starts in month {year_start}); "
        "year-to-date values restart each year"
    ),
    ErrorCode.YEAR_TO_DATE_NOT_CUMULATIVE: (
        "a year-to-date sum is cumulative within each reporting year; its accumulation must be "
        "'cumulative', not {accumulation.value!r}"
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

_PERIOD_RE = re.compile(r"^\s*(\d{4})(?:/(\d{2}))?(?:-(?:(H)([12])|(Q)([1-4])|(\d{2})))?\s*$", re.IGNORECASE)


def _year_start(value: object, **subject: object) -> int:
    """The month (1–12) a reporting year starts in; EngineError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise EngineError(ErrorCode.YEAR_START, value=value, **subject)
    return value


@dataclass(frozen=True, slots=True)
class Period:
    """A period of a reporting year: the whole year, or a half, quarter or month of it.

    ``Period(2020)`` is the calendar year 2020; ``Period(2020, Frequency.QUARTERLY, 3)`` is
    July–September 2020. A reporting year may start in another month: with ``year_start=4``,
    ``Period(2023, year_start=4)`` is April 2023 – March 2024 ("2023/24") and its first quarter
    is April–June 2023 ("2023/24-Q1"). A month is always stored as the calendar month it is.
    Periods of one reporting year either nest or do not overlap. They sort by end, then by
    start (so Q4 2020 sorts after the year 2020, which starts earlier).
    """

    year: int
    frequency: Frequency = Frequency.ANNUAL
    index: int = 1
    year_start: int = 1
    # The months the period covers on the integer timeline (see start_index), computed once: every
    # comparison and lookup of an evaluation reads them.
    _start: int = field(init=False, repr=False, compare=False, default=0)
    _end: int = field(init=False, repr=False, compare=False, default=0)

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
        year_start = _year_start(self.year_start)
        if frequency is Frequency.MONTHLY and year_start != 1:
            # A month is the same month in every reporting year: keep one form of it.
            year, month0 = divmod(year_start - 1 + self.index - 1, 12)
            object.__setattr__(self, "year", self.year + year)
            object.__setattr__(self, "index", month0 + 1)
            year_start = 1
        object.__setattr__(self, "year_start", year_start)
        start = self.year * 12 + year_start - 1 + (self.index - 1) * frequency.months + 1
        object.__setattr__(self, "_start", start)
        object.__setattr__(self, "_end", start + frequency.months - 1)

    # Constructors -----------------------------------------------------------------------------

    @classmethod
    def of_year(cls, year: int, year_start: int = 1) -> Period:
        return cls(year, year_start=year_start)

    @classmethod
    def half(cls, year: int, half: int, year_start: int = 1) -> Period:
        return cls(year, Frequency.SEMIANNUAL, half, year_start)

    @classmethod
    def quarter(cls, year: int, quarter: int, year_start: int = 1) -> Period:
        return cls(year, Frequency.QUARTERLY, quarter, year_start)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, Frequency.MONTHLY, month)

    @classmethod
    def of(
        cls, year: int, sub: int = 0, frequency: Frequency | str = Frequency.ANNUAL, year_start: int = 1
    ) -> Period:
        """From the (year, sub) form used by the indicators app: sub 0 is the whole year."""
        if sub == 0:
            return cls(year, year_start=year_start)
        return cls(year, _member(Frequency, frequency, ErrorCode.PERIOD_FREQUENCY), sub, year_start)

    @classmethod
    def containing(cls, day: date, frequency: Frequency = Frequency.ANNUAL, year_start: int = 1) -> Period:
        """The period of this frequency, in reporting years starting in ``year_start``, that
        contains ``day``: ``Period.containing(date(2024, 2, 10), year_start=4)`` is 2023/24."""
        if cls is Period:  # periods are immutable: an evaluation asks for the same ones again and again
            return _period_containing(day, frequency, year_start)
        return cls._containing(day, frequency, year_start)

    @classmethod
    def _containing(cls, day: date, frequency: Frequency, year_start: int) -> Period:
        frequency = _member(Frequency, frequency, ErrorCode.PERIOD_FREQUENCY)
        months_in = (day.year * 12 + day.month - 1) - (_year_start(year_start) - 1)
        year, month0 = divmod(months_in, 12)
        return cls(year, frequency, month0 // frequency.months + 1, year_start)

    @classmethod
    def parse(cls, text: str, year_start: int = 1) -> Period:
        """'2020', '2020-H1', '2020-Q3', '2020-07' → Period; with a reporting year starting in
        another month, '2023/24', '2023/24-H1', '2023/24-Q3' or a month '2023-07'. EngineError
        otherwise."""
        year_start = _year_start(year_start)
        match = _PERIOD_RE.match(str(text))
        calendar_year = year_start == 1
        if not match:
            if calendar_year:
                raise EngineError(ErrorCode.PERIOD_TEXT, text=text)
            raise EngineError(ErrorCode.PERIOD_TEXT_REPORTING_YEAR, text=text, year_start=year_start)
        year = int(match.group(1))
        second, month = match.group(2), match.group(7)
        if month:
            if second is not None:  # a month is written as the calendar month it is
                raise EngineError(ErrorCode.PERIOD_TEXT_REPORTING_YEAR, text=text, year_start=year_start)
            return cls.month(year, int(month))
        if calendar_year and second is not None:
            raise EngineError(ErrorCode.PERIOD_TEXT, text=text)
        if not calendar_year and (second is None or int(second) != (year + 1) % 100):
            raise EngineError(ErrorCode.PERIOD_TEXT_REPORTING_YEAR, text=text, year_start=year_start)
        if match.group(3):
            return cls.half(year, int(match.group(4)), year_start)
        if match.group(5):
            return cls.quarter(year, int(match.group(6)), year_start)
        return cls(year, year_start=year_start)

    # Calendar ---------------------------------------------------------------------------------

    @property
    def start_index(self) -> int:
        """Months since year 0 of the period's first month (an integer timeline)."""
        return self._start

    @property
    def end_index(self) -> int:
        """Months since year 0 of the period's last month: the time point the period stands for."""
        return self._end

    @property
    def first_month(self) -> int:
        """The calendar month (1–12) the period starts in."""
        return (self.start_index - 1) % 12 + 1

    @property
    def last_month(self) -> int:
        """The calendar month (1–12) the period ends in."""
        return (self.end_index - 1) % 12 + 1

    @property
    def start(self) -> date:
        year, month0 = divmod(self.start_index - 1, 12)
        return date(year, month0 + 1, 1)

    @property
    def end(self) -> date:
        return _month_end(self.end_index)

    @property
    def span(self) -> tuple[int, int]:
        """(start_index, end_index): the months the period covers, whatever its reporting year."""
        return (self._start, self._end)

    @property
    def time(self) -> float:
        """The period's end in years (2020 → 2021.0, 2020-H1 → 2020.5): the x axis of trends."""
        return self.end_index / 12

    @property
    def year_label(self) -> str:
        """The reporting year: '2020', or '2023/24' for a year starting in another month."""
        if self.year_start == 1:
            return f"{self.year:04d}"
        return f"{self.year:04d}/{(self.year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        if self.frequency is Frequency.ANNUAL:
            return self.year_label
        if self.frequency is Frequency.SEMIANNUAL:
            return f"{self.year_label}-H{self.index}"
        if self.frequency is Frequency.QUARTERLY:
            return f"{self.year_label}-Q{self.index}"
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
        return (self._end, self._start)

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


@functools.lru_cache(maxsize=4096)
def _period_containing(day: date, frequency: Frequency, year_start: int) -> Period:
    return Period._containing(day, frequency, year_start)


@functools.lru_cache(maxsize=4096)
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


@dataclass(frozen=True, slots=True)
class Tolerance:
    """How far a target may be missed and still be "at risk" rather than "off track", for the
    indicators rated by attainment (no baseline, a threshold, or year to date): ``amount`` in the
    indicator's unit, or in percent of the target. Set per plan, overridable per indicator."""

    amount: float = 0.0
    unit: ToleranceUnit = ToleranceUnit.UNIT

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", _member(ToleranceUnit, self.unit, ErrorCode.UNKNOWN_TOLERANCE_UNIT))
        amount = _number(self.amount, Quantity.TOLERANCE)
        if amount < 0:
            raise EngineError(ErrorCode.TOLERANCE_NEGATIVE, tolerance=amount)
        object.__setattr__(self, "amount", amount)

    def absolute(self, target: float) -> float:
        """The tolerance in the indicator's unit, for a target (expected value) of ``target``."""
        if self.unit is ToleranceUnit.PERCENT:
            return self.amount / 100 * abs(target)
        return self.amount


NO_TOLERANCE = Tolerance()


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator's passport, as far as evaluation needs it.

    ``targets`` maps periods to target values (milestones and the final target, which is the
    latest one); pass a mapping or (period, value) pairs. ``tolerance`` is the half-width of the
    band around the target of a "maintain" indicator, in the indicator's unit. ``scale_min`` and
    ``scale_max`` bound a qualitative score. ``weight`` is the indicator's weight in the roll-up
    (0 = shown but not rolled up).

    ``target_kind``: a trajectory from the baseline (the default) or a threshold, a standard to
    meet or stay within. ``target_tolerance`` overrides the plan's tolerance for missing a target
    (indicators rated by attainment). ``context``: a context indicator, with values and a trend
    but no target, never rated (its direction is not used). ``year_start``: the month its
    reporting year starts in (1 = the calendar year), for year-to-date sums and default periods.
    ``year_to_date`` (with cumulative accumulation): the sum restarts each reporting year.
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
    target_kind: TargetKind = TargetKind.TRAJECTORY
    target_tolerance: Tolerance | None = None
    context: bool = False
    year_start: int = 1
    year_to_date: bool = False
    # Derived, for fast lookups (not compared, not part of the hash).
    _target_by_span: dict[tuple[int, int], float] = field(init=False, repr=False, compare=False, hash=False)
    _target_times: tuple[int, ...] = field(init=False, repr=False, compare=False, hash=False)
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
            ("target_kind", TargetKind, ErrorCode.UNKNOWN_TARGET_KIND),
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
        if self.target_tolerance is not None and not isinstance(self.target_tolerance, Tolerance):
            raise EngineError(ErrorCode.TOLERANCE_TYPE, indicator=indicator, value=self.target_tolerance)
        set_(self, "context", bool(self.context))
        set_(self, "year_start", _year_start(self.year_start, indicator=indicator))
        set_(self, "year_to_date", bool(self.year_to_date))
        if self.year_to_date and self.accumulation is not Accumulation.CUMULATIVE:
            raise EngineError(
                ErrorCode.YEAR_TO_DATE_NOT_CUMULATIVE, indicator=indicator, accumulation=self.accumulation
            )

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
        if self.context and ordered:
            raise EngineError(ErrorCode.CONTEXT_TARGETS, indicator=indicator)
        set_(self, "targets", tuple(ordered))
        set_(self, "_target_by_span", {period.span: value for period, value in ordered})
        set_(self, "_target_times", tuple(period.end_index for period, _value in ordered))

        for code, period, value in self._values_to_check():
            self._check_scale(value, code, period)

        anchors: list[tuple[int, float]] = []
        # A threshold is a standard, not a point on a line from the baseline: the baseline is
        # shown, but neither anchors the targets nor limits them.
        if self.baseline is not None and self.target_kind is TargetKind.TRAJECTORY:
            base_end = self.baseline_period.end_index
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

    @property
    def baseline_period(self) -> Period:
        """The reporting year of the baseline (the baseline stands for its end)."""
        return Period(self.baseline.year, year_start=self.year_start)  # type: ignore[union-attr]

    @property
    def rated_by_attainment(self) -> bool:
        """Rated by whether the target is met (within the tolerance), not by progress from the
        baseline: a target without a baseline, a threshold, and a year-to-date sum."""
        return self.direction is not Direction.MAINTAIN and (
            self.baseline is None or self.target_kind is TargetKind.THRESHOLD or self.year_to_date
        )

    def reporting_year(self, period: Period) -> Period:
        """The indicator's reporting year that contains the end of ``period``."""
        return Period.containing(period.end, year_start=self.year_start)

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
        return self._target_by_span.get(period.span)


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
class StatusOverride:
    """A verifier's judgement of an indicator's status for one period, with its public reason.
    It is shown beside the computed status and never replaces it (nor the roll-up's score).
    ``decided`` is the date it was made: an override made after the as-of date is not yet known."""

    period: Period
    status: Status
    reason: str
    decided: date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.period, Period) or not (
            self.decided is None or isinstance(self.decided, date)
        ):
            raise EngineError(ErrorCode.OVERRIDE_TYPE, value=self)
        status = _member(Status, self.status, ErrorCode.OVERRIDE_STATUS)
        if status not in OVERRIDE_STATUSES:
            raise EngineError(ErrorCode.OVERRIDE_STATUS, value=status.value)
        object.__setattr__(self, "status", status)
        if not isinstance(self.reason, str) or not self.reason.strip():
            raise EngineError(ErrorCode.OVERRIDE_REASON, period=self.period)


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
    override: StatusOverride | None = None  # a verifier's status for this period, beside ``status``


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
    target_kind: TargetKind = TargetKind.TRAJECTORY
    context: bool = False  # a context indicator: status ``context``, counted apart in roll-ups
    year_to_date: bool = False  # cumulative since the start of each reporting year
    target_tolerance: float | None = None  # the tolerance applied to the period evaluated, in the unit
    override: StatusOverride | None = None  # the verifier's status for the period evaluated

    @property
    def has_data(self) -> bool:
        return self.score is not None

    @property
    def published_status(self) -> Status:
        """The status the authority publishes: the override's, else the computed one."""
        return self.override.status if self.override is not None else self.status

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
    counts: dict[Status, int]  # rated indicators in the subtree by status (RATED_STATUSES)
    children: tuple[str, ...]
    context_total: int = 0  # context indicators in the subtree, counted apart
    context_with_values: int = 0  # of which with a value


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


def _miss_ratio(miss: float, tolerance: float, thresholds: Thresholds) -> float:
    """Ratio for a value that misses its mark by ``miss`` (≤ 0: not missed) with a tolerance:
    1 when not missed; from just under the on-track threshold down to the at-risk threshold
    while the miss is at most one tolerance (at risk); then down to 0 at two tolerances (off
    track); 0 beyond. With tolerance 0 any miss gives 0."""
    if miss <= 0:
        return 1.0
    if tolerance == 0:
        return 0.0
    share = miss / tolerance
    on, at = thresholds.on_track, thresholds.at_risk
    if share <= 1:
        ratio = at + (on - at) * (1 - share)  # exactly the at-risk threshold at one tolerance
        # Strictly below on-track once missed, but never below 0 (an on-track threshold of 0 has
        # nothing below it): a larger miss never gets a higher ratio.
        return max(0.0, min(ratio, math.nextafter(on, -math.inf)))
    if share <= 2:
        return at * (2 - share)
    return 0.0


def maintain_ratio(
    actual: float, expected: float, tolerance: float, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> float:
    """Ratio of a "maintain" indicator, from where the actual lies relative to the band
    [expected − tolerance, expected + tolerance].

    Inside the band: 1 (on track). Outside by a distance d: from just under the on-track
    threshold down to the at-risk threshold while d ≤ tolerance (at risk), then down to 0 at
    d = 2 × tolerance (off track), 0 beyond. With tolerance 0 any deviation gives 0.
    """
    return _miss_ratio(abs(actual - expected) - tolerance, tolerance, thresholds)


def attainment_ratio(
    actual: float,
    expected: float,
    direction: Direction,
    tolerance: float,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> float:
    """Ratio of an indicator rated by attainment (a target without a baseline, a threshold, a
    year-to-date sum), as authorities rate them: 1 when the target is met or beaten (doing
    better is never penalised); missed by no more than ``tolerance`` (in the indicator's unit):
    at risk; beyond: off track. The same curve as a "maintain" band (:func:`maintain_ratio`),
    on one side only."""
    direction = _member(Direction, direction, ErrorCode.UNKNOWN_DIRECTION)
    miss = actual - expected if direction is Direction.DECREASE else expected - actual
    return _miss_ratio(miss, tolerance, thresholds)


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
    if spec.context:
        return None, Note.NO_TARGET
    explicit = spec._target_by_span.get(period.span)
    if explicit is not None:
        return explicit, None
    if spec.year_to_date:
        year = spec.reporting_year(period)
        if year.span != period.span:
            # Part of a year: the year's expected value, pro rata of the months gone.
            annual, note = _expected(spec, year)
            if annual is None:
                return None, note
            months = period.end_index - year.start_index + 1
            return (annual if months == 12 else annual * months / 12), None
    if spec.target_kind is TargetKind.THRESHOLD:
        # A standard holds from the start until the next one replaces it.
        if not spec.targets:
            return None, Note.NO_TARGET
        i = bisect.bisect_right(spec._target_times, period.end_index)
        return spec.targets[max(i - 1, 0)][1], None  # type: ignore[index]
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
    the final target. A threshold: the latest target at or before the period (the first before
    it). Year to date: part of a year gets the year's expected value pro rata of its months."""
    return _expected(spec, period)[0]


# --------------------------------------------------------------------------------------------
# Rules: actual values
# --------------------------------------------------------------------------------------------


def _check_measurement(spec: IndicatorSpec, m: Measurement) -> None:
    if spec.measure is Measure.PERCENTAGE:
        # A percentage without its counts is a rate as reported: taken as it is, never added up,
        # so a cumulative or year-to-date percentage still needs the counts.
        if m.value is not None and spec.accumulation is Accumulation.CUMULATIVE:
            raise EngineError(ErrorCode.PERCENTAGE_NEEDS_RATIO, indicator=spec.key, period=m.period)
    elif m.value is None:
        raise EngineError(ErrorCode.NUMBER_NEEDS_VALUE, indicator=spec.key, period=m.period)
    if spec.measure is Measure.SCORE:
        spec._check_scale(m.value, ErrorCode.VALUE_OUTSIDE_SCALE, m.period)  # type: ignore[arg-type]
    if spec.year_to_date and spec.reporting_year(m.period).start > m.period.start:
        raise EngineError(
            ErrorCode.MEASUREMENT_SPANS_YEARS, indicator=spec.key, period=m.period, year_start=spec.year_start
        )


def _usable(
    spec: IndicatorSpec, measurements: Iterable[Measurement], as_of: date | None
) -> list[Measurement]:
    """Approved measurements known on ``as_of``, checked and in canonical order."""
    kept: list[Measurement] = []
    seen: set[tuple[int, int]] = set()
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
        if m.period.span in seen:  # the same months, whatever reporting year they are named in
            raise EngineError(ErrorCode.MEASUREMENT_TWICE, indicator=spec.key, period=m.period)
        seen.add(m.period.span)
        kept.append(m)
    kept.sort(key=lambda m: m.period.sort_key)
    return kept


def _aggregate(spec: IndicatorSpec, items: Sequence[Measurement], period: Period) -> float | None:
    """The sum of ``items`` for ``period``; percentages add their counts. A rate reported without
    counts is never added or averaged: it is the actual only of the very period it is for."""
    if not items:
        return None
    if spec.measure is Measure.PERCENTAGE:
        if any(m.value is not None for m in items):  # a period needs its own value then
            own = [m for m in items if m.period.span == period.span]
            return own[0].level if own else None
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
        for period, bucket in zip(periods, buckets, strict=True):
            result.append((_aggregate(spec, bucket, period), bool(bucket)))
        return result
    ms_ends = [m.period.end_index for m in ms]
    j = 0
    for period, bucket in zip(periods, buckets, strict=True):
        while j < len(ms) and ms[j].period.end_index <= period.end_index:
            j += 1
        if spec.accumulation is Accumulation.CUMULATIVE and spec.year_to_date:
            # Since the start of the reporting year (values never straddle it: _check_measurement).
            first = bisect.bisect_left(ms_ends, spec.reporting_year(period).start_index, 0, j)
            actual = _aggregate(spec, ms[first:j], period)
        elif spec.accumulation is Accumulation.CUMULATIVE:
            actual = _aggregate(spec, ms[:j], period)
        else:  # LATEST: the last value at or before the period's end
            actual = ms[j - 1].level if j else None
        result.append((actual, bool(bucket)))
    return result


def actual_value(
    spec: IndicatorSpec, measurements: Iterable[Measurement], period: Period, *, as_of: date | None = None
) -> float | None:
    """Actual of one period. Per period: the sum of the approved values within it. Cumulative:
    the sum of those up to and including it. Year to date: the sum of those since the start of
    its reporting year. Latest level: the last approved value at or before its end. Percentages
    add numerators and denominators, then divide; a rate without counts counts only for its own
    period. None = no data."""
    ms = _usable(spec, measurements, as_of)
    return _actuals(spec, ms, (period,))[0][0]


def default_periods(spec: IndicatorSpec, measurements: Iterable[Measurement] = ()) -> tuple[Period, ...]:
    """The reporting years of an indicator's series: from the year after the baseline (or the
    first target or value, if earlier) to the final target's year (or the last value's, if
    later)."""
    years: list[int] = []
    if spec.baseline is not None:
        years.append(spec.baseline.year + 1)
    years.extend(spec.reporting_year(period).year for period, _value in spec.targets)  # type: ignore[misc]
    years.extend(spec.reporting_year(m.period).year for m in measurements)
    if not years:
        return ()
    return tuple(Period(year, year_start=spec.year_start) for year in range(min(years), max(years) + 1))


# --------------------------------------------------------------------------------------------
# Rules: forecast
# --------------------------------------------------------------------------------------------


def forecast(spec: IndicatorSpec, points: Iterable[tuple[Period, float]]) -> Forecast:
    """Least-squares line through the (period end, actual) points, projected to the final
    target's period: likely when the projection reaches the target (within the band for
    "maintain"). Needs two points in different periods. Without a target (a context indicator)
    the outcome is ``no_target`` and the line's slope is the trend."""
    final = spec.final_target
    pts = sorted(((p.time, v) for p, v in points))
    xs = [x for x, _y in pts]
    ys = [y for _x, y in pts]
    n = len(pts)
    if n < 2 or xs[0] == xs[-1]:
        if final is None:
            return Forecast(ForecastOutcome.NO_TARGET, points_used=n)
        return Forecast(ForecastOutcome.INSUFFICIENT_DATA, final[0], final[1], points_used=n)
    x_mean = math.fsum(xs) / n
    y_mean = math.fsum(ys) / n
    sxx = math.fsum((x - x_mean) * (x - x_mean) for x in xs)
    sxy = math.fsum((x - x_mean) * (y - y_mean) for x, y in pts)
    slope = sxy / sxx
    if final is None:
        return Forecast(ForecastOutcome.NO_TARGET, slope_per_year=slope, points_used=n)
    target_period, target_value = final
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


def _tolerance(spec: IndicatorSpec, expected: float | None, plan_tolerance: Tolerance) -> float | None:
    """The tolerance for missing the target, in the indicator's unit, of an indicator rated by
    attainment: the indicator's own, else the plan's. None for the others."""
    if expected is None or not spec.rated_by_attainment or spec.context:
        return None
    return (spec.target_tolerance or plan_tolerance).absolute(expected)


def _assess(
    spec: IndicatorSpec,
    actual: float | None,
    expected: float | None,
    thresholds: Thresholds,
    tolerance: float | None,
) -> tuple[float | None, float | None, Status, Note | None]:
    """(ratio, score, status, note) of one period, staleness aside."""
    if actual is None:
        return None, None, Status.NO_DATA, None
    if spec.context:
        return None, None, Status.CONTEXT, None
    if expected is None:
        return None, None, Status.NO_DATA, None
    if spec.direction is Direction.MAINTAIN:
        ratio = maintain_ratio(actual, expected, spec.tolerance, thresholds)
        return ratio, score_for_ratio(ratio), status_for_ratio(ratio, thresholds), None
    if tolerance is not None:  # rated by attainment
        ratio = attainment_ratio(actual, expected, spec.direction, tolerance, thresholds)
        note = (
            Note.NO_BASELINE if spec.baseline is None and spec.target_kind is TargetKind.TRAJECTORY else None
        )
        return ratio, score_for_ratio(ratio), status_for_ratio(ratio, thresholds), note
    ratio = progress_ratio(actual, expected, spec.baseline.value, spec.direction)  # type: ignore[union-attr]
    return ratio, score_for_ratio(ratio), status_for_ratio(ratio, thresholds), None


def _overrides_by_span(
    spec: IndicatorSpec, overrides: Iterable[StatusOverride], as_of: date
) -> dict[tuple[int, int], StatusOverride]:
    """The overrides known on ``as_of``, by the months of their period."""
    by_span: dict[tuple[int, int], StatusOverride] = {}
    for override in overrides:
        if not isinstance(override, StatusOverride):
            raise EngineError(ErrorCode.OVERRIDE_TYPE, indicator=spec.key, value=override)
        if spec.context:
            raise EngineError(ErrorCode.OVERRIDE_CONTEXT, indicator=spec.key)
        if override.decided is not None and override.decided > as_of:
            continue
        if override.period.span in by_span:
            raise EngineError(ErrorCode.OVERRIDE_TWICE, indicator=spec.key, period=override.period)
        by_span[override.period.span] = override
    return by_span


def evaluate_indicator(
    spec: IndicatorSpec,
    measurements: Iterable[Measurement],
    *,
    as_of: date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    periods: Sequence[Period] | None = None,
    tolerance: Tolerance = NO_TOLERANCE,
    plan_end: date | None = None,
    overrides: Iterable[StatusOverride] = (),
) -> IndicatorResult:
    """Evaluate one indicator on ``as_of``.

    Only approved measurements whose period has started by ``as_of`` (and which were collected
    by then, when the date is known) count. The series covers ``periods`` (default: the years of
    :func:`default_periods`). The headline figures are those of the latest period with an
    actual that has ended by ``as_of`` (else of the latest period with one, noted as partial).

    ``tolerance`` is the plan's tolerance for missing a target (indicators rated by attainment;
    the indicator's own ``target_tolerance`` wins). ``plan_end``: the last day of the plan; no
    value is due for a period after it, so an indicator whose last value reaches it never turns
    stale. ``overrides``: verifiers' statuses with their reasons, carried beside the computed
    status of their period.
    """
    if not isinstance(spec, IndicatorSpec):
        raise EngineError(ErrorCode.SPEC_TYPE, value=spec)
    if not isinstance(as_of, date):
        raise EngineError(ErrorCode.AS_OF_TYPE, value=as_of)
    if plan_end is not None and not isinstance(plan_end, date):
        raise EngineError(ErrorCode.PLAN_END_TYPE, value=plan_end)
    if not isinstance(tolerance, Tolerance):
        raise EngineError(ErrorCode.TOLERANCE_TYPE, value=tolerance)
    judged = _overrides_by_span(spec, overrides, as_of)
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
        allowed = _tolerance(spec, expected, tolerance)
        ratio, score, status, assess_note = _assess(spec, actual, expected, thresholds, allowed)
        if measured and actual is None:
            note = Note.RATES_NOT_COMBINED
        elif actual is None or spec.context:
            note = None
        series.append(
            SeriesPoint(
                period=period,
                actual=actual,
                expected=expected,
                target=spec.target_for(period),
                measured=measured,
                ratio=ratio,
                score=score,
                status=status,
                note=note or assess_note,
                override=judged.get(period.span),
            )
        )

    current: SeriesPoint | None = None
    partial = False
    for point in reversed(series):
        if point.measured and point.actual is not None and point.period.end <= as_of:
            current = point
            break
    if current is None:
        for point in reversed(series):
            if point.measured and point.actual is not None:
                current, partial = point, True
                break

    notes: list[Note] = []
    last = ms[-1].period if ms else None
    stale_date = stale_after(last, spec.frequency, thresholds.stale_grace_days) if last else None
    if last is not None and plan_end is not None and last.end >= plan_end:
        stale_date = None  # nothing is due for a period after the plan's end
    if not ms:
        notes.append(Note.NO_MEASUREMENTS)
    if current is not None:
        if partial:
            notes.append(Note.PARTIAL_PERIOD)
        if current.note is not None:
            notes.append(current.note)
    elif any(point.note is Note.RATES_NOT_COMBINED for point in series):
        notes.append(Note.RATES_NOT_COMBINED)
    if (
        spec.baseline is None
        and spec.direction is not Direction.MAINTAIN
        and spec.target_kind is TargetKind.TRAJECTORY
        and not spec.context
        and Note.NO_BASELINE not in notes
    ):
        notes.append(Note.NO_BASELINE)
    stale = stale_date is not None and as_of > stale_date
    if stale:
        notes.append(Note.STALE)

    if spec.context:
        status = Status.CONTEXT  # shown with its values and trend, never rated, never "no data"
    elif current is None:
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
        target_kind=spec.target_kind,
        context=spec.context,
        year_to_date=spec.year_to_date,
        target_tolerance=_tolerance(spec, current.expected, tolerance) if current else None,
        override=current.override if current else None,
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
    child element its own coverage; weight-0 indicators are left out of both. Context indicators
    are counted apart, never scored, never in the coverage. An indicator (by key) that
    contributes to several elements counts in each of them, and once in each count.
    """
    results: dict[str, NodeResult] = {}
    order: list[str] = []

    def visit(node: Node) -> tuple[NodeResult, dict[str, IndicatorResult]]:
        if not isinstance(node, Node):
            raise EngineError(ErrorCode.NODE_TYPE, value=node)
        if node.key in results or node.key in order:
            raise EngineError(ErrorCode.ELEMENT_TWICE, key=node.key)
        order.append(node.key)
        own: dict[str, IndicatorResult] = {}
        for indicator in node.indicators:
            if not isinstance(indicator, IndicatorResult):
                raise EngineError(ErrorCode.RESULT_TYPE, element=node.key, value=indicator)
            own.setdefault(indicator.key, indicator)
        below = dict(own)  # every distinct indicator in the subtree, by key
        scored: list[tuple[float, float]] = []
        covered: list[tuple[float, float]] = []
        for indicator in own.values():
            if indicator.context or indicator.weight <= 0:
                continue
            has = indicator.score is not None
            covered.append((indicator.weight, 1.0 if has else 0.0))
            if has:
                scored.append((indicator.weight, indicator.score))  # type: ignore[arg-type]
        for child in node.children:
            result, child_below = visit(child)
            for key, indicator in child_below.items():
                below.setdefault(key, indicator)
            covered.append((child.weight, result.coverage))
            if result.score is not None:
                scored.append((child.weight, result.score))
        counts = dict.fromkeys(RATED_STATUSES, 0)
        total = with_data = context_total = context_with_values = 0
        for indicator in below.values():
            if indicator.context:
                context_total += 1
                context_with_values += indicator.actual is not None
            else:
                counts[indicator.status] += 1
                total += 1
                with_data += indicator.score is not None
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
            context_total=context_total,
            context_with_values=context_with_values,
        )
        results[node.key] = result
        return result, below

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


def default_as_of(*, today: date, plan_end: date | None, reporting_deadline_months: int = 12) -> date:
    """The date a plan is evaluated on unless one is chosen: today while the plan is in force
    and its last values are still due; for a completed plan, its end plus the reporting deadline
    (the last day of the month that many months after the plan's last month), so a plan that
    ended long ago keeps its final assessment."""
    if not isinstance(today, date):
        raise EngineError(ErrorCode.AS_OF_TYPE, value=today)
    if plan_end is None:
        return today
    if not isinstance(plan_end, date):
        raise EngineError(ErrorCode.PLAN_END_TYPE, value=plan_end)
    months = reporting_deadline_months
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise EngineError(ErrorCode.REPORTING_DEADLINE, months=months)
    return min(today, _month_end(plan_end.year * 12 + plan_end.month + months))


def breakdown_adds_up(measure: Measure, *, with_counts: bool) -> bool:
    """Must a value's breakdown (by sex, age …) add up to its total? Only counts do: a number,
    or the numerators of a percentage given with its counts. Rates as reported (unemployment of
    men and of women) and scores are levels and never add up."""
    measure = _member(Measure, measure, ErrorCode.UNKNOWN_MEASURE)
    if measure is Measure.NUMBER:
        return True
    return measure is Measure.PERCENTAGE and with_counts


def _check_plan(plan_start: int, plan_end: int) -> None:
    if not (isinstance(plan_start, int) and isinstance(plan_end, int)) or plan_start > plan_end:
        raise EngineError(ErrorCode.PLAN_PERIOD, start=plan_start, end=plan_end)


def validate_spec(spec: IndicatorSpec, *, plan_start: int, plan_end: int) -> None:
    """EngineError when a target lies outside the plan period or the baseline after it. The plan's
    years are reporting years of the indicator (2021 is 2021/22 for a year starting in April)."""
    _check_plan(plan_start, plan_end)
    for period, _value in spec.targets:  # type: ignore[misc]
        if not plan_start <= spec.reporting_year(period).year <= plan_end:
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
        if not first <= spec.reporting_year(m.period).year <= plan_end:
            raise EngineError(
                ErrorCode.MEASUREMENT_OUTSIDE_PLAN,
                indicator=spec.key,
                period=m.period,
                start=plan_start,
                end=plan_end,
            )
    _usable(spec, items, None)
