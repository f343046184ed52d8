"""Who may do what with consultations: the municipality's planners and administrators run them
(Action.MANAGE_CONSULTATION: create, edit the draft, open, close, record proposals, answer,
publish the report), moderators moderate proposals (Action.MODERATE), and citizens who are signed
in and not blocked send proposals; anyone signed in flags one. The services check these first,
whoever calls them; the pages ask them only to decide what to show.

Whether a consultation accepts proposals at a given moment (open, within its period) is a rule of
the consultation, not of the person: ``rules.proposal_refusal``, answered with a message on the
form and a line in the moderation log."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from civitas.core import policy as core_policy
from civitas.core.models import Municipality
from civitas.core.permissions import Action, can
from civitas.core.selectors import is_blocked

from .models import Consultation


def can_manage(user, municipality: Municipality) -> bool:
    return can(user, municipality, Action.MANAGE_CONSULTATION)


def require_manage(user, municipality: Municipality) -> None:
    if not can_manage(user, municipality):
        raise PermissionDenied(_("Only the municipality's planners do this."))


def can_moderate(user, municipality: Municipality) -> bool:
    return can(user, municipality, Action.MODERATE)


def require_moderate(user, municipality: Municipality) -> None:
    if not can_moderate(user, municipality):
        raise PermissionDenied(_("Only moderators do this."))


def can_propose(user, municipality: Municipality) -> bool:
    """Send a proposal from the portal: signed in and not blocked by the moderators."""
    return core_policy.takes_part(user, municipality)


def require_propose(user, municipality: Municipality) -> None:
    if not core_policy.is_signed_in(user):
        raise PermissionDenied(_("Sign in to send a proposal."))
    if is_blocked(user, municipality):
        raise PermissionDenied(_("Your account is blocked from taking part here by the moderators."))


def offers_proposal_forms(user, consultation: Consultation) -> bool:
    """Whether the consultation's page shows the proposal forms: while it accepts proposals, to
    anyone signed in (someone blocked is told why when they send one)."""
    return consultation.accepts_proposals() and core_policy.is_signed_in(user)


def can_flag(user) -> bool:
    return core_policy.is_signed_in(user)


def require_flag(user) -> None:
    if not can_flag(user):
        raise PermissionDenied(_("Sign in to flag a proposal."))


def can_see_drafts(user, municipality: Municipality) -> bool:
    """Draft consultations, and reports not yet published, are seen by those who run them."""
    return can_manage(user, municipality)


def can_see_report(user, consultation: Consultation) -> bool:
    return consultation.report_is_published or can_see_drafts(user, consultation.municipality)
