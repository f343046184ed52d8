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
