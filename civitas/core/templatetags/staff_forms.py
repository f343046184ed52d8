"""The back office's form fields in the GOV.UK manner (``manage/_field.html``): each input with its
GOV.UK classes and width, marked when in error, described by its hint and its error message."""

from django import forms, template

from civitas.core.forms import govuk_input_class

register = template.Library()

_ERROR_CLASS = {"govuk-input": "govuk-input--error", "govuk-select": "govuk-select--error",
                "govuk-textarea": "govuk-textarea--error", "govuk-file-upload": "govuk-file-upload--error"}  # fmt: skip


@register.filter
def govuk_widget(bound_field):
    """The field's input with its GOV.UK classes, error mark and ``aria-describedby``."""
    field = bound_field.field
    classes = (field.widget.attrs.get("class") or govuk_input_class(field)).split()
    if bound_field.errors:
        classes += [error for base, error in _ERROR_CLASS.items() if base in classes]
    if character_limit(bound_field):
        classes.append("govuk-js-character-count")
    described = [f"{bound_field.auto_id}_helptext"] if bound_field.help_text else []
    if character_limit(bound_field):
        described.append(f"{bound_field.auto_id}-info")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_error")
    attrs = {"class": " ".join(classes)} if classes else {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def error_anchor(bound_field) -> str:
    """The id an error summary's link points at: the input, or the first box of a group."""
    if isinstance(bound_field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return f"{bound_field.auto_id}_0"
    return bound_field.id_for_label or bound_field.auto_id


@register.filter
def is_choice_group(bound_field) -> bool:
    """Whether the field is a group of checkboxes or radios (a fieldset, a legend)."""
    return isinstance(bound_field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def is_grouped_select(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.SelectMultiple) and not is_choice_group(bound_field)


@register.filter
def character_limit(bound_field) -> int:
    """The most characters a long text takes (GOV.UK's character count), 0 when unlimited."""
    field = bound_field.field
    return (getattr(field, "max_length", None) or 0) if isinstance(field.widget, forms.Textarea) else 0
