"""Template tags for what pages say about their machine-readable versions: the feeds they announce
in their ``<head>``."""

from django import template

from civitas.opendata import feeds

register = template.Library()


@register.inclusion_tag("opendata/_feed_links.html")
def feed_links(municipality, plan=None):
    """``<link rel="alternate">`` to the Atom feeds of the municipality, or of one of its plans."""
    return {"feeds": feeds.feed_links(municipality, plan)}
