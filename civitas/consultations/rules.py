"""The rules of consultations as plain functions, with no database: the period (30 days unless a
reason is given, art. 26(4) of the Normative Acts Act), when proposals are accepted, what a
proposal's and an answer's text must be, and how a pasted draft is split into sections and
paragraphs. The services call them; so do the tests, directly."""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from civitas.core.text import plain  # noqa: F401 - used here and by the services as rules.plain

from .models import FROZEN_STATUSES, ConsultationStatus, Decision

MIN_DAYS = 30
MAX_TEXT = 5000
MAX_REASONS = 5000

# An HTML tag or comment, a script or an event handler: proposals are plain text.
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|javascript\s*:|\bon[a-z]+\s*=", re.IGNORECASE)
# A heading line: Markdown "#", or a line starting with a word that names a part of a document.
_HEADING = re.compile(
    r"^(#{1,6}\s+.+|(глава|раздел|част|дял|приложение|chapter|section|part|annex)\b.{0,200})$", re.IGNORECASE
)


def period_errors(
    opens_at: datetime.datetime | None, closes_at: datetime.datetime | None, reason: str
) -> dict:
    """Errors of a consultation period: it must end after it opens, and last at least 30 days
    unless the reason for a shorter one is given (it is shown publicly)."""
    if opens_at is None or closes_at is None:
        return {}
    if closes_at <= opens_at:
        return {"closes_at": [_("The consultation must close after it opens.")]}
    if closes_at - opens_at < datetime.timedelta(days=MIN_DAYS) and not (reason or "").strip():
        return {
            "short_period_reason": [
                _(
                    "A consultation lasts at least %(days)s days (art. 26(4) of the Normative Acts Act). "
                    "Give the reason for a shorter period: it is shown publicly."
                )
                % {"days": MIN_DAYS}
            ]
        }
    return {}


def period_days(opens_at: datetime.datetime, closes_at: datetime.datetime) -> int:
    return (closes_at - opens_at).days


def contains_markup(text: str) -> bool:
    return bool(_MARKUP.search(text or ""))


def text_errors(text: str, *, field_name: str = "text", limit: int = MAX_TEXT) -> tuple[str, dict]:
    """(the cleaned text, errors): not empty, not too long, plain text without HTML or scripts."""
    text = plain(text).strip()
    if not text:
        return text, {field_name: [_("Write your proposal first.")]}
    if len(text) > limit:
        return text, {field_name: [_("The text can be at most %(max)s characters long.") % {"max": limit}]}
    if contains_markup(text):
        return text, {
            field_name: [
                _("Write the text as plain text: HTML tags and scripts are not accepted. Nothing was saved.")
            ]
        }
    return text, {}


def answer_errors(decision: str, reasons: str, decisions) -> dict:
    if decision not in decisions:
        return {"decision": [_("Choose the decision.")]}
    if decision != Decision.ACCEPTED and not (reasons or "").strip():
        return {"reasons_bg": [_("Give the reasons: every proposal not fully accepted needs them.")]}
    if len(reasons or "") > MAX_REASONS:
        return {"reasons_bg": [_("The text can be at most %(max)s characters long.") % {"max": MAX_REASONS}]}
    if contains_markup(reasons):
        return {
            "reasons_bg": [
                _("Write the text as plain text: HTML tags and scripts are not accepted. Nothing was saved.")
            ]
        }
    return {}


@dataclass
class DraftSection:
    heading: str
    paragraphs: list[str] = field(default_factory=list)


def _is_heading(block: str) -> bool:
    return "\n" not in block and bool(_HEADING.match(block)) and len(block) <= 300


def split_draft(text: str) -> list[DraftSection]:
    """Split a pasted draft into sections and paragraphs.

    Paragraphs are separated by blank lines; lines within a paragraph are kept. A paragraph of
    one line that is a Markdown heading ("# …") or starts with Глава, Раздел, Част, Дял,
    Приложение, Chapter, Section, Part or Annex begins a new section with that heading. Text
    before the first heading forms an opening section without a heading.
    """
    blocks = [b.strip() for b in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n"))]
    sections: list[DraftSection] = []
    for block in blocks:
        if not block:
            continue
        if _is_heading(block):
            sections.append(DraftSection(heading=block.lstrip("#").strip()))
            continue
        if not sections:
            sections.append(DraftSection(heading=""))
        sections[-1].paragraphs.append(block)
    return sections


def same_shape(first: list[DraftSection], second: list[DraftSection]) -> bool:
    """True when two splits have the same sections with the same number of paragraphs."""
    return [len(s.paragraphs) for s in first] == [len(s.paragraphs) for s in second]


def next_change(periods, now: datetime.datetime) -> datetime.datetime | None:
    """The first moment after ``now`` at which one of the open consultations, given as (status,
    opens_at, closes_at), starts or stops taking proposals by itself; None if none will."""
    moments = [
        moment
        for status, opens_at, closes_at in periods
        if status == ConsultationStatus.OPEN
        for moment in (opens_at, closes_at)
        if moment > now
    ]
    return min(moments, default=None)


def proposal_refusal(*, status: str, opens_at, closes_at, now) -> str | None:
    """Why a proposal from the portal is not accepted now, or None."""
    if status == ConsultationStatus.DRAFT:
        return _("This consultation is not open yet.")
    if status in FROZEN_STATUSES or now >= closes_at:
        return _("The consultation closed on %(date)s: proposals are no longer accepted.") % {
            "date": _when(closes_at)
        }
    if now < opens_at:
        return _("The consultation opens on %(date)s.") % {"date": _when(opens_at)}
    return None


def _when(moment: datetime.datetime) -> str:
    return date_format(localtime(moment), "d.m.Y H:i")
