"""Template tags for showing evaluation results: ``{% load indicators %}``."""

from django import template
from django.utils.dates import MONTHS

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


@register.filter
def month_name(number) -> str:
    """A month by its number (1–12), by name in the active language: the start of a reporting year."""
    return str(MONTHS.get(number, ""))
