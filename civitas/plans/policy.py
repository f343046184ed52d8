"""Who may do what to a plan and its goal tree: predicates over the role table (core.permissions).

A plan, and every element of its tree, belongs to its municipality; a role counts only there. The
services call ``require_*`` first, whoever calls them; views call ``can_*`` only to decide what to
show.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civitas.core.models import Municipality
from civitas.core.permissions import Action, can, require

from .models import IN_FORCE_KINDS, Plan, PlanElement, PlanVersion


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


def frozen_by(plan_id: int) -> PlanVersion | None:
    """The version that keeps the plan frozen: its latest version when that is adopted or amended
    (no draft open), with its decision; None when the plan may change (no versions at all, as for
    plans from before versions, or a draft open). One query."""
    latest = (
        PlanVersion.objects.filter(plan_id=plan_id)
        .select_related("decision", "plan")
        .only("number", "kind", "plan__title_bg", "plan__title_en", "decision__number", "decision__date")
        .order_by("-number")
        .first()
    )
    return latest if latest is not None and latest.kind in IN_FORCE_KINDS else None


def frozen_message(version: PlanVersion) -> str:
    if version.decision is None:
        return _(
            "“%(plan)s” is in force as adopted (version %(number)s); start a new draft version to change it."
        ) % {"plan": version.plan.title, "number": version.number}
    return _(
        "“%(plan)s” is in force as adopted by Decision № %(decision)s of %(date)s; start a new draft "
        "version to change it."
    ) % {
        "plan": version.plan.title,
        "decision": version.decision.number,
        "date": version.decision.date.strftime("%d.%m.%Y"),
    }


def require_unfrozen(plan_id: int) -> None:
    """Refuse (ValidationError) a change to what a version of the plan holds (its text and fields,
    goal tree, financial table, its elements' indicators and targets, the projects linked to its
    elements) while the plan is in force: the change starts with a new draft version. Every service
    that writes those calls it; monitoring (values, assessments, progress, spending) does not."""
    version = frozen_by(plan_id)
    if version is not None:
        raise ValidationError({"__all__": [frozen_message(version)]})
