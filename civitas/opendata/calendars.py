"""An iCalendar (RFC 5545) of a municipality's public dates: the closing of each consultation's
period for proposals and the publicity events (press conferences, public discussions ...).

Indicators' reporting deadlines are left out: the reporting calendar is the staff's (it names
owners and values not yet verified), and the public sees values once they are published.

The serializer is small and written here: text escaped (backslash, semicolon, comma, newline) and
lines folded at 75 octets without splitting a UTF-8 character, CRLF line ends. UIDs name the object
and the site, so a calendar application updates an event rather than adding it twice.
"""

import datetime

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.consultations import selectors as consultation_selectors
from civitas.core.cache import cached_public_page
from civitas.core.content import Content
from civitas.core.models import Municipality
from civitas.core.tenancy import with_municipality
from civitas.publicity.models import PublicityEvent

# Dates in the past a calendar still carries (a year back); every future date is carried.
PAST_DAYS = 366
MAX_EVENTS = 1000  # of each kind: a bound on the size of one response
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded into lines of at most 75 octets (RFC 5545, 3.1), never inside a
    UTF-8 character; continuation lines begin with a space."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        octets = len(char.encode())
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1  # the leading space counts
        if size + octets > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += octets
    parts.append(current)
    return "\r\n ".join(parts)


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def vevent(
    *,
    uid: str,
    stamp: datetime.datetime,
    summary: str,
    start: datetime.date | datetime.datetime,
    url: str,
    description: str = "",
    location: str = "",
) -> list[str]:
    """The lines of one VEVENT: a date is a whole day; a moment has no duration (a deadline)."""
    if isinstance(start, datetime.datetime):
        starts = [f"DTSTART:{utc(start)}"]
    else:
        starts = [
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{start + datetime.timedelta(days=1):%Y%m%d}",
        ]
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{utc(stamp)}", f"LAST-MODIFIED:{utc(stamp)}", *starts]
    lines.append(f"SUMMARY:{escape_text(summary)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines += [f"URL:{url}", "END:VEVENT"]
    return lines


def calendar_text(name: str, events: list[list[str]]) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Civitas//Public calendar//EN",
        "CALSCALE:GREGORIAN",
        # No METHOD: without it, DTSTAMP is when the event was last revised (RFC 5545, 3.8.7.2),
        # which keeps it the same from one download to the next.
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += event
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _event_start(event: PublicityEvent) -> datetime.date | datetime.datetime:
    if event.time is None:
        return event.date
    return timezone.make_aware(datetime.datetime.combine(event.date, event.time))


def municipality_calendar(request, municipality: Municipality, *, today: datetime.date) -> str:
    """The calendar's text: consultations closing and events from a year ago on (two queries)."""
    host = request.get_host().split(":")[0]
    since = today - datetime.timedelta(days=PAST_DAYS)
    events = []
    consultations = consultation_selectors.consultation_list(municipality=municipality).filter(
        closes_at__date__gte=since
    )
    for consultation in consultations[:MAX_EVENTS]:
        url = request.build_absolute_uri(
            reverse("consultations:detail", args=[municipality.slug, consultation.slug])
        )
        events.append(
            vevent(
                uid=f"consultation-{consultation.pk}-closes@{host}",
                stamp=consultation.updated_at,
                summary=_("Consultation closes: %(title)s") % {"title": consultation.title},
                start=consultation.closes_at,
                url=url,
                description=f"{consultation.summary}\n\n{url}".strip(),
            )
        )
    publicity = PublicityEvent.objects.filter(municipality=municipality, date__gte=since).order_by(
        "date", "time", "pk"
    )
    for event in publicity[:MAX_EVENTS]:
        url = request.build_absolute_uri(reverse("publicity:event", args=[municipality.slug, event.pk]))
        events.append(
            vevent(
                uid=f"event-{event.pk}@{host}",
                stamp=event.updated_at,
                summary=f"{event.get_kind_display()}: {event.title}",
                start=_event_start(event),
                url=url,
                description=f"{event.description}\n\n{url}".strip(),
                location=event.place,
            )
        )
    return calendar_text(_("Consultations and events · %(name)s") % {"name": municipality.name}, events)


@with_municipality
@cached_public_page(reads=(Content.PLANNING, Content.PARTICIPATION))
def calendar(request, municipality):
    text = municipality_calendar(request, municipality, today=timezone.localdate())
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{municipality.slug}.ics"'
    return response
