"""Who may do what with surveys: the municipality's planners and administrators build and run them
(Action.MANAGE_SURVEY: the questionnaire, invitation codes, paper responses, all the responses);
anyone answers a published survey while it is open, signed in if the survey asks for it. The
services check these first, whoever calls them; the pages ask them only to decide what to show."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from civitas.core import policy as core_policy
from civitas.core.models import Municipality
from civitas.core.permissions import Action, can

from .models import Access, Survey, SurveyStatus

# Why someone may not answer a survey online (``answer_refusal``), and what they are told.
NOT_OPEN_YET = "not_open_yet"
CLOSED = "closed"
SIGN_IN = "sign_in"
REFUSALS = {
    NOT_OPEN_YET: gettext_noop("The survey is not open yet."),
    CLOSED: gettext_noop("The survey is closed: responses are no longer accepted."),
    SIGN_IN: gettext_noop("Sign in to answer this survey."),
}


def can_manage(user, municipality: Municipality) -> bool:
    return can(user, municipality, Action.MANAGE_SURVEY)


def require_manage(user, municipality: Municipality) -> None:
    if not can_manage(user, municipality):
        raise PermissionDenied(_("Only the municipality's planners do this."))


def can_see_drafts(user, municipality: Municipality) -> bool:
    """Draft surveys are seen by those who build them."""
    return can_manage(user, municipality)


def can_see_results(user, municipality: Municipality, survey: Survey) -> bool:
    """The results of a survey of ``municipality``: public if the survey publishes them."""
    return can_manage(user, municipality) or (survey.results_public and survey.is_public)


def answer_refusal(user, survey: Survey, now: datetime.datetime) -> str | None:
    """Why ``user`` may not answer ``survey`` online at ``now`` (a key of REFUSALS), or None if they
    may. The survey says so on its page, and the submission is refused with the same message."""
    if not survey.is_open(now):
        if survey.status == SurveyStatus.PUBLISHED and survey.opens_at and now < survey.opens_at:
            return NOT_OPEN_YET
        return CLOSED
    if survey.access == Access.ACCOUNT and not core_policy.is_signed_in(user):
        return SIGN_IN
    return None


def refusal_message(refusal: str) -> str:
    return _(REFUSALS[refusal])


def require_own_account(actor, user) -> None:
    """Unlinking a person's responses when they erase their account: only the person themselves."""
    core_policy.require_own_account(actor, user)
