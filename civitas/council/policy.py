"""Who may keep the council's register: the administrator and the council secretary of the
municipality (core.permissions, Action.MANAGE_DECISIONS). Everyone may read it."""

from civitas.core.models import Municipality
from civitas.core.permissions import Action, can, require


def can_manage_decisions(user, municipality: Municipality) -> bool:
    return can(user, municipality, Action.MANAGE_DECISIONS)


def require_manage_decisions(user, municipality: Municipality) -> None:
    require(user, municipality, Action.MANAGE_DECISIONS)
