"""Reads of consultations for pages and exports, each in a fixed number of queries whatever the
number of sections, paragraphs and proposals.

``report`` is the one definition of the table of proposals and answers: the report page and its
DOCX, XLSX and CSV downloads all read their rows from it.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core.selectors import FileAccess, strictest
from civitas.plans import selectors as plan_selectors
from civitas.plans.models import PlanVersion

from . import policy
from .models import (
    Consultation,
    ConsultationStatus,
    Flag,
    ModerationEntry,
    Paragraph,
    Proposal,
    ProposalState,
    Section,
)

PUBLIC_STATES = (ProposalState.VISIBLE, ProposalState.HIDDEN)


def consultation_list(*, municipality, include_drafts: bool = False):
    """The municipality's consultations (every municipality's when ``municipality`` is None, for
    the API), newest first, each with ``proposal_count``, its public proposals: one query."""
    qs = Consultation.objects.annotate(
        proposal_count=Count("proposals", filter=Q(proposals__state__in=PUBLIC_STATES))
    )
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if not include_drafts:
        qs = qs.exclude(status=ConsultationStatus.DRAFT)
    return qs.order_by("-opens_at", "-pk")


def consultation_get(*, municipality, slug: str, include_drafts: bool = False) -> Consultation:
    consultation = (
        Consultation.objects.select_related("plan", "plan_version", "results_decision")
        .defer("plan_version__snapshot")
        .filter(municipality=municipality, slug=slug)
        .first()
    )
    if consultation is None or (consultation.status == ConsultationStatus.DRAFT and not include_drafts):
        raise Http404("No such consultation")
    consultation.municipality = municipality
    return consultation


def author_name(proposal: Proposal) -> str:
    """Who sent the proposal, as shown publicly: the citizen's display name or the recorded name."""
    if proposal.submitter_name:
        return proposal.submitter_name
    user = proposal.author
    if user is None:
        return _("Deleted user")
    profile = getattr(user, "profile", None) if _has_profile(user) else None
    return (profile.display_name if profile else "") or user.get_full_name() or user.username


def _has_profile(user) -> bool:
    try:
        user.profile  # noqa: B018 (loaded by select_related, or raises)
    except Exception:  # RelatedObjectDoesNotExist
        return False
    return True


def submitter(proposal: Proposal) -> str:
    """Author and organisation in one line: "Organisation (Name)", or just one of them."""
    name = author_name(proposal)
    if proposal.organisation:
        return (
            f"{proposal.organisation} ({name})"
            if name and name != proposal.organisation
            else proposal.organisation
        )
    return name


@dataclass
class ParagraphView:
    paragraph: Paragraph
    number: str
    proposals: list[Proposal] = field(default_factory=list)


@dataclass
class SectionView:
    section: Section
    paragraphs: list[ParagraphView] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)  # on the section as a whole

    @property
    def proposal_count(self) -> int:
        return len(self.proposals) + sum(len(p.proposals) for p in self.paragraphs)


@dataclass
class Draft:
    consultation: Consultation
    sections: list[SectionView]
    general: list[Proposal]
    paragraph_count: int

    @property
    def proposal_count(self) -> int:
        return len(self.general) + sum(s.proposal_count for s in self.sections)


def draft_target(consultation: Consultation, target: str) -> tuple[Paragraph | None, Section | None]:
    """(paragraph, section) named by a proposal form's target: "p:<id>", "s:<id>" or "" (the whole
    draft); ValidationError when it names no part of this consultation's draft (any more)."""
    kind, _sep, pk = (target or "").partition(":")
    if not target:
        return None, None
    if not pk.isdigit():
        raise ValidationError({"text": [_("The part of the draft you commented on no longer exists.")]})
    if kind == "p":
        paragraph = (
            Paragraph.objects.select_related("section")
            .filter(section__consultation=consultation, pk=pk)
            .first()
        )
        if paragraph is not None:
            return paragraph, paragraph.section
    elif kind == "s":
        section = Section.objects.filter(consultation=consultation, pk=pk).first()
        if section is not None:
            return None, section
    raise ValidationError({"text": [_("The part of the draft you commented on no longer exists.")]})


def draft_targets(consultation: Consultation) -> list[tuple[str, str]]:
    """Choices of what a recorded proposal is about: the whole draft, a section or a paragraph."""
    choices = [("", _("The draft as a whole"))]
    sections = Section.objects.filter(consultation=consultation).order_by("position")
    paragraphs = Paragraph.objects.filter(section__consultation=consultation).order_by("position")
    by_section: dict[int, list] = {}
    for paragraph in paragraphs:
        by_section.setdefault(paragraph.section_id, []).append(paragraph)
    for section in sections:
        choices.append((f"s:{section.pk}", f"{section.position}. {section_title(section)}"[:120]))
        for paragraph in by_section.get(section.pk, []):
            choices.append(
                (f"p:{paragraph.pk}", f"  {section.position}.{paragraph.position} {paragraph.text_bg}"[:120])
            )
    return choices


def _proposals(consultation: Consultation, states):
    return list(
        Proposal.objects.filter(consultation=consultation, state__in=states)
        .select_related("author__profile", "answer")
        .order_by("received_at", "pk")
    )


def draft(consultation: Consultation, *, states=PUBLIC_STATES) -> Draft:
    """The draft section by section, each paragraph with the proposals on it: three queries."""
    sections = list(Section.objects.filter(consultation=consultation).order_by("position"))
    paragraphs = list(
        Paragraph.objects.filter(section__consultation=consultation).order_by("section_id", "position")
    )
    views = {s.pk: SectionView(section=s) for s in sections}
    paragraph_views = {}
    for paragraph in paragraphs:
        section_view = views[paragraph.section_id]
        view = ParagraphView(
            paragraph=paragraph, number=f"{section_view.section.position}.{paragraph.position}"
        )
        section_view.paragraphs.append(view)
        paragraph_views[paragraph.pk] = view
    general = []
    for proposal in _proposals(consultation, states):
        if proposal.paragraph_id in paragraph_views:
            paragraph_views[proposal.paragraph_id].proposals.append(proposal)
        elif proposal.section_id in views:
            views[proposal.section_id].proposals.append(proposal)
        else:
            general.append(proposal)
    return Draft(
        consultation=consultation, sections=[views[s.pk] for s in sections], general=general,
        paragraph_count=len(paragraphs),
    )  # fmt: skip


# The table of proposals and answers ----------------------------------------------------------


@dataclass
class ReportRow:
    number: int
    group: str
    target: str
    source: str
    received_at: datetime.datetime
    submitter: str
    text: str
    decision: str
    reasons: str
    hidden: bool
    proposal: Proposal

    def cells(self) -> list:
        """The row as the downloads write it (the same columns as ``report_header``)."""
        return [
            self.number, self.target, self.source, timezone.localtime(self.received_at).strftime("%d.%m.%Y"), self.submitter,
            self.text, self.decision, self.reasons,
        ]  # fmt: skip


@dataclass
class ReportGroup:
    title: str
    rows: list[ReportRow]


@dataclass
class Report:
    consultation: Consultation
    groups: list[ReportGroup]

    @property
    def rows(self) -> list[ReportRow]:
        return [row for group in self.groups for row in group.rows]

    def counts(self) -> dict[str, int]:
        by_decision: dict[str, int] = {}
        for row in self.rows:
            if not row.hidden and row.decision:
                by_decision[row.decision] = by_decision.get(row.decision, 0) + 1
        return by_decision


def report_header() -> list[str]:
    return [
        _("No."), _("Part of the draft"), _("Source"), _("Received on"), _("Submitted by"), _("Proposal"),
        _("Decision"), _("Reasons"),
    ]  # fmt: skip


def section_title(section: Section) -> str:
    heading = section.heading
    if not heading:
        return _("Section %(number)s") % {"number": section.position}
    return heading


def report(consultation: Consultation, *, drafted: Draft | None = None) -> Report:
    """Every public proposal (visible, or hidden with its public reason), grouped: general
    proposals first, then section by section in the draft's order (on the section, then on its
    paragraphs in order); numbered from 1. Three queries (none when given the ``draft``)."""
    d = drafted or draft(consultation)
    number = 0
    groups = []

    def rows(proposals: list[Proposal], target: str) -> list[ReportRow]:
        nonlocal number
        result = []
        for proposal in proposals:
            number += 1
            answer = getattr(proposal, "answer", None) if _has_answer(proposal) else None
            hidden = proposal.state == ProposalState.HIDDEN
            text = (
                _("Hidden by a moderator: %(reason)s") % {"reason": proposal.hidden_reason}
                if hidden
                else proposal.text
            )
            result.append(
                ReportRow(
                    number=number, group="", target=target, source=proposal.get_source_display(),
                    received_at=proposal.received_at, submitter=submitter(proposal), text=text,
                    decision=answer.get_decision_display() if answer else "", reasons=answer.reasons if answer else "",
                    hidden=hidden, proposal=proposal,
                )
            )  # fmt: skip
        return result

    if d.general:
        groups.append(
            ReportGroup(title=_("The draft as a whole"), rows=rows(d.general, _("General proposal")))
        )
    for view in d.sections:
        title = section_title(view.section)
        group_rows = rows(view.proposals, _("Section %(number)s") % {"number": view.section.position})
        for paragraph in view.paragraphs:
            group_rows += rows(paragraph.proposals, _("Paragraph %(number)s") % {"number": paragraph.number})
        if group_rows:
            for row in group_rows:
                row.group = title
            groups.append(ReportGroup(title=title, rows=group_rows))
    for group in groups:
        for row in group.rows:
            row.group = row.group or group.title
    return Report(consultation=consultation, groups=groups)


def _has_answer(proposal: Proposal) -> bool:
    try:
        proposal.answer  # noqa: B018 (loaded by select_related, or raises)
    except Exception:  # RelatedObjectDoesNotExist
        return False
    return True


def answer_of(proposal: Proposal):
    return proposal.answer if _has_answer(proposal) else None


# Staff -------------------------------------------------------------------------------------------


def proposal_counts(consultation: Consultation) -> dict:
    """How many proposals are visible, answered, pending, hidden and flagged: one query."""
    return Proposal.objects.filter(consultation=consultation).aggregate(
        visible=Count("pk", filter=Q(state=ProposalState.VISIBLE)),
        answered=Count("pk", filter=Q(state=ProposalState.VISIBLE, answer__isnull=False)),
        pending=Count("pk", filter=Q(state=ProposalState.PENDING)),
        hidden=Count("pk", filter=Q(state=ProposalState.HIDDEN)),
        flagged=Count("pk", filter=Q(flags__resolved=False), distinct=True),
    )


def moderation_queue(*, municipality, consultation: Consultation | None = None):
    """Proposals awaiting approval or with open flags, oldest first, each with its open flags."""
    qs = (
        Proposal.objects.filter(consultation__municipality=municipality)
        .filter(Q(state=ProposalState.PENDING) | Q(flags__resolved=False))
        .select_related("consultation", "author__profile")
        .distinct()
        .order_by("created_at", "pk")
    )
    if consultation is not None:
        qs = qs.filter(consultation=consultation)
    proposals = list(qs[:200])
    flags: dict[int, list[Flag]] = {}
    for flag in Flag.objects.filter(proposal__in=proposals, resolved=False).order_by("created_at"):
        flags.setdefault(flag.proposal_id, []).append(flag)
    for proposal in proposals:
        proposal.open_flags = flags.get(proposal.pk, [])
    return proposals


def moderation_log(*, municipality, limit: int = 100):
    return (
        ModerationEntry.objects.filter(municipality=municipality)
        .select_related("consultation", "moderator", "user")
        .order_by("-at", "-pk")[:limit]
    )


def municipality_ids_of_author(user) -> set[int]:
    """The municipalities in whose consultations the person has made proposals (their name may be
    shown there)."""
    return set(
        Proposal.objects.filter(author=user)
        .values_list("consultation__municipality_id", flat=True)
        .distinct()
    )


def personal_data(user) -> dict:
    """A person's proposals and flags, for the download of their data (GDPR art. 15 and 20)."""
    proposals = (
        Proposal.objects.filter(author=user).select_related("consultation", "answer").order_by("received_at")
    )
    return {
        "proposals": [
            {
                "consultation": p.consultation.title_bg,
                "text": p.text,
                "organisation": p.organisation,
                "received_at": p.received_at.isoformat(),
                "state": p.state,
                "attachment": p.attachment.name or None,
                "answer": (
                    {"decision": p.answer.decision, "reasons": p.answer.reasons_bg}
                    if _has_answer(p)
                    else None
                ),
            }
            for p in proposals
        ],  # fmt: skip
        "flags": [
            {"proposal": f.proposal_id, "reason": f.reason, "created_at": f.created_at.isoformat()}
            for f in Flag.objects.filter(reporter=user).order_by("created_at")
        ],
    }


def file_access(user, name: str):
    """Who may download the uploaded file ``name`` if consultations store it (None: none does): a
    proposal's attachment while the proposal is visible in a published consultation, the draft
    document once the consultation is published; the municipality's planners and moderators
    always (planners only, for the draft document). Two indexed queries."""
    if not name:  # an empty name is every record without a file
        return None

    def proposal_access(proposal: Proposal) -> FileAccess:
        if (
            proposal.state == ProposalState.VISIBLE
            and proposal.consultation.status != ConsultationStatus.DRAFT
        ):
            return FileAccess.PUBLIC
        municipality = proposal.consultation.municipality
        if policy.can_moderate(user, municipality) or policy.can_manage(user, municipality):
            return FileAccess.PRIVATE
        return FileAccess.DENIED

    def document_access(consultation: Consultation) -> FileAccess:
        if consultation.status != ConsultationStatus.DRAFT:
            return FileAccess.PUBLIC
        if policy.can_manage(user, consultation.municipality):
            return FileAccess.PRIVATE
        return FileAccess.DENIED

    proposals = (
        Proposal.objects.filter(attachment=name).order_by().select_related("consultation__municipality")
    )
    consultations = Consultation.objects.filter(document=name).order_by().select_related("municipality")
    return strictest([*(proposal_access(p) for p in proposals), *(document_access(c) for c in consultations)])


# The back office's home --------------------------------------------------------------------------

# "Closing soon" on the staff home: open consultations whose period ends within this many days.
CLOSING_SOON_DAYS = 14


def closing_soon(*, municipality, days: int = CLOSING_SOON_DAYS, now: datetime.datetime | None = None):
    """Open consultations whose period ends within ``days``, the soonest first: one query."""
    now = now or timezone.now()
    return list(
        Consultation.objects.filter(
            municipality=municipality,
            status=ConsultationStatus.OPEN,
            closes_at__gte=now,
            closes_at__lte=now + datetime.timedelta(days=days),
        ).order_by("closes_at", "pk")
    )


def awaiting_answers(*, municipality, limit: int = 8):
    """Consultations with visible proposals that have no official answer yet (the report is not
    published: answers are still written), each with ``unanswered``, most first: one query."""
    return list(
        Consultation.objects.filter(municipality=municipality)
        .exclude(status__in=[ConsultationStatus.DRAFT, ConsultationStatus.PUBLISHED])
        .annotate(
            unanswered=Count(
                "proposals",
                filter=Q(proposals__state=ProposalState.VISIBLE, proposals__answer__isnull=True),
            )
        )
        .filter(unanswered__gt=0)
        .order_by("-unanswered", "closes_at", "pk")[:limit]
    )


def moderation_count(*, municipality) -> int:
    """How many proposals wait for a moderator (the ``moderation_queue``'s length): one query."""
    return (
        Proposal.objects.filter(consultation__municipality=municipality)
        .filter(Q(state=ProposalState.PENDING) | Q(flags__resolved=False))
        .values("pk")
        .distinct()
        .count()
    )


# Consultations on versions of a plan ----------------------------------------------------------------


def version_after_consultation(consultation: Consultation) -> PlanVersion | None:
    """The version of the plan that followed the one the consultation was held on (its next
    version, with its decision; no snapshot): what became of the proposals. None when the
    consultation was on no version, or none has followed yet. One query, none without a version."""
    if consultation.plan_version is None:
        return None
    return plan_selectors.plan_version_next(consultation.plan_version)


def consultation_before_version(version: PlanVersion) -> Consultation | None:
    """The public consultation held on the version just before ``version`` of its plan (the one
    whose table of proposals and answers led to it), or None. Two queries."""
    previous = (
        PlanVersion.objects.filter(plan_id=version.plan_id, number__lt=version.number)
        .order_by("-number")
        .values_list("pk", flat=True)
        .first()
    )
    if previous is None:
        return None
    return (
        Consultation.objects.filter(plan_version_id=previous)
        .exclude(status=ConsultationStatus.DRAFT)
        .order_by("-closes_at", "-pk")
        .first()
    )


def consultations_on_versions(plan) -> dict[int, Consultation]:
    """The consultations held on the plan's versions (drafts included, for staff), by the version's
    id (the latest one per version). One query."""
    found: dict[int, Consultation] = {}
    for consultation in Consultation.objects.filter(plan_version__plan=plan).order_by("closes_at", "pk"):
        if consultation.plan_version_id is not None:
            found[consultation.plan_version_id] = consultation
    return found
