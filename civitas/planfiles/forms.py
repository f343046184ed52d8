"""The back office's plan-file upload form."""

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Plan file"),
        help_text=_("A YAML or JSON plan file (docs/plan-format.md), at most 5 MB."),
    )
    replace = forms.BooleanField(
        label=_("Replace the plan with the same address name, and update the projects with the same codes"),
        required=False,
    )
