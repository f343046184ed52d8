"""Every write to surveys: the questionnaire as staff build it, invitation codes, and responses,
each checking the surveys' policy first, whoever calls it.

Staff edits are validated by ``rules``, transactional and audit-logged; a change to a survey the
public sees (one that is not a draft) moves the municipality's participation content on.
``survey_submit`` is the hot path: it checks the answers against the cached questionnaire and
writes the response and all its answers in one transaction with one bulk insert. It writes no
audit event (responses are anonymous and many) and does not touch the municipality's row, so
concurrent submissions never wait for each other (the results are read live, never from a cache
keyed by the content's version); one response per person is guaranteed by the unique
``dedupe_key``.
"""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from civitas.core import content
from civitas.core.content import Content
from civitas.core.dates import edited_date
from civitas.core.models import Municipality
from civitas.core.policy import person
from civitas.core.services import audit_record, bump_version, field_changes

from . import policy, rules, selectors
from .models import (
    Access,
    Answer,
    Invitation,
    OnePer,
    Option,
    Question,
    QuestionKind,
    Response,
    Section,
    Source,
    Survey,
)

SURVEY_FIELDS = {
    "title_bg", "title_en", "intro_bg", "intro_en", "opens_at", "closes_at", "access", "one_response_per",
    "status", "results_public", "is_sample",
}  # fmt: skip
SECTION_FIELDS = {"title_bg", "title_en", "intro_bg", "intro_en"}
QUESTION_FIELDS = {
    "text_bg", "text_en", "help_bg", "help_en", "required", "scale_size", "scale_labels", "min_value",
    "max_value", "max_length",
}  # fmt: skip
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read from paper
CODE_LENGTH = 8
MAX_CODES_AT_ONCE = 5000


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _check_unknown(fields: dict, allowed: set) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _touch(survey: Survey) -> None:
    """The questionnaire changed: move the survey's version up (the cached questionnaire expires)."""
    Survey.objects.filter(pk=survey.pk).update(version=models.F("version") + 1, updated_at=timezone.now())
    survey.version, survey.updated_at = Survey.objects.values_list("version", "updated_at").get(pk=survey.pk)


def _public_changed(survey: Survey, *, was_public: bool = False) -> None:
    """The survey's public pages changed, unless it is (and was) a draft, which the public does not see."""
    if was_public or survey.is_public:
        content.changed(survey.municipality, Content.PARTICIPATION)


def _check_slug(municipality: Municipality, slug: str, exclude_pk=None) -> dict:
    try:
        validate_slug(slug)
    except ValidationError:
        return {"slug": [_("Use only Latin letters, digits, hyphens and underscores in the address name.")]}
    qs = Survey.objects.filter(municipality=municipality, slug=slug).exclude(pk=exclude_pk)
    if qs.exists():
        return {
            "slug": [
                _("Another survey of the municipality already uses the address name “%(slug)s”.")
                % {"slug": slug}
            ]
        }
    return {}


# Surveys -----------------------------------------------------------------------------------------


@transaction.atomic
def survey_create(*, actor, municipality: Municipality, slug: str, title_bg: str, **fields) -> Survey:
    policy.require_manage(actor, municipality)
    _check_unknown(fields, SURVEY_FIELDS)
    data = {"title_bg": title_bg, "access": Access.ANONYMOUS, "one_response_per": OnePer.NONE} | fields
    errors = rules.check_survey(data)
    errors.update(_check_slug(municipality, slug))
    _raise(errors)
    survey = Survey(municipality=municipality, slug=slug, **data)
    survey.full_clean(validate_unique=False, validate_constraints=False)
    survey.save()
    _public_changed(survey)
    audit_record(actor=actor, municipality=municipality, action="create", obj=survey)
    return survey


@transaction.atomic
def survey_update(
    *, actor, survey: Survey, expected_version: int, slug: str | None = None, **fields
) -> Survey:
    policy.require_manage(actor, survey.municipality)
    _check_unknown(fields, SURVEY_FIELDS)
    was_public = survey.is_public
    for name in ("opens_at", "closes_at"):
        if name in fields:  # a date left as the form showed it (to the minute) is unchanged
            fields[name] = edited_date(stored=getattr(survey, name), submitted=fields[name])
    data = {f: getattr(survey, f) for f in SURVEY_FIELDS} | fields
    errors = rules.check_survey(data)
    if slug is not None and slug != survey.slug:
        errors.update(_check_slug(survey.municipality, slug, exclude_pk=survey.pk))
        fields["slug"] = slug
    if (
        "one_response_per" in fields
        and fields["one_response_per"] != survey.one_response_per
        and survey.responses.exists()
    ):
        errors.setdefault("one_response_per", []).append(
            _("The survey has responses: the rule of one response per person can no longer change.")
        )
    _raise(errors)
    changes = field_changes(survey, fields)
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.full_clean(validate_unique=False, validate_constraints=False)
    bump_version(instance=survey, expected_version=expected_version)
    survey.save()
    _public_changed(survey, was_public=was_public)
    audit_record(actor=actor, municipality=survey.municipality, action="update", obj=survey, changes=changes)
    return survey


@transaction.atomic
def survey_delete(*, actor, survey: Survey) -> None:
    """Delete a survey without responses; a survey with responses is archived instead."""
    policy.require_manage(actor, survey.municipality)
    if survey.responses.exists():
        raise ValidationError(
            {"__all__": [_("The survey has responses and cannot be deleted: archive it instead.")]}
        )
    _public_changed(survey)
    audit_record(
        actor=actor, municipality=survey.municipality, action="delete", obj=survey,
        changes={"questions": list(survey.questions.values_list("text_bg", flat=True))},
    )  # fmt: skip
    survey.delete()


# Sections ----------------------------------------------------------------------------------------


@transaction.atomic
def section_create(*, actor, survey: Survey, title_bg: str, **fields) -> Section:
    policy.require_manage(actor, survey.municipality)
    _check_unknown(fields, SECTION_FIELDS)
    if not title_bg.strip():
        raise ValidationError({"title_bg": [_("Give the section's title in Bulgarian.")]})
    position = (survey.sections.aggregate(m=models.Max("position"))["m"] or 0) + 1
    section = Section.objects.create(survey=survey, title_bg=title_bg, position=position, **fields)
    _touch(survey)
    _public_changed(survey)
    audit_record(actor=actor, municipality=survey.municipality, action="create", obj=section)
    return section


@transaction.atomic
def section_update(*, actor, section: Section, expected_version: int, **fields) -> Section:
    """Change a section; ``expected_version`` is the version the editor opened: a concurrent edit
    is refused (ConflictError) and nothing changes."""
    policy.require_manage(actor, section.survey.municipality)
    _check_unknown(fields, SECTION_FIELDS)
    if "title_bg" in fields and not fields["title_bg"].strip():
        raise ValidationError({"title_bg": [_("Give the section's title in Bulgarian.")]})
    bump_version(instance=section, expected_version=expected_version)
    changes = field_changes(section, fields)
    for name, value in fields.items():
        setattr(section, name, value)
    section.save(update_fields=[*fields, "version"])
    _touch(section.survey)
    _public_changed(section.survey)
    audit_record(
        actor=actor, municipality=section.survey.municipality, action="update", obj=section, changes=changes
    )
    return section


@transaction.atomic
def section_delete(*, actor, section: Section) -> None:
    """Delete a section; its questions stay in the survey, outside any section."""
    survey = section.survey
    policy.require_manage(actor, survey.municipality)
    _public_changed(survey)
    audit_record(actor=actor, municipality=survey.municipality, action="delete", obj=section)
    # Its questions change (they leave the section): an editor who opened one must reload it.
    Question.objects.filter(section=section).update(section=None, version=models.F("version") + 1)
    section.delete()
    _touch(survey)


# Questions ---------------------------------------------------------------------------------------


def _condition_errors(question_position: int, condition_option: Option | None, survey: Survey) -> dict:
    if condition_option is None:
        return {}
    on = condition_option.question
    if on.survey_id != survey.pk:
        return {"condition_option": [_("The condition refers to another survey.")]}
    return rules.check_condition(position=question_position, on_position=on.position, on_kind=on.kind)


def _set_options(question: Question, options: list[tuple[str, str]]) -> None:
    """Make the question's options the given (Bulgarian, English) labels, in order: existing
    options are relabelled by position, missing ones added, extra ones removed (unless answered)."""
    existing = list(question.options.order_by("position", "pk"))
    for position, (label_bg, label_en) in enumerate(options):
        if position < len(existing):
            option = existing[position]
            if (option.label_bg, option.label_en, option.position) != (label_bg, label_en, position):
                option.label_bg, option.label_en, option.position = label_bg, label_en, position
                option.save(update_fields=["label_bg", "label_en", "position"])
        else:
            Option.objects.create(question=question, position=position, label_bg=label_bg, label_en=label_en)
    extra = existing[len(options) :]
    if extra:
        if Answer.objects.filter(option__in=extra).exists():
            raise ValidationError(
                {"options": [_("Options that have answers cannot be removed; you can rename them.")]}
            )
        _clear_conditions(models.Q(condition_option__in=extra))
        Option.objects.filter(pk__in=[o.pk for o in extra]).delete()


def _clear_conditions(on: models.Q) -> None:
    """Drop the conditions that read removed options; the questions that had them change, so
    their version moves (an editor who opened one before cannot save the old condition back)."""
    Question.objects.filter(on).update(condition_option=None, version=models.F("version") + 1)


def _clean_options(options) -> list[tuple[str, str]]:
    return [(bg.strip(), (en or "").strip()) for bg, en in (options or []) if bg and bg.strip()]


@transaction.atomic
def question_create(
    *, actor, survey: Survey, kind: str, text_bg: str, section: Section | None = None,
    options: list[tuple[str, str]] | None = None, condition_option: Option | None = None, **fields,
) -> Question:  # fmt: skip
    policy.require_manage(actor, survey.municipality)
    _check_unknown(fields, QUESTION_FIELDS)
    options = _clean_options(options)
    if kind == QuestionKind.LIKERT:
        fields.setdefault("scale_size", 5)
    data = {"kind": kind, "text_bg": text_bg} | fields
    errors = rules.check_question(data, option_count=len(options))
    position = (survey.questions.aggregate(m=models.Max("position"))["m"] or 0) + 1
    errors.update(_condition_errors(position, condition_option, survey))
    if section is not None and section.survey_id != survey.pk:
        errors.setdefault("section", []).append(_("The section belongs to another survey."))
    _raise(errors)
    question = Question(
        survey=survey, section=section, position=position, kind=kind, text_bg=text_bg,
        condition_option=condition_option, **fields,
    )  # fmt: skip
    question.full_clean(exclude=["survey", "section", "condition_option"])
    question.save()
    _set_options(question, options)
    _touch(survey)
    _public_changed(survey)
    audit_record(actor=actor, municipality=survey.municipality, action="create", obj=question)
    return question


UNSET = object()


@transaction.atomic
def question_update(
    *, actor, question: Question, expected_version: int, kind: str | None = None, section=UNSET, options=None,
    condition_option=UNSET, **fields,
) -> Question:  # fmt: skip
    """Change a question, its options and its condition; ``expected_version`` is the version the
    editor opened: a concurrent edit is refused (ConflictError) and nothing changes."""
    survey = question.survey
    policy.require_manage(actor, survey.municipality)
    _check_unknown(fields, QUESTION_FIELDS)
    answered = question.answers.exists()
    errors: dict = {}
    if kind is not None and kind != question.kind:
        if answered:
            errors["kind"] = [_("The question has answers: its kind can no longer change.")]
        fields["kind"] = kind
    if kind == QuestionKind.LIKERT and not (fields.get("scale_size") or question.scale_size):
        fields["scale_size"] = 5
    data = {f: getattr(question, f) for f in QUESTION_FIELDS} | {"kind": question.kind} | fields
    option_count = len(_clean_options(options)) if options is not None else question.options.count()
    errors.update(rules.check_question(data, option_count=option_count))
    if condition_option is not UNSET:
        errors.update(_condition_errors(question.position, condition_option, survey))
        fields["condition_option"] = condition_option
    if section is not UNSET:
        if section is not None and section.survey_id != survey.pk:
            errors.setdefault("section", []).append(_("The section belongs to another survey."))
        fields["section"] = section
    _raise(errors)
    bump_version(instance=question, expected_version=expected_version)
    changes = field_changes(question, fields)
    for name, value in fields.items():
        setattr(question, name, value)
    question.full_clean(exclude=["survey", "section", "condition_option"])
    question.save(update_fields=[*fields, "version"])  # not its position, which moves change
    if options is not None:
        _set_options(question, _clean_options(options))
    _touch(survey)
    _public_changed(survey)
    audit_record(
        actor=actor, municipality=survey.municipality, action="update", obj=question, changes=changes
    )
    return question


@transaction.atomic
def question_delete(*, actor, question: Question) -> None:
    survey = question.survey
    policy.require_manage(actor, survey.municipality)
    if question.answers.exists():
        raise ValidationError({"__all__": [_("The question has answers and cannot be deleted.")]})
    _clear_conditions(models.Q(condition_option__question=question))
    _public_changed(survey)
    audit_record(actor=actor, municipality=survey.municipality, action="delete", obj=question)
    question.delete()
    _touch(survey)


@transaction.atomic
def question_move(*, actor, question: Question, step: int) -> None:
    """Move a question one place up (step -1) or down (+1); a condition must stay after the
    question it depends on."""
    survey = question.survey
    policy.require_manage(actor, survey.municipality)
    ids = list(survey.questions.order_by("position", "pk").values_list("pk", flat=True))
    i = ids.index(question.pk)
    j = i + step
    if not 0 <= j < len(ids):
        return
    ids[i], ids[j] = ids[j], ids[i]
    depends = dict(
        Question.objects.filter(survey=survey, condition_option__isnull=False).values_list(
            "pk", "condition_option__question_id"
        )
    )
    order = {pk: n for n, pk in enumerate(ids)}
    if any(order[on] >= order[pk] for pk, on in depends.items()):
        raise ValidationError(
            {"__all__": [_("A question with a condition must stay after the question it depends on.")]}
        )
    for position, pk in enumerate(ids, start=1):
        Question.objects.filter(pk=pk).update(position=position)
    _touch(survey)
    _public_changed(survey)
    audit_record(
        actor=actor, municipality=survey.municipality, action="move", obj=question, changes={"step": step}
    )


# Invitation codes --------------------------------------------------------------------------------


def normalize_code(code: str | None) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


@transaction.atomic
def invitations_generate(*, actor, survey: Survey, count: int, batch: str = "") -> list[Invitation]:
    """Generate ``count`` one-time invitation codes (to print and hand out); nothing the public sees."""
    policy.require_manage(actor, survey.municipality)
    if not 1 <= count <= MAX_CODES_AT_ONCE:
        raise ValidationError(
            {"count": [_("Generate from 1 to %(max)s codes at a time.") % {"max": MAX_CODES_AT_ONCE}]}
        )
    existing = set(Invitation.objects.filter(survey=survey).values_list("code", flat=True))
    codes: set[str] = set()
    while len(codes) < count:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in existing:
            codes.add(code)
    created = Invitation.objects.bulk_create(
        [Invitation(survey=survey, code=code, batch=batch) for code in sorted(codes)]
    )
    audit_record(
        actor=actor, municipality=survey.municipality, action="generate_codes", obj=survey,
        changes={"count": count, "batch": batch},
    )  # fmt: skip
    return created


# Responses ---------------------------------------------------------------------------------------


def _answer_rows(questionnaire, cleaned: dict) -> list[Answer]:
    kinds = {spec.id: spec.kind for spec in questionnaire.specs}
    rows = []
    for question_id, value in cleaned.items():
        kind = kinds[question_id]
        if kind == QuestionKind.SINGLE:
            rows.append(Answer(question_id=question_id, option_id=value))
        elif kind == QuestionKind.MULTIPLE:
            rows.extend(Answer(question_id=question_id, option_id=option) for option in value)
        elif kind == QuestionKind.RANKING:
            rows.extend(
                Answer(question_id=question_id, option_id=option, rank=rank)
                for rank, option in enumerate(value, start=1)
            )
        elif kind in (QuestionKind.LIKERT, QuestionKind.NUMBER):
            rows.append(Answer(question_id=question_id, number=value))
        else:
            rows.append(Answer(question_id=question_id, text=value))
    return rows


def _use_invitation(survey: Survey, code: str, now) -> int:
    """Mark the code used and return its id, in one statement: of two concurrent uses exactly one
    passes (the second waits for the first's row lock, then finds the code used)."""
    table = connection.ops.quote_name(Invitation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET used_at = %s WHERE survey_id = %s AND code = %s AND used_at IS NULL RETURNING id",
            [now, survey.pk, code],
        )
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    if Invitation.objects.filter(survey=survey, code=code).exists():
        raise ValidationError(
            {"invitation_code": [_("This invitation code has already been used to answer the survey.")]}
        )
    raise ValidationError({"invitation_code": [_("This invitation code is not valid for this survey.")]})


def _duplicate(error: IntegrityError) -> bool:
    text = str(error)
    return any(part in text for part in ("survey_response_once", "dedupe_key", "invitation_id"))


ALREADY_ANSWERED = gettext_noop(
    "You have already answered this survey: only one response per person is counted."
)


def survey_submit(
    *, actor, survey: Survey, answers: dict, invitation_code: str | None = None, now=None
) -> Response:
    """Check and store one response sent online by ``actor`` (anyone, signed in or not). Refuses,
    with messages by field (``q<id>``, ``invitation_code`` or ``__all__``) and storing nothing: a
    survey not open, a missing sign-in (policy.answer_refusal), answers that break the
    questionnaire's rules, an unknown or used code, a second response of the same person. Answers
    to questions hidden by a condition are dropped."""
    now = now or timezone.now()
    refusal = policy.answer_refusal(actor, survey, now)
    if refusal:
        raise ValidationError({"__all__": [policy.refusal_message(refusal)]})
    return _response_store(
        survey=survey, answers=answers, invitation_code=invitation_code, source=Source.ONLINE, now=now,
        respondent=person(actor) if survey.access == Access.ACCOUNT else None,
        dedupe_key=f"user:{getattr(actor, 'pk', None)}" if survey.one_response_per == OnePer.ACCOUNT else None,
    )  # fmt: skip


def _response_store(
    *, survey: Survey, answers: dict, invitation_code: str | None, source: str, now, respondent=None,
    dedupe_key: str | None = None, entered_by=None,
) -> Response:  # fmt: skip
    questionnaire = selectors.questionnaire(survey)
    cleaned, errors = rules.check_answers(questionnaire.specs, answers)
    if not cleaned and not errors:
        errors["__all__"] = [_("Answer at least one question.")]
    code = normalize_code(invitation_code)
    if survey.one_response_per == OnePer.CODE and not code and source == Source.ONLINE:
        errors.setdefault("invitation_code", []).append(_("Enter the invitation code you received."))
    _raise(errors)
    rows = _answer_rows(questionnaire, cleaned)
    try:
        with transaction.atomic():
            invitation_id = None
            if code and survey.one_response_per == OnePer.CODE:
                invitation_id = _use_invitation(survey, code, now)
                dedupe_key = f"code:{invitation_id}"
            response = Response.objects.create(
                survey=survey, user=respondent, invitation_id=invitation_id, source=source, entered_by=entered_by,
                submitted_at=now, dedupe_key=dedupe_key,
            )  # fmt: skip
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
    except IntegrityError as error:
        if not _duplicate(error):
            raise
        raise ValidationError({"__all__": [_(ALREADY_ANSWERED)]}) from None
    return response


@transaction.atomic
def paper_response_enter(
    *, actor, survey: Survey, answers: dict, invitation_code: str | None = None
) -> Response:
    """Staff enter a response received on paper (also after the survey closed); the code printed
    on the form, if any, is used up as if answered online."""
    policy.require_manage(actor, survey.municipality)
    response = _response_store(
        survey=survey, answers=answers, invitation_code=invitation_code, source=Source.PAPER,
        now=timezone.now(), entered_by=person(actor),
    )  # fmt: skip
    if survey.results_public:  # what the public results show (read live; see survey_submit)
        _public_changed(survey)
    audit_record(actor=actor, municipality=survey.municipality, action="enter_paper_response", obj=response)
    return response


@transaction.atomic
def responses_unlink(*, actor, user) -> int:
    """A person erased their account: their responses stay in the results, no longer linked to
    them (the one-response key stays, so nothing is counted twice). Nothing public changes."""
    policy.require_own_account(actor, user)
    return Response.objects.filter(user=user).update(user=None)
