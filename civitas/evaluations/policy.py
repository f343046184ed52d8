"""Who may do what to evaluations: evaluators and administrators write them (Action.WRITE_EVALUATION);
planners and administrators respond to their recommendations and follow them up
(Action.RESPOND_TO_RECOMMENDATION). Published evaluations are public; drafts are seen by the
municipality's staff."""

from civitas.core.models import Municipality
from civitas.core.permissions import Action, can, require


def can_write_evaluation(user, municipality: Municipality) -> bool:
    return can(user, municipality, Action.WRITE_EVALUATION)


def require_write_evaluation(user, municipality: Municipality) -> None:
    require(user, municipality, Action.WRITE_EVALUATION)


def can_respond(user, municipality: Municipality) -> bool:
    return can(user, municipality, Action.RESPOND_TO_RECOMMENDATION)


def require_respond(user, municipality: Municipality) -> None:
    require(user, municipality, Action.RESPOND_TO_RECOMMENDATION)


def can_see_drafts(user, municipality: Municipality) -> bool:
    """The municipality's staff see draft evaluations (and their documents)."""
    return can(user, municipality, Action.VIEW_BACK_OFFICE)
