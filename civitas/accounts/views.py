"""Sign-up, password reset and the personal pages of citizens and staff (signing in: signin.py)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.core import throttle
from civitas.core.forms import run_service

from . import forms, policy, services, signin
from .models import ApiToken

REGISTER_LIMIT = (5, 3600)  # registrations per address per hour
VERIFY_LIMIT = (10, 900)  # confirmation attempts (passwords typed) per address per 15 minutes
RESET_LIMIT = (5, 3600)  # password-reset e-mails per address, and per e-mail address, per hour


def register(request):
    form = forms.RegisterForm(request.POST or None)
    if request.method == "POST":
        if not throttle.hit(
            f"register:{throttle.client_address(request)}", limit=REGISTER_LIMIT[0], window=REGISTER_LIMIT[1]
        ):
            return render(request, "accounts/throttled.html", status=429)
        if form.is_valid():
            data = form.cleaned_data
            result = {}
            if run_service(form, lambda: result.update(email=services.account_register(
                email=data["email"], password=data["password"], display_name=data["display_name"],
                accepted_terms=data["accepted_terms"], site_url=request.build_absolute_uri("/")))):  # fmt: skip
                # The same page whether or not the address already had an account.
                return render(request, "accounts/register_done.html", {"email": result["email"]})
    return render(request, "accounts/register.html", {"form": form}, status=400 if form.errors else 200)


def verify(request, token):
    """The confirmation link: the person types the password they registered with (see
    ``services.account_verify``); a bad or old link says so at once."""
    try:
        services.verification_account(token=token)
    except ValidationError as error:
        return render(request, "accounts/verify_failed.html", {"message": error.messages[0]}, status=400)
    form = forms.VerifyForm(request.POST or None)
    if request.method == "POST":
        if not throttle.hit(
            f"verify:{throttle.client_address(request)}", limit=VERIFY_LIMIT[0], window=VERIFY_LIMIT[1]
        ):
            return render(request, "accounts/throttled.html", status=429)
        if form.is_valid() and run_service(
            form, lambda: services.account_verify(token=token, password=form.cleaned_data["password"])
        ):
            messages.success(request, _("Your e-mail address is confirmed: you can sign in now."))
            return redirect("accounts:login")
    return render(request, "accounts/verify.html", {"form": form}, status=400 if form.errors else 200)


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Password-reset e-mails, limited per network address and per e-mail address, so that nobody
    can flood a mailbox."""

    def post(self, request, *args, **kwargs):
        email = (request.POST.get("email") or "").strip().lower()
        allowed = throttle.hit(
            f"reset:{throttle.client_address(request)}", limit=RESET_LIMIT[0], window=RESET_LIMIT[1]
        ) and throttle.hit(f"reset-email:{email}", limit=RESET_LIMIT[0], window=RESET_LIMIT[1])
        if not allowed:
            return render(request, "accounts/throttled.html", status=429)
        return super().post(request, *args, **kwargs)


@login_required
def profile(request):
    current = services.profile_of(request.user)
    form = forms.ProfileForm(
        request.POST or None, initial={"display_name": current.display_name, "language": current.language}
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.profile_update(
                actor=request.user,
                display_name=form.cleaned_data["display_name"],
                language=form.cleaned_data["language"],
            ),
        ):
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
    return _profile_page(request, form=form)


def _profile_page(request, *, form=None, token_form=None):
    if form is None:
        current = services.profile_of(request.user)
        form = forms.ProfileForm(initial={"display_name": current.display_name, "language": current.language})
    may_hold_tokens = policy.may_hold_api_tokens(request.user)
    context = {
        "form": form,
        "second_factor": signin.second_factor_summary(request.user),
        "may_hold_api_tokens": may_hold_tokens,
        "api_tokens": services.api_tokens_of(request.user),
        "token_form": token_form or (forms.ApiTokenForm(prefix="token") if may_hold_tokens else None),
    }
    failed = form.errors or (token_form is not None and token_form.errors)
    return render(request, "accounts/profile.html", context, status=400 if failed else 200)


@login_required
@require_POST
def api_token_create(request):
    """Make a personal API token and show it, this once, on the page this request returns."""
    form = forms.ApiTokenForm(request.POST, prefix="token")
    created = {}
    if form.is_valid() and run_service(form, lambda: created.update(new=services.api_token_create(
        actor=request.user, name=form.cleaned_data["name"], expires_on=form.cleaned_data["expires_on"]))):  # fmt: skip
        response = render(request, "accounts/api_token_created.html", {"new": created["new"]})
        response["Cache-Control"] = "no-store"  # the secret is in this page alone
        return response
    return _profile_page(request, token_form=form)


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(
        request, _("The token “%(name)s” was revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("accounts:profile")


@login_required
def data_download(request):
    response = HttpResponse(
        services.account_data(user=request.user), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="civitas-my-data.json"'
    return response


@login_required
def erase(request):
    form = forms.EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        if run_service(
            form,
            lambda: services.account_erase(
                actor=user,
                user=user,
                password=form.cleaned_data["password"],
                remove_posts=form.cleaned_data["remove_posts"],
            ),
        ):
            logout(request)
            messages.success(
                request, _("Your account was erased. Your public contributions now show “Deleted user”.")
            )
            return redirect("portal:root")
    return render(request, "accounts/erase.html", {"form": form}, status=400 if form.errors else 200)


def privacy(request):
    return render(request, "accounts/privacy.html")


def terms(request):
    return render(request, "accounts/terms.html")


password_reset = ThrottledPasswordResetView.as_view(
    form_class=forms.QueuedPasswordResetForm,
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html", success_url=reverse_lazy("accounts:login")
)
