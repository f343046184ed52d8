"""Who may do what to indicators, targets and measurements: small predicates over the role table of
``core.permissions``. The services ask ``require_*`` before anything else, whoever calls them; the
pages ask ``can_*`` only to decide what to show.

- Passports and targets: whoever may edit plans (EDIT_PLAN).
- Entering, submitting and correcting a value: the indicator's owner; anyone with the
  indicator-owner role when it has no owner (ENTER_MEASUREMENT).
- Approving and returning a value: a verifier (VERIFY_MEASUREMENT), never a person who typed it
  (``Measurement.typed_by``); publishing an approved value: a verifier.
- Overriding a computed status with a public reason, and removing the override: a verifier.
- A background import's page: whoever uploaded it, and the staff who may enter values.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from civitas.core.models import Municipality
from civitas.core.permissions import Action, can, require

from .models import ImportJob, Indicator, Measurement


def can_view_back_office(user, municipality: Municipality) -> bool:
    """The municipality's staff: they also see indicators of plans not yet public."""
    return can(user, municipality, Action.VIEW_BACK_OFFICE)


def can_see_draft_plans(user, municipality: Municipality) -> bool:
    """Whoever edits plans sees those not yet public, and their indicators' exports, as on the plan
    pages."""
    return can(user, municipality, Action.EDIT_PLAN)


# Passports and targets --------------------------------------------------------------------------


def can_edit_passports(user, municipality: Municipality) -> bool:
    return can(user, municipality, Action.EDIT_PLAN)


def require_edit_passports(user, municipality: Municipality) -> None:
    require(user, municipality, Action.EDIT_PLAN)


# Entering values ----------------------------------------------------------------------------------


def can_enter_values(user, municipality: Municipality) -> bool:
    """Whether the user enters values of some indicators here (those ``can_enter`` allows)."""
    return can(user, municipality, Action.ENTER_MEASUREMENT)


def require_enter_values(user, municipality: Municipality) -> None:
    require(user, municipality, Action.ENTER_MEASUREMENT)


def can_enter(user, indicator: Indicator) -> bool:
    """Whether the user enters, submits and corrects this indicator's values: its owner; anyone
    with the indicator-owner role when it has no owner."""
    if not can_enter_values(user, indicator.municipality):
        return False
    return indicator.owner_id is None or indicator.owner_id == user.pk or user.is_superuser


def require_enter(user, indicator: Indicator) -> None:
    if not can_enter(user, indicator):
        raise PermissionDenied(_("Only the indicator's owner enters its measurements."))


def enterable(user, municipality: Municipality) -> Q:
    """``can_enter`` as a filter of the municipality's indicators (no query)."""
    if not can_enter_values(user, municipality):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(owner__isnull=True) | Q(owner=user)


# Verifying values ---------------------------------------------------------------------------------


def can_verify(user, municipality: Municipality) -> bool:
    """A verifier of this municipality: the queue, approving, returning and publishing."""
    return can(user, municipality, Action.VERIFY_MEASUREMENT)


def require_publish(user, measurement: Measurement) -> None:
    if not can_verify(user, measurement.indicator.municipality):
        raise PermissionDenied(_("Only a verifier publishes measurements."))


def typed(user, measurement: Measurement) -> bool:
    """Whether this person ever typed this value (entered, changed or corrected it), even if
    someone else saved it last. Reads ``typed_by`` as loaded (prefetch it to spare the query)."""
    if user.pk is None:
        return False
    return measurement.entered_by_id == user.pk or any(u.pk == user.pk for u in measurement.typed_by.all())


def can_review(user, measurement: Measurement) -> bool:
    """Whether the user approves or returns this value: a verifier who never typed it."""
    return can_verify(user, measurement.indicator.municipality) and not typed(user, measurement)


def require_review(user, measurement: Measurement) -> None:
    """PermissionDenied for whoever is no verifier here; for a verifier who typed the value, the
    refusal the review form shows (a ValidationError)."""
    if not can_verify(user, measurement.indicator.municipality):
        raise PermissionDenied(_("Only a verifier approves or returns measurements."))
    if typed(user, measurement):
        raise ValidationError(
            {
                "__all__": [
                    _("The person who entered a value cannot approve or return it: ask another verifier.")
                ]
            }
        )


def require_override(user, municipality: Municipality) -> None:
    """A status override (the authority's judgement of a period) is a verifier's to set or remove."""
    if not can_verify(user, municipality):
        raise PermissionDenied(_("Only a verifier assesses an indicator's status."))


# Files --------------------------------------------------------------------------------------------


def can_view_import(user, job: ImportJob) -> bool:
    """A background import and its report: the person who uploaded it, and the municipality's staff
    who may import values themselves."""
    return job.created_by_id == getattr(user, "pk", None) or can_enter_values(user, job.municipality)


# Values taken from a published document -------------------------------------------------------------


def can_publish_from_document(user, municipality: Municipality) -> bool:
    """Recording values that a document of the municipality already published, as published at
    once (the document is their evidence): a verifier (VERIFY_MEASUREMENT)."""
    return can(user, municipality, Action.VERIFY_MEASUREMENT)


def require_publish_from_document(user, municipality: Municipality) -> None:
    require(user, municipality, Action.VERIFY_MEASUREMENT)
