"""The accounts' e-mail that background tasks send (tasks.py), so that a request does the same
work whether or not the account it names exists: a sign-in link and a password reset; and the
invitation of new staff. Each link is made here, when the e-mail goes out, so no secret waits in the task queue."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from civitas.core.models import Municipality, Role

from .links import sign_in_link_token


def _users():
    return get_user_model().objects


def sign_in_link_mail(*, user_id: int, site_url: str, language: str) -> int:
    """Send a fresh sign-in link to an active account (run by ``tasks.send_sign_in_link``: the link
    is made here, so it never waits in the task queue). 0 when the account is gone."""
    user = _users().filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    link = site_url.rstrip("/") + reverse("accounts:sign_in_link", args=[sign_in_link_token(user)])
    with translation.override(language):
        subject = _("Your sign-in link for Civitas")
        body = _("Open this link to sign in to Civitas as %(name)s:\n\n%(link)s\n\n"
                 "It works once, within 15 minutes. Staff still enter the code of their authenticator app.\n"
                 "If you did not ask for it, ignore this message: somebody typed your account's name, and "
                 "your password is unchanged.") % {"name": user.get_username(), "link": link}  # fmt: skip
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def password_reset_mail(*, user_id: int, site_url: str, language: str) -> int:
    """Send the password-reset e-mail of an active account (run by ``tasks.send_password_reset``;
    the link is made here, so it never waits in the task queue). 0 when the account is gone."""
    user = _users().filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    address = urlsplit(site_url)
    context = {
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": address.scheme,
        "domain": address.netloc,
        "user": user,
    }
    with translation.override(language):
        subject = "".join(render_to_string("accounts/password_reset_subject.txt", context).splitlines())
        body = render_to_string("accounts/password_reset_email.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def staff_invitation_mail(
    *, user_id: int, municipality_id: int, role: str, site_url: str, language: str
) -> int:
    """Tell a person of the staff role they were given, with a one-time link to set their password
    when they have none (the password-reset token: valid once, within PASSWORD_RESET_TIMEOUT), else
    the sign-in page's address. Never a password. 0 when the account or the municipality is gone."""
    user = _users().filter(pk=user_id, is_active=True).first()
    municipality = Municipality.objects.filter(pk=municipality_id).first()
    if user is None or not user.email or municipality is None:
        return 0
    site_url = site_url.rstrip("/")
    with translation.override(language):
        if user.has_usable_password():
            step = _("Sign in with your account %(name)s: %(link)s") % {
                "name": user.get_username(), "link": site_url + reverse("accounts:login"),
            }  # fmt: skip
        else:
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            link = site_url + reverse("accounts:password_reset_confirm", args=[uid, token])
            step = _(
                "Set your password with this link (it works once, within %(days)s days):\n\n%(link)s\n\n"
                "Then sign in with your e-mail address as the account's name."
            ) % {"days": max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1), "link": link}
        subject = _("You are on the staff of %(municipality)s in Civitas") % {
            "municipality": municipality.name
        }
        body = _(
            "You were given the role “%(role)s” in %(municipality)s in Civitas.\n\n%(step)s\n\n"
            "Staff also set up an authenticator app (the second factor) at their first sign-in.\n"
            "If you did not expect this, ignore this message and tell the municipality."
        ) % {"role": Role(role).label, "municipality": municipality.name, "step": step}
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
