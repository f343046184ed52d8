"""The public pages of the publicity register: the events calendar (a month as a table, with the
upcoming and past events under it, navigable by month with plain links and filtered by kind) and a
page per event with its photos and minutes. The project page shows a project's publicity through
``selectors.project_publicity``."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from civitas.core.cache import cached_public_page
from civitas.core.tenancy import with_municipality

from . import selectors
from .models import EventKind

CALENDAR_PARAMS = ("month", "kind")


def _valid_calendar_query(query) -> bool:
    return selectors.calendar_month_from(query, today=timezone.localdate()) is not None


@with_municipality
@cached_public_page(params=CALENDAR_PARAMS, valid=_valid_calendar_query)
def events_calendar(request, municipality):
    today = timezone.localdate()
    chosen = selectors.calendar_month_from(request.GET, today=today)
    if chosen is None:
        raise Http404("No such month or kind of event")
    year, month, kind = chosen
    month_view = selectors.events_calendar(
        municipality=municipality, year=year, month=month, kind=kind, today=today
    )
    return render(
        request,
        "publicity/calendar.html",
        {
            "nav": "events",
            "calendar": month_view,
            "kind_choices": EventKind.choices,
            "this_month": (today.year, today.month),
        },
    )


@with_municipality
@cached_public_page
def event_detail(request, municipality, pk):
    event = selectors.event_get(municipality=municipality, pk=pk)
    return render(request, "publicity/event_detail.html", {"nav": "events", "event": event})
