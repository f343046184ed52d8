"""The one-time sign-in links e-mailed to an account's owner (when password sign-in is throttled
for their name): making one, and using it up. Only a hash of a link's secret is stored; a link
works once, within LINK_MAX_AGE seconds."""

import hashlib
import secrets

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SignInLink

LINK_MAX_AGE = 15 * 60
LINK_SALT = "civitas.accounts.sign-in-link"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def sign_in_link_token(user) -> str:
    secret = secrets.token_urlsafe(24)
    link = SignInLink.objects.create(user=user, secret_hash=_hash(secret))
    return signing.dumps({"l": link.pk, "s": secret}, salt=LINK_SALT)


def sign_in_link_use(token: str):
    """The account a link signs in to, using the link up; ValidationError when it is bad, old or used."""
    invalid = ValidationError(
        _("This sign-in link is not valid, was used already or has expired. Ask for a new one.")
    )
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        raise invalid from None
    link = SignInLink.objects.filter(pk=data.get("l"), used_at__isnull=True).select_related("user").first()
    if link is None or not secrets.compare_digest(link.secret_hash, _hash(str(data.get("s")))):
        raise invalid
    # Single use even when two requests race: only one UPDATE finds it unused.
    if not SignInLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise invalid
    if not link.user.is_active:
        raise invalid
    return link.user
