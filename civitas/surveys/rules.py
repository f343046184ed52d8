"""Pure rules for surveys (no database): checking a set of answers against the questionnaire,
and checking the questionnaire itself as staff build it.

The questionnaire is described by ``QuestionSpec`` values (built from the database by
``selectors.questionnaire``). ``check_answers`` returns the cleaned answers and a dict
{field: [messages]} where a question's field is ``q<id>``; an empty dict means valid.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from civitas.core.text import plain

from .models import CHOICE_KINDS, TEXT_KINDS, Access, OnePer, QuestionKind

# A condition reads the chosen option(s) of a question of one of these kinds.
CONDITION_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
DEFAULT_MAX_LENGTH: dict[str, int] = {QuestionKind.SHORT_TEXT: 300, QuestionKind.LONG_TEXT: 5000}
MAX_TEXT_LENGTH = 20000
LIKERT_SIZES = range(2, 12)
NUMBER_LIMIT = Decimal("1e10")  # the database keeps 10 digits before the decimal point


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    kind: str
    required: bool = False
    options: tuple[int, ...] = ()  # option ids in their order
    scale_size: int | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    max_length: int | None = None
    # Shown only when question ``condition[0]`` is shown and its answer includes option ``condition[1]``.
    condition: tuple[int, int] | None = None

    @property
    def field(self) -> str:
        return f"q{self.id}"

    @property
    def text_limit(self) -> int:
        return self.max_length or DEFAULT_MAX_LENGTH.get(self.kind, MAX_TEXT_LENGTH)


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Mapping):
        return all(is_empty(v) for v in value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(is_empty(v) for v in value)
    return False


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _fmt(number: Decimal) -> str:
    return format(number.normalize(), "f")


def visible_questions(questions: Sequence[QuestionSpec], cleaned: Mapping[int, object]) -> set[int]:
    """Ids of the questions shown, given the answers so far (questions in their order; a condition
    refers to an earlier question)."""
    shown: set[int] = set()
    for question in questions:
        if _condition_met(question, shown, cleaned):
            shown.add(question.id)
    return shown


def _condition_met(question: QuestionSpec, shown: set[int], cleaned: Mapping[int, object]) -> bool:
    if question.condition is None:
        return True
    on, option = question.condition
    answer = cleaned.get(on)
    chosen = answer if isinstance(answer, tuple) else (answer,)
    return on in shown and option in chosen


def check_answer(question: QuestionSpec, value) -> tuple[object, list[str]]:
    """One question's answer: (cleaned value or None when unanswered, [messages])."""
    if is_empty(value):
        if question.required:
            return None, [_("Answer this question.")]
        return None, []
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        option = _int(value)
        if option not in question.options:
            return None, [_("Choose one of the options given.")]
        return option, []
    if kind == QuestionKind.MULTIPLE:
        values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        chosen = {_int(v) for v in values if not is_empty(v)}
        if not chosen <= set(question.options):
            return None, [_("Choose only among the options given.")]
        return tuple(o for o in question.options if o in chosen), []
    if kind == QuestionKind.LIKERT:
        point = _int(value)
        size = question.scale_size or 5
        if point is None or not 1 <= point <= size:
            return None, [_("Choose a point of the scale from 1 to %(size)s.") % {"size": size}]
        return point, []
    if kind == QuestionKind.RANKING:
        return _check_ranking(question, value)
    if kind == QuestionKind.NUMBER:
        number = _decimal(value)
        if number is None or abs(number) >= NUMBER_LIMIT:
            return None, [_("Enter a number, e.g. 12 or 3.5.")]
        if question.min_value is not None and number < question.min_value:
            return None, [_("Enter a number of at least %(min)s.") % {"min": _fmt(question.min_value)}]
        if question.max_value is not None and number > question.max_value:
            return None, [_("Enter a number of at most %(max)s.") % {"max": _fmt(question.max_value)}]
        return number, []
    if kind in TEXT_KINDS:
        if not isinstance(value, str):
            return None, [_("Enter text.")]
        text = plain(value).strip()  # pasted line breaks kept, control characters dropped
        if len(text) > question.text_limit:
            return None, [
                _("Write at most %(limit)s characters (you wrote %(count)s).")
                % {"limit": question.text_limit, "count": len(text)}
            ]
        return text, []
    return None, [_("Unknown kind of question “%(kind)s”.") % {"kind": kind}]


def _check_ranking(question: QuestionSpec, value) -> tuple[object, list[str]]:
    """A ranking is every option with a different rank 1..n: given as {option id: rank} or as
    the option ids in rank order."""
    n = len(question.options)
    message = _("Give each option a different rank from 1 to %(count)s.") % {"count": n}
    if isinstance(value, Mapping):
        ranks = {_int(option): _int(rank) for option, rank in value.items() if not is_empty(rank)}
        if not set(ranks) <= set(question.options):
            return None, [_("Rank only the options given.")]
        given = sorted(rank if rank is not None else 0 for rank in ranks.values())
        if set(ranks) != set(question.options) or given != list(range(1, n + 1)):
            return None, [message]
        return tuple(sorted(ranks, key=lambda option: ranks[option] or 0)), []
    if isinstance(value, (list, tuple)):
        order = tuple(_int(v) for v in value)
        if not set(order) <= set(question.options):
            return None, [_("Rank only the options given.")]
        if len(order) != n or set(order) != set(question.options):
            return None, [message]
        return order, []
    return None, [message]


def check_answers(
    questions: Sequence[QuestionSpec], answers: Mapping[int, object]
) -> tuple[dict[int, object], dict[str, list[str]]]:
    """Check a whole set of answers {question id: value}; answers to questions hidden by a
    condition are ignored. Returns (cleaned answers of the shown questions, errors)."""
    errors: dict[str, list[str]] = {}
    known = {q.id for q in questions}
    unknown = [key for key in answers if key not in known]
    if unknown:
        _add(errors, "__all__", _("Some answers are to questions that are not in this survey."))
    cleaned: dict[int, object] = {}
    shown: set[int] = set()
    for question in questions:
        if not _condition_met(question, shown, cleaned):
            continue
        shown.add(question.id)
        value, messages = check_answer(question, answers.get(question.id))
        for message in messages:
            _add(errors, question.field, message)
        if value is not None and not messages:
            cleaned[question.id] = value
    return cleaned, errors


# The questionnaire, as staff build it ------------------------------------------------------------


def check_survey(data: dict) -> dict:
    errors: dict = {}
    if not (data.get("title_bg") or "").strip():
        _add(errors, "title_bg", _("Give the survey's title in Bulgarian."))
    opens, closes = data.get("opens_at"), data.get("closes_at")
    if opens and closes and closes <= opens:
        _add(errors, "closes_at", _("The survey must close after it opens."))
    if data.get("one_response_per") == OnePer.ACCOUNT and data.get("access") != Access.ACCOUNT:
        _add(
            errors,
            "one_response_per",
            _("One response per account needs a survey answered by signed-in citizens only."),
        )
    return errors


def check_question(data: dict, *, option_count: int) -> dict:
    errors: dict = {}
    kind = data.get("kind")
    if kind not in QuestionKind.values:
        _add(errors, "kind", _("Unknown kind of question “%(kind)s”.") % {"kind": kind})
    if not (data.get("text_bg") or "").strip():
        _add(errors, "text_bg", _("Write the question in Bulgarian."))
    if kind in CHOICE_KINDS and option_count < 2:
        _add(errors, "options", _("A choice or ranking question needs at least two options."))
    if kind not in CHOICE_KINDS and option_count:
        _add(errors, "options", _("Only choice and ranking questions have options."))
    if kind == QuestionKind.LIKERT:
        size = data.get("scale_size")
        if size not in LIKERT_SIZES:
            _add(
                errors,
                "scale_size",
                _("A scale has from %(min)s to %(max)s points.")
                % {"min": LIKERT_SIZES.start, "max": LIKERT_SIZES.stop - 1},
            )
        labels = data.get("scale_labels") or []
        if labels and size in LIKERT_SIZES and len(labels) != size:
            _add(
                errors,
                "scale_labels",
                _("Give a label for each of the %(size)s points, or none.") % {"size": size},
            )
    low, high = data.get("min_value"), data.get("max_value")
    if low is not None and high is not None and low > high:
        _add(errors, "max_value", _("The largest number cannot be below the smallest."))
    length = data.get("max_length")
    if length is not None and not 1 <= length <= MAX_TEXT_LENGTH:
        _add(errors, "max_length", _("Allow from 1 to %(max)s characters.") % {"max": MAX_TEXT_LENGTH})
    return errors


def check_condition(*, position: int, on_position: int, on_kind: str) -> dict:
    """A condition reads an earlier single or multiple choice question."""
    if on_kind not in CONDITION_KINDS:
        return {
            "condition_option": [_("A condition can only depend on a single or multiple choice question.")]
        }
    if on_position >= position:
        return {"condition_option": [_("A condition can only depend on an earlier question.")]}
    return {}
