"""Per-object questions that several apps' policies share, beside the role table of
``permissions``: whether a person may take part in a municipality's participation (signed in and
not blocked by its moderators), whether an actor acts on their own account, which person a
service records as having acted (none for the operator), and who runs the platform itself
(creates municipalities): a platform superuser whose session passed the second factor, or the
operator at the server's command line."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from . import second_factor
from .models import Municipality
from .selectors import is_blocked


def is_signed_in(user) -> bool:
    """A person signed in (the operator at the server's command line is nobody: not signed in)."""
    return bool(getattr(user, "is_authenticated", False)) and user.pk is not None


def person(actor):
    """The person to record as the one who acted (who entered, answered, moderated): the actor, or
    None for the operator, who is nobody."""
    return actor if is_signed_in(actor) else None


def takes_part(user, municipality: Municipality) -> bool:
    """Signed in and not blocked by the municipality's moderators: who may post in its forum and
    send proposals to its consultations."""
    return is_signed_in(user) and not is_blocked(user, municipality)


def is_own_account(actor, user) -> bool:
    """The actor is signed in as ``user``: a person acting on their own account (its profile, its
    erasure). The operator, who is nobody, has no account of their own."""
    return is_signed_in(actor) and actor.pk == getattr(user, "pk", None)


def require_own_account(actor, user) -> None:
    if not is_own_account(actor, user):
        raise PermissionDenied(_("Only the account's holder does this."))


def runs_platform(user) -> bool:
    """A platform superuser (in a web session only once it passed the second factor), or the
    operator: who creates municipalities."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and bool(getattr(user, "is_superuser", False))
        and bool(getattr(user, "is_active", False))
        and second_factor.passed(user)
    )


def require_runs_platform(user) -> None:
    """PermissionDenied; SecondFactorRequired (the code step) for a superuser whose session lacks it."""
    if runs_platform(user):
        return
    if getattr(user, "is_authenticated", False) and getattr(user, "is_superuser", False) and user.is_active:
        raise second_factor.SecondFactorRequired("runs_platform")
    raise PermissionDenied(_("Only a platform administrator creates municipalities."))
