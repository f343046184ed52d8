"""Per-object questions that several apps' policies share, beside the role table of
``permissions``: whether a person may take part in a municipality's participation (signed in and
not blocked by its moderators), and whether an actor acts on their own account."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import Municipality
from .selectors import is_blocked


def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def takes_part(user, municipality: Municipality) -> bool:
    """Signed in and not blocked by the municipality's moderators: who may post in its forum and
    send proposals to its consultations."""
    return is_signed_in(user) and not is_blocked(user, municipality)


def is_own_account(actor, user) -> bool:
    """The actor is signed in as ``user``: a person acting on their own account (its profile, its
    erasure). The operator, who is nobody, has no account of their own."""
    return is_signed_in(actor) and actor.pk is not None and actor.pk == getattr(user, "pk", None)


def require_own_account(actor, user) -> None:
    if not is_own_account(actor, user):
        raise PermissionDenied(_("Only the account's holder does this."))
