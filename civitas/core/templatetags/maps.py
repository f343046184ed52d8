"""The maps' settings for templates: ``{% map_tiles as tiles %}`` gives the tile server's URL
template (empty: no background) and the credit its terms require (settings.CIVITAS_MAP_*)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def map_tiles() -> dict:
    return {"url": settings.CIVITAS_MAP_TILES, "attribution": settings.CIVITAS_MAP_ATTRIBUTION}
