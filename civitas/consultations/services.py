"""Every write to consultations: the consultation and its draft text, proposals (from the portal,
or recorded by staff), answers, flags, moderation, closing and publishing the report.

The rules of the life cycle:
- a consultation lasts at least 30 days unless the reason for a shorter period is given;
- citizens send proposals only while it is open and the period runs; staff record proposals
  received by e-mail, letter or at a hearing while it is not yet closed, dated within the period;
- closing freezes the record: the consultation, its draft and its proposals (and their
  moderation) cannot change afterwards; answers are still written until the report is published;
- the report is published only when every visible proposal has an answer; then the answers are
  frozen too.
Every service checks the consultations' policy first, whoever calls it. Staff actions are
audit-logged; refusals that matter to moderators (floods, late proposals, markup, robots) go to the
consultations' moderation log. A change the public can see (a consultation that is not a draft,
its visible proposals, the published report) moves the municipality's participation content on.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core import content, throttle
from civitas.core.content import Content
from civitas.core.dates import edited_date
from civitas.core.errors import ConflictError
from civitas.core.models import Municipality
from civitas.core.policy import person
from civitas.core.services import audit_record, bump_version, field_changes
from civitas.core.uploads import check_upload
from civitas.plans.models import PlanElement, VersionKind
from civitas.projects.models import ProjectContribution

from . import policy, rules, tasks
from .models import (
    Answer,
    Consultation,
    ConsultationStatus,
    Decision,
    Flag,
    ModerationEntry,
    Paragraph,
    Proposal,
    ProposalState,
    Section,
    Source,
)

CONSULTATION_FIELDS = {
    "title_bg", "title_en", "summary_bg", "summary_en", "plan", "plan_version", "opens_at", "closes_at",
    "short_period_reason", "premoderation", "is_sample",
}  # fmt: skip
PROPOSAL_LIMIT = (5, 600)  # proposals per person per 10 minutes
ADDRESS_LIMIT = (20, 3600)  # proposals per network address per hour
FROZEN_MESSAGE = "The consultation is closed: its record is frozen and cannot be changed."


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _public_changed(consultation: Consultation) -> None:
    """The consultation's public page changed, unless it is a draft, which the public does not see."""
    if consultation.is_public:
        content.changed(consultation.municipality, Content.PARTICIPATION)


def _lock(consultation: Consultation) -> Consultation:
    """Read the consultation's current row under a lock: status changes and writes that depend on
    the status are serialised (on PostgreSQL; SQLite serialises all writes anyway)."""
    fresh = Consultation.objects.select_for_update().get(pk=consultation.pk)
    consultation.status, consultation.version = fresh.status, fresh.version
    consultation.closed_at, consultation.report_published_at = fresh.closed_at, fresh.report_published_at
    return fresh


def _refuse_if_frozen(consultation: Consultation) -> None:
    if consultation.is_frozen:
        raise ValidationError(_(FROZEN_MESSAGE), code="frozen")


def refusal_record(
    *, municipality: Municipality, consultation: Consultation | None, action: str, user=None, reason: str = "",
    address: str = "",
) -> ModerationEntry:  # fmt: skip
    """Write a refused submission to the moderation log (outside any transaction that rolls back)."""
    return ModerationEntry.objects.create(
        municipality=municipality, consultation=consultation, action=action,
        user=person(user), reason=reason[:300], address=address[:64],
    )  # fmt: skip


def _check_slug(municipality: Municipality, slug: str, exclude_pk=None) -> dict:
    try:
        validate_slug(slug or "")
    except ValidationError:
        return {"slug": [_("Use only Latin letters, digits, hyphens and underscores in the address name.")]}
    if Consultation.objects.filter(municipality=municipality, slug=slug).exclude(pk=exclude_pk).exists():
        return {
            "slug": [
                _("Another consultation of the municipality already uses the address name “%(slug)s”.")
                % {"slug": slug}
            ]
        }
    return {}


def _check_plan(municipality: Municipality, plan, plan_version=None) -> dict:
    if plan is not None and plan.municipality_id != municipality.pk:
        return {"plan": [_("The plan belongs to another municipality.")]}
    if plan_version is not None:
        if plan is None or plan_version.plan_id != plan.pk:
            return {
                "plan_version": [
                    _("The version consulted on must be a version of the plan under consultation.")
                ]
            }
        if plan_version.kind != VersionKind.CONSULTATION_DRAFT:
            return {
                "plan_version": [
                    _("A consultation is held on a version published as a draft for consultation.")
                ]
            }
    return {}


def _store_document(consultation: Consultation, upload, *, field_name: str) -> None:
    try:
        stored, _content_type, _size = check_upload(upload, photo=False)
    except ValidationError as error:
        raise ValidationError({field_name: error.message_dict["upload"]}) from None
    getattr(consultation, field_name).save(stored.name, stored, save=False)


# Consultations -----------------------------------------------------------------------------------


@transaction.atomic
def consultation_create(
    *,
    actor,
    municipality: Municipality,
    slug: str,
    title_bg: str,
    opens_at,
    closes_at,
    document=None,
    **fields,
) -> Consultation:
    policy.require_manage(actor, municipality)
    unknown = set(fields) - CONSULTATION_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    errors = rules.period_errors(opens_at, closes_at, fields.get("short_period_reason", ""))
    errors.update(_check_slug(municipality, slug))
    errors.update(_check_plan(municipality, fields.get("plan"), fields.get("plan_version")))
    if not (title_bg or "").strip():
        errors["title_bg"] = [_("Give the consultation a title.")]
    _raise(errors)
    consultation = Consultation(
        municipality=municipality, slug=slug, title_bg=title_bg.strip(), opens_at=opens_at, closes_at=closes_at,
        **fields,
    )  # fmt: skip
    if document is not None:
        _store_document(consultation, document, field_name="document")
    consultation.full_clean(validate_unique=False, validate_constraints=False)
    consultation.save()  # a draft: nothing public yet
    audit_record(actor=actor, municipality=municipality, action="create", obj=consultation)
    return consultation


@transaction.atomic
def consultation_update(
    *,
    actor,
    consultation: Consultation,
    expected_version: int,
    slug: str | None = None,
    document=None,
    **fields,
) -> Consultation:
    municipality = consultation.municipality
    policy.require_manage(actor, municipality)
    _lock(consultation)
    _refuse_if_frozen(consultation)
    unknown = set(fields) - CONSULTATION_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name in ("opens_at", "closes_at"):
        if name in fields:  # a date left as the form showed it (to the minute) is unchanged
            fields[name] = edited_date(stored=getattr(consultation, name), submitted=fields[name])
    data = {f: getattr(consultation, f) for f in CONSULTATION_FIELDS} | fields
    errors = rules.period_errors(data["opens_at"], data["closes_at"], data["short_period_reason"])
    if slug is not None and slug != consultation.slug:
        errors.update(_check_slug(municipality, slug, exclude_pk=consultation.pk))
        fields["slug"] = slug
    errors.update(_check_plan(municipality, data["plan"], data["plan_version"]))
    if not (data["title_bg"] or "").strip():
        errors["title_bg"] = [_("Give the consultation a title.")]
    if consultation.status == ConsultationStatus.OPEN:
        if data["opens_at"] != consultation.opens_at:
            errors["opens_at"] = [_("The consultation is open: its opening date cannot change.")]
        elif data["closes_at"] != consultation.closes_at and data["closes_at"] <= timezone.now():
            errors["closes_at"] = [
                _("The consultation is open: its closing date cannot be moved into the past.")
            ]
    _raise(errors)
    bump_version(instance=consultation, expected_version=expected_version)
    changes = field_changes(consultation, fields)
    for name, value in fields.items():
        setattr(consultation, name, value)
    if document is not None:
        _store_document(consultation, document, field_name="document")
        changes["document"] = [None, consultation.document.name]
    consultation.full_clean(validate_unique=False, validate_constraints=False)
    consultation.save()
    _public_changed(consultation)
    audit_record(actor=actor, municipality=municipality, action="update", obj=consultation, changes=changes)
    return consultation


@transaction.atomic
def consultation_results_decision_set(
    *, actor, consultation: Consultation, decision, expected_version: int
) -> Consultation:
    """Record the council's decision that adopts the results of the consultation (or clear it with
    None). Allowed in any state after the consultation opened: the decision comes after it closed,
    and this changes nothing of its frozen record."""
    municipality = consultation.municipality
    policy.require_manage(actor, municipality)
    _lock(consultation)
    if decision is not None and consultation.status == ConsultationStatus.DRAFT:
        raise ValidationError(
            {"results_decision": [_("A draft consultation has no results for the council to adopt.")]}
        )
    if decision is not None and decision.municipality_id != municipality.pk:
        raise ValidationError({"results_decision": [_("The decision is another municipality's council's.")]})
    changes = field_changes(consultation, {"results_decision": decision})
    bump_version(instance=consultation, expected_version=expected_version)
    consultation.results_decision = decision
    consultation.save(update_fields=["results_decision", "version", "updated_at"])
    _public_changed(consultation)
    if consultation.is_public:
        content.changed(municipality, Content.PLANNING)  # the decision's page in the register
    audit_record(actor=actor, municipality=municipality, action="update", obj=consultation, changes=changes)
    return consultation


@transaction.atomic
def consultation_open(
    *, actor, consultation: Consultation, now: datetime.datetime | None = None
) -> Consultation:
    """Publish a draft consultation: from its opening date, citizens send proposals. The period
    that counts is the one the public really gets: from now, if the planned opening has passed,
    to the closing date, which must be ahead; it lasts 30 days unless a reason is given."""
    now = now or timezone.now()
    policy.require_manage(actor, consultation.municipality)
    _lock(consultation)
    if consultation.status != ConsultationStatus.DRAFT:
        raise ValidationError(_("Only a draft consultation can be opened."))
    if consultation.closes_at <= now:
        raise ValidationError(
            {
                "closes_at": [
                    _("The closing date has passed: set a new period before opening the consultation.")
                ]
            }
        )
    opens_at = max(consultation.opens_at, now)  # opened late: the period starts now
    _raise(rules.period_errors(opens_at, consultation.closes_at, consultation.short_period_reason))
    has_text = Paragraph.objects.filter(section__consultation=consultation).exists()
    if not has_text and not consultation.document:
        raise ValidationError(_("Add the draft's text or upload the draft document before opening."))
    changes = None
    if opens_at != consultation.opens_at:
        changes = {"opens_at": [consultation.opens_at.isoformat(), opens_at.isoformat()]}
    # An edit form opened before is stale: the status and possibly the opening date changed.
    bump_version(instance=consultation, expected_version=consultation.version)
    consultation.status, consultation.opens_at = ConsultationStatus.OPEN, opens_at
    consultation.save(update_fields=["status", "opens_at", "updated_at"])
    content.changed(consultation.municipality, Content.PARTICIPATION)
    audit_record(
        actor=actor, municipality=consultation.municipality, action="open", obj=consultation, changes=changes
    )
    return consultation


@transaction.atomic
def consultation_close(
    *, actor, consultation: Consultation, now: datetime.datetime | None = None
) -> Consultation:
    """Close the consultation after its period: the record of proposals is frozen from now on."""
    now = now or timezone.now()
    policy.require_manage(actor, consultation.municipality)
    _lock(consultation)
    if consultation.status != ConsultationStatus.OPEN:
        raise ValidationError(_("Only an open consultation can be closed."))
    if now < consultation.closes_at:
        raise ValidationError(
            _("The consultation period has not ended yet: it can be closed after %(date)s.")
            % {"date": rules._when(consultation.closes_at)}
        )
    pending = consultation.proposals.filter(state=ProposalState.PENDING).count()
    if pending:
        raise ValidationError(
            _("%(count)s proposal(s) still await moderation: approve or hide them before closing.")
            % {"count": pending}
        )
    consultation.status, consultation.closed_at = ConsultationStatus.CLOSED, now
    consultation.save(update_fields=["status", "closed_at", "updated_at"])
    content.changed(consultation.municipality, Content.PARTICIPATION)
    audit_record(actor=actor, municipality=consultation.municipality, action="close", obj=consultation)
    return consultation


@transaction.atomic
def report_publish(
    *, actor, consultation: Consultation, now: datetime.datetime | None = None, notify: bool = True
) -> Consultation:
    """Publish the table of proposals and answers; every visible proposal must have its answer.
    Everyone who sent a proposal through the portal is then e-mailed the answers (a background
    task after the commit), unless ``notify`` is off (sample data)."""
    policy.require_manage(actor, consultation.municipality)
    _lock(consultation)
    if consultation.status != ConsultationStatus.CLOSED:
        raise ValidationError(_("Close the consultation before publishing its report."))
    unanswered = consultation.proposals.filter(state=ProposalState.VISIBLE, answer__isnull=True).count()
    if unanswered:
        raise ValidationError(
            _("%(count)s proposal(s) have no answer yet: answer every proposal before publishing the report.")
            % {"count": unanswered}
        )
    consultation.status = ConsultationStatus.PUBLISHED
    consultation.report_published_at = now or timezone.now()
    consultation.save(update_fields=["status", "report_published_at", "updated_at"])
    content.changed(consultation.municipality, Content.PARTICIPATION)
    audit_record(
        actor=actor, municipality=consultation.municipality, action="publish_report", obj=consultation
    )
    if notify:
        transaction.on_commit(lambda: tasks.notify_answers.enqueue(consultation.pk))
    return consultation


# The draft's text --------------------------------------------------------------------------------


def _check_draft_editable(consultation: Consultation) -> None:
    _refuse_if_frozen(consultation)
    if consultation.proposals.exclude(section=None).exists():
        raise ValidationError(
            _(
                "Proposals already refer to the draft's sections and paragraphs: its text can no longer be replaced."
            )
        )


def _write_draft(consultation: Consultation, sections: list[tuple[str, str, list[tuple[str, str]]]]) -> None:
    Paragraph.objects.filter(section__consultation=consultation).delete()
    Section.objects.filter(consultation=consultation).delete()
    for s_position, (heading_bg, heading_en, paragraphs) in enumerate(sections, start=1):
        section = Section.objects.create(
            consultation=consultation,
            position=s_position,
            heading_bg=heading_bg[:500],
            heading_en=heading_en[:500],
        )
        Paragraph.objects.bulk_create(
            Paragraph(section=section, position=p_position, text_bg=bg, text_en=en)
            for p_position, (bg, en) in enumerate(paragraphs, start=1)
        )


@transaction.atomic
def draft_replace_text(
    *, actor, consultation: Consultation, text_bg: str, text_en: str = "", expected_version: int | None = None
) -> int:
    """Replace the draft's text by the pasted text, split into sections by headings and into
    paragraphs by blank lines; the English text, if given, must split the same way. Returns the
    number of paragraphs."""
    policy.require_manage(actor, consultation.municipality)
    if expected_version is None:  # the version of the object passed in, before _lock refreshes it
        expected_version = consultation.version
    _lock(consultation)
    _check_draft_editable(consultation)
    bg = rules.split_draft(text_bg)
    if not any(s.paragraphs for s in bg):
        raise ValidationError({"text_bg": [_("Paste the draft's text: it has no paragraphs.")]})
    for name, text in (("text_bg", text_bg), ("text_en", text_en)):
        if rules.contains_markup(text):
            raise ValidationError({name: [_("Paste the text without HTML tags or scripts.")]})
    en = rules.split_draft(text_en) if (text_en or "").strip() else None
    if en is not None and not rules.same_shape(bg, en):
        raise ValidationError(
            {"text_en": [_("The English text must have the same sections and paragraphs as the Bulgarian.")]}
        )
    sections = []
    for i, section in enumerate(bg):
        other = en[i] if en else None
        paragraphs = [(p, other.paragraphs[j] if other else "") for j, p in enumerate(section.paragraphs)]
        sections.append((section.heading, other.heading if other else "", paragraphs))
    # The sections and paragraphs are the consultation's: replacing them moves its version, so of
    # two editors (or a stale "generate from the plan" button) the second is refused.
    bump_version(instance=consultation, expected_version=expected_version)
    _write_draft(consultation, sections)
    count = sum(len(s[2]) for s in sections)
    _public_changed(consultation)
    audit_record(actor=actor, municipality=consultation.municipality, action="replace_draft", obj=consultation,
                 changes={"sections": len(sections), "paragraphs": count})  # fmt: skip
    return count


@transaction.atomic
def draft_from_plan(*, actor, consultation: Consultation, expected_version: int | None = None) -> int:
    """Generate the draft's text from the linked plan: its vision, then one section per top-level
    element (strategic goal) with its description, its sub-elements and the projects under it.
    Returns the number of paragraphs."""
    policy.require_manage(actor, consultation.municipality)
    if expected_version is None:  # the version of the object passed in, before _lock refreshes it
        expected_version = consultation.version
    _lock(consultation)
    _check_draft_editable(consultation)
    plan = consultation.plan
    if plan is None:
        raise ValidationError(_("Link the consultation to a plan first."))
    elements = list(PlanElement.objects.filter(plan=plan).order_by("position", "pk"))
    contributions = list(
        ProjectContribution.objects.filter(element__plan=plan)
        .select_related("project")
        .order_by("position", "project__code", "pk")
    )
    children: dict[int | None, list] = {}
    for element in elements:
        children.setdefault(element.parent_id, []).append(element)
    projects: dict[int, list] = {}
    for contribution in contributions:
        projects.setdefault(contribution.element_id, []).append(contribution.project)

    def pairs(text_bg: str, text_en: str) -> list[tuple[str, str]]:
        bg = [p.strip() for p in (text_bg or "").split("\n\n") if p.strip()]
        en = [p.strip() for p in (text_en or "").split("\n\n") if p.strip()]
        return list(zip(bg, en if len(en) == len(bg) else [""] * len(bg), strict=True))

    def describe(element) -> list[tuple[str, str]]:
        """The element's description, then each sub-element (its title and description), then the
        projects under it, one paragraph each."""
        texts = pairs(element.description_bg, element.description_en)
        for child in children.get(element.pk, []):
            texts.append(
                (f"{child.code} {child.title_bg}", f"{child.code} {child.title_en}" if child.title_en else "")
            )
            texts += describe(child)
        for project in projects.get(element.pk, []):
            texts.append(
                (
                    f"{project.code} {project.title_bg}",
                    f"{project.code} {project.title_en}" if project.title_en else "",
                )
            )
        return texts

    sections = []
    if plan.vision_bg.strip():
        sections.append(("Визия", "Vision", [(plan.vision_bg.strip(), plan.vision_en.strip())]))
    for element in children.get(None, []):
        paragraphs = describe(element) or [(element.title_bg, element.title_en)]
        heading_en = f"{element.code} {element.title_en}" if element.title_en else ""
        sections.append((f"{element.code} {element.title_bg}", heading_en, paragraphs))
    if not sections:
        raise ValidationError(_("The plan has no vision or elements to consult on."))
    # The sections and paragraphs are the consultation's: replacing them moves its version, so of
    # two editors (or a stale "generate from the plan" button) the second is refused.
    bump_version(instance=consultation, expected_version=expected_version)
    _write_draft(consultation, sections)
    count = sum(len(s[2]) for s in sections)
    _public_changed(consultation)
    audit_record(actor=actor, municipality=consultation.municipality, action="draft_from_plan", obj=consultation,
                 changes={"plan": plan.slug, "sections": len(sections), "paragraphs": count})  # fmt: skip
    return count


# Proposals ---------------------------------------------------------------------------------------


def _target(consultation: Consultation, paragraph: Paragraph | None, section: Section | None):
    if paragraph is not None:
        if paragraph.section.consultation_id != consultation.pk:
            raise ValidationError({"text": [_("The paragraph belongs to another consultation.")]})
        return paragraph.section, paragraph
    if section is not None and section.consultation_id != consultation.pk:
        raise ValidationError({"text": [_("The section belongs to another consultation.")]})
    return section, None


def _attach(proposal: Proposal, attachment) -> None:
    if attachment is None:
        return
    try:
        stored, content_type, _size = check_upload(attachment, photo=False)
    except ValidationError as error:
        raise ValidationError({"attachment": error.message_dict["upload"]}) from None
    proposal.attachment.save(stored.name or "", stored, save=False)
    proposal.attachment_type = content_type


def proposal_submit(
    *, actor, consultation: Consultation, text: str, paragraph: Paragraph | None = None,
    section: Section | None = None, organisation: str = "", attachment=None, address: str = "",
    submission_key: str | None = None, now: datetime.datetime | None = None,
) -> Proposal:  # fmt: skip
    """A citizen's proposal from the portal, on a paragraph, a section or the whole draft.

    Refused, with nothing stored, when the citizen is not signed in or blocked, the consultation
    does not accept proposals now, the text is empty, too long or contains HTML, the attachment
    is of a refused type or too large, or the person or address sends too many. Refusals that
    matter to moderators are logged (outside the transaction). Sending the same form twice
    (``submission_key``) stores one proposal. ``now`` is the moment of sending (the demo's
    historical consultation passes its own dates)."""
    municipality = consultation.municipality
    policy.require_propose(actor, municipality)
    now = now or timezone.now()
    refusal = rules.proposal_refusal(
        status=consultation.status, opens_at=consultation.opens_at, closes_at=consultation.closes_at, now=now
    )
    if refusal:
        if consultation.status != ConsultationStatus.DRAFT:
            refusal_record(municipality=municipality, consultation=consultation, action="refused_late", user=actor,
                           reason=refusal, address=address)  # fmt: skip
        raise ValidationError({"text": [refusal]})
    text, errors = rules.text_errors(text)
    if errors:
        if rules.contains_markup(text):
            refusal_record(municipality=municipality, consultation=consultation, action="refused_markup",
                           user=actor, reason=text[:300], address=address)  # fmt: skip
        raise ValidationError(errors)
    section, paragraph = _target(consultation, paragraph, section)
    if submission_key:
        existing = Proposal.objects.filter(consultation=consultation, submission_key=submission_key).first()
        if existing is not None:
            return existing
    if not (
        throttle.hit(f"proposal:user:{actor.pk}", limit=PROPOSAL_LIMIT[0], window=PROPOSAL_LIMIT[1])
        and throttle.hit(f"proposal:addr:{address}", limit=ADDRESS_LIMIT[0], window=ADDRESS_LIMIT[1])
    ):
        refusal_record(municipality=municipality, consultation=consultation, action="refused_flood", user=actor,
                       reason=f"address {address}", address=address)  # fmt: skip
        raise ValidationError(
            {
                "text": [
                    _(
                        "You are sending proposals too fast: wait a few minutes and try again. Nothing was saved."
                    )
                ]
            }
        )
    proposal = Proposal(
        consultation=consultation, section=section, paragraph=paragraph, source=Source.PORTAL, author=actor,
        organisation=rules.plain(organisation).strip()[:200], received_at=now, text=text,
        state=ProposalState.PENDING if consultation.premoderation else ProposalState.VISIBLE,
        submission_key=submission_key or None, is_sample=consultation.is_sample,
    )  # fmt: skip
    _attach(proposal, attachment)
    try:
        return _proposal_write(proposal=proposal, consultation=consultation, actor=actor)
    except IntegrityError:
        existing = Proposal.objects.filter(consultation=consultation, submission_key=submission_key).first()
        if submission_key and existing is not None:
            return existing
        raise


@transaction.atomic
def _proposal_write(*, proposal: Proposal, consultation: Consultation, actor) -> Proposal:
    _lock(consultation)
    if consultation.is_frozen:  # closed by staff while the proposal was being checked
        raise ValidationError({"text": [_(FROZEN_MESSAGE)]})
    proposal.save()
    if proposal.state == ProposalState.VISIBLE:  # one awaiting moderation is not public yet
        content.changed(consultation.municipality, Content.PARTICIPATION)
    audit_record(actor=actor, municipality=consultation.municipality, action="create", obj=proposal)
    return proposal


def proposal_record(
    *, actor, consultation: Consultation, source: str, text: str, received_at: datetime.datetime,
    submitter_name: str = "", organisation: str = "", paragraph: Paragraph | None = None,
    section: Section | None = None, attachment=None, is_sample: bool = False,
) -> Proposal:  # fmt: skip
    """Staff record a proposal received by e-mail, letter or at a public hearing (or a portal
    proposal sent another way), with who sent it and when it was received. Possible until the
    consultation is closed; the date received must fall within the consultation's period."""
    municipality = consultation.municipality
    policy.require_manage(actor, municipality)
    _refuse_if_frozen(consultation)
    errors = {}
    if consultation.status == ConsultationStatus.DRAFT:
        errors["source"] = [_("This consultation is not open yet.")]
    if source not in (Source.EMAIL, Source.LETTER, Source.HEARING):
        errors["source"] = [_("Choose where the proposal came from: e-mail, letter or public hearing.")]
    submitter_name, organisation = rules.plain(submitter_name).strip(), rules.plain(organisation).strip()
    if not submitter_name and not organisation:
        errors["submitter_name"] = [_("Give the name of the person or organisation who sent the proposal.")]
    if received_at is None or not (consultation.opens_at <= received_at <= consultation.closes_at):
        errors["received_at"] = [
            _("The date received must fall within the consultation's period (%(start)s – %(end)s).")
            % {"start": rules._when(consultation.opens_at), "end": rules._when(consultation.closes_at)}
        ]
    text, text_problems = rules.text_errors(text)
    errors.update(text_problems)
    _raise(errors)
    section, paragraph = _target(consultation, paragraph, section)
    proposal = Proposal(
        consultation=consultation, section=section, paragraph=paragraph, source=source,
        submitter_name=submitter_name[:200], organisation=organisation[:200], received_at=received_at, text=text,
        state=ProposalState.VISIBLE, entered_by=person(actor), is_sample=is_sample,
    )  # fmt: skip
    _attach(proposal, attachment)
    return _proposal_write(proposal=proposal, consultation=consultation, actor=actor)


# Answers -----------------------------------------------------------------------------------------


@transaction.atomic
def proposal_answer(
    *, actor, proposal: Proposal, decision: str, reasons_bg: str, reasons_en: str = "",
    expected_version: int | None = None, now: datetime.datetime | None = None,
) -> Answer:  # fmt: skip
    """Give or change the official answer to a proposal. ``expected_version`` is the answer's
    version the editor saw (None when they saw no answer): a concurrent edit is refused. The
    public sees answers only with the published report, after which they cannot change."""
    consultation = proposal.consultation
    policy.require_manage(actor, consultation.municipality)
    _lock(consultation)
    if consultation.status == ConsultationStatus.PUBLISHED:
        raise ValidationError(_("The report is published: its answers are frozen and cannot be changed."))
    # Read under the lock: a moderator may have hidden the proposal since the page was loaded.
    proposal.state = Proposal.objects.values_list("state", flat=True).get(pk=proposal.pk)
    if proposal.state != ProposalState.VISIBLE:
        raise ValidationError(_("Only visible proposals are answered: approve or restore it first."))
    reasons_bg, reasons_en = rules.plain(reasons_bg).strip(), rules.plain(reasons_en).strip()
    errors = rules.answer_errors(decision, reasons_bg, Decision.values)
    if not errors and rules.contains_markup(reasons_en):
        errors = {"reasons_en": [_("Write the text as plain text: HTML tags and scripts are not accepted.")]}
    _raise(errors)
    answer = Answer.objects.filter(proposal=proposal).first()
    data = {"decision": decision, "reasons_bg": reasons_bg, "reasons_en": reasons_en}
    if answer is None:
        if expected_version is not None:
            raise ConflictError()
        try:
            with transaction.atomic():
                answer = Answer.objects.create(proposal=proposal, answered_by=person(actor), answered_at=now or timezone.now(),
                                               **data)  # fmt: skip
        except IntegrityError:  # another answer was stored at the same moment
            raise ConflictError() from None
        audit_record(actor=actor, municipality=consultation.municipality, action="answer", obj=answer,
                     changes={"decision": decision})  # fmt: skip
        return answer
    if expected_version is None:
        raise ConflictError()
    bump_version(instance=answer, expected_version=expected_version)
    changes = field_changes(answer, data)
    for name, value in data.items():
        setattr(answer, name, value)
    answer.answered_by, answer.answered_at = person(actor), now or timezone.now()
    answer.save(update_fields=["decision", "reasons_bg", "reasons_en", "answered_by", "answered_at"])
    audit_record(
        actor=actor, municipality=consultation.municipality, action="update", obj=answer, changes=changes
    )
    return answer


# Flags and moderation ----------------------------------------------------------------------------


@transaction.atomic
def proposal_flag(*, actor, proposal: Proposal, reason: str) -> Flag:
    """Ask the moderators to look at a proposal; the public sees nothing of it."""
    policy.require_flag(actor)
    _refuse_if_frozen(proposal.consultation)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say what is wrong with the proposal.")]})
    try:
        with transaction.atomic():
            return Flag.objects.create(proposal=proposal, reporter=actor, reason=reason[:300])
    except IntegrityError:
        raise ValidationError({"reason": [_("You have already flagged this proposal.")]}) from None


def _moderate(
    *,
    actor,
    proposal: Proposal,
    state: str,
    reason: str,
    action: str,
    from_states: tuple[str, ...],
    refusal: str,
) -> Proposal:
    """Move the proposal to ``state`` if it is, as read under the lock, in one of ``from_states``:
    of two moderators acting on the same page, the second is refused (``refusal``) instead of
    logging the action twice or replacing the first one's public reason."""
    consultation = proposal.consultation
    _lock(consultation)
    _refuse_if_frozen(consultation)
    proposal.state = Proposal.objects.values_list("state", flat=True).get(pk=proposal.pk)
    if proposal.state not in from_states:
        raise ValidationError(refusal)
    proposal.state, proposal.hidden_reason = state, reason[:300]
    proposal.save(update_fields=["state", "hidden_reason"])
    proposal.flags.update(resolved=True)
    ModerationEntry.objects.create(
        municipality=consultation.municipality, consultation=consultation, moderator=person(actor), action=action,
        proposal=proposal, user=proposal.author, reason=reason[:300],
    )  # fmt: skip
    content.changed(consultation.municipality, Content.PARTICIPATION)
    audit_record(actor=actor, municipality=consultation.municipality, action=action, obj=proposal,
                 changes={"reason": reason} if reason else None)  # fmt: skip
    return proposal


@transaction.atomic
def proposal_approve(*, actor, proposal: Proposal) -> Proposal:
    policy.require_moderate(actor, proposal.consultation.municipality)
    return _moderate(actor=actor, proposal=proposal, state=ProposalState.VISIBLE, reason="", action="approve",
                     from_states=(ProposalState.PENDING,), refusal=_("The proposal does not await moderation."))  # fmt: skip


@transaction.atomic
def proposal_hide(*, actor, proposal: Proposal, reason: str) -> Proposal:
    policy.require_moderate(actor, proposal.consultation.municipality)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the public reason for hiding the proposal.")]})
    _lock(proposal.consultation)  # so that no answer is written between this check and the hiding
    if Answer.objects.filter(proposal=proposal).exists():
        raise ValidationError({"reason": [_("The proposal has an official answer: it cannot be hidden.")]})
    return _moderate(actor=actor, proposal=proposal, state=ProposalState.HIDDEN, reason=reason, action="hide",
                     from_states=(ProposalState.PENDING, ProposalState.VISIBLE),
                     refusal=_("The proposal is already hidden."))  # fmt: skip


@transaction.atomic
def proposal_restore(*, actor, proposal: Proposal) -> Proposal:
    policy.require_moderate(actor, proposal.consultation.municipality)
    return _moderate(actor=actor, proposal=proposal, state=ProposalState.VISIBLE, reason="", action="restore",
                     from_states=(ProposalState.HIDDEN,), refusal=_("The proposal is not hidden."))  # fmt: skip


@transaction.atomic
def block_record(*, actor, consultation: Consultation, user, reason: str) -> ModerationEntry:
    """Record in the consultations' moderation log that a moderator blocked the author of one of
    the consultation's proposals. The block itself is the forum's moderation
    (forum.services.user_block, which calls this when the block comes from a consultation's page):
    it bars the person from the municipality's forum and consultations alike."""
    policy.require_moderate(actor, consultation.municipality)
    return ModerationEntry.objects.create(
        municipality=consultation.municipality, consultation=consultation, moderator=person(actor), action="block",
        user=user, reason=(reason or "")[:300],
    )  # fmt: skip
