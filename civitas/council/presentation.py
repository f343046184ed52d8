"""How a council decision is named in both languages: "Решение № 123 на Общинския съвет от
27.03.2014 г." / "Decision № 123 of the Municipal Council of 27.03.2014". One place for the phrase,
used by the register's pages and by every page that says which decision adopted or approved a record
(``{% load council %}{% decision_ref decision %}``)."""

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


def council_name(municipality: Municipality) -> str:
    """The council by its municipality: "Общински съвет – Сопот" / "Municipal Council of Sopot"."""
    return _("Municipal Council of %(municipality)s") % {"municipality": municipality.name}
