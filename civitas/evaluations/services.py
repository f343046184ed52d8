"""Every write to evaluations and their recommendations. Validating, transactional, audit-logged.

Evaluators write an evaluation, its ratings by criterion with their evidence, and its
recommendations, and publish it; once published it keeps what it says (only the council decision
approving it can be linked). The administration's response to each recommendation and its
follow-up to closure continue after publication.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core import content, uploads
from civitas.core.content import Content
from civitas.core.models import Municipality
from civitas.core.services import audit_record, bump_version, field_changes, recorded_actor, row_content

from . import policy, rules
from .models import (
    Criterion,
    CriterionRating,
    Evaluation,
    EvaluationStatus,
    Evidence,
    EvidenceKind,
    Recommendation,
    RecommendationStatus,
)

EVALUATION_FIELDS = {
    "kind", "subject_kind", "plan", "policy_area", "project", "title_bg", "title_en", "evaluator_name_bg",
    "evaluator_name_en", "period_start", "period_end", "started_on", "completed_on", "summary_bg", "summary_en",
    "decision", "is_sample",
}  # fmt: skip
RECOMMENDATION_TEXT_FIELDS = {"text_bg", "text_en", "priority"}
FOLLOW_UP_FIELDS = {
    "response", "response_reasons_bg", "response_reasons_en", "action_bg", "action_en", "responsible_unit_bg",
    "responsible_unit_en", "deadline", "status", "closed_at", "closing_note_bg", "closing_note_en",
}  # fmt: skip


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _check_unknown(fields: dict, allowed: set) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _check_owners(municipality: Municipality, data: dict) -> dict:
    """The plan, project and decision named belong to the evaluation's municipality."""
    errors = {}
    for name in ("plan", "project", "decision"):
        related = data.get(name)
        if related is not None and related.municipality_id != municipality.pk:
            errors[name] = [_("Choose one of this municipality's own records.")]
    return errors


def _refuse_if_published(evaluation: Evaluation) -> None:
    if evaluation.is_published:
        _raise(rules.check_published_edit({"ratings"}))


def _changed(evaluation: Evaluation) -> None:
    content.changed(evaluation.municipality, Content.PLANNING)


@transaction.atomic
def evaluation_create(
    *, actor, municipality: Municipality, kind: str, subject_kind: str, title_bg: str, **fields
) -> Evaluation:
    """A new draft evaluation, written by ``actor``."""
    policy.require_write_evaluation(actor, municipality)
    _check_unknown(fields, EVALUATION_FIELDS - {"kind", "subject_kind", "title_bg"})
    data = {"kind": kind, "subject_kind": subject_kind, "title_bg": title_bg, **fields}
    errors = rules.check_evaluation(data)
    errors.update(_check_owners(municipality, data))
    _raise(errors)
    evaluation = Evaluation(municipality=municipality, created_by=recorded_actor(actor), **data)
    evaluation.full_clean(exclude=["municipality"])
    evaluation.save()
    _changed(evaluation)
    audit_record(actor=actor, municipality=municipality, action="create", obj=evaluation)
    return evaluation


@transaction.atomic
def evaluation_update(*, actor, evaluation: Evaluation, expected_version: int, **fields) -> Evaluation:
    """Edit an evaluation. A published one only takes the council decision that approves it."""
    policy.require_write_evaluation(actor, evaluation.municipality)
    _check_unknown(fields, EVALUATION_FIELDS)
    changes = field_changes(evaluation, fields)
    if evaluation.is_published:
        _raise(rules.check_published_edit(set(changes)))
    data = {field: getattr(evaluation, field) for field in EVALUATION_FIELDS} | fields
    errors = rules.check_evaluation(data)
    errors.update(_check_owners(evaluation.municipality, data))
    if {"started_on", "completed_on"} & set(changes):
        errors.update(_deadlines_after(evaluation, data.get("completed_on") or data.get("started_on")))
    _raise(errors)
    for field, value in fields.items():
        setattr(evaluation, field, value)
    evaluation.full_clean(exclude=["municipality"])
    bump_version(instance=evaluation, expected_version=expected_version)
    evaluation.save()
    _changed(evaluation)
    audit_record(
        actor=actor, municipality=evaluation.municipality, action="update", obj=evaluation, changes=changes
    )
    return evaluation


def _deadlines_after(evaluation: Evaluation, day: datetime.date | None) -> dict:
    """A new date for the evaluation leaves no recommendation's deadline before it."""
    if day is None or not evaluation.recommendations.filter(deadline__lt=day).exists():
        return {}
    return {"completed_on": [_("Some recommendations have a deadline before this date: change them first.")]}


@transaction.atomic
def evaluation_publish(*, actor, evaluation: Evaluation, expected_version: int) -> Evaluation:
    """Publish a draft evaluation: it appears on the portal and keeps its ratings from now on.
    It needs its date and a rating for every criterion."""
    policy.require_write_evaluation(actor, evaluation.municipality)
    if evaluation.is_published:
        _raise({"__all__": [_("The evaluation is already published.")]})
    errors: dict[str, list[str]] = {}
    if evaluation.dated is None:
        errors["started_on"] = [_("Give the evaluation's dates before publishing it.")]
    rated = set(evaluation.ratings.exclude(rating=None).values_list("criterion", flat=True))
    if missing := [str(Criterion(c).label) for c in Criterion.values if c not in rated]:
        errors["__all__"] = [
            _("Rate every criterion before publishing; not rated yet: %(criteria)s.")
            % {"criteria": ", ".join(missing)}
        ]
    _raise(errors)
    bump_version(instance=evaluation, expected_version=expected_version)
    evaluation.status = EvaluationStatus.PUBLISHED
    evaluation.published_at = timezone.now()
    evaluation.save(update_fields=["status", "published_at", "updated_at"])
    _changed(evaluation)
    audit_record(actor=actor, municipality=evaluation.municipality, action="publish", obj=evaluation)
    return evaluation


@transaction.atomic
def rating_set(
    *, actor, evaluation: Evaluation, criterion: str, rating: int | None, expected_version: int,
    findings_bg: str = "", findings_en: str = "",
) -> CriterionRating:  # fmt: skip
    """Rate the evaluation by one criterion on the scale (rules.check_rating), with the findings."""
    policy.require_write_evaluation(actor, evaluation.municipality)
    _refuse_if_published(evaluation)
    errors = rules.check_rating(rating)
    if criterion not in Criterion.values:
        errors["criterion"] = [_("Choose a criterion from the list.")]
    _raise(errors)
    bump_version(instance=evaluation, expected_version=expected_version)
    found, created = CriterionRating.objects.update_or_create(
        evaluation=evaluation, criterion=criterion,
        defaults={"rating": rating, "findings_bg": findings_bg, "findings_en": findings_en},
    )  # fmt: skip
    _changed(evaluation)
    audit_record(actor=actor, municipality=evaluation.municipality, action="create" if created else "update",
                 obj=found, changes={"rating": rating})  # fmt: skip
    return found


def _check_evidence(municipality: Municipality, kind: str, target, url: str, upload) -> dict:
    if kind not in EvidenceKind.values:
        return {"kind": [_("Choose the kind of evidence.")]}
    needs = {
        EvidenceKind.INDICATOR: (target, _("Choose the indicator.")),
        EvidenceKind.SURVEY: (target, _("Choose the survey.")),
        EvidenceKind.CONSULTATION: (target, _("Choose the consultation.")),
        EvidenceKind.DOCUMENT: (upload, _("Choose the document to upload.")),
        EvidenceKind.LINK: (url, _("Give the web address.")),
    }
    given, message = needs[EvidenceKind(kind)]
    if not given:
        return {"__all__": [message]}
    if target is not None and target.municipality_id != municipality.pk:
        return {"__all__": [_("Choose one of this municipality's own records.")]}
    if url and not url.startswith(("https://", "http://")):
        return {"url": [_("Give a web address starting with https:// or http://.")]}
    return {}


@transaction.atomic
def evidence_add(
    *, actor, rating: CriterionRating, kind: str, target=None, url: str = "", upload=None,
    label_bg: str = "", label_en: str = "",
) -> Evidence:  # fmt: skip
    """Add what a rating's findings rest on: ``target`` is the indicator, survey or consultation
    for those kinds; a document is uploaded (core.uploads checks it); a link gives its ``url``."""
    evaluation = rating.evaluation
    policy.require_write_evaluation(actor, evaluation.municipality)
    _refuse_if_published(evaluation)
    _raise(_check_evidence(evaluation.municipality, kind, target, url, upload))
    evidence = Evidence(rating=rating, kind=kind, label_bg=label_bg, label_en=label_en)
    if kind in (EvidenceKind.INDICATOR, EvidenceKind.SURVEY, EvidenceKind.CONSULTATION):
        setattr(evidence, kind, target)
    elif kind == EvidenceKind.LINK:
        evidence.url = url
    position = rating.evidence.aggregate(last=Max("position"))["last"]
    evidence.position = 0 if position is None else position + 1
    if kind == EvidenceKind.DOCUMENT:
        stored, _content_type, _size = uploads.check_upload(upload, photo=False)
        evidence.file.save(stored.name or "upload", stored, save=False)
    evidence.full_clean()
    evidence.save()
    _changed(evaluation)
    audit_record(actor=actor, municipality=evaluation.municipality, action="create", obj=evidence)
    return evidence


@transaction.atomic
def evidence_remove(*, actor, evidence: Evidence) -> None:
    """Remove a piece of evidence from a draft evaluation; its file goes once that is committed."""
    evaluation = evidence.rating.evaluation
    policy.require_write_evaluation(actor, evaluation.municipality)
    _refuse_if_published(evaluation)
    audit_record(actor=actor, municipality=evaluation.municipality, action="delete", obj=evidence,
                 changes=row_content(evidence))  # fmt: skip
    file = evidence.file
    evidence.delete()
    if file:
        name, storage = str(file.name), file.storage
        transaction.on_commit(lambda: storage.delete(name))
    _changed(evaluation)


@transaction.atomic
def recommendation_create(*, actor, evaluation: Evaluation, text_bg: str, **fields) -> Recommendation:
    """Add a recommendation to a draft evaluation, numbered after the last. It may already carry
    a proposed action, responsible unit and deadline (not before the evaluation's date)."""
    policy.require_write_evaluation(actor, evaluation.municipality)
    _refuse_if_published(evaluation)
    _check_unknown(fields, RECOMMENDATION_TEXT_FIELDS | FOLLOW_UP_FIELDS - {"text_bg"})
    data = {"text_bg": text_bg, "status": RecommendationStatus.OPEN, **fields}
    errors = rules.check_recommendation(data, evaluation_date=evaluation.dated)
    errors.update(rules.check_follow_up(data, today=timezone.localdate()))
    _raise(errors)
    last = evaluation.recommendations.aggregate(last=Max("number"))["last"] or 0
    recommendation = Recommendation(evaluation=evaluation, number=last + 1, **data)
    recommendation.full_clean(exclude=["evaluation"], validate_constraints=False)
    recommendation.save()
    _changed(evaluation)
    audit_record(actor=actor, municipality=evaluation.municipality, action="create", obj=recommendation)
    return recommendation


@transaction.atomic
def recommendation_update(
    *, actor, recommendation: Recommendation, expected_version: int, **fields
) -> Recommendation:
    """Edit a recommendation's text and priority while its evaluation is a draft."""
    evaluation = recommendation.evaluation
    policy.require_write_evaluation(actor, evaluation.municipality)
    _refuse_if_published(evaluation)
    _check_unknown(fields, RECOMMENDATION_TEXT_FIELDS)
    data = {field: getattr(recommendation, field) for field in RECOMMENDATION_TEXT_FIELDS} | fields
    _raise(rules.check_recommendation(data, evaluation_date=None))
    return _save(actor, recommendation, expected_version, fields)


@transaction.atomic
def recommendation_respond(
    *, actor, recommendation: Recommendation, expected_version: int, **fields
) -> Recommendation:
    """The administration's response to a recommendation and its follow-up: the response (with the
    reasons for a rejection), the action, the responsible unit, the deadline and the status, to
    closure. Nothing is done or closed without a response."""
    evaluation = recommendation.evaluation
    policy.require_respond(actor, evaluation.municipality)
    _check_unknown(fields, FOLLOW_UP_FIELDS)
    data = {field: getattr(recommendation, field) for field in FOLLOW_UP_FIELDS} | fields
    today = timezone.localdate()
    finishing = data["status"] in rules.FINISHED
    if finishing and data.get("closed_at") is None:
        data["closed_at"] = fields["closed_at"] = today
    elif not finishing and data.get("closed_at") is not None:
        data["closed_at"] = fields["closed_at"] = None
    errors = rules.check_follow_up(data, today=today)
    if "deadline" in fields:
        deadline_errors = rules.check_recommendation(
            {"text_bg": recommendation.text_bg, "deadline": data["deadline"]},
            evaluation_date=evaluation.dated,
        )
        errors.update(deadline_errors)
    _raise(errors)
    return _save(actor, recommendation, expected_version, fields)


def _save(actor, recommendation: Recommendation, expected_version: int, fields: dict) -> Recommendation:
    changes = field_changes(recommendation, fields)
    for field, value in fields.items():
        setattr(recommendation, field, value)
    recommendation.full_clean(exclude=["evaluation"], validate_constraints=False)
    bump_version(instance=recommendation, expected_version=expected_version)
    recommendation.save()
    _changed(recommendation.evaluation)
    audit_record(actor=actor, municipality=recommendation.evaluation.municipality, action="update",
                 obj=recommendation, changes=changes)  # fmt: skip
    return recommendation
