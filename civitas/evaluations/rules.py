"""Pure rules for evaluations and their recommendations (no database): what an evaluation's fields
must hold, the rating scale, when a recommendation is overdue, and what its follow-up needs."""

import datetime

from django.utils.translation import gettext as _

from .models import PolicyArea, Rating, RecommendationStatus, Response, SubjectKind

# A recommendation is finished in one of these: it is no longer followed, nor overdue.
FINISHED = frozenset({RecommendationStatus.DONE, RecommendationStatus.CLOSED})
# What may still change on a published evaluation: its council decision (approval comes after
# publication). Its ratings, findings, evidence and recommendations' texts are what was published.
EDITABLE_WHEN_PUBLISHED = frozenset({"decision"})


def is_overdue(*, deadline: datetime.date | None, status: str, as_of: datetime.date) -> bool:
    """Overdue: the deadline has passed (the deadline day itself is still in time) and the
    recommendation is neither done nor closed. No deadline, never overdue."""
    return deadline is not None and deadline < as_of and status not in FINISHED


def check_rating(rating) -> dict[str, list[str]]:
    """A rating is on the scale (``Rating``) or not given yet (None)."""
    if rating is None or rating in Rating.values:
        return {}
    lowest, highest = min(Rating.values), max(Rating.values)
    return {
        "rating": [
            _(
                "A rating is a whole number from %(lowest)s (%(lowest_label)s) to %(highest)s (%(highest_label)s)."
            )
            % {
                "lowest": lowest,
                "highest": highest,
                "lowest_label": Rating(lowest).label,
                "highest_label": Rating(highest).label,
            }  # fmt: skip
        ]
    }


def check_evaluation(data: dict) -> dict[str, list[str]]:
    """Errors by field for an evaluation's data: a title, a subject that names what it evaluates,
    a period and dates in order."""
    errors: dict[str, list[str]] = {}
    if not (data.get("title_bg") or "").strip():
        errors["title_bg"] = [_("Give the evaluation's title in Bulgarian.")]
    subject = data.get("subject_kind")
    if subject == SubjectKind.PLAN and data.get("plan") is None:
        errors["plan"] = [_("Choose the plan that is evaluated.")]
    elif subject == SubjectKind.PROJECT and data.get("project") is None:
        errors["project"] = [_("Choose the project that is evaluated.")]
    elif subject == SubjectKind.POLICY_AREA and data.get("policy_area") not in PolicyArea.values:
        errors["policy_area"] = [_("Choose the policy area that is evaluated.")]
    if subject != SubjectKind.PROJECT and data.get("project") is not None:
        errors["project"] = [_("Only a project evaluation names a project.")]
    if subject == SubjectKind.PROJECT and data.get("plan") is not None:
        errors["plan"] = [_("A project evaluation names its project, not a plan.")]
    if subject != SubjectKind.POLICY_AREA and data.get("policy_area"):
        errors["policy_area"] = [_("Only an evaluation of a policy area names a policy area.")]
    start, end = data.get("period_start"), data.get("period_end")
    if start is not None and end is not None and end < start:
        errors["period_end"] = [_("The evaluated period cannot end before it starts.")]
    started, completed = data.get("started_on"), data.get("completed_on")
    if started is not None and completed is not None and completed < started:
        errors["completed_on"] = [_("An evaluation cannot be completed before it started.")]
    return errors


def check_recommendation(data: dict, *, evaluation_date: datetime.date | None) -> dict[str, list[str]]:
    """A recommendation's text, and a deadline not before the evaluation's date."""
    errors: dict[str, list[str]] = {}
    if not (data.get("text_bg") or "").strip():
        errors["text_bg"] = [_("Give the recommendation in Bulgarian.")]
    deadline = data.get("deadline")
    if deadline is not None and evaluation_date is not None and deadline < evaluation_date:
        errors["deadline"] = [
            _("The deadline cannot be before the evaluation's date (%(date)s).")
            % {"date": evaluation_date.strftime("%d.%m.%Y")}
        ]
    return errors


def check_follow_up(data: dict, *, today: datetime.date) -> dict[str, list[str]]:
    """The administration's follow-up of a recommendation: nothing is done or closed without a
    response; a rejection gives its reasons; the closing day is not in the future."""
    errors: dict[str, list[str]] = {}
    response, status = data.get("response") or "", data.get("status")
    if response and response not in Response.values:
        errors["response"] = [_("Choose a response from the list.")]
    if status not in RecommendationStatus.values:
        errors["status"] = [_("Choose a status from the list.")]
    elif status in FINISHED and not response:
        errors["status"] = [
            _(
                "A recommendation cannot be marked done or closed before the administration has responded to it."
            )
        ]
    elif status == RecommendationStatus.IN_PROGRESS and response == Response.REJECTED:
        errors["status"] = [_("A rejected recommendation is not put in progress: close it with its reasons.")]
    if response == Response.REJECTED and not (data.get("response_reasons_bg") or "").strip():
        errors["response_reasons_bg"] = [_("Give the reasons for rejecting the recommendation.")]
    closed_at = data.get("closed_at")
    if closed_at is not None and closed_at > today:
        errors["closed_at"] = [_("The closing day cannot be in the future.")]
    return errors


def check_published_edit(changed: set[str]) -> dict[str, list[str]]:
    """A published evaluation keeps what it published; only its council decision may be linked."""
    frozen = sorted(changed - EDITABLE_WHEN_PUBLISHED)
    if frozen:
        return {
            "__all__": [
                _(
                    "A published evaluation keeps its text, ratings and findings; only the council "
                    "decision that approves it can be added. The follow-up of its recommendations continues."
                )
            ]
        }
    return {}
