"""Public consultation pages: the list, the consultation (the draft section by section with a
comment form under every paragraph and section, and a general proposal form: all without
JavaScript), the table of proposals and answers with its DOCX, XLSX and CSV downloads, and
flagging a proposal. Thin views over services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.core import throttle
from civitas.core.cache import cached_public_page
from civitas.core.content import Content
from civitas.core.forms import run_service
from civitas.core.tenancy import with_municipality
from civitas.forum import selectors as forum_selectors

from . import exports, forms, policy, rules, selectors, services
from .models import Proposal, ProposalState


def _consultation(request, municipality, slug):
    return selectors.consultation_get(
        municipality=municipality, slug=slug, include_drafts=policy.can_see_drafts(request.user, municipality)
    )


@with_municipality
@cached_public_page(reads=(Content.PLANNING, Content.PARTICIPATION))
def consultation_list(request, municipality):
    consultations = list(selectors.consultation_list(municipality=municipality))
    now = timezone.now()
    response = render(
        request,
        "consultations/consultation_list.html",
        {
            "nav": "consultations",
            "open": [c for c in consultations if c.accepts_proposals(now)],
            "other": [c for c in consultations if not c.accepts_proposals(now)],
        },
    )
    # A consultation that opens or closes moves between the two lists by itself: the cached page
    # is kept no longer than until then.
    response.fresh_until = rules.next_change(  # type: ignore[attr-defined]
        ((c.status, c.opens_at, c.closes_at) for c in consultations), now
    )
    return response


def _anchor(paragraph, section) -> str:
    if paragraph is not None:
        return f"#paragraph-{paragraph.pk}"
    if section is not None:
        return f"#section-{section.pk}"
    return "#general"


def _submit(request, consultation, form) -> tuple[bool, str]:
    """Send the bound proposal form through the service; (stored, anchor)."""
    municipality = consultation.municipality
    address = throttle.client_address(request)
    if form.is_robot:
        services.refusal_record(municipality=municipality, consultation=consultation, action="refused_robot",
                                user=request.user, reason="honeypot", address=address)  # fmt: skip
        form.add_error(None, _("The form could not be accepted. Please try again."))
        return False, ""
    if not form.is_valid():
        return False, ""
    data = form.cleaned_data
    try:
        paragraph, section = selectors.draft_target(consultation, data["target"])
        proposal = services.proposal_submit(
            actor=request.user, consultation=consultation, text=data["text"], paragraph=paragraph,
            section=section, organisation=data["organisation"], attachment=data.get("attachment"),
            address=address, submission_key=data.get("key") or None,
        )  # fmt: skip
    except PermissionDenied as denied:
        form.add_error(None, str(denied))
        return False, ""
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
        return False, ""
    if proposal.state == ProposalState.PENDING:
        messages.success(
            request, _("Thank you: your proposal will be published after a moderator reviews it.")
        )
    else:
        messages.success(request, _("Thank you: your proposal was published."))
    return True, _anchor(paragraph, section)


def _fresh(target: str) -> forms.ProposalForm:
    return forms.ProposalForm(target=target, auto_id=f"{(target or 'general').replace(':', '-')}-%s")


@with_municipality
def consultation_detail(request, municipality, slug):
    consultation = _consultation(request, municipality, slug)
    bound = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        target = request.POST.get("target", "")
        bound = forms.ProposalForm(
            request.POST, request.FILES, target=target,
            auto_id=f"{(target or 'general').replace(':', '-')}-%s",
        )  # fmt: skip
        stored, anchor = _submit(request, consultation, bound)
        if stored:
            response = redirect(reverse("consultations:detail", args=[municipality.slug, slug]) + anchor)
            response.status_code = 303
            return response
    draft = selectors.draft(consultation)
    bound_target = bound["target"].value() if bound is not None else None

    def form_for(target):
        return bound if bound is not None and bound_target == target else _fresh(target)

    accepts = policy.offers_proposal_forms(request.user, consultation)
    if accepts:
        for section_view in draft.sections:
            section_view.form = form_for(f"s:{section_view.section.pk}")
            for paragraph_view in section_view.paragraphs:
                paragraph_view.form = form_for(f"p:{paragraph_view.paragraph.pk}")
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "nav": "consultations", "consultation": consultation, "draft": draft, "bound": bound,
            "general_form": form_for("") if accepts else None, "accepts": accepts,
            "refusal": rules.proposal_refusal(
                status=consultation.status, opens_at=consultation.opens_at, closes_at=consultation.closes_at,
                now=timezone.now(),
            ),
            "topics": list(forum_selectors.topic_list(municipality=municipality, consultation=consultation)[:20]),
            "is_staff": policy.can_manage(request.user, municipality),
            "can_moderate": policy.can_moderate(request.user, municipality),
            "days": rules.period_days(consultation.opens_at, consultation.closes_at),
        },
        status=400 if bound is not None and bound.errors else 200,
    )  # fmt: skip


@with_municipality
def report(request, municipality, slug):
    consultation = _consultation(request, municipality, slug)
    if not policy.can_see_report(request.user, consultation):
        raise Http404("The report is not published")
    result = selectors.report(consultation)
    return render(
        request,
        "consultations/report.html",
        {"nav": "consultations", "consultation": consultation, "report": result, "header": selectors.report_header(),
         "counts": result.counts(), "version_after": selectors.version_after_consultation(consultation)},
    )  # fmt: skip


@with_municipality
def report_download(request, municipality, slug, fmt):
    consultation = _consultation(request, municipality, slug)
    if not policy.can_see_report(request.user, consultation):
        raise Http404("The report is not published")
    builders = {
        "csv": (exports.report_csv, exports.CSV),
        "xlsx": (exports.report_xlsx, exports.XLSX),
        "docx": (exports.report_docx, exports.DOCX),
    }
    if fmt not in builders:
        raise Http404
    build, content_type = builders[fmt]
    response = HttpResponse(build(selectors.report(consultation)), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{municipality.slug}-{consultation.slug}-proposals.{fmt}"'
    )
    return response


@login_required
@with_municipality
def proposal_flag(request, municipality, slug, pk):
    consultation = _consultation(request, municipality, slug)
    proposal = get_object_or_404(Proposal, consultation=consultation, pk=pk, state=ProposalState.VISIBLE)
    proposal.consultation = consultation
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.proposal_flag(
                actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"]
            ),
        ):
            messages.success(request, _("Thank you: the moderators will look at the proposal."))
            return redirect(
                reverse("consultations:detail", args=[municipality.slug, slug]) + f"#proposal-{pk}"
            )
    return render(
        request, "consultations/reason_form.html",
        {"nav": "consultations", "form": form, "proposal": proposal, "consultation": consultation,
         "title": _("Flag a proposal"), "submit": _("Send to the moderators"),
         "back": reverse("consultations:detail", args=[municipality.slug, slug])},
        status=400 if form.errors else 200,
    )  # fmt: skip
