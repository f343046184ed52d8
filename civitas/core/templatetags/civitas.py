from decimal import Decimal

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import numberformat
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civitas.core.geo import line_length_km

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in each other language: [(code, name, url)]."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    names = {"bg": "Български", "en": "English"}
    return [
        (code, names.get(code, code), translate_url(path, code))
        for code, _ in settings.LANGUAGES
        if code != current
    ]


@register.filter
def money(value):
    """An amount in leva with grouped thousands, e.g. 1 250 000,00 (bg) or 1,250,000.00 (en)."""
    if value is None or value == "":
        return ""
    lang = (get_language() or settings.LANGUAGE_CODE)[:2]
    thousands = "\u00a0" if lang == "bg" else get_format("THOUSAND_SEPARATOR")
    return numberformat.format(
        Decimal(value),
        get_format("DECIMAL_SEPARATOR"),
        decimal_pos=2,
        grouping=3,
        thousand_sep=thousands,
        force_grouping=True,
    )


@register.filter
def percent(value, digits=0):
    if value is None:
        return ""
    return f"{number_format(value, decimal_pos=int(digits), use_l10n=True)} %"


@register.simple_tag(takes_context=True)
def querystring_with(context, **kwargs):
    """The current query string with some parameters replaced (None removes one)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in kwargs.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def geometry_summary(geometry):
    """A short text for a GeoJSON Point or line: coordinates, or number of points and length."""
    if not isinstance(geometry, dict):
        return ""
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Point" and len(coords) >= 2:
        return _("%(lat).5f° N, %(lon).5f° E") % {"lat": coords[1], "lon": coords[0]}
    if kind in {"LineString", "MultiLineString"}:
        lines = coords if kind == "MultiLineString" else [coords]
        km = sum(line_length_km(line) for line in lines)
        return _("route of about %(km).1f km") % {"km": km}
    return ""


@register.filter
def osm_link(geometry):
    """A link to the place on OpenStreetMap (first point of the geometry)."""
    if not isinstance(geometry, dict):
        return ""
    coords = geometry.get("coordinates") or []
    while coords and isinstance(coords[0], list):
        coords = coords[0]
    if len(coords) < 2:
        return ""
    lon, lat = coords[0], coords[1]
    return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=14/{lat:.5f}/{lon:.5f}"


@register.filter
def ratio_percent(value):
    """A 0..1 share as a whole percentage, e.g. 0.853 → 85 %; empty for None."""
    if value is None:
        return "–"
    return f"{number_format(round(value * 100), decimal_pos=0, use_l10n=True)} %"


@register.filter
def number(value, digits=2):
    """A measured value with at most ``digits`` decimals, trailing zeros dropped, grouped thousands."""
    if value is None or value == "":
        return "–"
    amount = round(Decimal(str(value)), int(digits)).normalize()
    if amount == amount.to_integral():
        amount = amount.quantize(Decimal(1))
    return numberformat.format(
        amount, get_format("DECIMAL_SEPARATOR"), grouping=3, thousand_sep=_thousands(), force_grouping=True
    )


def _thousands() -> str:
    lang = (get_language() or settings.LANGUAGE_CODE)[:2]
    return "\u00a0" if lang == "bg" else get_format("THOUSAND_SEPARATOR")
