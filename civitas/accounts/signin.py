"""Signing in: the password step (throttled), the second factor of staff and superusers (code step,
enrolment, recovery codes), the e-mailed one-time sign-in link, and the admin's sign-in.

A person who needs the second factor is not signed in after the password: the session only
remembers, for a few minutes, who is signing in; ``login`` happens after the code. Limits count
failures per address and name, per address, and per name; a name over its limit is not locked
for its owner, who can have a one-time link e-mailed (for staff it replaces only the password).
"""

import time
import unicodedata

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from civitas.core import second_factor, throttle
from civitas.core.permissions import back_office_of

from . import forms, links, tasks, twofactor

LOGIN_LIMIT = (10, 900)  # failed sign-ins per address and name per 15 minutes
LOGIN_ADDRESS_LIMIT = (30, 900)  # failed sign-ins per address, whatever the names (password spraying)
# Failed sign-ins per name, from anywhere: past it the password is not checked for that name (a
# distributed guess gets nowhere) and the owner signs in with an e-mailed link instead. Above the
# per-address limit, so that one client's failures alone never change how the owner signs in.
LOGIN_NAME_LIMIT = (30, 900)
CODE_LIMIT = (5, 900)  # wrong second-factor codes per account per 15 minutes
CODE_ADDRESS_LIMIT = (20, 900)  # wrong second-factor codes per address, whatever the account
LINK_LIMIT = (5, 3600)  # sign-in links asked for per address per hour
LINK_EMAIL_LIMIT = (3, 3600)  # sign-in links sent to one account per hour
PENDING_KEY = "civitas_signing_in"  # who passed the password (or the link) and still owes the code
PENDING_SECONDS = 10 * 60
REPLACE_KEY = "civitas_replace_authenticator_until"


def landing_url(user) -> str:
    """Where a person lands after signing in when no page asked for them (no safe ``next``): staff
    in their own municipality's back office (the first by name if they work for several; its page
    lists the others), a platform superuser with no municipality of their own on the platform's
    page of municipalities, everyone else on the portal."""
    home = back_office_of(user)
    if home is not None:
        return reverse("manage:dashboard", args=[home.slug])
    if getattr(user, "is_superuser", False):
        return reverse("platform:municipalities")
    return reverse(settings.LOGIN_REDIRECT_URL)


def _safe_next(request, url: str | None, user=None) -> str:
    """``url`` if it is a page of this site (where the person was, or the page that asked them to
    sign in), else where ``user`` lands (``landing_url``; the portal when nobody is known yet)."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return landing_url(user) if user is not None else reverse(settings.LOGIN_REDIRECT_URL)


def sign_in_name(raw: str | None) -> str:
    """A name as the sign-in form looks it up (Django's username field applies NFKC), so that
    ``ｉvanova`` and ``ivanova``, one account, are also one name for the limits."""
    return unicodedata.normalize("NFKC", raw or "").strip().lower()


def _name_key(name: str) -> str:
    return f"login-name:{sign_in_name(name)}"


# The password step -----------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def _name(self) -> str:
        return sign_in_name(self.request.POST.get("username"))

    def _keys(self) -> list[tuple[str, tuple[int, int]]]:
        """Failed sign-ins count per address and name, per address, and per name."""
        name = self._name()
        address = throttle.client_address(self.request)
        return [
            (f"login:{address}:{name}", LOGIN_LIMIT),
            (f"login-address:{address}", LOGIN_ADDRESS_LIMIT),
            (_name_key(name), LOGIN_NAME_LIMIT),
        ]

    def post(self, request, *args, **kwargs):
        (pair, pair_limit), (address, address_limit), (name, name_limit) = self._keys()
        if throttle.blocked(pair, limit=pair_limit[0]) or throttle.blocked(address, limit=address_limit[0]):
            return render(request, "accounts/throttled.html", status=429)
        if throttle.blocked(name, limit=name_limit[0]):
            # Somebody (maybe not the owner) failed too often with this name: the password is not
            # checked now, and the owner is offered a sign-in link sent to the account's address.
            context = self.get_context_data(form=self.get_form(), link_offer=self._name())
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        for key, (limit, window) in self._keys():
            throttle.hit(key, limit=limit, window=window)
        return super().form_invalid(form)

    def get_default_redirect_url(self):
        """Without a safe ``next``: where the person signing in lands (``landing_url``)."""
        user = getattr(self, "signing_in", None)
        return landing_url(user) if user is not None else super().get_default_redirect_url()

    def form_valid(self, form):
        throttle.reset(self._keys()[0][0])
        user = self.signing_in = form.get_user()
        if second_factor.needs_second_factor(user):
            return start_second_factor(self.request, user, self.get_success_url())
        return super().form_valid(form)


def start_second_factor(request, user, next_url: str):
    """The password (or a sign-in link) is right; remember who signs in and ask for the second factor."""
    request.session.cycle_key()  # a new session id for the half-signed-in state
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "at": time.time(),
        "next": next_url,
    }
    return redirect("accounts:second_factor")


def admin_login(request, extra_context=None):
    """Django's admin signs in through Civitas's own page (throttled, with the second factor)."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("admin:index")
    if admin.site.has_permission(request):
        return redirect(next_url)
    if request.user.is_authenticated and request.user.is_superuser:
        return redirect_to_login(next_url, reverse("accounts:second_factor"))
    return redirect_to_login(next_url, reverse("accounts:login"))


# The second factor -----------------------------------------------------------------------------


def _signing_in(request):
    """Who owes the second factor in this session, and whether it is a fresh sign-in (a pending
    password step) rather than an older session signed in before it was asked for."""
    pending = request.session.get(PENDING_KEY)
    if pending and time.time() - pending.get("at", 0) < PENDING_SECONDS:
        user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
        if user is not None:
            return user, pending
    user = request.user
    if user.is_authenticated and not second_factor.passed(user) and second_factor.needs_second_factor(user):
        return user, None
    return None, None


def _code_keys(request, user) -> list[tuple[str, tuple[int, int]]]:
    return [
        (f"second-factor:{user.pk}", CODE_LIMIT),
        (f"second-factor-address:{throttle.client_address(request)}", CODE_ADDRESS_LIMIT),
    ]


def _code_blocked(request, user) -> bool:
    return any(throttle.blocked(key, limit=limit) for key, (limit, _w) in _code_keys(request, user))


def _code_failed(request, user) -> None:
    for key, (limit, window) in _code_keys(request, user):
        throttle.hit(key, limit=limit, window=window)


def _complete(request, user, pending) -> str:
    """Sign the person in (if the password step was in this session) with the second factor passed;
    returns where to go next."""
    next_url = _safe_next(request, (pending or {}).get("next") or request.GET.get("next"), user)
    if pending is not None:
        request.session.pop(PENDING_KEY, None)
        login(request, user, backend=pending["backend"])
    else:
        request.session.cycle_key()
    second_factor.mark_passed(request, user)
    throttle.reset(_code_keys(request, user)[0][0])
    return next_url


@never_cache
def second_factor_step(request):
    user, pending = _signing_in(request)
    if user is None:
        if request.user.is_authenticated:
            return redirect(_safe_next(request, request.GET.get("next")))
        messages.info(request, _("Sign in again: the time for the code ran out."))
        return redirect_to_login(_safe_next(request, request.GET.get("next")))
    if not twofactor.has_authenticator(user):
        if pending is None:
            # Setting up an authenticator needs the password, not only an older session.
            messages.info(request, _("Sign in with your password to set up your second factor."))
            return redirect_to_login(_safe_next(request, request.GET.get("next")))
        return redirect("accounts:second_factor_enrol")
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST":
        if _code_blocked(request, user):
            return render(request, "accounts/throttled.html", status=429)
        if form.is_valid():
            device = twofactor.code_matches(user=user, code=form.cleaned_data["code"])
            if device is not None:
                next_url = _complete(request, user, pending)
                if isinstance(device, StaticDevice):
                    messages.warning(
                        request,
                        _("You used a recovery code; %(count)s are left. Make new ones in your account "
                          "if you are running out.") % {"count": twofactor.recovery_codes_left(user)},
                    )  # fmt: skip
                return redirect(next_url)
            _code_failed(request, user)
            form.add_error(
                "code", _("The code is not right, or it was used already. Try the code the app shows now.")
            )
    status = 400 if form.errors else 200
    return render(request, "accounts/second_factor.html", {"form": form}, status=status)


@never_cache  # the page shows the secret key; the answer shows the recovery codes
def second_factor_enrol(request):
    """First sign-in of a person who needs the second factor: set up an authenticator app."""
    user, pending = _signing_in(request)
    if user is None or pending is None:
        return redirect("accounts:second_factor")
    if twofactor.has_authenticator(user):
        return redirect("accounts:second_factor")
    return _authenticator_setup(request, user, pending=pending)


def _authenticator_setup(request, user, *, pending):
    device = twofactor.enrolment_device(user)
    form = forms.NewAuthenticatorCodeForm(request.POST or None)
    if request.method == "POST":
        if _code_blocked(request, user):
            return render(request, "accounts/throttled.html", status=429)
        if form.is_valid():
            try:
                codes = twofactor.authenticator_confirm(user=user, code=form.cleaned_data["code"])
            except ValidationError as error:
                _code_failed(request, user)
                form.add_error("code", error.messages[0])
            else:
                if pending is not False:
                    next_url = _complete(request, user, pending)
                else:  # a replacement from the account page
                    request.session.pop(REPLACE_KEY, None)
                    next_url = reverse("accounts:two_factor")
                    messages.success(
                        request, _("Your new authenticator app is set up; the old one no longer works.")
                    )
                if codes:
                    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})
                return redirect(next_url)
    context = {
        "form": form,
        "qr_code": twofactor.qr_code_svg(device),
        "secret": twofactor.secret_text(device),
        "replacing": pending is False,
    }
    return render(request, "accounts/second_factor_enrol.html", context, status=400 if form.errors else 200)


# The account page's second factor --------------------------------------------------------------


def _verified_staff(request):
    """The signed-in person's account page for the second factor: those who have or need one."""
    user = request.user
    if not second_factor.passed(user):
        return redirect_to_login(request.get_full_path(), reverse("accounts:second_factor"))
    if not (twofactor.has_authenticator(user) or second_factor.needs_second_factor(user)):
        raise Http404
    return None


def second_factor_summary(user) -> dict | None:
    """For the account page: the second factor of those who have or need one, else None."""
    if not (second_factor.needs_second_factor(user) or twofactor.has_authenticator(user)):
        return None
    return {"recovery_left": twofactor.recovery_codes_left(user)}


@never_cache
@login_required
def two_factor(request):
    if (refused := _verified_staff(request)) is not None:
        return refused
    user = request.user
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST":
        if _code_blocked(request, user):
            return render(request, "accounts/throttled.html", status=429)
        if form.is_valid():
            device = twofactor.code_matches(user=user, code=form.cleaned_data["code"])
            if device is None:
                _code_failed(request, user)
                form.add_error(
                    "code",
                    _("The code is not right, or it was used already. Try the code the app shows now."),
                )
            elif request.POST.get("action") == "replace":
                request.session[REPLACE_KEY] = time.time() + PENDING_SECONDS
                return redirect("accounts:two_factor_replace")
            else:
                codes = twofactor.recovery_codes_regenerate(user=user)
                return render(
                    request,
                    "accounts/recovery_codes.html",
                    {"codes": codes, "next": reverse("accounts:two_factor")},
                )
    context = {"form": form, "recovery_left": twofactor.recovery_codes_left(user),
               "has_authenticator": twofactor.has_authenticator(user)}  # fmt: skip
    return render(request, "accounts/two_factor.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
def two_factor_replace(request):
    if (refused := _verified_staff(request)) is not None:
        return refused
    if request.session.get(REPLACE_KEY, 0) < time.time():
        messages.info(request, _("Enter a current code first to replace your authenticator app."))
        return redirect("accounts:two_factor")
    return _authenticator_setup(request, request.user, pending=False)


# The e-mailed sign-in link ---------------------------------------------------------------------


def _account_named(name: str):
    name = (name or "").strip()
    if not name:
        return None
    found = list(
        get_user_model()
        .objects.filter(Q(username__iexact=name) | Q(email__iexact=name), is_active=True)
        .exclude(email="")[:2]
    )
    return found[0] if len(found) == 1 else None


@require_POST
def sign_in_link_send(request):
    """Queue a sign-in link for the account named. The answer is the same whether or not the account
    exists and whether or not its own hourly budget is spent (only the client's limit shows), and
    the e-mail goes out from a background task, so neither the page nor its timing tells."""
    name = sign_in_name(request.POST.get("username"))
    if not throttle.hit(
        f"login-link:{throttle.client_address(request)}", limit=LINK_LIMIT[0], window=LINK_LIMIT[1]
    ):
        return render(request, "accounts/throttled.html", status=429)
    user = _account_named(name)
    if user is not None and throttle.hit(
        f"login-link-account:{user.pk}", limit=LINK_EMAIL_LIMIT[0], window=LINK_EMAIL_LIMIT[1]
    ):
        site_url = f"{request.scheme}://{request.get_host()}"
        language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(lambda: tasks.send_sign_in_link.enqueue(user.pk, site_url, language))
    return render(request, "accounts/sign_in_link_sent.html")


def sign_in_link(request, token):
    """GET asks to confirm (mail scanners that open links use nothing up); POST signs in."""
    if request.method != "POST":
        return render(request, "accounts/sign_in_link.html")
    try:
        user = links.sign_in_link_use(token)
    except ValidationError as error:
        return render(request, "accounts/sign_in_link.html", {"message": error.messages[0]}, status=400)
    next_url = landing_url(user)
    backend = settings.AUTHENTICATION_BACKENDS[0]
    if second_factor.needs_second_factor(user):
        user.backend = backend
        return start_second_factor(request, user, next_url)
    login(request, user, backend=backend)
    return redirect(next_url)
