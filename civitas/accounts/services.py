"""Accounts of citizens and staff: registration with e-mail verification, staff invitations, the
profile, personal data export and erasure, personal API tokens. Validating, transactional, audit-logged; a service that acts on an
account checks the accounts' policy first (the person themselves, signed in)."""

import datetime
import hashlib
import json
import secrets
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from civitas.consultations import selectors as consultation_selectors
from civitas.core import content, throttle
from civitas.core.content import Content
from civitas.core.models import AuditEvent, Membership, Municipality, Role
from civitas.core.services import audit_record, membership_grant
from civitas.forum import selectors as forum_selectors
from civitas.forum import services as forum_services
from civitas.surveys import selectors as survey_selectors
from civitas.surveys import services as survey_services

from . import policy, tasks
from .models import ApiToken, Profile, SignInLink

VERIFY_SALT = "civitas.accounts.verify"
VERIFY_MAX_AGE = 3 * 24 * 3600
REGISTER_MAIL_LIMIT = (5, 3600)  # registration e-mails to one address per hour, so none is flooded


def _users():
    return get_user_model().objects


@transaction.atomic
def account_register(
    *, email: str, password: str, display_name: str, accepted_terms: bool, site_url: str
) -> str:
    """Register an address; returns it as stored (trimmed, lower case).

    A new address gets an inactive account, active once the e-mail address is confirmed. An
    address never confirmed is registered again: the new password and name replace the old ones
    and a new link goes out (a lost or expired link is no dead end, and whoever registered an
    address they do not own first gains nothing: older links stop working). An address that
    already has an account changes nothing: its holder is e-mailed that they have one. The page
    and the work are the same in every case, so the form does not tell who has an account.
    E-mails go out after the commit; ``site_url`` is the site's address for their links."""
    email = (email or "").strip().lower()
    errors: dict = {}
    if not accepted_terms:
        errors["accepted_terms"] = [_("Accept the terms and the privacy notice to register.")]
    if not display_name.strip():
        errors["display_name"] = [_("Give a name to show with your contributions.")]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    user_model = get_user_model()
    candidate = user_model(username=email, email=email)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    unconfirmed = (
        _users().filter(email__iexact=email, is_active=False, profile__email_verified_at__isnull=True,
                        profile__erased_at__isnull=True).first()
    )  # fmt: skip
    holder = (
        None
        if unconfirmed is not None
        else _users().filter(Q(email__iexact=email) | Q(username__iexact=email)).order_by("pk").first()
    )
    site_url = site_url.rstrip("/")
    if holder is not None:
        # Hashing the password costs what it costs a new account, so timing does not tell either.
        make_password(password)
        audit_record(actor=None, municipality=None, action="register_existing", obj=holder)
        language = Profile.objects.filter(user=holder).values_list("language", flat=True).first()
        _mail_after_commit(to=email, language=language or settings.LANGUAGE_CODE,
                           compose=lambda: _existing_account_mail(site_url))  # fmt: skip
        return email
    if unconfirmed is not None:
        unconfirmed.set_password(password)
        unconfirmed.save(update_fields=["password"])
        Profile.objects.filter(user=unconfirmed).update(
            display_name=display_name.strip()[:80], accepted_terms_at=timezone.now()
        )
        audit_record(actor=None, municipality=None, action="register_again", obj=unconfirmed)
        user = unconfirmed
    else:
        user = _users().create_user(username=email, email=email, password=password, is_active=False)
        Profile.objects.create(
            user=user, display_name=display_name.strip()[:80], accepted_terms_at=timezone.now()
        )
        audit_record(actor=user, municipality=None, action="register", obj=user)
    _mail_after_commit(to=email, language=translation.get_language() or settings.LANGUAGE_CODE,
                       compose=lambda: _confirmation_mail(user, site_url))  # fmt: skip
    return email


def _mail_after_commit(*, to: str, language: str, compose) -> None:
    """Send ``compose()``'s (subject, body) to ``to`` in ``language`` once the transaction commits:
    the one way registration e-mails go out. At most REGISTER_MAIL_LIMIT reach one address (the
    page does not change, so nobody learns that the limit was reached)."""
    if not throttle.hit(f"register-mail:{to}", limit=REGISTER_MAIL_LIMIT[0], window=REGISTER_MAIL_LIMIT[1]):
        return

    def send() -> None:
        with translation.override(language):
            subject, body = compose()
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])

    transaction.on_commit(send)


def _password_mark(user) -> str:
    """A few characters that change with the password, so that a new registration of the same
    address makes the older confirmation links invalid."""
    return hashlib.sha256(user.password.encode()).hexdigest()[:12]


def verification_token(user) -> str:
    return signing.dumps(
        {"user": user.pk, "email": user.email, "mark": _password_mark(user)}, salt=VERIFY_SALT
    )


def _confirmation_mail(user, site_url: str) -> tuple[str, str]:
    link = site_url + reverse("accounts:verify", args=[verification_token(user)])
    return (
        _("Confirm your e-mail address for Civitas"),
        _("Open this link to confirm your address and activate your account:\n\n%(link)s\n\n"
          "The link is valid for three days. If you did not register, ignore this message.") % {"link": link},
    )  # fmt: skip


def _existing_account_mail(site_url: str) -> tuple[str, str]:
    return (
        _("You already have a Civitas account"),
        _("Someone, probably you, asked to register this e-mail address on Civitas, but it already "
          "has an account, so nothing was changed.\n\nSign in: %(login)s\n\nForgot the password? "
          "Set a new one: %(reset)s\n\nIf it was not you, ignore this message: your account is "
          "unchanged.") % {"login": site_url + reverse("accounts:login"),
                           "reset": site_url + reverse("accounts:password_reset")},
    )  # fmt: skip


@transaction.atomic
def verification_account(*, token: str):
    """The account a confirmation link is for; ValidationError if the link is bad or old."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This confirmation link has expired: register again with the same address to get a new one.")
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("This confirmation link is not valid.")) from None
    user = _users().filter(pk=data.get("user"), email=data.get("email")).select_related("profile").first()
    if user is None or data.get("mark") != _password_mark(user):
        raise ValidationError(_("This confirmation link is not valid."))
    return user


def account_verify(*, token: str, password: str):
    """Activate the account named in a confirmation link, given the password it was registered
    with: the mailbox proves the address, the password proves that the registration is the
    mailbox owner's, so that someone who registered the address first (or again, later) cannot
    have it confirmed with a password they chose. ValidationError if the link or password is wrong."""
    user = verification_account(token=token)
    if not user.check_password(password):
        raise ValidationError({"password": _(
            "This is not the password this address was registered with. If you did not register "
            "it yourself, register again with your own password: this link then stops working."
        )})  # fmt: skip
    profile = getattr(user, "profile", None)
    if (
        not user.is_active
        and profile is not None
        and profile.email_verified_at is None
        and not profile.erased_at
    ):
        # Only a never-confirmed account is activated: a link cannot re-open an account that an
        # administrator closed or its owner erased.
        user.is_active = True
        user.save(update_fields=["is_active"])
        Profile.objects.filter(user=user).update(email_verified_at=timezone.now())
        audit_record(actor=user, municipality=None, action="verify_email", obj=user)
    return user


def profile_of(user) -> Profile:
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        profile = Profile.objects.create(user=user, display_name=user.get_full_name() or user.username)
    return profile


@transaction.atomic
def profile_update(*, actor, display_name: str, language: str | None = None) -> Profile:
    """Change one's own public display name and the language of one's e-mails."""
    policy.require_signed_in(actor)
    errors = {}
    if not display_name.strip():
        errors["display_name"] = [_("Give a name to show with your contributions.")]
    if language is not None and language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose one of the languages offered.")]
    if errors:
        raise ValidationError(errors)
    profile = profile_of(actor)
    renamed = profile.display_name != display_name.strip()[:80]
    profile.display_name = display_name.strip()[:80]
    fields = ["display_name"]
    if language is not None:
        profile.language = language
        fields.append("language")
    profile.save(update_fields=fields)
    if renamed:
        _public_name_changed(actor)
    audit_record(actor=actor, municipality=None, action="update_profile", obj=profile)
    return profile


def _public_name_changed(user) -> None:
    """The display name is printed beside the person's forum posts and consultation proposals: the
    public pages of every municipality where they took part change (their cached copies expire)."""
    where = forum_selectors.municipality_ids_of_author(
        user
    ) | consultation_selectors.municipality_ids_of_author(user)
    for municipality in Municipality.objects.filter(pk__in=where):
        content.changed(municipality, Content.PARTICIPATION)


def account_data(*, user) -> str:
    """Everything Civitas keeps about a person, as JSON (GDPR art. 15 and 20)."""
    profile = profile_of(user)
    data = {
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "profile": {
            "display_name": profile.display_name,
            "language": profile.language,
            "email_verified_at": profile.email_verified_at.isoformat() if profile.email_verified_at else None,
            "accepted_terms_at": profile.accepted_terms_at.isoformat() if profile.accepted_terms_at else None,
        },
        "staff_roles": [
            {"municipality": m.municipality.slug, "role": m.role}
            for m in Membership.objects.filter(user=user).select_related("municipality")
        ],
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": t.created_at.isoformat(),
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
                "expires_on": t.expires_on.isoformat() if t.expires_on else None,
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in ApiToken.objects.filter(user=user)
        ],
        "activity": [
            {
                "at": e.at.isoformat(),
                "action": e.action,
                "object": e.object_type,
                "description": e.object_repr,
            }
            for e in AuditEvent.objects.filter(actor=user).order_by("at")
        ],
    }
    # What the person contributed, from the apps that keep it.
    data["forum"] = forum_selectors.personal_data(user)
    data["consultations"] = consultation_selectors.personal_data(user)
    data["surveys"] = survey_selectors.personal_data(user)
    return json.dumps(data, ensure_ascii=False, indent=2)


@transaction.atomic
def account_erase(*, actor, user, password: str, remove_posts: bool = False) -> None:
    """Erase a person's account at their request (GDPR art. 17; ``actor`` is the person, signed in
    as ``user``): personal data removed, public contributions kept under "deleted user" — or, for
    forum posts and when the person asks, removed (proposals to consultations stay: the law makes
    them part of the consultation's record). Survey responses lose their link to the person.
    Needs the current password. Staff with roles must hand them over first."""
    policy.require_own_account(actor, user)
    if not user.check_password(password):
        raise ValidationError({"password": [_("The password is not correct.")]})
    if Membership.objects.filter(user=user).exists():
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "You still have staff roles: ask an administrator to remove them before erasing the account."
                    )
                ]
            }
        )
    if remove_posts:
        forum_services.posts_remove_by_author(actor=actor, user=user)
    survey_services.responses_unlink(actor=actor, user=user)
    profile = profile_of(user)
    audit_record(
        actor=None, municipality=None, action="erase_account", obj=user,
        changes={"user_id": user.pk, "posts_removed": remove_posts},
    )  # fmt: skip
    profile.display_name = _("Deleted user")
    profile.erased_at = timezone.now()
    profile.save(update_fields=["display_name", "erased_at"])
    user.username = f"deleted-{user.pk}"
    user.email = ""
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    # Its authenticators, recovery codes and sign-in links go with it.
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    SignInLink.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    # The audit log names the account by its new name only: its address goes with the account.
    AuditEvent.objects.filter(object_type=user._meta.label_lower, object_id=str(user.pk)).update(
        object_repr=user.username
    )


def password_reset_request(*, email: str, site_url: str, language: str) -> None:
    """Queue the password-reset e-mail of each active account with this address (none: nothing,
    and nobody can tell). The task makes the link, so no secret waits in the queue."""
    for pk in _users().filter(email__iexact=email, is_active=True).values_list("pk", flat=True):
        transaction.on_commit(partial(tasks.send_password_reset.enqueue, pk, site_url, language))


# Staff invitations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffInvitation:
    """What ``staff_invite`` did: the account (``created`` when it is new), and whether an
    invitation e-mail goes out."""

    user: object
    created: bool
    invited: bool


@transaction.atomic
def staff_invite(
    *,
    actor,
    municipality: Municipality,
    email: str,
    role: str,
    name: str = "",
    password: str | None = None,
    invite: bool | None = None,
    site_url: str = "",
    language: str = "",
) -> StaffInvitation:
    """Give the person with this e-mail address a staff role here: their account (made now when
    there is none, ``name`` its display name), and the role (``core.services.membership_grant``).

    With ``invite`` (the default when no ``password`` is given) an e-mail tells them of the role,
    with a one-time link to set their password if they have none (Django's password-reset token:
    it works once, within PASSWORD_RESET_TIMEOUT); no password is ever e-mailed. An address whose
    registration was never confirmed is taken over: the password it was registered with stops
    working, so only the mailbox's owner, through the link, sets one. A closed account is refused.
    The municipality's administrators (MANAGE_STAFF), or the operator (the command
    ``create_staff``)."""
    policy.require_manage_staff(actor, municipality)
    email = (email or "").strip().lower()
    errors: dict = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    if role not in Role.values:
        errors["role"] = [_("Choose one of the roles offered.")]
    users = _users()
    existing = (
        users.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .select_related("profile")
        .order_by("pk")
        .first()
        if "email" not in errors
        else None
    )
    if password is not None:
        try:
            password_validation.validate_password(
                password, existing or get_user_model()(username=email, email=email)
            )
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    unconfirmed = existing is not None and not existing.is_active and _never_confirmed(existing)
    if existing is not None and not existing.is_active and not unconfirmed:
        errors["email"] = [
            _("The account with this address is closed: a platform administrator may reopen it.")
        ]
    if errors:
        raise ValidationError(errors)
    created = existing is None
    if existing is None:
        user = users.create_user(username=email, email=email, password=password)
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Profile.objects.create(user=user, display_name=(name.strip() or email.split("@")[0])[:80])
        audit_record(actor=actor, municipality=municipality, action="create_staff_account", obj=user)
    else:
        user = existing
        if unconfirmed:
            # Whoever registered the address never proved it is theirs: their password goes.
            if password is None:
                user.set_unusable_password()
            else:
                user.set_password(password)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
            audit_record(actor=actor, municipality=municipality, action="take_over_unconfirmed", obj=user)
        elif password is not None:
            raise ValidationError({"password": [_(
                "This address already has an account with its own password: invite it without a password."
            )]})  # fmt: skip
        profile_of(user)
    membership_grant(actor=actor, user=user, municipality=municipality, role=role)
    invited = password is None if invite is None else invite
    if invited:
        profile = Profile.objects.filter(user=user).values_list("language", flat=True).first()
        transaction.on_commit(
            partial(
                tasks.send_staff_invitation.enqueue, user.pk, municipality.pk, role,
                site_url or settings.CIVITAS_SITE_URL, language or profile or settings.LANGUAGE_CODE,
            )
        )  # fmt: skip
    return StaffInvitation(user=user, created=created, invited=invited)


def _never_confirmed(user) -> bool:
    profile = getattr(user, "profile", None)
    return profile is not None and profile.email_verified_at is None and profile.erased_at is None


# Personal API tokens --------------------------------------------------------------------------------

API_TOKEN_START = "civitas_"  # what every token begins with, so a leaked one is recognised
API_TOKEN_USE_RECORDED_EVERY = datetime.timedelta(minutes=1)
API_TOKEN_NAME_LENGTH = 80


def _api_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewApiToken:
    """What ``api_token_create`` made: the stored token and, this once, its whole secret."""

    token: ApiToken
    secret: str


@transaction.atomic
def api_token_create(*, actor, name: str, expires_on: datetime.date | None = None) -> NewApiToken:
    """A personal API token for a member of staff, named by them (what it is for), valid until the
    end of ``expires_on`` (or until revoked). Returns the whole token once: only its hash is kept.
    The token writes as its holder, with the roles they hold when they use it."""
    policy.require_api_tokens(actor)
    name = (name or "").strip()
    errors: dict = {}
    if not name:
        errors["name"] = [_("Give the token a name, such as what it is for.")]
    elif len(name) > API_TOKEN_NAME_LENGTH:
        errors["name"] = [
            _("The name can have at most %(count)d characters.") % {"count": API_TOKEN_NAME_LENGTH}
        ]
    if expires_on is not None and expires_on <= timezone.localdate():
        errors["expires_on"] = [_("The expiry date must be in the future.")]
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():  # 1 in 4 billion: try another
        prefix = secrets.token_hex(4)
    secret = f"{API_TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=prefix, secret_hash=_api_token_hash(secret), expires_on=expires_on
    )
    audit_record(
        actor=actor, municipality=None, action="create_api_token", obj=token,
        changes={"name": name, "prefix": prefix, "expires_on": expires_on.isoformat() if expires_on else None},
    )  # fmt: skip
    return NewApiToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke one's own token: it is refused from the next request on (revoking twice changes nothing)."""
    policy.require_own_account(actor, token.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=token.revoked_at)
        audit_record(
            actor=actor,
            municipality=None,
            action="revoke_api_token",
            obj=token,
            changes={"prefix": token.prefix},
        )
    return token


def api_tokens_of(user) -> list[ApiToken]:
    """A person's tokens, newest first, for their profile page (one query)."""
    return list(ApiToken.objects.filter(user=user))


def api_token_user(*, secret: str):
    """The active account whose valid token ``secret`` is, or None (unknown, altered, revoked,
    expired, or its account closed). The row is found by the token's public prefix and the secret
    compared in constant time; when it was last used is recorded at most once a minute (an UPDATE
    only then), so a busy client costs one query a request."""
    if not secret.startswith(API_TOKEN_START):
        return None
    prefix = secret[len(API_TOKEN_START) :].partition("_")[0]
    token = ApiToken.objects.filter(prefix=prefix).select_related("user").first()
    if token is None or not secrets.compare_digest(token.secret_hash, _api_token_hash(secret)):
        return None
    now = timezone.now()
    if token.revoked_at is not None or not token.user.is_active:
        return None
    if token.expires_on is not None and token.expires_on < timezone.localdate(now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= API_TOKEN_USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
