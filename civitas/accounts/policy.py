"""Who may act on an account: a person on their own, signed in (their profile, their erasure).
Registration, confirmation and password resets need no one signed in: the address or the link
proves who asks. The services check these first, whoever calls them."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from civitas.core import policy as core_policy


def require_signed_in(user) -> None:
    if not core_policy.is_signed_in(user):
        raise PermissionDenied(_("Sign in first."))


def require_own_account(actor, user) -> None:
    """Only the account's holder acts on it (erasing it)."""
    core_policy.require_own_account(actor, user)
