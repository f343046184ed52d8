"""Who may do what to a plan and its goal tree: predicates over the role table (core.permissions).

A plan, and every element of its tree, belongs to its municipality; a role counts only there. The
services call ``require_*`` first, whoever calls them; views call ``can_*`` only to decide what to
show.
"""

from civitas.core.models import Municipality
from civitas.core.permissions import Action, can, require

from .models import Plan, PlanElement


def can_create_plan(user, municipality: Municipality) -> bool:
    return can(user, municipality, Action.EDIT_PLAN)


def require_create_plan(user, municipality: Municipality) -> None:
    require(user, municipality, Action.EDIT_PLAN)


def can_edit_plan(user, plan: Plan) -> bool:
    """Edit the plan's fields and status, and its goal tree."""
    return can(user, plan.municipality, Action.EDIT_PLAN)


def require_edit_plan(user, plan: Plan) -> None:
    require(user, plan.municipality, Action.EDIT_PLAN)


def can_delete_plan(user, plan: Plan) -> bool:
    return can(user, plan.municipality, Action.DELETE_PLAN)


def require_delete_plan(user, plan: Plan) -> None:
    require(user, plan.municipality, Action.DELETE_PLAN)


def require_edit_element(user, element: PlanElement) -> None:
    """An element is edited, moved or deleted by whoever may edit its plan."""
    require_edit_plan(user, element.plan)


def can_see_drafts(user, municipality: Municipality) -> bool:
    """Draft plans show on the portal to those who may edit plans here."""
    return can(user, municipality, Action.EDIT_PLAN)
