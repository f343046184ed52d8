"""Every write to the council's register. Validating, transactional, audit-logged."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core import content, uploads
from civitas.core.content import Content
from civitas.core.models import Municipality
from civitas.core.services import audit_record, bump_version, field_changes, recorded_actor, row_content

from . import policy, rules, selectors
from .models import Decision

# A decision's document: the decision as the council published it (what core.uploads recognises).
DOCUMENT_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
}
# Pages that show decisions: the register, plans and projects (planning), consultations
# (participation).
AREAS = (Content.PLANNING, Content.PARTICIPATION)

DECISION_FIELDS = {
    "session_kind", "protocol_number", "subject_bg", "subject_en", "text_bg", "text_en", "votes_for",
    "votes_against", "votes_abstained", "is_sample",
}  # fmt: skip


def _number_taken(municipality: Municipality, year: int, number: int, exclude_pk=None) -> dict:
    taken = Decision.objects.filter(municipality=municipality, year=year, number=number)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        return {
            "number": [
                _("The council already has a decision № %(number)s in %(year)s.")
                % {"number": number, "year": year}
            ]
        }
    return {}


def _search_text(decision: Decision) -> str:
    return " ".join(
        [str(decision.number), decision.subject_bg, decision.subject_en, decision.text_bg, decision.text_en]
    ).casefold()


@transaction.atomic
def decision_create(
    *, actor, municipality: Municipality, number: int, date, subject_bg: str, **fields
) -> Decision:
    """Record a decision of the council. Its number must be new in the decision's year."""
    policy.require_manage_decisions(actor, municipality)
    unknown = set(fields) - DECISION_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    data = {"number": number, "date": date, "subject_bg": subject_bg, **fields}
    errors = rules.check_decision(data, today=timezone.localdate())
    if not errors:
        errors.update(_number_taken(municipality, date.year, number))
    if errors:
        raise ValidationError(errors)
    decision = Decision(
        municipality=municipality,
        year=date.year,
        created_by=recorded_actor(actor),
        **data,
    )
    decision.search_text = _search_text(decision)
    decision.full_clean(validate_unique=False, validate_constraints=False)
    decision.save()
    content.changed(municipality, *AREAS)
    audit_record(actor=actor, municipality=municipality, action="create", obj=decision)
    return decision


@transaction.atomic
def decision_update(*, actor, decision: Decision, expected_version: int, **fields) -> Decision:
    """Change a decision's record (its number, date, session, subject, text, votes). Refused when
    someone else changed it since the editor read it (ConflictError), or when the number is taken
    in the decision's year."""
    policy.require_manage_decisions(actor, decision.municipality)
    unknown = set(fields) - DECISION_FIELDS - {"number", "date"}
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    current = {name: getattr(decision, name) for name in DECISION_FIELDS | {"number", "date"}}
    data = current | fields
    errors = rules.check_decision(data, today=timezone.localdate())
    if not errors:
        errors.update(
            _number_taken(decision.municipality, data["date"].year, data["number"], exclude_pk=decision.pk)
        )
    if errors:
        raise ValidationError(errors)
    changes = field_changes(decision, fields)
    for name, value in fields.items():
        setattr(decision, name, value)
    decision.year = decision.date.year
    decision.search_text = _search_text(decision)
    decision.full_clean(validate_unique=False, validate_constraints=False)
    bump_version(instance=decision, expected_version=expected_version)
    decision.save()
    content.changed(decision.municipality, *AREAS)
    audit_record(
        actor=actor, municipality=decision.municipality, action="update", obj=decision, changes=changes
    )
    return decision


@transaction.atomic
def decision_document_upload(
    *, actor, decision: Decision, upload, expected_version: int | None = None
) -> Decision:
    """Attach the decision's document (PDF, DOCX or ODT, checked by its content), replacing any
    earlier one."""
    policy.require_manage_decisions(actor, decision.municipality)
    stored, content_type, _size = uploads.check_upload(upload, photo=False)
    if content_type not in DOCUMENT_TYPES:
        raise ValidationError({"upload": [_("The decision's document must be a PDF, DOCX or ODT file.")]})
    old_name, storage = decision.document.name, decision.document.storage
    bump_version(instance=decision, expected_version=expected_version)
    decision.document.save(stored.name or "decision", stored, save=False)
    decision.save()
    if old_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    content.changed(decision.municipality, *AREAS)
    audit_record(actor=actor, municipality=decision.municipality, action="update", obj=decision,
                 changes={"document": [old_name, decision.document.name]})  # fmt: skip
    return decision


@transaction.atomic
def decision_delete(*, actor, decision: Decision) -> None:
    """Delete a decision entered by mistake; the audit log keeps its content. Refused while any
    record (a plan version, a project, a consultation, a report...) points at it."""
    policy.require_manage_decisions(actor, decision.municipality)
    kinds = selectors.decision_is_referenced(decision)
    if kinds:
        raise ValidationError(
            _(
                "The decision cannot be deleted while records point at it (%(kinds)s): change those records first."
            )
            % {"kinds": ", ".join(kinds)}
        )
    municipality = decision.municipality
    content.changed(municipality, *AREAS)
    audit_record(
        actor=actor, municipality=municipality, action="delete", obj=decision, changes=row_content(decision)
    )
    name, storage = decision.document.name, decision.document.storage
    decision.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
