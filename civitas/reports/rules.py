"""Pure rules of the annual report (no database): which years a plan can be reported for, and
what may change once it is approved."""

from django.utils.translation import gettext as _


def check_year(year: int, *, period: tuple[int, int]) -> dict[str, list[str]]:
    """A report is for one of the plan's years."""
    start, end = period
    if not start <= year <= end:
        return {
            "year": [
                _(
                    "A report for a year outside the plan's period is refused: the plan runs from "
                    "%(start)s to %(end)s."
                )
                % {"start": start, "end": end}
            ]
        }
    return {}


def check_not_approved(is_approved: bool) -> dict[str, list[str]]:
    """Approved reports are frozen: their text and date no longer change, nor their approval."""
    if is_approved:
        return {"__all__": [_("Approved reports are frozen: this report was approved by the council.")]}
    return {}


def check_decision_municipality(decision_municipality_id: int, report_municipality_id: int) -> dict:
    """A report is approved by a decision of its own municipality's council."""
    if decision_municipality_id != report_municipality_id:
        return {"decision": [_("The decision is not one of this municipality's council.")]}
    return {}
