"""Who may do what to an annual report: predicates over the role table (core.permissions).

The report's keepers (Action.EDIT_REPORT: the administrator and the planner) create it, write its
narrative, generate its files and record its approval. Approval is recorded under EDIT_REPORT, not
MANAGE_DECISIONS: the council's act is the decision, which only the council secretary (or the
administrator) can enter in the register; recording that an existing decision approved the report
freezes and publishes the report, which is its keepers' work, and they can cite only a decision the
register already holds. Everyone may read an approved report; drafts are for the keepers.
"""

from civitas.core.models import Municipality
from civitas.core.permissions import Action, can, require

from .models import AnnualReport


def can_edit_reports(user, municipality: Municipality) -> bool:
    return can(user, municipality, Action.EDIT_REPORT)


def require_edit_reports(user, municipality: Municipality) -> None:
    require(user, municipality, Action.EDIT_REPORT)


def can_see_report(user, report: AnnualReport) -> bool:
    """An approved report is public; a draft shows only to those who may edit reports here."""
    return report.is_approved or can_edit_reports(user, report.municipality)
