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
