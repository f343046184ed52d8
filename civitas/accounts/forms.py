import time

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core import signing
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from civitas.core.forms import DayMonthYearField

from . import services

FORM_SALT = "civitas.accounts.form-started"
MIN_SECONDS = 3  # people take longer than this to fill in a form; simple robots do not


class HumanCheckForm(forms.Form):
    """A honeypot field people never see and a signed start time: no third-party service."""

    website = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = signing.dumps(time.time(), salt=FORM_SALT)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("The form could not be accepted. Please try again."), code="bot")
        try:
            started = signing.loads(cleaned.get("started", ""), salt=FORM_SALT, max_age=24 * 3600)
        except signing.BadSignature:
            raise forms.ValidationError(
                _("The form has expired: please fill it in again."), code="expired"
            ) from None
        if time.time() - float(started) < MIN_SECONDS:
            raise forms.ValidationError(_("The form was sent too quickly. Please try again."), code="bot")
        return cleaned


class RegisterForm(HumanCheckForm):
    display_name = forms.CharField(label=_("Public display name"), max_length=80,
                                   help_text=_("Shown with your comments and proposals."))  # fmt: skip
    email = forms.EmailField(label=_("E-mail address"))
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(render_value=False), strip=False
    )
    accepted_terms = forms.BooleanField(
        label=_("I accept the terms of use and the privacy notice"), required=False
    )

    field_order = ["display_name", "email", "password", "accepted_terms", "website", "started"]


class VerifyForm(forms.Form):
    password = forms.CharField(
        label=_("The password you chose when you registered"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Public display name"), max_length=80)
    language = forms.ChoiceField(
        label=_("Language of e-mails"),
        choices=settings.LANGUAGES,
        help_text=_("Notifications and reminders are sent to you in this language."),
    )


class EraseForm(forms.Form):
    remove_posts = forms.BooleanField(
        label=_("Also remove the text and photos of my forum posts"),
        required=False,
        help_text=_(
            "They are then shown as removed at your request. Proposals to public consultations stay in "
            "the consultation's public record, under “Deleted user”, as the law requires."
        ),
    )
    password = forms.CharField(label=_("Your password, to confirm"), widget=forms.PasswordInput, strip=False)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "one-time-code",
                   "inputmode": "text", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )  # fmt: skip


class NewAuthenticatorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("The six digits the app shows for Civitas now."),
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-5", "autocomplete": "one-time-code",
                   "inputmode": "numeric", "spellcheck": "false"}
        ),
    )  # fmt: skip


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form, but its e-mail goes through ``services.password_reset_request`` (a background
    task per account), so the request does the same work whether or not the address has one."""

    def save(self, *, request, **kwargs):
        services.password_reset_request(
            email=self.cleaned_data["email"],
            site_url=f"{request.scheme}://{request.get_host()}",
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )


class ApiTokenForm(forms.Form):
    """A new personal API token: what it is for, and optionally the last day it works."""

    name = forms.CharField(
        label=_("Name of the token"),
        max_length=services.API_TOKEN_NAME_LENGTH,
        help_text=_("What the token is for, such as the program that will use it."),
    )
    expires_on = DayMonthYearField(
        label=_("Valid until"),
        required=False,
        help_text=_("The last day the token works. Leave empty for a token that works until you revoke it."),
    )
