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


class VersionCompareForm(forms.Form):
    """Two versions of a plan to compare, by their numbers (``?from=1&to=2``): versions of this plan
    that the reader may see, and not the same one twice."""

    def __init__(self, data, *, versions):
        super().__init__(data)
        self.numbers = {version.number for version in versions}
        choices = [("", _("Choose a version"))] + [
            (version.number, _("Version %(number)s") % {"number": version.number}) for version in versions
        ]
        messages = {
            "required": _("Choose a version."),
            "invalid_choice": _("This plan has no such version to compare."),
        }
        self.fields["from"] = forms.TypedChoiceField(
            label=_("Compare version"), choices=choices, coerce=int, error_messages=messages
        )
        self.fields["to"] = forms.TypedChoiceField(
            label=_("with version"), choices=choices, coerce=int, error_messages=messages
        )

    def clean(self):
        data = super().clean()
        if data.get("from") is not None and data.get("from") == data.get("to"):
            self.add_error("to", _("Choose two different versions."))
        return data


def compare_params_are_valid(query) -> bool:
    """The compare page is cached only for two different whole numbers (anything else is rendered
    with its error and not stored)."""
    numbers = [query.get("from", ""), query.get("to", "")]
    return all(n.isdigit() and len(n) < 7 for n in numbers) and numbers[0] != numbers[1]
