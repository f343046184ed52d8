"""Filters of the plan versions' pages: a (bg, en) text in the reader's language, the labels of the
fields and values a difference names, and an amount with its currency."""

from django import template
from django.utils.translation import get_language

from civitas.core.money import Money
from civitas.core.templatetags.civitas import money

from .. import presentation

register = template.Library()


@register.filter
def in_language(texts) -> str:
    return presentation.pick(texts, (get_language() or "bg")[:2])


@register.filter
def field_label(change) -> str:
    return presentation.field_label(change)


@register.filter
def value_label(value, field_name) -> str:
    return presentation.value_label(field_name, value)


@register.filter
def source_label(source) -> str:
    return presentation.source_label(source)


@register.filter
def money_in(amount, currency) -> str:
    """An amount of the diff with its currency ("–" when there is none)."""
    if amount is None:
        return "–"
    return money(Money(amount, currency))
