"""Every write to the council's register. Validating, transactional, audit-logged."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core import content
from civitas.core.content import Content
from civitas.core.models import Municipality
from civitas.core.services import audit_record, recorded_actor

from . import policy, rules
from .models import Decision

DECISION_FIELDS = {
    "session_kind", "protocol_number", "subject_bg", "subject_en", "text_bg", "text_en", "votes_for",
    "votes_against", "votes_abstained", "document", "is_sample",
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
    content.changed(municipality, Content.PLANNING)
    audit_record(actor=actor, municipality=municipality, action="create", obj=decision)
    return decision
