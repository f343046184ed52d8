from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """A person's public face in Civitas: citizens and staff alike."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("public display name"), max_length=80)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    accepted_terms_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    # The language of the e-mails Civitas sends the person (reminders are in Bulgarian, with an
    # English version for those who chose English).
    language = models.CharField(
        _("language of e-mails"), max_length=5, choices=settings.LANGUAGES, default="bg"
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return self.display_name


class SignInLink(models.Model):
    """A one-time sign-in link e-mailed to an account's owner (when its password sign-in is
    throttled). Only a hash of its secret is kept; ``used_at`` makes it single-use."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"sign-in link {self.pk}"


class ApiToken(models.Model):
    """A staff member's personal token for the API's writes. Only a hash of the secret is kept: the
    token is shown once, when it is created. ``prefix`` (public, shown in the list) finds the row;
    the hash then proves the rest. A revoked or expired token is refused; what its holder may do
    with it is what their roles allow at the moment of the request."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
