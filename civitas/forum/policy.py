"""Who may do what in the forum: moderators (Action.MODERATE) hide and restore posts and block
people; signed-in people who are not blocked post, start topics, flag posts and follow topics; the
municipality's project staff give official answers on a project's discussion. The services check
these first, whoever calls them; the pages ask them only to decide what to show."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from civitas.core import policy as core_policy
from civitas.core.models import Municipality
from civitas.core.permissions import Action, can
from civitas.core.selectors import is_blocked


def can_moderate(user, municipality: Municipality) -> bool:
    return can(user, municipality, Action.MODERATE)


def require_moderate(user, municipality: Municipality) -> None:
    if not can_moderate(user, municipality):
        raise PermissionDenied(_("Only moderators do this."))


def can_take_part(user, municipality: Municipality) -> bool:
    """Post, start a topic, flag a post, follow a topic: signed in and not blocked."""
    return core_policy.takes_part(user, municipality)


def require_take_part(user, municipality: Municipality) -> None:
    if not core_policy.is_signed_in(user):
        raise PermissionDenied(_("Sign in to take part in the forum."))
    if is_blocked(user, municipality):
        raise PermissionDenied(_("Your account is blocked from posting here by the moderators."))


def require_signed_in(user) -> None:
    """Stop following a topic: anyone signed in, blocked or not (no one is kept on a mailing list)."""
    if not core_policy.is_signed_in(user):
        raise PermissionDenied(_("Sign in to take part in the forum."))


def can_answer_officially(user, municipality: Municipality) -> bool:
    """Official answers (on a project's discussion): the staff who keep projects up to date."""
    return can(user, municipality, Action.UPDATE_PROJECT_PROGRESS)


def require_answer_officially(user, municipality: Municipality) -> None:
    if not can_answer_officially(user, municipality):
        raise PermissionDenied(_("Only the municipality's staff give official answers."))


def require_own_account(actor, user) -> None:
    """Removing a person's posts at their request: only the person themselves."""
    core_policy.require_own_account(actor, user)
