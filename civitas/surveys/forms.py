"""Forms: the questionnaire as citizens (and staff entering paper forms) fill it in, and the staff's
survey, section, question and invitation-code forms. The forms check types; the services and
``rules`` check the rules."""

from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.core.forms import DayMonthYearTimeField

from . import rules
from .models import Option, Question, QuestionKind, Section, Survey
from .selectors import Questionnaire, likert_labels

# The questionnaire -------------------------------------------------------------------------------


def answers_from_post(questionnaire: Questionnaire, data) -> dict[int, object]:
    """The raw answers of a submitted questionnaire, {question id: value} (see rules.check_answer)."""
    answers: dict[int, object] = {}
    for question in questionnaire.questions:
        name = f"q{question.pk}"
        if question.kind == QuestionKind.MULTIPLE:
            value = data.getlist(name)
        elif question.kind == QuestionKind.RANKING:
            value = {option.pk: data.get(f"{name}-o{option.pk}", "") for option in question.option_list}
        else:
            value = data.get(name, "")
        if not rules.is_empty(value):
            answers[question.pk] = value
    return answers


@dataclass
class Choice:
    value: str
    label: str
    id: str
    checked: bool = False


@dataclass
class Field:
    """One question as the template draws it."""

    question: Question
    name: str
    id: str  # the id of the first input, which the error summary links to
    errors: list[str] = field(default_factory=list)
    value: str = ""
    choices: list[Choice] = field(default_factory=list)
    ranks: list[tuple[object, str, str]] = field(default_factory=list)  # (option, select id, chosen rank)
    rank_range: range = range(0)
    shown: bool = True  # False: its condition does not hold; drawn hidden, its inputs disabled

    @property
    def condition(self) -> tuple[str, str] | None:
        """(name of the question it depends on, value of the option that shows it), or None."""
        on, option = self.question.condition_on, self.question.condition_option_id
        return (f"q{on.pk}", str(option)) if on is not None and option is not None else None

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def is_fieldset(self) -> bool:
        return self.kind in (
            QuestionKind.SINGLE,
            QuestionKind.MULTIPLE,
            QuestionKind.LIKERT,
            QuestionKind.RANKING,
        )


class QuestionnaireForm:
    """The questionnaire bound to the submitted data (or empty): which questions are shown under
    the answers given so far, their current values and their errors.

    Every question is drawn; one whose condition does not hold is drawn hidden with its inputs
    disabled. surveys.js shows and hides them as the person answers; without JavaScript the
    "Show the questions that apply" button re-draws the form. Each conditional question that was
    shown carries a hidden ``shown`` input, so that a submission whose answers make a question
    apply that the person has neither seen nor answered is re-shown instead of stored (``unseen``)."""

    def __init__(self, questionnaire: Questionnaire, data=None, *, ask_code: bool = False, code: str = ""):
        self.questionnaire = questionnaire
        self.data = data
        self.ask_code = ask_code
        self.code = (data.get("invitation_code", "") if data is not None else code) or ""
        self.answers = answers_from_post(questionnaire, data) if data is not None else {}
        cleaned, _errors = rules.check_answers(questionnaire.specs, self.answers)
        self.visible = rules.visible_questions(questionnaire.specs, cleaned)
        self.errors: dict[str, list[str]] = {}
        self.has_conditions = any(spec.condition for spec in questionnaire.specs)
        seen = {str(pk) for pk in data.getlist("shown")} if data is not None else set()
        self.unseen = [
            spec.id for spec in questionnaire.specs
            if spec.condition and spec.id in self.visible and str(spec.id) not in seen
            and spec.id not in self.answers
        ]  # fmt: skip

    def set_errors(self, errors: dict) -> None:
        self.errors = {key: [str(m) for m in messages] for key, messages in errors.items()}

    @property
    def non_field_errors(self) -> list[str]:
        return self.errors.get("__all__", [])

    def _field(self, question) -> Field:
        name = f"q{question.pk}"
        value: Any = self.answers.get(question.pk)
        f = Field(
            question=question, name=name, id=name, errors=self.errors.get(name, []),
            shown=question.pk in self.visible,
        )  # fmt: skip
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            chosen = {str(v) for v in value} if isinstance(value, list) else {str(value)} if value else set()
            f.choices = [
                Choice(str(o.pk), o.label, f"{name}-{i}", str(o.pk) in chosen)
                for i, o in enumerate(question.option_list)
            ]
            f.id = f"{name}-0"
        elif question.kind == QuestionKind.LIKERT:
            f.choices = [
                Choice(str(point), label, f"{name}-{point - 1}", str(value or "") == str(point))
                for point, label in enumerate(likert_labels(question), start=1)
            ]
            f.id = f"{name}-0"
        elif question.kind == QuestionKind.RANKING:
            value = value or {}
            f.ranks = [(o, f"{name}-o{o.pk}", str(value.get(o.pk, ""))) for o in question.option_list]
            f.rank_range = range(1, len(question.option_list) + 1)
            f.id = f.ranks[0][1] if f.ranks else name
        else:
            f.value = value or ""
        return f

    def blocks(self):
        """[(section or None, [Field], whether any of them is shown)] of every question."""
        result = []
        for block in self.questionnaire.blocks:
            fields = [self._field(q) for q in block.questions]
            if fields:
                result.append((block.section, fields, any(f.shown for f in fields)))
        return result

    def summary(self) -> list[tuple[str, str]]:
        """(link target, message) for the error summary, in the questionnaire's order."""
        items = [("", message) for message in self.non_field_errors]
        for message in self.errors.get("invitation_code", []):
            items.append(("#invitation_code", message))
        for question in self.questionnaire.questions:
            for message in self.errors.get(f"q{question.pk}", []):
                f = self._field(question)
                items.append((f"#{f.id}", f"{question.number}. {question.text}: {message}"))
        return items


# Staff -------------------------------------------------------------------------------------------


class SurveyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Survey
        fields = [
            "title_bg", "title_en", "slug", "intro_bg", "intro_en", "opens_at", "closes_at", "access",
            "one_response_per", "status", "results_public", "is_sample",
        ]  # fmt: skip
        widgets = {
            "intro_bg": forms.Textarea(attrs={"rows": 4}),
            "intro_en": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"opens_at": DayMonthYearTimeField, "closes_at": DayMonthYearTimeField}

    def service_fields(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}


class SectionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Section
        fields = ["title_bg", "title_en", "intro_bg", "intro_en"]
        widgets = {
            "intro_bg": forms.Textarea(attrs={"rows": 3}),
            "intro_en": forms.Textarea(attrs={"rows": 3}),
        }


def _pairs_text(pairs) -> str:
    return "\n".join(f"{bg} | {en}" if en else bg for bg, en in pairs)


def _parse_pairs(text: str) -> list[tuple[str, str]]:
    pairs = []
    for line in (text or "").splitlines():
        if line.strip():
            bg, _sep, en = line.partition("|")
            pairs.append((bg.strip(), en.strip()))
    return pairs


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text_bg = forms.CharField(label=_("Question (Bulgarian)"), max_length=500)
    text_en = forms.CharField(label=_("Question (English)"), max_length=500, required=False)
    help_bg = forms.CharField(label=_("Hint (Bulgarian)"), max_length=500, required=False)
    help_en = forms.CharField(label=_("Hint (English)"), max_length=500, required=False)
    section = forms.TypedChoiceField(label=_("Section"), coerce=int, required=False, empty_value=None)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    options = forms.CharField(
        label=_("Options"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Choice and ranking questions: one option per line, as “Bulgarian | English”."),
    )  # fmt: skip
    scale_size = forms.IntegerField(
        label=_("Points on the scale"), required=False, min_value=2, max_value=11,
        help_text=_("Likert scale questions, e.g. 5."),
    )  # fmt: skip
    scale_labels = forms.CharField(
        label=_("Labels of the points"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Likert scale questions: one label per point, first point first, as “Bulgarian | English”; or none."),
    )  # fmt: skip
    min_value = forms.DecimalField(
        label=_("Smallest number"), required=False, max_digits=14, decimal_places=4
    )
    max_value = forms.DecimalField(label=_("Largest number"), required=False, max_digits=14, decimal_places=4)
    max_length = forms.IntegerField(label=_("Longest answer, characters"), required=False, min_value=1)
    condition_option = forms.TypedChoiceField(
        label=_("Show only if"), coerce=int, required=False, empty_value=None,
        help_text=_("Show this question only when an earlier question is answered with this option."),
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, questionnaire: Questionnaire, question=None, **kwargs):
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": question.kind, "text_bg": question.text_bg, "text_en": question.text_en,
                "help_bg": question.help_bg, "help_en": question.help_en, "section": question.section_id,
                "required": question.required, "scale_size": question.scale_size,
                "scale_labels": _pairs_text((lv.get("bg", ""), lv.get("en", "")) for lv in question.scale_labels or []),
                "min_value": question.min_value, "max_value": question.max_value, "max_length": question.max_length,
                "condition_option": question.condition_option_id,
                "options": _pairs_text((o.label_bg, o.label_en) for o in question.option_list),
                "version": question.version,
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["section"]).choices = [("", _("No section"))] + [
            (block.section.pk, block.section.title_bg) for block in questionnaire.blocks if block.section
        ]
        conditions: list[tuple[int | str, Any]] = [("", _("Always show"))]
        for q in questionnaire.questions:
            if q.kind in rules.CONDITION_KINDS and (question is None or q.position < question.position):
                conditions += [(o.pk, f"{q.number}. {q.text_bg} = {o.label_bg}") for o in q.option_list]
        cast(forms.ChoiceField, self.fields["condition_option"]).choices = conditions

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in ("kind", "text_bg", "text_en", "help_bg", "help_en", "required", "min_value", "max_value",
                         "max_length", "scale_size")
        }  # fmt: skip
        fields["scale_labels"] = [{"bg": bg, "en": en} for bg, en in _parse_pairs(data["scale_labels"])]
        fields["options"] = _parse_pairs(data["options"])
        fields["section_id"] = data["section"]
        fields["condition_option_id"] = data["condition_option"]
        return fields


class InvitationsForm(forms.Form):
    count = forms.IntegerField(label=_("How many codes"), min_value=1, max_value=5000, initial=100)
    batch = forms.CharField(
        label=_("Batch"), max_length=100, required=False,
        help_text=_("For your records, e.g. where the printed codes go: “Anevo community centre”."),
    )  # fmt: skip


class CrosstabForm(forms.Form):
    row = forms.TypedChoiceField(label=_("Rows"), coerce=int)
    column = forms.TypedChoiceField(label=_("Columns"), coerce=int)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(q.pk, f"{q.number}. {q.text}") for q in questions]
        self.fields["row"].choices = choices
        self.fields["column"].choices = choices


def option_by_pk(pk) -> Option | None:
    return Option.objects.select_related("question").filter(pk=pk).first() if pk else None
