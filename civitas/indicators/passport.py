"""An indicator's passport as a person enters it: its fields named once, with their types.

The passport form builds one (``PassportForm.passport``), the services take one
(``indicator_create``, ``indicator_update``, ``indicator_edit``) and the export's ``passports``
table takes its columns from these fields. A field added here is a form field, a service argument
and an export column; the model needs the column, the export may leave it out (``NOT_EXPORTED``).
Where the indicator is attached, its targets and its values are not part of the passport.
"""

from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Self

from civitas.evaluation.engine import Accumulation, Direction, Frequency, Measure, TargetKind, ToleranceUnit

from .models import Indicator, IndicatorType

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# Metadata of a field, for the export's passports table: left out (the definitions are long texts,
# the owner is a person, the position is the order of the lists, and the English half of a pair is
# in its Bulgarian half's column), shown in the reader's language as one column (a pair of a
# Bulgarian and an English text), or under another name. Without metadata: a column of its own.
NOT_EXPORTED = {"export": None}


def _in_language(column: str) -> dict:
    """The Bulgarian half of a pair: exported as ``column``, the model's text in the reader's language."""
    return {"export": column, "translated": True}


@dataclass(frozen=True, kw_only=True)
class IndicatorPassport:
    """The fields in the order the passport form asks for them: code, names, definition, type, unit,
    measure, direction (with the band of "maintain"), kind of target, tolerance for missing a target,
    accumulation (year to date or not), baseline, data source, method, frequency, responsible unit."""

    code: str = field(metadata={"export": "indicator_code"})
    name_bg: str
    name_en: str = ""
    definition_bg: str = field(default="", metadata=NOT_EXPORTED)
    definition_en: str = field(default="", metadata=NOT_EXPORTED)
    type: IndicatorType
    unit_bg: str = ""
    unit_en: str = ""
    measure: Measure = Measure.NUMBER
    scale_min: Decimal | None = None
    scale_max: Decimal | None = None
    direction: Direction = Direction.INCREASE
    tolerance: Decimal | None = None
    target_kind: TargetKind = TargetKind.TRAJECTORY
    # The tolerance for missing a target (no amount: the plan's); the unit is blank without one.
    tolerance_amount: Decimal | None = None
    tolerance_unit: ToleranceUnit | str = ""
    accumulation: Accumulation = Accumulation.PER_PERIOD
    # Cumulative values that restart each reporting year (quarterly figures "year to date").
    year_to_date: bool = False
    baseline_value: Decimal | None = None
    baseline_year: int | None = None
    baseline_unavailable_reason_bg: str = field(
        default="", metadata=_in_language("baseline_unavailable_reason")
    )
    baseline_unavailable_reason_en: str = field(default="", metadata=NOT_EXPORTED)
    data_source_bg: str = field(default="", metadata=_in_language("data_source"))
    data_source_en: str = field(default="", metadata=NOT_EXPORTED)
    method_bg: str = field(default="", metadata=_in_language("method"))
    method_en: str = field(default="", metadata=NOT_EXPORTED)
    frequency: Frequency = Frequency.ANNUAL
    responsible_unit_bg: str = field(default="", metadata=_in_language("responsible_unit"))
    responsible_unit_en: str = field(default="", metadata=NOT_EXPORTED)
    owner: "AbstractBaseUser | None" = field(default=None, metadata=NOT_EXPORTED)
    eu_code: str = ""
    weight: Decimal = Decimal(1)
    position: int = field(default=0, metadata=NOT_EXPORTED)
    is_sample: bool = False
    # Breakdowns whose values add up to the total (see Indicator.disaggregation); the form has a
    # text field for them (forms.PassportForm.disaggregation_text).
    disaggregation: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        # The vocabularies as the engine's enums, whether given as members or as their stored values.
        for name, vocabulary in (
            ("type", IndicatorType),
            ("measure", Measure),
            ("direction", Direction),
            ("accumulation", Accumulation),
            ("frequency", Frequency),
            ("target_kind", TargetKind),
        ):
            object.__setattr__(self, name, vocabulary(getattr(self, name)))
        if self.tolerance_unit:
            object.__setattr__(self, "tolerance_unit", ToleranceUnit(self.tolerance_unit))

    @classmethod
    def of(cls, indicator: Indicator) -> Self:
        """The passport of a stored indicator (its owner is read if not loaded)."""
        return cls(**{name: getattr(indicator, name) for name in PASSPORT_FIELDS})

    def values(self) -> dict[str, Any]:
        """The fields as the model's keyword arguments."""
        return {name: getattr(self, name) for name in PASSPORT_FIELDS}


PASSPORT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(IndicatorPassport))


@dataclass(frozen=True)
class ExportColumn:
    name: str  # the column's header
    attribute: str  # the Indicator attribute it shows


def _export_columns() -> tuple[ExportColumn, ...]:
    columns = []
    for f in fields(IndicatorPassport):
        name = f.metadata.get("export", f.name)
        if name is not None:
            columns.append(ExportColumn(name, name if f.metadata.get("translated") else f.name))
    return tuple(columns)


# The passport's columns in the export's passports table, in the passport's order.
EXPORT_COLUMNS = _export_columns()
