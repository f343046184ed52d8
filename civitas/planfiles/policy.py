"""Who may import a plan file: predicates over the role table (core.permissions).

An import writes a plan, its goal tree and its projects, so it needs both who may edit plans and
who may edit projects here; replacing a plan deletes the one it replaces, which needs who may
delete plans. A file's published values and status overrides are recorded as a verifier's: the
person named needs who may verify values. The services it writes through check again, each its own.
"""

from civitas.core.models import Municipality
from civitas.core.permissions import Action, can, require


def import_actions(*, replace: bool) -> tuple[Action, ...]:
    """Every action an import needs."""
    actions = (Action.EDIT_PLAN, Action.EDIT_PROJECT)
    return (*actions, Action.DELETE_PLAN) if replace else actions


def can_import_plan(user, municipality: Municipality, *, replace: bool = False) -> bool:
    return all(can(user, municipality, action) for action in import_actions(replace=replace))


def require_import_plan(user, municipality: Municipality, *, replace: bool = False) -> None:
    for action in import_actions(replace=replace):
        require(user, municipality, action)


def can_publish_values(user, municipality: Municipality) -> bool:
    return can(user, municipality, Action.VERIFY_MEASUREMENT)


def require_publish_values(user, municipality: Municipality) -> None:
    require(user, municipality, Action.VERIFY_MEASUREMENT)
