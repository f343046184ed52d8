"""Signing people in on Django's test client the honest way: staff and superusers pass the real
code step with a real device, so tests of staff pages run in a session the site considers
verified, and nothing in the site is relaxed for tests."""

from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from civitas.core import second_factor

from .factories import MembershipFactory


def sign_in(client, user) -> None:
    """Sign ``user`` in; if they need the second factor, pass the code step with a one-time recovery
    code of their own (an authenticator is set up for them first if they have none).

    A recovery code rather than the authenticator's code, because a TOTP code is accepted only once
    per 30 seconds and a test may sign the same person in twice.
    """
    client.force_login(user)
    if not second_factor.needs_second_factor(user):
        return
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery codes", defaults={"confirmed": True}
    )
    token = StaticToken.random_token()
    device.token_set.create(token=token)
    response = client.post(reverse("accounts:second_factor"), {"code": token})
    assert response.status_code == 302, f"the code step refused a valid code ({response.status_code})"
    assert client.session.get(second_factor.SESSION_KEY) == user.pk
    # The page after a recovery code says how many are left; that message is not what tests look at.
    client.cookies.pop("messages", None)


def sign_in_with_role(client, municipality, role):
    """A new member of staff with ``role`` in ``municipality``, signed in; returns the user."""
    user = MembershipFactory(municipality=municipality, role=role).user
    sign_in(client, user)
    return user
