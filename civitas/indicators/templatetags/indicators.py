"""Template tags for showing evaluation results: ``{% load indicators %}``."""

from django import template

from civitas.indicators.presentation import STATUS_COLOURS, STATUS_LABELS

register = template.Library()


@register.inclusion_tag("components/status.html")
def status_tag(status):
    """The traffic light of an evaluation status: colour and words (never colour alone)."""
    return {
        "status": status,
        "label": STATUS_LABELS.get(status, ""),
        "colour": STATUS_COLOURS.get(status, "grey"),
    }


@register.filter
def status_name(status) -> str:
    """An evaluation status in words, in lower case for use inside a sentence ("at risk")."""
    label = STATUS_LABELS.get(status)
    return str(label).lower() if label else ""
