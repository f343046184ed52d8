"""Who may act on an account: a person on their own, signed in (their profile, their erasure).
Registration, confirmation and password resets need no one signed in: the address or the link
proves who asks. Staff accounts are given, with their roles, by the municipality's administrators
(MANAGE_STAFF). The services check these first, whoever calls them."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from civitas.core import policy as core_policy
from civitas.core.models import Municipality
from civitas.core.permissions import Action, require


def require_signed_in(user) -> None:
    if not core_policy.is_signed_in(user):
        raise PermissionDenied(_("Sign in first."))


def require_own_account(actor, user) -> None:
    """Only the account's holder acts on it (erasing it)."""
    core_policy.require_own_account(actor, user)


def require_manage_staff(user, municipality: Municipality) -> None:
    """Inviting staff and giving them roles: the municipality's administrators, or the operator."""
    require(user, municipality, Action.MANAGE_STAFF)
