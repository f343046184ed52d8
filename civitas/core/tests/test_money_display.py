"""Amounts on the pages: euro, with the leva amount beside those entered in leva, in each language."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from civitas.core.money import Money
from civitas.core.templatetags.civitas import euro, euro_compact, money


def test_an_amount_in_leva_shows_in_euro_with_the_leva_beside():
    with translation.override("bg"):
        assert money(Money(Decimal("100000"), "BGN")) == "51\xa0129,19\xa0€ (100\xa0000,00\xa0лв.)"
    with translation.override("en"):
        assert money(Money(Decimal("100000"), "BGN")) == "€51,129.19 (BGN\xa0100,000.00)"


def test_an_amount_in_euro_shows_alone():
    with translation.override("bg"):
        assert money(Money(Decimal("1250000.5"), "EUR")) == "1\xa0250\xa0000,50\xa0€"
    with translation.override("en"):
        assert euro(Decimal("1250000.5")) == "€1,250,000.50"


def test_a_bare_number_and_nothing_show_as_before():
    with translation.override("bg"):
        assert money(Decimal("200000")) == "200\xa0000,00"
        assert money(None) == "" and euro(None) == ""


def test_the_fixed_rate_is_written_as_the_language_writes_numbers():
    template = Template("{% load civitas %}{% fixed_rate_note %}")
    with translation.override("en"):
        assert "1 EUR = 1.95583 BGN" in template.render(Context())
    with translation.override("bg"):
        assert "1,95583" in template.render(Context())


def test_a_negative_difference_keeps_its_sign_before_the_currency():
    with translation.override("en"):
        assert euro(Decimal("-40000")) == "-€40,000.00"
    with translation.override("bg"):
        assert euro(Decimal("-40000")) == "-40\xa0000,00\xa0€"


def test_a_headline_total_is_short_and_never_breaks_inside():
    with translation.override("en"):
        assert euro_compact(Decimal("9969441.38")) == "€9.97\xa0million"
        assert euro_compact(Decimal("125000.4")) == "€125,000"
        assert euro_compact(None) == ""
    with translation.override("bg"):
        assert euro_compact(Decimal("9969441.38")) == "9,97\xa0млн.\xa0€"
        assert euro_compact(Decimal("125000.4")) == "125\xa0000\xa0€"
    for language in ("bg", "en"):
        with translation.override(language):
            assert " " not in euro_compact(Decimal("123456789.12"))
