"""Locale formats that Django's own locales leave out (FORMAT_MODULE_PATH), and the month names in
the form each language writes them in a date.

Django's Bulgarian catalogue capitalises month names ("26 Декември"); Bulgarian writes them in
lower case. The names are listed here so that the project's catalogue, which takes precedence
over Django's, carries its own translations (and ``makemessages`` keeps them).
"""

from django.utils.translation import gettext_noop, pgettext_lazy

MONTH_NAMES = [
    gettext_noop("January"), gettext_noop("February"), gettext_noop("March"), gettext_noop("April"),
    gettext_noop("May"), gettext_noop("June"), gettext_noop("July"), gettext_noop("August"),
    gettext_noop("September"), gettext_noop("October"), gettext_noop("November"), gettext_noop("December"),
]  # fmt: skip
MONTH_NAMES_IN_DATES = [
    pgettext_lazy("alt. month", "January"), pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"), pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"), pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"), pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"), pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"), pgettext_lazy("alt. month", "December"),
]  # fmt: skip
