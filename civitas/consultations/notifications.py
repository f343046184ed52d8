"""The consultations' e-mail: once the table of proposals and answers is published, each person who
sent proposals through the portal gets the answers to theirs. Sent by the background task
(tasks.notify_answers) after the publication commits."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from civitas.core import mail
from civitas.core.text import one_line

from . import selectors
from .models import Consultation, ConsultationStatus, ProposalState


def answers_notify(*, consultation_id: int, pending=None) -> int:
    """E-mail each person who sent proposals through the portal the answers to them, in the
    language of their profile, with a link to the published table; returns the e-mails sent.
    Only those in ``pending`` (a ``civitas.core.mail.Pending``) when it names them (a retry).
    Raises if the mail server fails, leaving in ``pending`` those not reached; an address the
    server refuses is logged and dropped."""
    consultation = Consultation.objects.select_related("municipality").get(pk=consultation_id)
    pending = pending if pending is not None else mail.Pending()
    if consultation.status != ConsultationStatus.PUBLISHED:
        pending.keys = []
        return 0
    proposals = consultation.proposals.filter(state=ProposalState.VISIBLE, author__is_active=True)
    if pending.keys is not None:
        proposals = proposals.filter(author_id__in=pending.keys)
    authors = {
        proposal.author.pk: proposal.author
        for proposal in proposals.exclude(author__email="").select_related("author__profile")
        if proposal.author is not None  # always: the proposals are those of active accounts
    }
    link = settings.CIVITAS_SITE_URL.rstrip("/") + reverse(
        "consultations:report", args=[consultation.municipality.slug, consultation.slug]
    )
    language_of = {
        author_id: getattr(getattr(author, "profile", None), "language", "") or settings.LANGUAGE_CODE
        for author_id, author in authors.items()
    }
    messages = []
    for language in sorted(set(language_of.values())):  # the table once per language, not per person
        with translation.override(language):
            rows_of: dict[int, list] = {}
            for row in selectors.report(consultation).rows:
                author_id = row.proposal.author_id
                if author_id is not None and not row.hidden and language_of.get(author_id) == language:
                    rows_of.setdefault(author_id, []).append(row)
            # A line break in a title would break the Subject header (and stop the e-mail).
            subject = _("Answers to your proposals: %(title)s") % {"title": one_line(consultation.title)}
            for author_id, rows in rows_of.items():
                body = render_to_string(
                    "consultations/answers_email.txt",
                    {"consultation": consultation, "rows": rows, "link": link},
                )
                messages.append(
                    mail.Message(
                        key=author_id,
                        subject=subject,
                        body=body.strip() + "\n",
                        address=authors[author_id].email,
                    )
                )
    # A failure raises: the task logs it and queues the e-mail again (civitas.core.mail).
    return mail.send_each(
        messages, pending=pending, description=f"the answers of consultation {consultation_id}"
    )
