"""The register of the municipal council's decisions, as public as on the portal: number, year,
date, session, protocol, subject and text, votes and the document; on one decision, what it acts
on (the plan versions it adopts, the reports it approves...), as its page lists them."""

import datetime as dt

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from civitas.council import selectors
from civitas.council.models import Decision

from .base import READ_ERRORS, ApiError, Page, page, strict_query
from .listing import absolute, file_url, municipality_param, since_param

router = Router()


class DecisionOut(Schema):
    id: int
    municipality: str
    url: str
    web_url: str
    number: int
    year: int
    date: dt.date
    session: str
    protocol_number: int | None
    subject_bg: str
    subject_en: str
    text_bg: str
    text_en: str
    votes_for: int | None
    votes_against: int | None
    votes_abstained: int | None
    document_url: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ActOut(Schema):
    label: str
    web_url: str | None


class ActGroupOut(Schema):
    relation: str
    label: str
    items: list[ActOut]


class DecisionDetailOut(DecisionOut):
    acts_on: list[ActGroupOut]


def decision_out(request: HttpRequest, decision: Decision) -> dict:
    slug = decision.municipality.slug
    return {
        "id": decision.pk,
        "municipality": slug,
        "url": absolute(request, "api:decision", decision.pk),
        "web_url": absolute(request, "council:detail", slug, decision.year, decision.number),
        "number": decision.number,
        "year": decision.year,
        "date": decision.date,
        "session": decision.session_kind,
        "protocol_number": decision.protocol_number,
        "subject_bg": decision.subject_bg,
        "subject_en": decision.subject_en,
        "text_bg": decision.text_bg,
        "text_en": decision.text_en,
        "votes_for": decision.votes_for,
        "votes_against": decision.votes_against,
        "votes_abstained": decision.votes_abstained,
        "document_url": file_url(request, decision.document),
        "created_at": decision.created_at,
        "updated_at": decision.updated_at,
    }


@router.get("", response={200: Page[DecisionOut], **READ_ERRORS}, url_name="decisions")
def decisions(
    request: HttpRequest,
    municipality: str | None = None,
    year: str | None = None,
    session: str | None = None,
    acts_on: str | None = None,
    q: str | None = None,
    updated_since: str | None = None,
):
    """The council's decisions. Filters: ``municipality`` (its address name), ``year``,
    ``session`` (regular, extraordinary), ``acts_on`` (a kind of record the decision acts on, as
    named in a decision's ``acts_on``, e.g. plan_versions), ``q`` (words of the number, subject or
    text), ``updated_since`` (ISO 8601)."""
    strict_query(request, "municipality", "year", "session", "acts_on", "q", "updated_since")
    town = municipality_param(municipality)
    since = since_param(updated_since)
    filters, errors = selectors.decision_filters_from(
        {"year": year, "session": session, "acts_on": acts_on, "q": q}, municipality=town
    )
    if errors:
        names = ", ".join(sorted(errors))
        raise ApiError(
            400,
            "invalid_parameter",
            _("These filters name nothing: %(names)s. Known kinds for acts_on: %(relations)s.")
            % {"names": names, "relations": ", ".join(r.name for r in selectors.relations())},
        )
    found = selectors.decision_list(municipality=town, filters=filters).select_related("municipality")
    if since:
        found = found.filter(updated_at__gte=since)
    return page(request, found, lambda decision: decision_out(request, decision))


@router.get("/{pk}", response={200: DecisionDetailOut, **READ_ERRORS}, url_name="decision")
def decision(request: HttpRequest, pk: int):
    """One decision with the public records it acts on, grouped by kind (one query per kind)."""
    strict_query(request)
    found = selectors.decision_list(municipality=None).select_related("municipality").filter(pk=pk).first()
    if found is None:
        raise Http404("No such decision")
    groups = selectors.decision_acts(found)
    return decision_out(request, found) | {
        "acts_on": [
            {
                "relation": group.name,
                "label": group.label,
                "items": [
                    {"label": act.label, "web_url": request.build_absolute_uri(act.url) if act.url else None}
                    for act in group.acts
                ],
            }
            for group in groups
        ]
    }
