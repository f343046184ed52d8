"""Template tags for citing council decisions: ``{% load council %}``.

``{% decision_ref decision %}`` renders the linked phrase "Decision № 123 of the Municipal Council of
27.03.2014"; ``{% decision_ref decision verb %}`` puts the caller's words before it, e.g.
``{% translate "Adopted by" as verb %}{% decision_ref plan_version.decision verb %}`` ("Приет с
Решение № …"). The caller translates the verb because in Bulgarian it agrees with the record's
gender (приет / приета / прието). Nothing is rendered for a missing decision.
"""

from django import template
from django.urls import reverse

from civitas.council.presentation import decision_title

register = template.Library()


def decision_url(decision, municipality_slug: str) -> str:
    return reverse("council:detail", args=[municipality_slug, decision.year, decision.number])


@register.inclusion_tag("council/_decision_ref.html", takes_context=True)
def decision_ref(context, decision, verb=""):
    if decision is None:
        return {"decision": None}
    # The page's municipality when it is the decision's (no query for the decision's own).
    municipality = context.get("municipality")
    if municipality is None or getattr(municipality, "pk", None) != decision.municipality_id:
        municipality = decision.municipality
    return {
        "decision": decision,
        "verb": verb,
        "title": decision_title(decision),
        "url": decision_url(decision, municipality.slug),
    }


@register.simple_tag
def decision_name(decision) -> str:
    """The decision's phrase without a link (for titles and plain text)."""
    return decision_title(decision) if decision is not None else ""
