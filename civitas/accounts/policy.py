"""Who may act on an account: a person on their own, signed in (their profile, their erasure).
Registration, confirmation and password resets need no one signed in: the address or the link
proves who asks. Staff accounts are given, with their roles, by the municipality's administrators
(MANAGE_STAFF). Personal API tokens are for staff: whoever holds a role in some municipality, in a
session that passed the second factor. The services check these first, whoever calls them."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from civitas.core import policy as core_policy
from civitas.core import second_factor
from civitas.core.models import Membership, Municipality
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


def may_hold_api_tokens(user) -> bool:
    """Staff (a role in some municipality), signed in with the second factor: who makes API tokens.
    What a token may then do is decided at each request by the roles its holder has then."""
    return (
        core_policy.is_signed_in(user)
        and second_factor.passed(user)
        and Membership.objects.filter(user=user).exists()
    )


def require_api_tokens(user) -> None:
    if not may_hold_api_tokens(user):
        raise PermissionDenied(_("Only staff with a role in a municipality make API tokens."))
