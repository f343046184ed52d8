"""A plan file uploaded in the back office, kept between its preview and the confirmation that
imports it (a row survives a restart and serves any of the server's processes)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.core.models import Municipality


class PlanFileUpload(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    data = models.BinaryField(editable=False)
    replace = models.BooleanField(_("replace the plan with the same address name"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("uploaded plan file")
        verbose_name_plural = _("uploaded plan files")

    def __str__(self):
        return self.file_name
