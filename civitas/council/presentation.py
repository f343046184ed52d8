"""How a council decision is named in both languages: "Решение № 123 на Общинския съвет от
27.03.2014 г." / "Decision № 123 of the Municipal Council of 27.03.2014". One place for the phrase,
used by the register's pages and by every page that says which decision adopted or approved a record
(``{% load council %}{% decision_ref decision %}``)."""

import re

from django.utils.translation import gettext as _

from civitas.core.models import Municipality

from .models import Decision


def decision_date(decision: Decision) -> str:
    """The decision's date, day first as councils write it: 27.03.2014."""
    return decision.date.strftime("%d.%m.%Y")


def decision_title(decision: Decision) -> str:
    """The decision as it is cited: "Decision № 123 of the Municipal Council of 27.03.2014"."""
    return _("Decision № %(number)s of the Municipal Council of %(date)s") % {
        "number": decision.number,
        "date": decision_date(decision),
    }


# A municipality's name as its records give it, "Община Сопот" / "Sopot Municipality", without the
# word for municipality, which the council's name says again.
MUNICIPALITY_WORDS = re.compile(r"^(?:община|municipality of)\s+|\s+municipality$", re.IGNORECASE)


def place_name(municipality: Municipality) -> str:
    """The municipality's name without "Община" / "Municipality": "Сопот" / "Sopot"."""
    return MUNICIPALITY_WORDS.sub("", municipality.name).strip() or municipality.name


def council_name(municipality: Municipality) -> str:
    """The council by its municipality: "Общински съвет – Сопот" / "Municipal Council of Sopot"."""
    return _("Municipal Council of %(municipality)s") % {"municipality": place_name(municipality)}
