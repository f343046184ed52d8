"""Plan files: a whole plan (its goal tree, the projects under each element, their partners,
budgets and activities, the indicators of elements and projects with their targets and published
values, the indicative financial table) as YAML or JSON, in the versioned format ``civitas-plan/2``
(files in ``civitas-plan/1`` are still read, with that version's meaning).

This module is pure: it parses and validates a document and reports every error with its path
(e.g. ``goals[2].projects[0].budget[1].amount``); it never touches the database. The importer
(``planfiles.imports``) checks the document against the database and writes it through the services,
all or nothing. The format is documented in docs/plan-format.md.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils.translation import gettext as _

from civitas.core.money import Currency
from civitas.evaluation.engine import (
    OVERRIDE_STATUSES,
    Accumulation,
    Direction,
    Frequency,
    Measure,
    TargetKind,
    ToleranceUnit,
)
from civitas.indicators import rules as indicator_rules
from civitas.indicators.evaluation import spec_for
from civitas.indicators.models import Indicator, IndicatorType, Target
from civitas.indicators.passport import IndicatorPassport
from civitas.plans import rules as plan_rules
from civitas.plans.models import PlanKind, PlanStatus
from civitas.projects import rules as project_rules
from civitas.projects.models import ActivityState, FundingSource, ProjectStatus

FORMAT = "civitas-plan/2"
# Version 1: no indicators, amounts in leva, a progress or amount spent left out is 0.
FORMAT_1 = "civitas-plan/1"
FORMATS = (FORMAT_1, FORMAT)
MAX_BYTES = 5 * 1024 * 1024
MAX_AMOUNT = 10**12  # FundingLine.amount: 14 digits, 2 of them decimals
MAX_INTEGER = 2**31 - 1  # the largest value of a PositiveIntegerField on every database
# Numbers longer than this are kept as the text they are (and then refused where a number is
# expected): Python refuses to convert integers of more than 4,300 digits, and YAML 1.1's
# base-60 integers (1:0:0 = 3600) of that length take minutes of big-integer arithmetic.
MAX_NUMBER_CHARS = 40
DATE_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# Dates a plan can sensibly hold; far outside, date arithmetic on the pages would overflow.
MIN_DATE, MAX_DATE = datetime.date(1900, 1, 1), datetime.date(2199, 12, 31)

# The keys each mapping of the format may have; anything else is reported (a typo would
# otherwise be silently ignored).
KEYS = {
    "document": ("format", "plan", "goals", "financial_table", "assessments"),
    "plan": ("slug", "kind", "status", "title", "period", "vision", "description", "adopted_by", "levels",
             "is_sample", "position", "year_start_month", "currency", "tolerance"),
    "period": ("start", "end"),
    "text": ("bg", "en"),
    "tolerance": ("amount", "unit"),
    "money": ("amount", "currency"),
    "element": ("code", "title", "description", "indicators", "projects", "children"),
    "project": ("code", "slug", "title", "description", "status", "progress", "planned", "actual", "responsible",
                "location", "is_sample", "declared_total", "partners", "budget", "activities",
                "also_contributes_to", "indicators"),
    "financial": ("element", "source", "year", "amount", "currency"),
    "assessment": ("element", "year", "achieved", "obstacles", "published"),
    "indicator": ("code", "name", "definition", "type", "unit", "measure", "scale", "direction", "maintain_band",
                  "target_kind", "tolerance", "year_to_date", "accumulation", "baseline", "baseline_unavailable",
                  "data_source", "method", "frequency", "responsible_unit", "owner", "eu_code", "weight",
                  "is_sample", "disaggregation", "also_serves", "targets", "values", "overrides"),
    "scale": ("min", "max"),
    "baseline": ("value", "year"),
    "target": ("year", "sub", "value", "final"),
    "value": ("year", "sub", "value", "numerator", "denominator", "breakdown", "collected", "evidence_url",
              "comment"),
    "override": ("year", "sub", "status", "reason", "decided_on"),
    "dates": ("start", "end"),
    "responsible": ("unit", "person"),
    "location": ("geometry", "name"),
    "partner": ("name", "role"),
    "budget": ("source", "programme", "amount", "currency", "ceiling", "spent", "grant_share", "contract"),
    "contract": ("number", "date"),
    "activity": ("title", "description", "milestone", "start", "due", "completed", "state"),
    "ref": ("ref",),
}  # fmt: skip

# Where a field of the services and rules lives in the file, relative to the item's path.
FIELD_PATHS = {
    "plan": {"title_bg": "title.bg", "title_en": "title.en", "period_start": "period.start",
             "period_end": "period.end", "level_names": "levels", "vision_bg": "vision.bg",
             "description_bg": "description.bg", "tolerance_amount": "tolerance.amount",
             "tolerance_unit": "tolerance.unit"},
    "element": {"title_bg": "title.bg", "title_en": "title.en", "description_bg": "description.bg",
                "parent": ""},
    "project": {"title_bg": "title.bg", "title_en": "title.en", "description_bg": "description.bg",
                "planned_start": "planned.start", "planned_end": "planned.end", "actual_start": "actual.start",
                "actual_end": "actual.end", "location": "location.geometry", "location_name_bg": "location.name.bg",
                "responsible_unit_bg": "responsible.unit.bg", "responsible_person": "responsible.person",
                "element_ids": "", "declared_total": "declared_total.amount",
                "declared_currency": "declared_total.currency"},
    "partner": {"name_bg": "name.bg", "name_en": "name.en", "role_bg": "role.bg"},
    "budget": {"programme_bg": "programme.bg", "programme_en": "programme.en",
               "contract_number": "contract.number", "contract_date": "contract.date", "is_ceiling": "ceiling"},
    "indicator": {"name_bg": "name.bg", "name_en": "name.en", "definition_bg": "definition.bg",
                  "definition_en": "definition.en", "unit_bg": "unit.bg", "unit_en": "unit.en",
                  "scale_min": "scale.min", "scale_max": "scale.max", "tolerance": "maintain_band",
                  "tolerance_amount": "tolerance.amount", "tolerance_unit": "tolerance.unit",
                  "baseline_value": "baseline.value", "baseline_year": "baseline.year",
                  "baseline_unavailable_reason_bg": "baseline_unavailable.bg",
                  "baseline_unavailable_reason_en": "baseline_unavailable.en",
                  "data_source_bg": "data_source.bg", "data_source_en": "data_source.en",
                  "method_bg": "method.bg", "method_en": "method.en",
                  "responsible_unit_bg": "responsible_unit.bg", "responsible_unit_en": "responsible_unit.en",
                  "element": "", "project": "", "also_elements": "also_serves", "__all__": ""},
    "target": {"is_final": "final"},
    "assessment": {"achieved_bg": "achieved.bg", "achieved_en": "achieved.en", "obstacles_bg": "obstacles.bg",
                   "obstacles_en": "obstacles.en", "__all__": ""},
    "value": {"period": "year", "collected_on": "collected", "__all__": ""},
    "override": {"reason_bg": "reason.bg", "reason_en": "reason.en", "__all__": ""},
    "activity": {"title_bg": "title.bg", "title_en": "title.en", "description_bg": "description.bg",
                 "start_date": "start", "due_date": "due", "completed_on": "completed", "is_milestone": "milestone"},
}  # fmt: skip

# Longest texts the database keeps (the models' max_length).
LENGTHS = {"plan.slug": 80, "plan.title": 400, "plan.adopted_by": 300, "element.code": 40, "element.title": 500,
           "project.code": 40, "project.slug": 80, "project.title": 500, "project.unit": 300, "project.person": 200,
           "project.place": 300, "partner": 300, "programme": 300, "contract.number": 100, "activity.title": 500,
           "level": 100, "indicator.code": 40, "indicator.name": 400, "indicator.unit": 60,
           "indicator.reason": 400, "indicator.source": 400, "indicator.unit_name": 300, "indicator.eu_code": 20,
           "evidence_url": indicator_rules.MAX_URL_LENGTH}  # fmt: skip
# Digits of the indicators' decimal columns: (max_digits, decimal_places).
DIGITS = {"value": (18, 4), "tolerance": (16, 4), "scale": (12, 4), "weight": (8, 3)}


def join(path: str, field_name: str) -> str:
    """``join("goals[0]", "title.bg")`` → ``goals[0].title.bg``; an empty field is the item itself."""
    if not field_name or field_name == "__all__":
        return path
    return f"{path}.{field_name}" if path else field_name


def field_path(kind: str, path: str, field_name: str) -> str:
    """The file path of a service/rule field of an item of ``kind`` found at ``path``."""
    return join(path, FIELD_PATHS.get(kind, {}).get(field_name, field_name))


class PlanFileError(Exception):
    """The file cannot be read as a plan document at all (not YAML/JSON, too large...)."""


@dataclass
class Issue:
    path: str
    message: str

    def __str__(self):
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass
class Checked:
    """A validated document, flattened for the importer. Every item keeps its ``path``."""

    plan: dict
    version: str = FORMAT
    elements: list[dict] = field(default_factory=list)  # in tree order, with "parent_code" and "path"
    projects: list[dict] = field(default_factory=list)  # full definitions, with "element_codes" and "path"
    links: list[tuple[str, str]] = field(default_factory=list)  # (project code, element code) for refs
    # Links to other plans of the municipality: (project code, plan slug, element code, path).
    other_links: list[tuple[str, str, str, str]] = field(default_factory=list)
    # The indicative financial table: {element_code (None: the plan), source, year, amount, currency, path}.
    financial: list[dict] = field(default_factory=list)
    # Annual assessments: {element_code, year, achieved_bg/_en, obstacles_bg/_en, publish, path}.
    assessments: list[dict] = field(default_factory=list)
    # Indicators in reading order: {"passport": IndicatorPassport, "owner": username, "element_code" or
    # "project_code", "year_to_date", "also": [(plan slug or "", element code, path)], "targets",
    # "values", "overrides", "path"}.
    indicators: list[dict] = field(default_factory=list)

    @property
    def values_path(self) -> str:
        """The path of the first published value or status override of the file; "" if none."""
        for indicator in self.indicators:
            for key in ("values", "overrides"):
                if indicator[key]:
                    return indicator[key][0]["path"]
        return ""


# Reading ---------------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """YAML without anchors and aliases: a plan file never needs them, and refusing them keeps a
    small file from expanding into an enormous document ("billion laughs").

    Dates stay text (``2020-02-30`` would otherwise raise while parsing, before any path is
    known): the checker reads them, from YAML and JSON alike. Over-long numbers stay text too.
    """

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases are not allowed in plan files", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_yaml_int(self, node):
        text = self.construct_scalar(node)
        if len(text) > MAX_NUMBER_CHARS:
            return text
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp(self, node):
        return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _json_int(text: str):
    return int(text) if len(text) <= MAX_NUMBER_CHARS else text


def parse(data: bytes, name: str = "") -> object:
    """Bytes of a YAML or JSON file → Python data; PlanFileError with a clear message otherwise.

    A ``.json`` name means JSON and ``.yaml``/``.yml`` YAML; otherwise text starting with ``{``
    is read as JSON and anything else as YAML.
    """
    if len(data) > MAX_BYTES:
        raise PlanFileError(
            _("The file is larger than %(mb)s MB: it is not a plan file.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlanFileError(_("The file is not UTF-8 text: it is not a YAML or JSON plan file.")) from None
    if not text.strip():
        raise PlanFileError(_("The file is empty."))
    lower = name.lower()
    as_json = lower.endswith(".json") or (
        not lower.endswith((".yaml", ".yml")) and text.lstrip().startswith("{")
    )
    try:
        if as_json:
            try:
                return json.loads(text, parse_int=_json_int)
            except json.JSONDecodeError as exc:
                raise PlanFileError(
                    _("The file is not valid JSON (line %(line)s, column %(column)s): %(msg)s.")
                    % {"line": exc.lineno, "column": exc.colno, "msg": exc.msg}
                ) from None
        try:
            return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader without aliases
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or ""
            if mark is None:
                raise PlanFileError(_("The file is not valid YAML.")) from None
            raise PlanFileError(
                _("The file is not valid YAML (line %(line)s, column %(column)s): %(msg)s.")
                % {"line": mark.line + 1, "column": mark.column + 1, "msg": problem}
            ) from None
    except RecursionError:
        raise PlanFileError(_("The file is nested too deeply to be a plan file.")) from None


def load(data: bytes, name: str = "") -> tuple["Checked | None", list[Issue]]:
    """Parse and check in one step: (checked document, []) or (None, every issue)."""
    try:
        document = parse(data, name)
    except PlanFileError as exc:
        return None, [Issue("", str(exc))]
    return check(document)


# Checking --------------------------------------------------------------------------------------


def _printable(text: str) -> str:
    return text.replace("\x00", "\\x00").encode("utf-8", "backslashreplace").decode("utf-8")


def _unstorable_text(document) -> list[Issue]:
    """Keys and texts that no database stores: a NUL character (refused by PostgreSQL) or an
    unpaired surrogate (JSON's ``"\\ud800"``: not UTF-8). Found first, so that no message
    repeats them; their paths are written printable."""
    issues: list[Issue] = []
    stack = [("", document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                where = join(path, _printable(str(key)))
                if isinstance(key, str) and _bad_text(key):
                    issues.append(
                        Issue(where, _("the name of this field contains a character that cannot be stored"))
                    )
                else:
                    stack.append((where, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(value))
        elif isinstance(value, str) and _bad_text(value):
            issues.append(
                Issue(path, _("contains a character that cannot be stored (NUL or an unpaired surrogate)"))
            )
    return sorted(issues, key=lambda issue: issue.path)


def _bad_text(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class _Checker:
    def __init__(self):
        self.issues: list[Issue] = []
        self.paths: set[str] = set()  # of the issues: a file of thousands of errors stays linear
        self.version = FORMAT
        self.currency: str = Currency.EUR  # the plan's: the default of its amounts
        self.plan_period: tuple[int, int] | None = None

    def add(self, path: str, message: str) -> None:
        self.issues.append(Issue(path, message))
        self.paths.add(path)

    def has(self, path: str) -> bool:
        return path in self.paths

    def mapping(self, value, path, keys: str) -> dict:
        """A mapping with only the format's keys for ``keys``; {} (and an issue) otherwise."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(path, _("expected a mapping of fields"))
            return {}
        allowed = KEYS[keys]
        for key in value:
            if key not in allowed:
                self.add(
                    join(path, str(key)),
                    _("unknown field; expected one of: %(allowed)s") % {"allowed": ", ".join(allowed)},
                )
        return value

    def item(self, value, path, keys: str) -> dict:
        """An element of a list: must be a mapping (an empty entry is reported too)."""
        if not isinstance(value, dict):
            self.add(path, _("expected a mapping of fields"))
            return {}
        return self.mapping(value, path, keys)

    def listing(self, value, path) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, _("expected a list"))
            return []
        return value

    def text(self, obj, key, path, *, required=False, max_length=None) -> str:
        value = obj.get(key)
        where = join(path, key)
        if value is None or value == "":
            if required:
                self.add(where, _("required"))
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.add(where, _("expected text"))
            return ""
        value = str(value)
        if required and not value.strip():
            self.add(where, _("required"))
            return ""
        if max_length and len(value) > max_length:
            self.add(
                where,
                _("too long: %(length)s characters; at most %(max)s")
                % {"length": len(value), "max": max_length},
            )
        return value

    def bilingual(self, obj, key, path, *, required=False, max_length=None) -> tuple[str, str]:
        value = obj.get(key)
        where = join(path, key)
        if value is None:
            if required:
                self.add(where, _("required"))
            return "", ""
        if isinstance(value, str):
            value = {"bg": value}
        if not isinstance(value, dict):
            self.add(where, _("expected {bg: …, en: …}"))
            return "", ""
        value = self.mapping(value, where, "text")
        bg = self.text(value, "bg", where, required=required, max_length=max_length)
        en = self.text(value, "en", where, max_length=max_length)
        return bg, en

    def integer(self, obj, key, path, *, required=False, default=None, minimum=None, maximum=MAX_INTEGER):
        value = obj.get(key, default)
        where = join(path, key)
        if value is None:
            if required:
                self.add(where, _("required"))
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(where, _("not a whole number"))
            return None
        if minimum is not None and value < minimum:
            self.add(where, _("cannot be less than %(min)s") % {"min": minimum})
            return None
        if value > maximum:
            self.add(where, _("cannot be more than %(max)s") % {"max": maximum})
            return None
        return value

    def number(self, obj, key, path, *, required=False, maximum=MAX_AMOUNT):
        """A decimal number with at most two decimal places; None (and an issue) otherwise."""
        value = obj.get(key)
        where = join(path, key)
        if value is None or value == "":
            if required:
                self.add(where, _("required"))
            return None
        result = None
        if not isinstance(value, bool) and isinstance(value, (int, float, str)):
            result = project_rules.to_decimal(value)
        if result is None or not result.is_finite():
            self.add(where, _("not a number"))
            return None
        if result.as_tuple().exponent < -2:
            self.add(where, _("at most two decimal places"))
            return None
        if result.copy_abs() >= maximum:  # copy_abs: no context, so 1e999999999 cannot overflow
            self.add(where, _("too large"))
            return None
        return result

    def decimal(self, obj, key, path, *, required=False, digits="value"):
        """A number an indicator's column holds exactly (``DIGITS``); None (and an issue) otherwise."""
        value = obj.get(key)
        where = join(path, key)
        if value is None or value == "":
            if required:
                self.add(where, _("required"))
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.add(where, _("not a number"))
            return None
        max_digits, places = DIGITS[digits]
        try:
            return indicator_rules.parse_number(value, max_digits=max_digits, decimal_places=places)
        except indicator_rules.NumberError as error:
            self.add(where, str(error))
            return None

    def date(self, obj, key, path):
        """A calendar date: a YAML date or a ``YYYY-MM-DD`` text, between MIN_DATE and MAX_DATE."""
        value = obj.get(key)
        where = join(path, key)
        if value is None or value == "":
            return None
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            day = value
        elif isinstance(value, str) and DATE_FORMAT.fullmatch(value):
            try:
                day = datetime.date.fromisoformat(value)
            except ValueError:
                self.add(where, _("no such date: %(value)s") % {"value": value})
                return None
        else:
            self.add(where, _("not a date (expected YYYY-MM-DD)"))
            return None
        if not MIN_DATE <= day <= MAX_DATE:
            self.add(where, _("a date between %(min)s and %(max)s") % {"min": MIN_DATE, "max": MAX_DATE})
            return None
        return day

    def choice(self, obj, key, path, choices, *, what, default=None):
        value = obj.get(key, default)
        where = join(path, key)
        if value is None:
            self.add(where, _("required"))
            return None
        if not isinstance(value, str) or value not in choices:
            self.add(
                where,
                _("unknown %(what)s “%(value)s”; expected one of: %(allowed)s")
                % {"what": what, "value": value, "allowed": ", ".join(choices)},
            )
            return None
        return value

    def boolean(self, obj, key, path, default=False) -> bool:
        value = obj.get(key, default)
        if not isinstance(value, bool):
            self.add(join(path, key), _("expected true or false"))
            return default
        return value

    def slug(self, value: str, where: str) -> None:
        if value:
            try:
                validate_slug(value)
            except ValidationError:
                self.add(where, _("use only Latin letters, digits, hyphens and underscores"))

    def rule_errors(self, errors: dict, kind: str, path: str) -> None:
        """Report a rules module's {field: [messages]} at the file's paths, unless something was
        already said about that path (e.g. "required" or "not a number")."""
        found = [(field_path(kind, path, name), messages) for name, messages in errors.items()]
        for where, messages in [(where, messages) for where, messages in found if where not in self.paths]:
            for message in messages:
                self.add(where, str(message))


def check(document) -> tuple[Checked | None, list[Issue]]:
    """Validate a parsed plan document. Returns (the flattened content, []) or (None, every issue)."""
    c = _Checker()
    if document is None or document == "":
        return None, [Issue("", _("The file is empty."))]
    if not isinstance(document, dict):
        return None, [
            Issue("", _("The file is not a plan file: expected a mapping with format, plan and goals."))
        ]
    unstorable = _unstorable_text(document)
    if unstorable:
        return None, unstorable
    doc = c.mapping(document, "", "document")
    version = doc.get("format")
    if version not in FORMATS:
        if "format" not in doc:
            c.add("format", _("required (“%(format)s”)") % {"format": FORMAT})
        else:
            c.add(
                "format",
                _("unsupported format “%(value)s”; this version of Civitas reads “%(format)s”")
                % {"value": version, "format": " / ".join(FORMATS)},
            )
        version = FORMAT
    c.version = version
    plan_data = doc.get("plan")
    if plan_data is None:
        c.add("plan", _("required"))
    plan = _check_plan(c, c.item(plan_data, "plan", "plan") if plan_data is not None else {})
    c.currency = plan["currency"] or Currency.EUR
    c.plan_period = (
        (plan["period_start"], plan["period_end"])
        if plan["period_start"] is not None and plan["period_end"] is not None
        else None
    )
    checked = Checked(plan=plan, version=version)
    indicator_codes: dict[str, str] = {}  # code → path of the indicator that has it
    levels = len(plan["level_names"])
    element_codes: set[str] = set()
    defined: dict[str, dict] = {}  # project code → project
    slugs: dict[str, str] = {}  # effective project slug → path of the project that has it
    refs: list[tuple[str, str, str]] = []  # (project code, element code, path)

    def walk(items, path, parent_code, depth):
        for i, raw in enumerate(c.listing(items, path)):
            here = f"{path}[{i}]"
            if not isinstance(raw, dict):
                c.add(here, _("expected a mapping of fields"))
                continue
            item = c.mapping(raw, here, "element")
            code = c.text(item, "code", here, required=True, max_length=LENGTHS["element.code"])
            title_bg, title_en = c.bilingual(
                item, "title", here, required=True, max_length=LENGTHS["element.title"]
            )
            description_bg, description_en = c.bilingual(item, "description", here)
            for k, raw_indicator in enumerate(c.listing(item.get("indicators"), join(here, "indicators"))):
                ipath = f"{here}.indicators[{k}]"
                indicator = _check_indicator(
                    c, c.item(raw_indicator, ipath, "indicator"), ipath, c.plan_period, position=k
                )
                indicator["element_code"] = code
                _add_indicator(c, checked, indicator, indicator_codes)
            if code and code in element_codes:
                c.add(
                    join(here, "code"), _("the code “%(code)s” is used twice in this plan") % {"code": code}
                )
            element_codes.add(code)
            checked.elements.append({
                "code": code, "parent_code": parent_code, "title_bg": title_bg, "title_en": title_en,
                "description_bg": description_bg, "description_en": description_en, "path": here,
            })  # fmt: skip
            listed_here: set[str] = set()
            for j, raw_project in enumerate(c.listing(item.get("projects"), join(here, "projects"))):
                ppath = f"{here}.projects[{j}]"
                if not isinstance(raw_project, dict):
                    c.add(ppath, _("expected a project or {ref: CODE}"))
                    continue
                if "ref" in raw_project:
                    c.mapping(raw_project, ppath, "ref")
                    ref = c.text(raw_project, "ref", ppath, required=True)
                    if ref in listed_here:
                        c.add(join(ppath, "ref"), _("the project “%(code)s” is already listed under this element")
                              % {"code": ref})  # fmt: skip
                    elif ref:
                        listed_here.add(ref)
                        refs.append((ref, code, ppath))
                    continue
                project = _check_project(c, c.mapping(raw_project, ppath, "project"), ppath)
                pcode = project["code"]
                for indicator in project.pop("indicators"):
                    indicator["project_code"] = pcode
                    _add_indicator(c, checked, indicator, indicator_codes)
                if not pcode:
                    continue
                if pcode in defined:
                    c.add(join(ppath, "code"), _("the project “%(code)s” is defined twice; write {ref: %(code)s} "
                                                 "in the second place") % {"code": pcode})  # fmt: skip
                    continue
                slug = project["slug"] or project_rules.default_slug(pcode)
                if slug in slugs:
                    where = join(ppath, "slug" if project["slug"] else "code")
                    c.add(where, _("the address name “%(slug)s” is also that of the project at %(other)s; give "
                                   "the project its own slug") % {"slug": slug, "other": slugs[slug]})  # fmt: skip
                slugs.setdefault(slug, ppath)
                defined[pcode] = project
                listed_here.add(pcode)
                project["element_codes"] = [code]
                checked.projects.append(project)
            children = item.get("children")
            if children is not None:
                if depth + 1 >= levels:  # reported, and not looked into any further
                    for k, _child in enumerate(c.listing(children, join(here, "children"))):
                        c.add(
                            f"{here}.children[{k}]",
                            _("too deep: the plan has %(levels)s level(s) (plan.levels)")
                            % {"levels": levels},
                        )
                else:
                    walk(children, join(here, "children"), code, depth + 1)

    if "goals" not in doc:
        c.add("goals", _("required (a list, possibly empty)"))
    walk(doc.get("goals"), "goals", None, 0)
    # A set beside each project's list: a membership test on the list made many references to
    # one project quadratic (40,000 of them took 32 s).
    linked: dict[str, set[str]] = {}
    for ref, element_code, path in refs:
        project = defined.get(ref)
        if project is None:
            c.add(join(path, "ref"), _("no project “%(code)s” is defined in this file") % {"code": ref})
            continue
        codes = linked.get(ref)
        if codes is None:
            codes = linked[ref] = set(project["element_codes"])
        if element_code not in codes:
            codes.add(element_code)
            project["element_codes"].append(element_code)
            checked.links.append((ref, element_code))
    for project in checked.projects:
        seen = set()
        for k, target in enumerate(project.pop("also")):
            where = f"{join(project['path'], 'also_contributes_to')}[{k}]"
            slug, sep, element = target.partition("/") if isinstance(target, str) else ("", "", "")
            if not sep or not slug or not element:
                c.add(where, _("expected “plan-slug/ELEMENT-CODE”"))
            elif slug == plan["slug"]:
                c.add(where, _("a link to this same plan: list the project under that element instead"))
            elif target in seen:
                c.add(where, _("listed twice"))
            else:
                seen.add(target)
                checked.other_links.append((project["code"], slug, element, where))
    for indicator in checked.indicators:
        own = indicator.get("element_code")
        for k, target in enumerate(indicator["also"]):
            where = f"{join(indicator['path'], 'also_serves')}[{k}]"
            slug, sep, element = target.partition("/") if isinstance(target, str) else ("", "", "")
            if not isinstance(target, str) or not target or (sep and (not slug or not element)):
                c.add(where, _("expected “ELEMENT-CODE” or “plan-slug/ELEMENT-CODE”"))
            elif not sep and target not in element_codes:
                c.add(where, _("no element “%(code)s” in this plan") % {"code": target})
            elif (not sep and target == own) or (sep and slug == plan["slug"]):
                c.add(
                    where, _("write an element of this plan as its code alone, and not the indicator's own")
                )
        indicator["also"] = [
            (t.partition("/")[0], t.partition("/")[2], f"{join(indicator['path'], 'also_serves')}[{k}]")
            if "/" in t else ("", t, f"{join(indicator['path'], 'also_serves')}[{k}]")
            for k, t in enumerate(indicator["also"]) if isinstance(t, str)
        ]  # fmt: skip
    checked.financial = _check_financial(c, doc.get("financial_table"), element_codes)
    checked.assessments = _check_assessments(c, doc.get("assessments"), element_codes)
    if c.issues:
        return None, c.issues
    return checked, []


def _add_indicator(c: _Checker, checked: Checked, indicator: dict, codes: dict[str, str]) -> None:
    code = indicator["passport"].code if indicator["passport"] else indicator["code"]
    if code and code in codes:
        c.add(
            join(indicator["path"], "code"),
            _("the indicator code “%(code)s” is also that of the indicator at %(other)s")
            % {"code": code, "other": codes[code]},
        )
        return
    if code:
        codes[code] = indicator["path"]
    checked.indicators.append(indicator)


def _check_financial(c: _Checker, items, element_codes: set[str]) -> list[dict]:
    lines = []
    seen: dict[tuple, str] = {}
    for i, raw in enumerate(c.listing(items, "financial_table")):
        here = f"financial_table[{i}]"
        item = c.item(raw, here, "financial")
        element = c.text(item, "element", here)
        if element and element not in element_codes:
            c.add(join(here, "element"), _("no element “%(code)s” in this plan") % {"code": element})
        year = c.integer(item, "year", here)
        if year is not None and c.plan_period and not c.plan_period[0] <= year <= c.plan_period[1]:
            c.add(join(here, "year"), _("outside the plan's period %(start)s–%(end)s")
                  % {"start": c.plan_period[0], "end": c.plan_period[1]})  # fmt: skip
        line = {
            "element_code": element or None, "year": year,
            "source": c.choice(item, "source", here, FundingSource.values, what=_("funding source")),
            "amount": c.number(item, "amount", here, required=True),
            "currency": c.choice(item, "currency", here, Currency.values, default=c.currency, what=_("currency")),
            "path": here,
        }  # fmt: skip
        if line["amount"] is not None and line["amount"] < 0:
            c.add(join(here, "amount"), _("An amount cannot be negative."))
        key = (line["element_code"], line["source"], year)
        if key in seen:
            c.add(here, _("the same element, source and year as %(other)s") % {"other": seen[key]})
        seen.setdefault(key, here)
        lines.append(line)
    return lines


def _check_assessments(c: _Checker, items, element_codes: set[str]) -> list[dict]:
    """The authority's annual assessments of its elements: one per element and year, in the plan's
    period; a published one says what was done (in Bulgarian). plans.services.assessment_save
    applies the same rules when they are written."""
    found = []
    seen: dict[tuple, str] = {}
    for i, raw in enumerate(c.listing(items, "assessments")):
        here = f"assessments[{i}]"
        item = c.item(raw, here, "assessment")
        element = c.text(item, "element", here, required=True)
        if element and element not in element_codes:
            c.add(join(here, "element"), _("no element “%(code)s” in this plan") % {"code": element})
        year = c.integer(item, "year", here, required=True)
        if year is not None and c.plan_period and not c.plan_period[0] <= year <= c.plan_period[1]:
            c.add(join(here, "year"), _("outside the plan's period %(start)s–%(end)s")
                  % {"start": c.plan_period[0], "end": c.plan_period[1]})  # fmt: skip
        assessment = {
            "element_code": element, "year": year,
            **_bilingual_fields(c, item, here, "achieved", "achieved", max_length=plan_rules.ASSESSMENT_TEXT_MAX),
            **_bilingual_fields(c, item, here, "obstacles", "obstacles", max_length=plan_rules.ASSESSMENT_TEXT_MAX),
            "publish": c.boolean(item, "published", here), "path": here,
        }  # fmt: skip
        if assessment["publish"] and not assessment["achieved_bg"]:
            c.add(join(here, "achieved"), _("a published assessment says what was done, in Bulgarian"))
        key = (element, year)
        if key in seen:
            c.add(here, _("the same element and year as %(other)s") % {"other": seen[key]})
        seen.setdefault(key, here)
        found.append(assessment)
    return found


def _bilingual_fields(c: _Checker, data: dict, path: str, key: str, field_name: str, max_length=None) -> dict:
    bg, en = c.bilingual(data, key, path, max_length=max_length)
    return {f"{field_name}_bg": bg, f"{field_name}_en": en}


def _check_indicator(
    c: _Checker, data: dict, path: str, period: tuple[int, int] | None, *, position: int
) -> dict:
    """An indicator's passport, targets, published values and status overrides; ``position``: its
    place in its element's (or project's) list, so that the file's order is the back office's."""
    L = LENGTHS
    name_bg, name_en = c.bilingual(data, "name", path, required=True, max_length=L["indicator.name"])
    scale = c.mapping(data.get("scale"), join(path, "scale"), "scale")
    tolerance = c.mapping(data.get("tolerance"), join(path, "tolerance"), "tolerance")
    baseline = c.mapping(data.get("baseline"), join(path, "baseline"), "baseline")
    vocabulary = {
        "type": c.choice(data, "type", path, IndicatorType.values, what=_("indicator type")),
        "measure": c.choice(data, "measure", path, [m.value for m in Measure], default=Measure.NUMBER.value,
                            what=_("measure")),
        "direction": c.choice(data, "direction", path, [d.value for d in Direction],
                              default=Direction.INCREASE.value, what=_("direction")),
        "target_kind": c.choice(data, "target_kind", path, [k.value for k in TargetKind],
                                default=TargetKind.TRAJECTORY.value, what=_("kind of target")),
        "accumulation": c.choice(data, "accumulation", path, [a.value for a in Accumulation],
                                 default=Accumulation.PER_PERIOD.value, what=_("accumulation")),
        "frequency": c.choice(data, "frequency", path, [f.value for f in Frequency],
                              default=Frequency.ANNUAL.value, what=_("frequency")),
    }  # fmt: skip
    tolerance_unit = ""
    if tolerance.get("unit") is not None or tolerance.get("amount") is not None:
        tolerance_unit = (
            c.choice(
                tolerance,
                "unit",
                join(path, "tolerance"),
                [u.value for u in ToleranceUnit],
                what=_("tolerance unit"),
            )
            or ""
        )
    weight = c.decimal(data, "weight", path, digits="weight")
    fields = {
        "code": c.text(data, "code", path, required=True, max_length=L["indicator.code"]),
        "name_bg": name_bg, "name_en": name_en,
        **_bilingual_fields(c, data, path, "definition", "definition"),
        **_bilingual_fields(c, data, path, "unit", "unit", L["indicator.unit"]),
        "scale_min": c.decimal(scale, "min", join(path, "scale"), digits="scale"),
        "scale_max": c.decimal(scale, "max", join(path, "scale"), digits="scale"),
        "tolerance": c.decimal(data, "maintain_band", path, digits="tolerance"),
        "tolerance_amount": c.decimal(tolerance, "amount", join(path, "tolerance"), digits="tolerance",
                                      required=bool(tolerance_unit)),
        "tolerance_unit": tolerance_unit,
        "baseline_value": c.decimal(baseline, "value", join(path, "baseline")),
        "baseline_year": c.integer(baseline, "year", join(path, "baseline"), maximum=32767),
        **_bilingual_fields(c, data, path, "baseline_unavailable", "baseline_unavailable_reason", L["indicator.reason"]),
        **_bilingual_fields(c, data, path, "data_source", "data_source", L["indicator.source"]),
        **_bilingual_fields(c, data, path, "method", "method"),
        **_bilingual_fields(c, data, path, "responsible_unit", "responsible_unit", L["indicator.unit_name"]),
        "eu_code": c.text(data, "eu_code", path, max_length=L["indicator.eu_code"]),
        "weight": weight if weight is not None else Decimal(1),
        "is_sample": c.boolean(data, "is_sample", path),
        "position": position,
        "disaggregation": _check_disaggregation(c, data.get("disaggregation"), join(path, "disaggregation")),
    }  # fmt: skip
    indicator = {
        "code": fields["code"], "passport": None, "path": path,
        "owner": c.text(data, "owner", path, max_length=150),
        "year_to_date": c.boolean(data, "year_to_date", path),
        "also": c.listing(data.get("also_serves"), join(path, "also_serves")),
        "targets": [], "values": [], "overrides": [],
    }  # fmt: skip
    before = len(c.issues)
    passport = None
    if all(vocabulary.values()):
        passport = IndicatorPassport(**fields, **vocabulary)
        c.rule_errors(indicator_rules.check_passport(passport, period=period), "indicator", path)
    indicator["passport"] = passport
    frequency = vocabulary["frequency"] or Frequency.ANNUAL.value

    targets = []
    seen: dict[tuple, str] = {}
    for i, raw in enumerate(c.listing(data.get("targets"), join(path, "targets"))):
        here = f"{path}.targets[{i}]"
        item = c.item(raw, here, "target")
        target = {
            "year": c.integer(item, "year", here, required=True, maximum=32767),
            "sub": c.integer(item, "sub", here, default=0, minimum=0, maximum=12),
            "value": c.decimal(item, "value", here, required=True),
            "is_final": c.boolean(item, "final", here),
            "path": here,
        }
        if target["year"] is not None and target["sub"] is not None:
            c.rule_errors(indicator_rules.check_target(year=target["year"], sub=target["sub"], frequency=frequency,
                                                       period=period), "target", here)  # fmt: skip
            _once(c, seen, (target["year"], target["sub"]), here)
        targets.append(target)
    indicator["targets"] = targets
    if passport is not None and len(c.issues) == before:
        try:  # the engine must be able to evaluate the passport with its targets, as the services ask
            stand_in = Indicator(**passport.values())
            spec_for(stand_in, [Target(year=t["year"], sub=t["sub"], value=t["value"]) for t in targets])
        except ValueError as exc:
            c.add(join(path, "targets"), _("The passport cannot be evaluated as it stands: %(detail)s")
                  % {"detail": indicator_rules.engine_error_message(exc)})  # fmt: skip

    seen = {}
    for i, raw in enumerate(c.listing(data.get("values"), join(path, "values"))):
        here = f"{path}.values[{i}]"
        item = c.item(raw, here, "value")
        breakdown = item.get("breakdown") or {}
        if not isinstance(breakdown, dict) or not all(
            isinstance(v, dict) and all(isinstance(k, str) for k in v) for v in breakdown.values()
        ):
            c.add(join(here, "breakdown"), _("expected {dimension: {category: number}}"))
            breakdown = {}
        value = {
            "year": c.integer(item, "year", here, required=True, maximum=32767),
            "sub": c.integer(item, "sub", here, default=0, minimum=0, maximum=12),
            "value": c.decimal(item, "value", here),
            "numerator": c.decimal(item, "numerator", here),
            "denominator": c.decimal(item, "denominator", here),
            "breakdown": breakdown,
            "collected_on": c.date(item, "collected", here),
            "evidence_url": c.text(item, "evidence_url", here),
            "comment": c.text(item, "comment", here),
            "path": here,
        }
        c.rule_errors(indicator_rules.check_evidence_url(value["evidence_url"]), "value", here)
        if value["year"] is not None and value["sub"] is not None and passport is not None:
            _once(c, seen, (value["year"], value["sub"]), here)
            numbers: dict[str, dict] = {}
            for dim, parts in breakdown.items():
                for cat, number in parts.items():
                    try:
                        numbers.setdefault(dim, {})[cat] = indicator_rules.parse_number(number)
                    except indicator_rules.NumberError as error:
                        c.add(f"{here}.breakdown.{dim}.{cat}", str(error))
            c.rule_errors(indicator_rules.check_measurement(
                year=value["year"], sub=value["sub"], frequency=frequency, period=period, measure=passport.measure,
                value=value["value"], numerator=value["numerator"], denominator=value["denominator"],
                scale=(passport.scale_min, passport.scale_max), breakdown=numbers,
                dimensions=passport.disaggregation, accumulation=passport.accumulation,
            ), "value", here)  # fmt: skip
        indicator["values"].append(value)

    seen = {}
    for i, raw in enumerate(c.listing(data.get("overrides"), join(path, "overrides"))):
        here = f"{path}.overrides[{i}]"
        item = c.item(raw, here, "override")
        reason_bg, reason_en = c.bilingual(item, "reason", here, required=True)
        override = {
            "year": c.integer(item, "year", here, required=True, maximum=32767),
            "sub": c.integer(item, "sub", here, default=0, minimum=0, maximum=12),
            "status": c.choice(item, "status", here, [s.value for s in OVERRIDE_STATUSES], what=_("status")),
            "reason_bg": reason_bg, "reason_en": reason_en,
            "decided_on": c.date(item, "decided_on", here),
            "path": here,
        }  # fmt: skip
        if override["year"] is not None and override["sub"] is not None:
            _once(c, seen, (override["year"], override["sub"]), here)
            if indicator_rules.period_of(override["year"], override["sub"], frequency) is None or (
                period is not None and not period[0] <= override["year"] <= period[1]
            ):
                c.add(join(here, "year"), _("There is no such reporting period for this indicator."))
        indicator["overrides"].append(override)
    return indicator


def _once(c: _Checker, seen: dict, key: tuple, here: str) -> None:
    """A period given twice in a list (targets, values, overrides) is reported at the second."""
    if key in seen:
        c.add(here, _("the same period as %(other)s") % {"other": seen[key]})
    else:
        seen[key] = here


def _check_disaggregation(c: _Checker, value, path: str) -> list[dict]:
    """Breakdowns as Indicator.disaggregation keeps them: [{key, name: {bg, en}, categories: [{key, bg, en}]}]."""
    dimensions = []
    for i, raw in enumerate(c.listing(value, path)):
        here = f"{path}[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("key"), str) or not raw["key"]:
            c.add(here, _("expected {key: …, name: {bg: …, en: …}, categories: [{key: …, bg: …, en: …}]}"))
            continue
        categories = raw.get("categories") or []
        if not isinstance(categories, list) or not all(
            isinstance(cat, dict) and isinstance(cat.get("key"), str) and cat["key"] for cat in categories
        ):
            c.add(join(here, "categories"), _("expected a list of {key: …, bg: …, en: …}"))
            continue
        dimensions.append(raw)
    return dimensions


def _check_plan(c: _Checker, data: dict) -> dict:
    default_levels = [{"bg": "Стратегическа цел", "en": "Strategic goal"}]
    if not data:  # missing or not a mapping: reported already
        return {"slug": "", "position": 0, "level_names": default_levels, "currency": Currency.EUR,
                "period_start": None, "period_end": None}  # fmt: skip
    title_bg, title_en = c.bilingual(data, "title", "plan", required=True, max_length=LENGTHS["plan.title"])
    vision_bg, vision_en = c.bilingual(data, "vision", "plan")
    description_bg, description_en = c.bilingual(data, "description", "plan")
    period = c.mapping(data.get("period"), "plan.period", "period")
    plan = {
        "slug": c.text(data, "slug", "plan", required=True, max_length=LENGTHS["plan.slug"]),
        "kind": c.choice(data, "kind", "plan", PlanKind.values, what=_("kind of plan")),
        "status": c.choice(data, "status", "plan", PlanStatus.values, default=PlanStatus.DRAFT,
                           what=_("plan status")),
        "title_bg": title_bg, "title_en": title_en, "vision_bg": vision_bg, "vision_en": vision_en,
        "description_bg": description_bg, "description_en": description_en,
        "period_start": c.integer(period, "start", "plan.period", required=True),
        "period_end": c.integer(period, "end", "plan.period", required=True),
        # Text (Bulgarian only, as files before the English twin) or {bg: …, en: …}.
        **_bilingual_fields(c, data, "plan", "adopted_by", "adopted_by", max_length=LENGTHS["plan.adopted_by"]),
        "is_sample": c.boolean(data, "is_sample", "plan"),
        "position": c.integer(data, "position", "plan", default=0, minimum=0),
        "year_start_month": c.integer(data, "year_start_month", "plan", minimum=1, maximum=12),
        # Version 1 knew only leva.
        "currency": c.choice(data, "currency", "plan", Currency.values, what=_("currency"),
                             default=Currency.BGN if c.version == FORMAT_1 else Currency.EUR),
    }  # fmt: skip
    tolerance = c.mapping(data.get("tolerance"), "plan.tolerance", "tolerance")
    plan["tolerance_amount"] = c.decimal(tolerance, "amount", "plan.tolerance", digits="tolerance",
                                         required=bool(tolerance))  # fmt: skip
    plan["tolerance_unit"] = (
        c.choice(
            tolerance, "unit", "plan.tolerance", [u.value for u in ToleranceUnit], what=_("tolerance unit")
        )
        if tolerance
        else ""
    ) or ""
    c.slug(plan["slug"], "plan.slug")
    levels = []
    for i, raw in enumerate(c.listing(data.get("levels"), "plan.levels")):
        here = f"plan.levels[{i}]"
        if isinstance(raw, str):
            raw = {"bg": raw}
        level = c.mapping(raw, here, "text")
        levels.append({
            "bg": c.text(level, "bg", here, required=True, max_length=LENGTHS["level"]),
            "en": c.text(level, "en", here, max_length=LENGTHS["level"]),
        })  # fmt: skip
    plan["level_names"] = levels or default_levels
    # Unknown kinds, statuses and missing years are reported above; check the rest with stand-ins.
    stand_in = {
        **plan,
        "title_bg": plan["title_bg"] or "?",
        "kind": plan["kind"] or PlanKind.PROGRAMME,
        "status": plan["status"] or PlanStatus.DRAFT,
        "period_start": plan["period_start"] if plan["period_start"] is not None else 2000,
        "period_end": plan["period_end"] if plan["period_end"] is not None else 2100,
    }
    c.rule_errors(plan_rules.check_plan(stand_in), "plan", "plan")
    if plan["position"] is None:
        plan["position"] = 0
    return plan


def _check_project(c: _Checker, data: dict, path: str) -> dict:
    L = LENGTHS
    title_bg, title_en = c.bilingual(data, "title", path, required=True, max_length=L["project.title"])
    description_bg, description_en = c.bilingual(data, "description", path)
    planned = c.mapping(data.get("planned"), join(path, "planned"), "dates")
    actual = c.mapping(data.get("actual"), join(path, "actual"), "dates")
    responsible = c.mapping(data.get("responsible"), join(path, "responsible"), "responsible")
    unit_bg, unit_en = c.bilingual(
        responsible, "unit", join(path, "responsible"), max_length=L["project.unit"]
    )
    location = c.mapping(data.get("location"), join(path, "location"), "location")
    place_bg, place_en = c.bilingual(location, "name", join(path, "location"), max_length=L["project.place"])
    project = {
        "code": c.text(data, "code", path, required=True, max_length=L["project.code"]),
        "slug": c.text(data, "slug", path, max_length=L["project.slug"]),
        "title_bg": title_bg, "title_en": title_en, "description_bg": description_bg, "description_en": description_en,
        "status": c.choice(data, "status", path, ProjectStatus.values, default=ProjectStatus.IDEA,
                           what=_("project status")),
        # Version 1: a progress left out is 0; since version 2 it is not reported.
        "progress": c.integer(data, "progress", path, default=0 if c.version == FORMAT_1 else None),
        "planned_start": c.date(planned, "start", join(path, "planned")),
        "planned_end": c.date(planned, "end", join(path, "planned")),
        "actual_start": c.date(actual, "start", join(path, "actual")),
        "actual_end": c.date(actual, "end", join(path, "actual")),
        "responsible_unit_bg": unit_bg, "responsible_unit_en": unit_en,
        "responsible_person": c.text(responsible, "person", join(path, "responsible"), max_length=L["project.person"]),
        "location": location.get("geometry"), "location_name_bg": place_bg, "location_name_en": place_en,
        "is_sample": c.boolean(data, "is_sample", path),
    }  # fmt: skip
    declared = c.mapping(data.get("declared_total"), join(path, "declared_total"), "money")
    if declared:
        project["declared_total"] = c.number(declared, "amount", join(path, "declared_total"), required=True)
        project["declared_currency"] = c.choice(declared, "currency", join(path, "declared_total"), Currency.values,
                                                default=c.currency, what=_("currency"))  # fmt: skip
    c.slug(project["slug"], join(path, "slug"))
    stand_in = {
        **project,
        "code": project["code"] or "?",
        "title_bg": project["title_bg"] or "?",
        "progress": project["progress"] if project["progress"] is not None else 0,
        "status": project["status"] or ProjectStatus.IDEA,
    }
    c.rule_errors(project_rules.check_project(stand_in), "project", path)

    partners = []
    for i, raw in enumerate(c.listing(data.get("partners"), join(path, "partners"))):
        here = f"{path}.partners[{i}]"
        item = c.item(raw, here, "partner")
        name_bg, name_en = c.bilingual(item, "name", here, required=True, max_length=L["partner"])
        role_bg, role_en = c.bilingual(item, "role", here, max_length=L["partner"])
        partners.append({"name_bg": name_bg, "name_en": name_en, "role_bg": role_bg, "role_en": role_en})

    budget = []
    for i, raw in enumerate(c.listing(data.get("budget"), join(path, "budget"))):
        here = f"{path}.budget[{i}]"
        item = c.item(raw, here, "budget")
        programme_bg, programme_en = c.bilingual(item, "programme", here, max_length=L["programme"])
        contract = c.mapping(item.get("contract"), join(here, "contract"), "contract")
        line = {
            "source": c.choice(item, "source", here, FundingSource.values, what=_("funding source")),
            "programme_bg": programme_bg, "programme_en": programme_en,
            "amount": c.number(item, "amount", here, required=True),
            "currency": c.choice(item, "currency", here, Currency.values, default=c.currency, what=_("currency")),
            "is_ceiling": c.boolean(item, "ceiling", here),
            "spent": c.number(item, "spent", here),
            "grant_share": c.number(item, "grant_share", here, maximum=1000),
            "contract_number": c.text(contract, "number", join(here, "contract"), max_length=L["contract.number"]),
            "contract_date": c.date(contract, "date", join(here, "contract")),
        }  # fmt: skip
        stand_in = {
            **line,
            "source": line["source"] or FundingSource.OTHER,
            "amount": line["amount"] if line["amount"] is not None else 0,
        }
        c.rule_errors(project_rules.check_funding(stand_in), "budget", here)
        if line["spent"] is None and c.version == FORMAT_1:  # version 1: spending left out is 0
            line["spent"] = Decimal(0)
        budget.append(line)

    activities = []
    for i, raw in enumerate(c.listing(data.get("activities"), join(path, "activities"))):
        here = f"{path}.activities[{i}]"
        item = c.item(raw, here, "activity")
        a_title_bg, a_title_en = c.bilingual(
            item, "title", here, required=True, max_length=L["activity.title"]
        )
        a_description_bg, a_description_en = c.bilingual(item, "description", here)
        activity = {
            "title_bg": a_title_bg, "title_en": a_title_en, "description_bg": a_description_bg,
            "description_en": a_description_en, "is_milestone": c.boolean(item, "milestone", here),
            "start_date": c.date(item, "start", here), "due_date": c.date(item, "due", here),
            "completed_on": c.date(item, "completed", here),
            "state": c.choice(item, "state", here, ActivityState.values, default=ActivityState.PLANNED,
                              what=_("activity state")),
        }  # fmt: skip
        stand_in = {
            **activity,
            "title_bg": a_title_bg or "?",
            "state": activity["state"] or ActivityState.PLANNED,
        }
        c.rule_errors(project_rules.check_activity(stand_in, today=datetime.date.today()), "activity", here)
        activities.append(activity)

    also = c.listing(data.get("also_contributes_to"), join(path, "also_contributes_to"))
    # A project's indicators fall in its planned (else actual) years, as indicators.rules says.
    start = project["planned_start"] or project["actual_start"]
    end = project["actual_end"] or project["planned_end"]
    period = (start.year, max(end.year, start.year)) if start and end else None
    indicators = [
        _check_indicator(
            c,
            c.item(raw, f"{path}.indicators[{k}]", "indicator"),
            f"{path}.indicators[{k}]",
            period,
            position=k,
        )
        for k, raw in enumerate(c.listing(data.get("indicators"), join(path, "indicators")))
    ]
    project.update(partners=partners, budget=budget, activities=activities, also=also, path=path,
                   indicators=indicators)  # fmt: skip
    return project


# Writing ---------------------------------------------------------------------------------------


def _bi(bg: str, en: str) -> dict:
    return {"bg": bg, "en": en} if en else {"bg": bg}


def _num(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral() else float(value)


def _dec(value):
    """A stored decimal as the file writes it: a whole number, a float that reads back exactly, or
    else its text (18 digits do not fit a float)."""
    if value is None:
        return None
    value = value.normalize()
    if value == value.to_integral():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)


def _iso(value):
    return value.isoformat() if value else None


def _drop_empty(data: dict) -> dict:
    return {k: v for k, v in data.items() if v not in (None, "", [], {}, {"bg": ""})}


def _indicator_doc(indicator, plan) -> dict:
    """An indicator with its passport, targets, published values and overrides (all prefetched:
    ``targets``, ``published``, ``overrides``, ``also_elements`` with their plans, ``owner``)."""
    also = [
        e.code if e.plan_id == plan.pk else f"{e.plan.slug}/{e.code}"
        for e in sorted(indicator.also_elements.all(), key=lambda e: (e.plan_id != plan.pk, e.plan_id, e.pk))
    ]
    values = []
    for m in indicator.published:
        values.append(_drop_empty({
            "year": m.year, "sub": m.sub or None, "value": _dec(m.value), "numerator": _dec(m.numerator),
            "denominator": _dec(m.denominator), "breakdown": m.breakdown, "collected": _iso(m.collected_on),
            "evidence_url": m.evidence_url, "comment": m.comment,
        }))  # fmt: skip
    return _drop_empty({
        "code": indicator.code, "name": _bi(indicator.name_bg, indicator.name_en),
        "definition": _bi(indicator.definition_bg, indicator.definition_en), "type": str(indicator.type),
        "unit": _bi(indicator.unit_bg, indicator.unit_en), "measure": str(indicator.measure),
        "scale": _drop_empty({"min": _dec(indicator.scale_min), "max": _dec(indicator.scale_max)}),
        "direction": str(indicator.direction), "maintain_band": _dec(indicator.tolerance),
        "target_kind": str(indicator.target_kind),
        "tolerance": _drop_empty({"amount": _dec(indicator.tolerance_amount),
                                  "unit": str(indicator.tolerance_unit) if indicator.tolerance_amount is not None
                                  else None}),
        "year_to_date": indicator.year_to_date or None, "accumulation": str(indicator.accumulation),
        "baseline": _drop_empty({"value": _dec(indicator.baseline_value), "year": indicator.baseline_year}),
        "baseline_unavailable": _bi(indicator.baseline_unavailable_reason_bg, indicator.baseline_unavailable_reason_en),
        "data_source": _bi(indicator.data_source_bg, indicator.data_source_en),
        "method": _bi(indicator.method_bg, indicator.method_en), "frequency": str(indicator.frequency),
        "responsible_unit": _bi(indicator.responsible_unit_bg, indicator.responsible_unit_en),
        "owner": indicator.owner.get_username() if indicator.owner_id else None, "eu_code": indicator.eu_code,
        "weight": _dec(indicator.weight) if indicator.weight != 1 else None,
        "is_sample": indicator.is_sample or None, "disaggregation": indicator.disaggregation,
        "also_serves": also,
        "targets": [_drop_empty({"year": t.year, "sub": t.sub or None, "value": _dec(t.value),
                                 "final": t.is_final or None}) for t in indicator.targets.all()],
        "values": values,
        "overrides": [_drop_empty({
            "year": o.year, "sub": o.sub or None, "status": str(o.status), "reason": _bi(o.reason_bg, o.reason_en),
            "decided_on": _iso(o.decided_on),
        }) for o in indicator.overrides.all()],
    })  # fmt: skip


def build(
    plan, elements, projects_by_element, other_links, indicators_by_element=None, indicators_by_project=None,
    financial=(), assessments=(),
) -> dict:  # fmt: skip
    """A plan document from loaded objects (no queries of its own).

    ``elements``: the tree as [(element, [(child, [...]), ...]), ...] in order;
    ``projects_by_element``: element id → projects in order (partners, funding lines and
    activities prefetched); ``other_links``: project id → ["plan-slug/CODE", ...] outside this plan.
    A project is written in full under the first element listing it (in reading order) and as
    ``{ref: CODE}`` under the others. ``indicators_by_element``/``_by_project``: id → indicators in
    order, loaded as ``_indicator_doc`` says; ``financial``: the plan's financial lines in order
    (with their elements); ``assessments``: the annual assessments of its elements in order (with
    their elements).
    """
    seen: set[int] = set()
    indicators_by_element = indicators_by_element or {}
    indicators_by_project = indicators_by_project or {}

    def project_doc(project):
        if project.pk in seen:
            return {"ref": project.code}
        seen.add(project.pk)
        return _drop_empty({
            "code": project.code, "slug": project.slug, "title": _bi(project.title_bg, project.title_en),
            "description": _bi(project.description_bg, project.description_en), "status": str(project.status),
            "progress": project.progress,
            "declared_total": _drop_empty({"amount": _num(project.declared_total),
                                           "currency": str(project.declared_currency)})
            if project.declared_total is not None else None,
            "planned": _drop_empty({"start": _iso(project.planned_start), "end": _iso(project.planned_end)}),
            "actual": _drop_empty({"start": _iso(project.actual_start), "end": _iso(project.actual_end)}),
            "responsible": _drop_empty({"unit": _bi(project.responsible_unit_bg, project.responsible_unit_en),
                                        "person": project.responsible_person}),
            "location": _drop_empty({"geometry": project.location,
                                     "name": _bi(project.location_name_bg, project.location_name_en)}),
            "is_sample": project.is_sample or None,
            "partners": [_drop_empty({"name": _bi(p.name_bg, p.name_en), "role": _bi(p.role_bg, p.role_en)})
                         for p in project.partners.all()],
            "budget": [_drop_empty({
                "source": str(line.source), "programme": _bi(line.programme_bg, line.programme_en),
                "amount": _num(line.amount), "currency": str(line.currency), "ceiling": line.is_ceiling or None,
                "spent": _num(line.spent), "grant_share": _num(line.grant_share),
                "contract": _drop_empty({"number": line.contract_number, "date": _iso(line.contract_date)}),
            }) for line in project.funding_lines.all()],
            "activities": [_drop_empty({
                "title": _bi(a.title_bg, a.title_en), "description": _bi(a.description_bg, a.description_en),
                "milestone": a.is_milestone or None, "start": _iso(a.start_date), "due": _iso(a.due_date),
                "completed": _iso(a.completed_on), "state": str(a.state),
            }) for a in project.activities.all()],
            "also_contributes_to": other_links.get(project.pk, []),
            "indicators": [_indicator_doc(i, plan) for i in indicators_by_project.get(project.pk, [])],
        })  # fmt: skip

    def element_doc(element, children):
        return _drop_empty({
            "code": element.code, "title": _bi(element.title_bg, element.title_en),
            "description": _bi(element.description_bg, element.description_en),
            "indicators": [_indicator_doc(i, plan) for i in indicators_by_element.get(element.pk, [])],
            "projects": [project_doc(p) for p in projects_by_element.get(element.pk, [])],
            "children": [element_doc(child, grandchildren) for child, grandchildren in children],
        })  # fmt: skip

    document = {
        "format": FORMAT,
        "plan": _drop_empty(
            {
                "slug": plan.slug,
                "kind": str(plan.kind),
                "status": str(plan.status),
                "title": _bi(plan.title_bg, plan.title_en),
                "period": {"start": plan.period_start, "end": plan.period_end},
                "vision": _bi(plan.vision_bg, plan.vision_en),
                "description": _bi(plan.description_bg, plan.description_en),
                # Bulgarian only: text, as readers of files before the English twin expect.
                "adopted_by": _bi(plan.adopted_by_bg, plan.adopted_by_en)
                if plan.adopted_by_en
                else plan.adopted_by_bg,
                "levels": [_bi(level.get("bg", ""), level.get("en", "")) for level in plan.level_names],
                "is_sample": plan.is_sample or None,
                "position": plan.position or None,
                "year_start_month": plan.year_start_month,
                "currency": str(plan.currency),
                "tolerance": _drop_empty(
                    {"amount": _dec(plan.tolerance_amount), "unit": str(plan.tolerance_unit)}
                )
                if plan.tolerance_amount is not None
                else None,
            }
        ),  # fmt: skip
        "goals": [element_doc(element, children) for element, children in elements],
        "financial_table": [
            _drop_empty(
                {
                    "element": line.element.code if line.element_id else None,
                    "source": str(line.source),
                    "year": line.year,
                    "amount": _num(line.amount),
                    "currency": str(line.currency),
                }
            )
            for line in financial
        ],  # fmt: skip
    }
    document["assessments"] = [
        _drop_empty({
            "element": a.element.code, "year": a.year, "achieved": _bi(a.achieved_bg, a.achieved_en),
            "obstacles": _bi(a.obstacles_bg, a.obstacles_en), "published": a.is_published or None,
        })
        for a in assessments
    ]  # fmt: skip
    for key in ("financial_table", "assessments"):
        if not document[key]:
            del document[key]
    return document


def dump(document: dict, fmt: str = "yaml") -> str:
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
