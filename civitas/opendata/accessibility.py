"""The accessibility statement that Directive (EU) 2016/2102 asks of public-sector websites, after
the model statement of Commission Implementing Decision (EU) 2018/1523: how far the site complies,
what is not accessible and what replaces it, how the statement was prepared, how to report a
problem to the municipality, and where to turn when its answer does not satisfy.

Installation-wide at ``/accessibility/`` and per municipality at ``/<municipality>/accessibility/``
(with that municipality's contact).
"""

import datetime

from django.shortcuts import render

from civitas.core.tenancy import with_municipality

# When the statement was prepared and last reviewed against the automated and manual checks.
PREPARED_ON = datetime.date(2026, 12, 2)
REVIEWED_ON = datetime.date(2026, 12, 2)


def _render(request, municipality):
    return render(
        request,
        "opendata/accessibility.html",
        {"statement_municipality": municipality, "prepared_on": PREPARED_ON, "reviewed_on": REVIEWED_ON},
    )


def statement(request):
    """The installation's statement: each municipality answers for its own pages (its statement
    names its contact)."""
    return _render(request, None)


@with_municipality
def municipality_statement(request, municipality):
    return _render(request, municipality)
