"""Behind the reverse proxy every request comes from the proxy's address: the limits on
registration, sign-in and password reset count per client (from X-Forwarded-For, trusted only from
the configured proxies), so one person reaching a limit does not lock out the town."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from civitas.accounts import signin, views
from civitas.testing.factories import UserFactory

from .test_accounts import register_data

pytestmark = pytest.mark.django_db
User = get_user_model()
PROXY = "10.0.0.1"
ANNA, BORIS = "203.0.113.5", "198.51.100.20"


@pytest.fixture
def behind_proxy(settings):
    settings.CIVITAS_TRUSTED_PROXIES = [PROXY]


def through_proxy(client_address: str) -> dict:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_address}


def register(client, email: str, **meta) -> int:
    return client.post(reverse("accounts:register"), register_data(client, email=email), **meta).status_code


def test_registrations_behind_the_proxy_count_per_client(client, behind_proxy):
    limit = views.REGISTER_LIMIT[0]
    assert [register(client, f"anna{i}@example.org", **through_proxy(ANNA)) for i in range(limit + 1)] == [
        200
    ] * limit + [429]
    # Another person behind the same proxy still registers.
    assert register(client, "boris@example.org", **through_proxy(BORIS)) == 200
    assert User.objects.filter(email="boris@example.org").exists()


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(client, behind_proxy):
    """A client that sends the header itself cannot pass for many clients: its own address counts."""
    limit = views.REGISTER_LIMIT[0]
    spoofed = [
        register(client, f"s{i}@example.org", REMOTE_ADDR="192.0.2.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        for i in range(limit + 1)
    ]
    assert spoofed[-1] == 429
    # The same header from the proxy is honoured: these are other people.
    honoured = [
        register(client, f"p{i}@example.org", **through_proxy(f"192.0.2.{i}")) for i in range(limit + 1)
    ]
    assert honoured == [200] * (limit + 1)


def test_sign_in_failures_behind_the_proxy_count_per_client(client, behind_proxy):
    UserFactory(username="ivan")
    login = reverse("accounts:login")
    for _ in range(signin.LOGIN_LIMIT[0]):
        client.post(login, {"username": "ivan", "password": "wrong"}, **through_proxy(ANNA))
    assert (
        client.post(login, {"username": "ivan", "password": "wrong"}, **through_proxy(ANNA)).status_code
        == 429
    )
    # Ivan himself, elsewhere in town behind the same proxy, signs in.
    response = client.post(
        login, {"username": "ivan", "password": "correct horse battery staple"}, **through_proxy(BORIS)
    )
    assert response.status_code != 429 and "_auth_user_id" in client.session


def test_password_reset_mails_behind_the_proxy_count_per_client(client, behind_proxy):
    reset = reverse("accounts:password_reset")
    limit = views.RESET_LIMIT[0]
    statuses = [
        client.post(reset, {"email": f"x{i}@example.org"}, **through_proxy(ANNA)).status_code
        for i in range(limit + 1)
    ]
    assert statuses == [302] * limit + [429]
    assert client.post(reset, {"email": "boris@example.org"}, **through_proxy(BORIS)).status_code == 302
