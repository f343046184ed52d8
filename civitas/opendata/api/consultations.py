"""Public consultations as the portal shows them: every consultation but drafts; on one, its draft
in sections and paragraphs and its public proposals (visible ones, and hidden ones with the
moderator's public reason only), each with the municipality's answer once the table of proposals
and answers ("справка") is published. Authors appear by the name the portal shows, never by
their e-mail or account."""

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from civitas.consultations import selectors
from civitas.consultations.models import Consultation, ConsultationStatus, ProposalState

from .base import READ_ERRORS, Page, page, strict_query
from .listing import absolute, choice_param, file_url, municipality_param, since_param

router = Router()

PUBLIC_STATUSES = [s for s in ConsultationStatus.values if s != ConsultationStatus.DRAFT]


class ConsultationOut(Schema):
    id: int
    slug: str
    municipality: str
    url: str
    web_url: str
    title_bg: str
    title_en: str
    summary_bg: str
    summary_en: str
    status: str
    opens_at: datetime
    closes_at: datetime
    accepts_proposals: bool
    short_period_reason: str
    closed_at: datetime | None
    report_published_at: datetime | None
    report_web_url: str | None
    document_url: str | None
    plan: str | None
    results_decision_url: str | None
    proposal_count: int
    created_at: datetime
    updated_at: datetime


class ParagraphOut(Schema):
    id: int
    number: str
    text_bg: str
    text_en: str


class SectionOut(Schema):
    id: int
    position: int
    heading_bg: str
    heading_en: str
    paragraphs: list[ParagraphOut]


class AnswerOut(Schema):
    decision: str
    reasons_bg: str
    reasons_en: str
    answered_at: datetime


class ProposalOut(Schema):
    id: int
    web_url: str
    number: int
    part: str
    part_label: str
    section_id: int | None
    paragraph_id: int | None
    source: str
    received_at: datetime
    submitted_by: str
    hidden: bool
    hidden_reason: str
    text: str
    attachment_url: str | None
    answer: AnswerOut | None


class ConsultationDetailOut(ConsultationOut):
    sections: list[SectionOut]
    proposals: list[ProposalOut]


def consultation_out(request: HttpRequest, consultation: Consultation, proposal_count: int) -> dict:
    slug = consultation.municipality.slug
    return {
        "id": consultation.pk,
        "slug": consultation.slug,
        "municipality": slug,
        "url": absolute(request, "api:consultation", consultation.pk),
        "web_url": absolute(request, "consultations:detail", slug, consultation.slug),
        "title_bg": consultation.title_bg,
        "title_en": consultation.title_en,
        "summary_bg": consultation.summary_bg,
        "summary_en": consultation.summary_en,
        "status": consultation.status,
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
        "accepts_proposals": consultation.accepts_proposals(),
        "short_period_reason": consultation.short_period_reason,
        "closed_at": consultation.closed_at,
        "report_published_at": consultation.report_published_at,
        "report_web_url": (
            absolute(request, "consultations:report", slug, consultation.slug)
            if consultation.report_is_published
            else None
        ),
        "document_url": file_url(request, consultation.document),
        "plan": consultation.plan.slug if consultation.plan and consultation.plan.is_public else None,
        "results_decision_url": (
            absolute(request, "api:decision", consultation.results_decision_id)
            if consultation.results_decision_id
            else None
        ),
        "proposal_count": proposal_count,
        "created_at": consultation.created_at,
        "updated_at": consultation.updated_at,
    }


def proposal_out(request: HttpRequest, consultation: Consultation, row: selectors.ReportRow) -> dict:
    proposal = row.proposal
    hidden = proposal.state == ProposalState.HIDDEN
    answer = selectors.answer_of(proposal) if consultation.report_is_published else None
    return {
        "id": proposal.pk,
        "web_url": absolute(
            request, "consultations:detail", consultation.municipality.slug, consultation.slug
        )
        + f"#proposal-{proposal.pk}",
        "number": row.number,
        "part": proposal.target,
        "part_label": row.target,
        "section_id": proposal.section_id,
        "paragraph_id": proposal.paragraph_id,
        "source": proposal.source,
        "received_at": proposal.received_at,
        "submitted_by": row.submitter,
        "hidden": hidden,
        "hidden_reason": proposal.hidden_reason if hidden else "",
        "text": "" if hidden else proposal.text,
        "attachment_url": None if hidden else file_url(request, proposal.attachment),
        "answer": (
            {
                "decision": answer.decision,
                "reasons_bg": answer.reasons_bg,
                "reasons_en": answer.reasons_en,
                "answered_at": answer.answered_at,
            }
            if answer
            else None
        ),
    }


@router.get("", response={200: Page[ConsultationOut], **READ_ERRORS}, url_name="consultations")
def consultations(
    request: HttpRequest,
    municipality: str | None = None,
    status: str | None = None,
    updated_since: str | None = None,
):
    """Public consultations (drafts are not public). Filters: ``municipality`` (its address name),
    ``status`` (open, closed, published: the table of proposals and answers is out),
    ``updated_since`` (ISO 8601)."""
    strict_query(request, "municipality", "status", "updated_since")
    town = municipality_param(municipality)
    chosen = choice_param("status", status, PUBLIC_STATUSES)
    since = since_param(updated_since)
    found = selectors.consultation_list(municipality=town).select_related("municipality", "plan")
    if chosen:
        found = found.filter(status=chosen)
    if since:
        found = found.filter(updated_at__gte=since)
    return page(request, found, lambda c: consultation_out(request, c, c.proposal_count))


@router.get("/{pk}", response={200: ConsultationDetailOut, **READ_ERRORS}, url_name="consultation")
def consultation(request: HttpRequest, pk: int):
    """One public consultation with its draft's sections and paragraphs and its public proposals,
    numbered as in the table of proposals and answers; each proposal carries the municipality's
    answer once that table is published."""
    strict_query(request)
    found = (
        selectors.consultation_list(municipality=None)
        .select_related("municipality", "plan")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such consultation")
    drafted = selectors.draft(found)
    report = selectors.report(found, drafted=drafted)
    body = consultation_out(request, found, found.proposal_count)
    body["sections"] = [
        {
            "id": view.section.pk,
            "position": view.section.position,
            "heading_bg": view.section.heading_bg,
            "heading_en": view.section.heading_en,
            "paragraphs": [
                {
                    "id": p.paragraph.pk,
                    "number": p.number,
                    "text_bg": p.paragraph.text_bg,
                    "text_en": p.paragraph.text_en,
                }
                for p in view.paragraphs
            ],
        }
        for view in drafted.sections
    ]
    body["proposals"] = [proposal_out(request, found, row) for row in report.rows]
    return body
