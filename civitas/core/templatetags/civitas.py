from decimal import Decimal

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import numberformat
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civitas.core.geo import line_length_km
from civitas.core.money import BGN_PER_EUR, Currency, Money
from civitas.core.text import slug_from

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


def _grouped(amount: Decimal) -> str:
    """An amount with two decimals and grouped thousands in the active language."""
    return numberformat.format(
        Decimal(amount),
        get_format("DECIMAL_SEPARATOR"),
        decimal_pos=2,
        grouping=3,
        thousand_sep=_thousands(),
        force_grouping=True,
    )


def _in_currency(amount: Decimal, currency: str) -> str:
    """``amount`` with its currency as the active language writes it: 1 250,00 € and 2 444,79 лв.
    in Bulgarian, €1,250.00 and BGN 2,444.79 in English."""
    sign, number = ("-" if amount < 0 else ""), _grouped(abs(amount))
    if _language() == "bg":
        return f"{sign}{number}\u00a0€" if currency == Currency.EUR else f"{sign}{number}\u00a0лв."
    return f"{sign}€{number}" if currency == Currency.EUR else f"{sign}BGN\u00a0{number}"


@register.filter
def money(value):
    """An amount. A ``core.money.Money`` shows in euro, with the leva amount beside it when it was
    entered in leva: "51 129,19 € (100 000,00 лв.)". A bare number shows grouped with two decimals,
    e.g. 1 250 000,00 (bg) or 1,250,000.00 (en). Empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, Money):
        shown = _in_currency(value.eur, Currency.EUR)
        if value.converted:
            shown += f" ({_in_currency(value.amount, value.currency)})"
        return shown
    return _grouped(value)


@register.filter
def euro(value):
    """An amount already in euro (a total): "1 250,00 €" / "€1,250.00"; empty for None."""
    if value is None or value == "":
        return ""
    return _in_currency(Decimal(value), Currency.EUR)


@register.filter
def euro_compact(value):
    """A total in euro short enough for a headline figure, never broken inside: whole euro below a
    million ("€125,000" / "125 000 €"), millions with two decimals above ("€9.97 million" /
    "9,97 млн. €"). Spaces in it are non-breaking. Empty for None."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    sign, amount = ("-" if amount < 0 else ""), abs(amount)
    if amount >= MILLION:
        number = numberformat.format(
            (amount / MILLION).quantize(Decimal("0.01")), get_format("DECIMAL_SEPARATOR"), decimal_pos=2
        )
        return f"{sign}{number}\u00a0млн.\u00a0€" if _language() == "bg" else f"{sign}€{number}\u00a0million"
    number = numberformat.format(
        amount.quantize(Decimal(1)), get_format("DECIMAL_SEPARATOR"), decimal_pos=0, grouping=3,
        thousand_sep=_thousands(), force_grouping=True,
    )  # fmt: skip
    return f"{sign}{number}\u00a0€" if _language() == "bg" else f"{sign}€{number}"


MILLION = Decimal(1_000_000)


@register.filter
def anchor(code) -> str:
    """A fragment identifier for an element's code: transliterated (СЦ1 → sts1), so that Cyrillic
    codes keep their letters instead of being reduced to their digits and colliding."""
    return slug_from(str(code or "")) or "element"


@register.simple_tag
def fixed_rate_note():
    """The sentence that says how leva were converted, with the rate as the active language writes it."""
    rate = numberformat.format(BGN_PER_EUR, get_format("DECIMAL_SEPARATOR"), decimal_pos=5)
    return _("Amounts in leva are converted at the fixed rate 1 EUR = %(rate)s BGN.") % {"rate": rate}


@register.filter
def percent(value, digits=0):
    if value is None:
        return ""
    return f"{number_format(value, decimal_pos=int(digits), use_l10n=True)}\u00a0%"  # never "100" and "%" on two lines


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
    return f"{number_format(round(value * 100), decimal_pos=0, use_l10n=True)}\u00a0%"


@register.filter
def number(value, digits=2):
    """A measured value with at most ``digits`` decimals, trailing zeros dropped, grouped thousands."""
    return number_formatter(digits)(value)


def number_formatter(digits=2):
    """``number`` with the active language's separators read once: for writing many values."""
    decimal_separator, thousands, places = get_format("DECIMAL_SEPARATOR"), _thousands(), int(digits)

    def shown(value) -> str:
        if value is None or value == "":
            return "–"
        amount = round(Decimal(str(value)), places).normalize()
        if amount == amount.to_integral():
            amount = amount.quantize(Decimal(1))
        return numberformat.format(
            amount, decimal_separator, grouping=3, thousand_sep=thousands, force_grouping=True
        )

    return shown


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _thousands() -> str:
    return "\u00a0" if _language() == "bg" else get_format("THOUSAND_SEPARATOR")
