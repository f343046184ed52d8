"""The registration form does not tell whether an address has an account: the page is the same,
and the holder of an existing account is e-mailed, in their language, that they already have one."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from civitas.accounts.models import Profile
from civitas.testing.factories import UserFactory

from .test_accounts import register

pytestmark = pytest.mark.django_db
User = get_user_model()


def page_text(response, email: str) -> str:
    """The page without what differs from one response to the next (the CSRF token, the CSP
    nonce) and with the address typed in replaced."""
    html = response.content.decode().replace(email, "ADDRESS")
    return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', r"\1=''", html)


def test_an_address_with_an_account_gets_the_same_page_and_its_holder_an_e_mail(client):
    holder = UserFactory(username="maria", email="maria@example.org")
    Profile.objects.create(user=holder, display_name="Мария", language="en")
    new = register(client, email="new@example.org")
    existing = register(client, email="Maria@Example.org", display_name="Някой", password="Drug-Parol-2026!")
    assert new.status_code == existing.status_code == 200
    assert [t.name for t in new.templates] == [t.name for t in existing.templates]
    assert page_text(new, "new@example.org") == page_text(existing, "maria@example.org")
    # Nothing changed on the account; its holder is told, in English, how to get in.
    holder.refresh_from_db()
    assert holder.check_password("correct horse battery staple") and holder.profile.display_name == "Мария"
    assert User.objects.filter(email__iexact="maria@example.org").count() == 1
    notice = mail.outbox[-1]
    assert notice.to == ["maria@example.org"] and notice.subject == "You already have a Civitas account"
    with translation.override("en"):
        assert f"http://testserver{reverse('accounts:password_reset')}" in notice.body
    assert "/verify/" not in notice.body and len(mail.outbox) == 2


def test_the_notice_is_in_the_holders_language(client):
    holder = UserFactory(username="ivan", email="ivan@example.org")
    Profile.objects.create(user=holder, display_name="Иван", language="bg")
    with translation.override("en"):
        register(client, email="ivan@example.org")
    notice = mail.outbox[-1]
    assert notice.to == ["ivan@example.org"] and notice.subject == "Вече имате профил в Civitas"
    assert f"http://testserver{reverse('accounts:login')}" in notice.body  # reverse in Bulgarian


def test_registration_e_mails_to_one_address_are_limited(client):
    UserFactory(username="maria", email="maria@example.org")
    for i in range(7):
        assert (
            register(client, email="maria@example.org", meta={"REMOTE_ADDR": f"192.0.2.{i}"}).status_code
            == 200
        )
    assert len(mail.outbox) == 5
