"""Who may do what, in one place: the staff roles of a municipality and the actions they allow.

A role counts only in the municipality it was given for, and on the web only in a session that
passed the second factor (``second_factor``). Platform superusers work through Django's admin; on
the municipalities' pages they act like an administrator of each.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from . import second_factor
from .models import Membership, Municipality, Role


class Action(StrEnum):
    MANAGE_MUNICIPALITY = "manage_municipality"
    MANAGE_STAFF = "manage_staff"
    VIEW_BACK_OFFICE = "view_back_office"
    EDIT_PLAN = "edit_plan"
    DELETE_PLAN = "delete_plan"
    EDIT_PROJECT = "edit_project"
    UPDATE_PROJECT_PROGRESS = "update_project_progress"
    DELETE_PROJECT = "delete_project"
    ENTER_MEASUREMENT = "enter_measurement"
    VERIFY_MEASUREMENT = "verify_measurement"
    MODERATE = "moderate"
    MANAGE_CONSULTATION = "manage_consultation"
    MANAGE_SURVEY = "manage_survey"
    MANAGE_DECISIONS = "manage_decisions"
    MANAGE_PUBLICITY = "manage_publicity"
    WRITE_EVALUATION = "write_evaluation"
    RESPOND_TO_RECOMMENDATION = "respond_to_recommendation"
    EDIT_REPORT = "edit_report"


R = Role
RULES: dict[Action, frozenset[str]] = {
    Action.MANAGE_MUNICIPALITY: frozenset({R.ADMINISTRATOR}),
    Action.MANAGE_STAFF: frozenset({R.ADMINISTRATOR}),
    Action.VIEW_BACK_OFFICE: frozenset(R.values),
    Action.EDIT_PLAN: frozenset({R.ADMINISTRATOR, R.PLANNER}),
    Action.DELETE_PLAN: frozenset({R.ADMINISTRATOR}),
    Action.EDIT_PROJECT: frozenset({R.ADMINISTRATOR, R.PLANNER, R.PROJECT_MANAGER}),
    Action.UPDATE_PROJECT_PROGRESS: frozenset({R.ADMINISTRATOR, R.PLANNER, R.PROJECT_MANAGER}),
    Action.DELETE_PROJECT: frozenset({R.ADMINISTRATOR, R.PLANNER}),
    Action.ENTER_MEASUREMENT: frozenset({R.ADMINISTRATOR, R.INDICATOR_OWNER}),
    Action.VERIFY_MEASUREMENT: frozenset({R.ADMINISTRATOR, R.VERIFIER}),
    Action.MODERATE: frozenset({R.ADMINISTRATOR, R.MODERATOR}),
    Action.MANAGE_CONSULTATION: frozenset({R.ADMINISTRATOR, R.PLANNER}),
    Action.MANAGE_SURVEY: frozenset({R.ADMINISTRATOR, R.PLANNER}),
    Action.MANAGE_DECISIONS: frozenset({R.ADMINISTRATOR, R.COUNCIL_SECRETARY}),
    Action.MANAGE_PUBLICITY: frozenset({R.ADMINISTRATOR, R.PLANNER, R.PROJECT_MANAGER}),
    Action.WRITE_EVALUATION: frozenset({R.ADMINISTRATOR, R.EVALUATOR}),
    Action.RESPOND_TO_RECOMMENDATION: frozenset({R.ADMINISTRATOR, R.PLANNER}),
    Action.EDIT_REPORT: frozenset({R.ADMINISTRATOR, R.PLANNER}),
}


class _Operator:
    """Whoever runs a management command on the server (importing a plan, loading the demo): they
    have the server itself, so they act with a platform superuser's powers. The audit log records
    their changes with no person as the actor."""

    is_authenticated = True
    is_superuser = True
    is_staff = False
    is_active = True
    pk = None
    username = "operator"

    def __str__(self) -> str:
        return "operator"


OPERATOR = _Operator()


def _held_roles(user, municipality: Municipality) -> frozenset[str]:
    """The roles the user holds in this municipality (one query, remembered on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if user.is_superuser:
        return frozenset(Role.values)
    cache = user.__dict__.setdefault("_civitas_roles", {})
    if municipality.pk not in cache:
        cache[municipality.pk] = frozenset(
            Membership.objects.filter(user=user, municipality=municipality).values_list("role", flat=True)
        )
    return cache[municipality.pk]


def roles_of(user, municipality: Municipality) -> frozenset[str]:
    """The roles the user may act in here: none in a web session without the second factor."""
    roles = _held_roles(user, municipality)
    return roles if roles and second_factor.passed(user) else frozenset()


def can(user, municipality: Municipality, action: Action) -> bool:
    return bool(roles_of(user, municipality) & RULES[action])


def require(user, municipality: Municipality, action: Action) -> None:
    """PermissionDenied; SecondFactorRequired (a redirect to the code step) when only that is missing."""
    if not can(user, municipality, action):
        if _held_roles(user, municipality) & RULES[action]:
            raise second_factor.SecondFactorRequired(action)
        raise PermissionDenied(action)


# The role a person who holds several is recorded in: the one the action belongs to most
# specifically, the administrator's (which allows everything) last.
_RECORDED_ROLE_ORDER = [role for role in Role.values if role != Role.ADMINISTRATOR] + [Role.ADMINISTRATOR]
OPERATOR_ROLE = "operator"


def acting_role(user, municipality: Municipality | None, action: Action) -> str:
    """The staff role in which ``user`` did ``action`` here, as the audit log records it: the most
    specific role they hold that allows it; a platform superuser acts as an administrator, the
    server's operator as "operator"; blank for nobody. No query when the service has just asked
    the policy (the roles are remembered for the request)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    if user.pk is None:
        return OPERATOR_ROLE if user.is_superuser else ""
    if user.is_superuser:
        return Role.ADMINISTRATOR
    if municipality is None:
        return ""
    held = _held_roles(user, municipality) & RULES[action]
    return next((role for role in _RECORDED_ROLE_ORDER if role in held), "")


def allowed_actions(user, municipality: Municipality) -> frozenset[Action]:
    roles = roles_of(user, municipality)
    return frozenset(action for action, allowed in RULES.items() if roles & allowed)


def back_office_of(user, here: Municipality | None = None) -> Municipality | None:
    """The municipality whose back office a person's "Back office" link, and their sign-in, lead
    to: the page's own (``here``) if they hold a role there, else the first they hold one in, by
    name; None for a person with no role anywhere. A role counts without the second factor: the
    link leads to the code step, never to a refusal. No query when they work for ``here`` (its
    roles are remembered for the request), one otherwise."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return None
    if here is not None and _held_roles(user, here):
        return here
    first = (
        Membership.objects.filter(user=user)
        .select_related("municipality")
        .order_by("municipality__name_bg", "municipality__slug")
        .first()
    )
    return first.municipality if first is not None else None


def municipalities_of(user) -> list[Municipality]:
    """Every municipality the person holds a role in, by name (the back office's chooser): one query."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return []
    return list(Municipality.objects.filter(memberships__user=user).distinct().order_by("name_bg", "slug"))
