"""What changed between two versions of a plan, as a council member reads it: ``diff_plans(old, new)``
compares two plan file documents (civitas-plan/2 as ``planfile.build`` writes them, or version 1)
and reports the plan's fields, the goal tree's elements (added, removed, moved or recoded, reworded
with a word-level diff), the indicators (passport, baseline, targets year by year), the financial
table and the projects (added, removed, budget).

Pure: plain dicts in, frozen dataclasses out, no database and no Django. The documents are read
leniently (a snapshot is valid when taken, but the format's defaults are applied here, not by the
validator), and everything comes out in the new tree's reading order, the same every time.
"""

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

# Version 1 of the format knew only leva; version 2 defaults to the euro.
FORMAT_1 = "civitas-plan/1"
CURRENCY_V1, CURRENCY_V2 = "BGN", "EUR"
LANGUAGES = ("bg", "en")


class Change(StrEnum):
    """What happened to an item between the two versions."""

    UNCHANGED = "unchanged"
    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"  # a new parent, a new place among its siblings, or a new code
    REWORDED = "reworded"  # title or description changed (and not moved)
    CHANGED = "changed"  # an indicator's or a project's fields changed


class Op(StrEnum):
    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


@dataclass(frozen=True)
class WordPart:
    """A run of words (with the spaces between them) kept, inserted or deleted."""

    op: Op
    text: str


@dataclass(frozen=True)
class FieldChange:
    """One field's old and new value. ``language`` is "bg" or "en" for a text in two languages
    ("" otherwise); ``words`` is the word-level diff of a text (empty for other values)."""

    field: str
    language: str
    old: str
    new: str
    words: tuple[WordPart, ...] = ()


@dataclass(frozen=True)
class Move:
    """Where an element was and is: its parent's code (None at the top), its place among its
    siblings (1-based) and its own code."""

    old_code: str
    new_code: str
    old_parent: str | None
    new_parent: str | None
    old_position: int
    new_position: int

    @property
    def recoded(self) -> bool:
        return self.old_code != self.new_code

    @property
    def reparented(self) -> bool:
        return self.old_parent != self.new_parent


@dataclass(frozen=True)
class ElementChange:
    """An element of either version. ``code`` is its code in the new version (the old one if it was
    removed); ``title`` its title (bg, en) there; ``depth`` its level, 0 at the top. ``move`` is set
    when it moved or was recoded, ``text`` lists its reworded fields; ``change`` says the first that
    applies of added, removed, moved, reworded, unchanged."""

    code: str
    title: tuple[str, str]
    depth: int
    change: Change
    move: Move | None = None
    text: tuple[FieldChange, ...] = ()

    @property
    def reworded(self) -> bool:
        return bool(self.text)


@dataclass(frozen=True)
class ValueChange:
    """A target (or another value by period) of an indicator: old → new; None where absent."""

    year: int
    sub: int
    old: Decimal | None
    new: Decimal | None


@dataclass(frozen=True)
class IndicatorChange:
    """An indicator added, removed or changed. ``element`` is the element's code it serves (in the
    new version, or the old for a removed one), ``project`` the project's code for a project's
    indicator; ``fields``: passport, unit, baseline, direction...; ``targets``: year by year."""

    code: str
    name: tuple[str, str]
    element: str | None
    project: str | None
    change: Change
    fields: tuple[FieldChange, ...] = ()
    targets: tuple[ValueChange, ...] = ()


@dataclass(frozen=True)
class AmountChange:
    """A line of the indicative financial table (element × source × year; element None: the plan as
    a whole) or of a project's budget (by source), old → new with their currencies."""

    element: str | None
    source: str
    year: int | None
    old_amount: Decimal | None
    old_currency: str
    new_amount: Decimal | None
    new_currency: str

    @property
    def change(self) -> Change:
        if self.old_amount is None:
            return Change.ADDED
        if self.new_amount is None:
            return Change.REMOVED
        return Change.CHANGED


@dataclass(frozen=True)
class ProjectChange:
    """A project added to or removed from the plan, or changed: its fields (title, status...), the
    elements it serves (``elements``: old and new codes when they differ) and its budget by source."""

    code: str
    title: tuple[str, str]
    change: Change
    fields: tuple[FieldChange, ...] = ()
    budget: tuple[AmountChange, ...] = ()
    old_elements: tuple[str, ...] = ()
    new_elements: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    plan_fields: int
    elements_added: int
    elements_removed: int
    elements_moved: int
    elements_reworded: int
    indicators_added: int
    indicators_removed: int
    indicators_changed: int
    targets_changed: int
    amounts_changed: int
    projects_added: int
    projects_removed: int
    projects_changed: int

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in self.__dataclass_fields__)


@dataclass(frozen=True)
class ElementGroup:
    """What changed at one element: the element itself, its indicators and its financial lines
    (``element`` None: the plan as a whole, for financial lines not tied to an element)."""

    element: ElementChange | None
    indicators: tuple[IndicatorChange, ...]
    financial: tuple[AmountChange, ...]


@dataclass(frozen=True)
class PlanDiff:
    """Two versions compared. ``elements`` holds every element of both versions exactly once, in the
    new tree's reading order (a removed element after the one it followed in the old tree);
    ``indicators``, ``financial`` and ``projects`` hold only what changed."""

    plan: tuple[FieldChange, ...]
    elements: tuple[ElementChange, ...]
    indicators: tuple[IndicatorChange, ...]
    financial: tuple[AmountChange, ...]
    projects: tuple[ProjectChange, ...]

    @property
    def summary(self) -> Summary:
        elements = self.elements
        return Summary(
            plan_fields=len(self.plan),
            elements_added=sum(e.change == Change.ADDED for e in elements),
            elements_removed=sum(e.change == Change.REMOVED for e in elements),
            elements_moved=sum(e.move is not None for e in elements),
            elements_reworded=sum(e.reworded for e in elements),
            indicators_added=sum(i.change == Change.ADDED for i in self.indicators),
            indicators_removed=sum(i.change == Change.REMOVED for i in self.indicators),
            indicators_changed=sum(i.change == Change.CHANGED for i in self.indicators),
            targets_changed=sum(len(i.targets) for i in self.indicators if i.change == Change.CHANGED),
            amounts_changed=len(self.financial),
            projects_added=sum(p.change == Change.ADDED for p in self.projects),
            projects_removed=sum(p.change == Change.REMOVED for p in self.projects),
            projects_changed=sum(p.change == Change.CHANGED for p in self.projects),
        )

    @property
    def is_empty(self) -> bool:
        return self.summary.total == 0

    @property
    def project_indicators(self) -> tuple[IndicatorChange, ...]:
        return tuple(i for i in self.indicators if i.project is not None)

    @property
    def groups(self) -> tuple[ElementGroup, ...]:
        """The changes grouped by element in tree order, elements with nothing changed left out;
        the plan's own financial lines (no element) first."""
        by_element: dict[str | None, list[IndicatorChange]] = {}
        for indicator in self.indicators:
            if indicator.project is None:
                by_element.setdefault(indicator.element, []).append(indicator)
        money: dict[str | None, list[AmountChange]] = {}
        for line in self.financial:
            money.setdefault(line.element, []).append(line)
        groups = []
        if money.get(None):
            groups.append(ElementGroup(None, (), tuple(money[None])))
        for element in self.elements:
            indicators = tuple(by_element.get(element.code, ()))
            financial = tuple(money.get(element.code, ()))
            if element.change != Change.UNCHANGED or indicators or financial:
                groups.append(ElementGroup(element, indicators, financial))
        return tuple(groups)


# Reading the documents --------------------------------------------------------------------------


def _texts(value) -> tuple[str, str]:
    """A text of the format, {bg, en} or plain (Bulgarian), as (bg, en) with spaces tidied."""
    if isinstance(value, dict):
        return _tidy(value.get("bg")), _tidy(value.get("en"))
    return _tidy(value), ""


def _tidy(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _number(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value)).normalize()
    except InvalidOperation:
        return None


def _plain(value) -> str:
    """A value that is not text, as one line for the reader."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


@dataclass
class _Element:
    code: str
    parent: str | None
    position: int  # among its siblings, 1-based
    depth: int
    order: int  # in the tree's reading order
    title: tuple[str, str]
    description: tuple[str, str]


@dataclass
class _Document:
    plan: dict
    currency: str
    elements: dict[str, _Element] = field(default_factory=dict)  # in reading order
    indicators: dict[str, tuple[dict, str | None, str | None]] = field(default_factory=dict)
    projects: dict[str, dict] = field(default_factory=dict)  # code → definition, in reading order
    project_elements: dict[str, list[str]] = field(default_factory=dict)
    financial: dict[tuple[str | None, str, int | None], tuple[Decimal | None, str]] = field(
        default_factory=dict
    )


def mapping(value) -> dict:
    """A mapping of the document, or an empty one where the document has something else."""
    return value if isinstance(value, dict) else {}


def _listing(value) -> list:
    return value if isinstance(value, list) else []


def _read(document: dict) -> _Document:
    document = mapping(document)
    plan = mapping(document.get("plan"))
    default = CURRENCY_V1 if document.get("format") == FORMAT_1 else CURRENCY_V2
    doc = _Document(plan=plan, currency=str(plan.get("currency") or default))

    def indicators(owner: dict, element: str | None, project: str | None) -> None:
        for indicator in _listing(owner.get("indicators")):
            if isinstance(indicator, dict) and indicator.get("code"):
                doc.indicators.setdefault(str(indicator["code"]), (indicator, element, project))

    def walk(items, parent: str | None, depth: int) -> None:
        position = 0
        for item in _listing(items):
            if not isinstance(item, dict) or not item.get("code") or str(item["code"]) in doc.elements:
                continue
            code = str(item["code"])
            position += 1
            doc.elements[code] = _Element(
                code=code, parent=parent, position=position, depth=depth, order=len(doc.elements),
                title=_texts(item.get("title")), description=_texts(item.get("description")),
            )  # fmt: skip
            indicators(item, code, None)
            for project in _listing(item.get("projects")):
                if not isinstance(project, dict):
                    continue
                pcode = str(project.get("ref") or project.get("code") or "")
                if not pcode:
                    continue
                if "ref" not in project and pcode not in doc.projects:
                    doc.projects[pcode] = project
                    indicators(project, None, pcode)
                listed = doc.project_elements.setdefault(pcode, [])
                if code not in listed:
                    listed.append(code)
            walk(item.get("children"), code, depth + 1)

    walk(document.get("goals"), None, 0)
    for line in _listing(document.get("financial_table")):
        if not isinstance(line, dict):
            continue
        year = line.get("year") if isinstance(line.get("year"), int) else None
        key = (str(line["element"]) if line.get("element") else None, str(line.get("source") or ""), year)
        doc.financial[key] = (_number(line.get("amount")), str(line.get("currency") or doc.currency))
    return doc


# Words ------------------------------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(old: str, new: str) -> tuple[WordPart, ...]:
    """The words of ``new`` against ``old``: runs kept, inserted and deleted, in reading order
    (a deletion before the insertion that replaces it)."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts: list[WordPart] = []

    def add(op: Op, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if parts and parts[-1].op == op:
            parts[-1] = WordPart(op, parts[-1].text + text)
        else:
            parts.append(WordPart(op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add(Op.EQUAL, a[i1:i2])
            continue
        removed, inserted = a[i1:i2], b[j1:j2]
        # A word replaced after a space keeps the space outside its marks ("a <del>b</del><ins>c</ins>",
        # not "a<del> b</del><ins> c</ins>"); a pure insertion or deletion must keep its own.
        if len(removed) > 1 and len(inserted) > 1 and _shared_space((removed[0], inserted[0])):
            add(Op.EQUAL, removed[:1])
            removed, inserted = removed[1:], inserted[1:]
        add(Op.DELETE, removed)
        add(Op.INSERT, inserted)
    return tuple(parts)


def _shared_space(tokens: Iterable[str]) -> str | None:
    """The whitespace token that every one of ``tokens`` is, or None."""
    found = set(tokens)
    return next(iter(found)) if len(found) == 1 and next(iter(found)).isspace() else None


def _text_changes(name: str, old: tuple[str, str], new: tuple[str, str]) -> list[FieldChange]:
    return [
        FieldChange(name, language, before, after, word_diff(before, after))
        for language, before, after in zip(LANGUAGES, old, new, strict=True)
        if before != after
    ]


def _value_change(name: str, old, new) -> list[FieldChange]:
    before, after = _plain(old), _plain(new)
    return [FieldChange(name, "", before, after)] if before != after else []


# The plan ----------------------------------------------------------------------------------------


def _period(plan: dict) -> str:
    period = mapping(plan.get("period"))
    start, end = period.get("start"), period.get("end")
    return f"{start}–{end}" if start is not None or end is not None else ""


def _levels(plan: dict) -> tuple[str, str]:
    names = [_texts(level) for level in _listing(plan.get("levels"))]
    return " / ".join(bg for bg, _en in names), " / ".join(en for _bg, en in names)


def _tolerance(plan: dict) -> str:
    tolerance = mapping(plan.get("tolerance"))
    amount = _number(tolerance.get("amount"))
    return f"{_plain(amount)} {tolerance.get('unit') or ''}".strip() if amount is not None else ""


def _plan_changes(old: _Document, new: _Document) -> list[FieldChange]:
    a, b = old.plan, new.plan
    changes: list[FieldChange] = []
    for name in ("title", "vision", "description", "adopted_by"):
        changes += _text_changes(name, _texts(a.get(name)), _texts(b.get(name)))
    changes += _value_change("period", _period(a), _period(b))
    changes += _text_changes("levels", _levels(a), _levels(b))
    for name in ("slug", "kind", "status", "year_start_month"):
        changes += _value_change(name, a.get(name), b.get(name))
    changes += _value_change("currency", old.currency, new.currency)
    changes += _value_change("tolerance", _tolerance(a), _tolerance(b))
    return changes


# The goal tree -----------------------------------------------------------------------------------


def _match_elements(old: _Document, new: _Document) -> dict[str, str]:
    """New code → old code of the same element: the same code, or else (a recode) the same title
    and description in both languages; candidates with the same text are paired in reading order."""
    matched = {code: code for code in new.elements if code in old.elements}
    taken = set(matched.values())
    by_text: dict[tuple, list[str]] = {}
    for code, element in old.elements.items():
        if code not in taken:
            by_text.setdefault((element.title, element.description), []).append(code)
    for code, element in new.elements.items():
        if code not in matched:
            candidates = by_text.get((element.title, element.description))
            if candidates:
                matched[code] = candidates.pop(0)
    return matched


def _stayed_in_order(old_positions: list[int]) -> set[int]:
    """The indexes of a longest increasing run (not necessarily contiguous) of ``old_positions``:
    the siblings that kept their order; the others are the ones that moved."""
    tails: list[int] = []  # index in old_positions of the smallest tail of each length
    back: list[int | None] = [None] * len(old_positions)
    for i, value in enumerate(old_positions):
        low, high = 0, len(tails)
        while low < high:
            mid = (low + high) // 2
            if old_positions[tails[mid]] < value:
                low = mid + 1
            else:
                high = mid
        back[i] = tails[low - 1] if low else None
        if low == len(tails):
            tails.append(i)
        else:
            tails[low] = i
    kept: set[int] = set()
    at = tails[-1] if tails else None
    while at is not None:
        kept.add(at)
        at = back[at]
    return kept


def _element_changes(old: _Document, new: _Document, matched: dict[str, str]) -> list[ElementChange]:
    new_of_old = {old_code: new_code for new_code, old_code in matched.items()}

    def old_parent_as_new(old_code: str) -> str | None:
        parent = old.elements[old_code].parent
        return new_of_old.get(parent, f"\0{parent}") if parent is not None else None

    # Siblings that kept their parent and their order among themselves did not move; of the
    # others, only those out of the longest run in the old order did.
    reordered: set[str] = set()
    siblings: dict[str | None, list[str]] = {}
    for code, element in new.elements.items():
        if code in matched and old_parent_as_new(matched[code]) == element.parent:
            siblings.setdefault(element.parent, []).append(code)
    for codes in siblings.values():
        kept = _stayed_in_order([old.elements[matched[c]].position for c in codes])
        reordered.update(c for i, c in enumerate(codes) if i not in kept)

    changes: dict[str, ElementChange] = {}
    for code, element in new.elements.items():
        if code not in matched:
            changes[code] = ElementChange(code, element.title, element.depth, Change.ADDED)
            continue
        before = old.elements[matched[code]]
        move = None
        if code != before.code or old_parent_as_new(before.code) != element.parent or code in reordered:
            move = Move(
                old_code=before.code, new_code=code, old_parent=before.parent, new_parent=element.parent,
                old_position=before.position, new_position=element.position,
            )  # fmt: skip
        text = tuple(
            _text_changes("title", before.title, element.title)
            + _text_changes("description", before.description, element.description)
        )
        change = Change.MOVED if move else Change.REWORDED if text else Change.UNCHANGED
        changes[code] = ElementChange(code, element.title, element.depth, change, move, text)

    # A removed element follows the element it followed in the old tree (or opens the list).
    after: dict[str | None, list[ElementChange]] = {}
    anchor: str | None = None
    for code, element in old.elements.items():
        if code in new_of_old:
            anchor = new_of_old[code]
        else:
            after.setdefault(anchor, []).append(
                ElementChange(code, element.title, element.depth, Change.REMOVED)
            )
    ordered = list(after.get(None, []))
    for code in new.elements:
        ordered.append(changes[code])
        ordered += after.get(code, [])
    return ordered


# Indicators, money, projects ----------------------------------------------------------------------

INDICATOR_TEXTS = ("name", "definition", "unit")
INDICATOR_VALUES = ("type", "measure", "direction", "target_kind", "accumulation", "frequency")


def _baseline(indicator: dict) -> str:
    baseline = mapping(indicator.get("baseline"))
    value, year = _number(baseline.get("value")), baseline.get("year")
    if value is None:
        return ""
    return f"{_plain(value)} ({year})" if year is not None else _plain(value)


def _targets(indicator: dict) -> dict[tuple[int, int], Decimal | None]:
    found = {}
    for target in _listing(indicator.get("targets")):
        if isinstance(target, dict) and isinstance(target.get("year"), int):
            found[(target["year"], int(target.get("sub") or 0))] = _number(target.get("value"))
    return found


def _indicator_changes(old: _Document, new: _Document, new_of_old: dict[str, str]) -> list[IndicatorChange]:
    changes = []
    for code, (indicator, element, project) in new.indicators.items():
        name = _texts(indicator.get("name"))
        if code not in old.indicators:
            changes.append(IndicatorChange(code, name, element, project, Change.ADDED))
            continue
        before, old_element, old_project = old.indicators[code]
        fields: list[FieldChange] = []
        for key in INDICATOR_TEXTS:
            fields += _text_changes(key, _texts(before.get(key)), _texts(indicator.get(key)))
        fields += _value_change("baseline", _baseline(before), _baseline(indicator))
        for key in INDICATOR_VALUES:
            fields += _value_change(key, before.get(key), indicator.get(key))
        old_owner = new_of_old.get(old_element, old_element) if old_element else old_project
        fields += _value_change("serves", old_owner, element or project)
        old_targets, new_targets = _targets(before), _targets(indicator)
        targets = tuple(
            ValueChange(year, sub, old_targets.get((year, sub)), new_targets.get((year, sub)))
            for year, sub in sorted(old_targets.keys() | new_targets.keys())
            if old_targets.get((year, sub)) != new_targets.get((year, sub))
            or ((year, sub) in old_targets) != ((year, sub) in new_targets)
        )
        if fields or targets:
            changes.append(
                IndicatorChange(code, name, element, project, Change.CHANGED, tuple(fields), targets)
            )
    for code, (indicator, element, project) in old.indicators.items():
        if code not in new.indicators:
            owner = new_of_old.get(element, element) if element else None
            changes.append(
                IndicatorChange(code, _texts(indicator.get("name")), owner, project, Change.REMOVED)
            )
    return changes


def _amount_changes(
    old: dict[tuple, tuple[Decimal | None, str]], new: dict[tuple, tuple[Decimal | None, str]], order
) -> list[AmountChange]:
    changes = []
    for key in sorted(old.keys() | new.keys(), key=order):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        element, source, year = key
        changes.append(AmountChange(
            element, source, year, before[0] if before else None, before[1] if before else "",
            after[0] if after else None, after[1] if after else "",
        ))  # fmt: skip
    return changes


def _financial_changes(
    old: _Document, new: _Document, new_of_old: dict[str, str], order: dict
) -> list[AmountChange]:
    renamed = {(new_of_old.get(e, e) if e else None, s, y): line for (e, s, y), line in old.financial.items()}
    last = len(order)
    return _amount_changes(
        renamed, new.financial,
        lambda key: (key[0] is not None, order.get(key[0], last), key[1], key[2] if key[2] is not None else -1),
    )  # fmt: skip


def _budget(project: dict, currency: str) -> dict[tuple, tuple[Decimal | None, str]]:
    """A project's budget by source (and currency): the sum of its funding lines."""
    totals: dict[tuple[str, str], Decimal] = {}
    for line in _listing(project.get("budget")):
        if isinstance(line, dict):
            key = (str(line.get("source") or ""), str(line.get("currency") or currency))
            totals[key] = totals.get(key, Decimal(0)) + (_number(line.get("amount")) or Decimal(0))
    return {(None, source, None): (amount.normalize(), cur) for (source, cur), amount in totals.items()}


def _project_changes(old: _Document, new: _Document, new_of_old: dict[str, str]) -> list[ProjectChange]:
    changes = []
    for code, project in new.projects.items():
        title = _texts(project.get("title"))
        if code not in old.projects:
            changes.append(
                ProjectChange(code, title, Change.ADDED, new_elements=tuple(new.project_elements[code]))
            )
            continue
        before = old.projects[code]
        fields = _text_changes("title", _texts(before.get("title")), title) + _value_change(
            "status", before.get("status"), project.get("status")
        )
        budget = _amount_changes(
            _budget(before, old.currency), _budget(project, new.currency), lambda key: (key[1],)
        )
        old_elements = tuple(new_of_old.get(c, c) for c in old.project_elements[code])
        new_elements = tuple(new.project_elements[code])
        if fields or budget or old_elements != new_elements:
            changes.append(ProjectChange(
                code, title, Change.CHANGED, tuple(fields), tuple(budget),
                old_elements if old_elements != new_elements else (),
                new_elements if old_elements != new_elements else (),
            ))  # fmt: skip
    for code, project in old.projects.items():
        if code not in new.projects:
            changes.append(ProjectChange(
                code, _texts(project.get("title")), Change.REMOVED,
                old_elements=tuple(old.project_elements[code]),
            ))  # fmt: skip
    return changes


def diff_plans(old: dict, new: dict) -> PlanDiff:
    """What changed from the plan document ``old`` to ``new`` (see the module's docstring)."""
    a, b = _read(old), _read(new)
    matched = _match_elements(a, b)
    new_of_old = {old_code: new_code for new_code, old_code in matched.items()}
    order = {code: element.order for code, element in b.elements.items()}
    return PlanDiff(
        plan=tuple(_plan_changes(a, b)),
        elements=tuple(_element_changes(a, b, matched)),
        indicators=tuple(_indicator_changes(a, b, new_of_old)),
        financial=tuple(_financial_changes(a, b, new_of_old, order)),
        projects=tuple(_project_changes(a, b, new_of_old)),
    )
