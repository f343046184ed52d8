"""An evaluation's report as a document (reports.document), generated like the annual report: a
title page (the evaluation, its subject, evaluator, period and dates, the council decision that
approved it), then 1. the subject and method, 2. the findings by criterion (the ratings' table and
chart, then each criterion's findings with the evidence they rest on), 3. the recommendations with
the administration's response and follow-up, 4. the follow-up in figures. In the language the data
was read in."""

from collections import Counter

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from civitas.core import charts
from civitas.evaluations.models import Rating, RecommendationStatus, Response, SubjectKind

from .document import Document, Figure, Heading, Paragraph, Table
from .selectors import CriterionRow, EvaluationReportData

# The ratings' colours, from unsatisfactory to highly satisfactory (patterned: they differ without colour).
RATING_FILLS = {
    Rating.UNSATISFACTORY: charts.Fill("#d4351c", "cross"),
    Rating.PARTLY_SATISFACTORY: charts.Fill("#8f5a00", "diagonal"),
    Rating.SATISFACTORY: charts.Fill("#1d70b8", "dots"),
    Rating.HIGHLY_SATISFACTORY: charts.Fill("#00703c", "solid"),
}
# The rest of the scale above a rating, drawn light so that every column is measured against 4.
SCALE_FILL = charts.Fill("#dee0e2", "solid")


def section_titles() -> tuple[str, str, str, str]:
    """The four sections of an evaluation's report, in the active language."""
    return (
        _("Subject and method of the evaluation"),
        _("Findings by criterion"),
        _("Recommendations"),
        _("Follow-up of the recommendations"),
    )


def _date(value) -> str:
    return formats.date_format(value, "d.m.Y") if value else ""


def subject_text(data: EvaluationReportData) -> str:
    """What is evaluated: the plan, the project or the policy area (with its plan)."""
    evaluation = data.evaluation
    if evaluation.subject_kind == SubjectKind.PLAN and evaluation.plan is not None:
        return evaluation.plan.title
    if evaluation.subject_kind == SubjectKind.PROJECT and evaluation.project is not None:
        return f"{pgettext('evaluation subject', 'Project')}: {evaluation.project.code} {evaluation.project.title}"
    area = f"{_('Policy area')}: {evaluation.get_policy_area_display()}"
    return f"{area} ({evaluation.plan.title})" if evaluation.plan is not None else area


def period_text(data: EvaluationReportData) -> str:
    start, end = data.evaluation.period_start, data.evaluation.period_end
    if start and end and end != start:
        return f"{start}–{end}"
    return str(start or end or "")


def rating_text(row: CriterionRow) -> str:
    """ "3 of 4: Satisfactory", or "Not rated"."""
    if row.rating is None:
        return _("Not rated")
    return _("%(value)s of 4: %(label)s") % {"value": row.rating, "label": row.rating_label}


def _facts(data: EvaluationReportData) -> Table:
    evaluation = data.evaluation
    rows = [
        (_("Kind of evaluation"), evaluation.get_kind_display()),
        (_("What is evaluated"), subject_text(data)),
    ]
    if evaluation.evaluator_name:
        rows.append((_("Evaluator"), evaluation.evaluator_name))
    if period := period_text(data):
        rows.append((_("Period evaluated"), period))
    if evaluation.started_on:
        rows.append((_("Started on"), _date(evaluation.started_on)))
    if evaluation.completed_on:
        rows.append((_("Completed on"), _date(evaluation.completed_on)))
    rows.append((_("Status"), evaluation.get_status_display()))
    if evaluation.decision is not None:
        rows.append((_("Council decision"), _approved_by(data)))
    return Table(_("The evaluation in brief"), (_("Item"), _("Detail")), tuple(rows))


def _approved_by(data: EvaluationReportData) -> str:
    decision = data.evaluation.decision
    if decision is None:
        return ""
    # The evaluation ("оценката") is feminine in Bulgarian, the annual report masculine.
    return pgettext("evaluation", "approved by Decision № %(number)s of the Municipal Council of %(date)s") % {
        "number": decision.number, "date": _date(decision.date),
    }  # fmt: skip


def _section_1(data: EvaluationReportData) -> list:
    summary = data.evaluation.summary
    return [
        Heading(section_titles()[0]),
        _facts(data),
        Paragraph(summary)
        if summary.strip()
        else Paragraph(_("The evaluators have not written the summary yet."), style="note"),
        Paragraph(
            _(
                "The evaluation rates the subject by the six OECD DAC criteria (relevance, coherence, "
                "effectiveness, efficiency, impact and sustainability) on a scale of four: %(scale)s."
            )
            % {"scale": "; ".join(f"{value} – {label}" for value, label in Rating.choices)}
        ),
    ]


def ratings_chart(data: EvaluationReportData) -> charts.Columns:
    """A column per criterion, as high as its rating on the scale of 4 (the rest of the scale
    drawn light); the columns are numbered as the criteria's table numbers them."""
    return charts.Columns(
        title=_("Ratings by criterion"),
        description="; ".join(
            f"{i}. {row.label}: {rating_text(row)}" for i, row in enumerate(data.criteria, 1)
        ),
        x_labels=tuple(str(i) for i in range(1, len(data.criteria) + 1)),
        stacks=tuple(
            (
                charts.Part(
                    row.label,
                    float(row.rating or 0),
                    rating_text(row),
                    RATING_FILLS[Rating(row.rating)] if row.rating else SCALE_FILL,
                ),
                charts.Part("", float(len(Rating) - (row.rating or 0)), "", SCALE_FILL),
            )
            for row in data.criteria
        ),
        value_texts=tuple(f"{row.rating}/4" if row.rating else "–" for row in data.criteria),
    )


def _section_2(data: EvaluationReportData) -> list:
    blocks: list = [
        Heading(section_titles()[1]),
        Table(
            _("Ratings by criterion"),
            ("№", _("Criterion"), _("Rating"), _("Evidence")),
            tuple(
                (str(i), row.label, rating_text(row), str(len(row.evidence)))
                for i, row in enumerate(data.criteria, 1)
            ),
            frozenset({0, 3}),
        ),
    ]
    if any(row.rating for row in data.criteria):
        blocks.append(Figure(_("Ratings by criterion on the scale of 4"), ratings_chart(data)))
    for row in data.criteria:
        blocks.append(Heading(row.label, level=2))
        blocks.append(Paragraph(_("Rating: %(rating)s") % {"rating": rating_text(row)}))
        if row.findings.strip():
            blocks.append(Paragraph(row.findings))
        else:
            blocks.append(Paragraph(_("No findings are written for this criterion."), style="note"))
        if row.evidence:
            lines = [f"– {e.kind}: {e.label}" + (f" ({e.url})" if e.url else "") for e in row.evidence]
            blocks.append(Paragraph("\n".join([_("The findings rest on:"), *lines])))
    return blocks


def status_text(tracked) -> str:
    """The recommendation's status, "(overdue)" added when it is past its deadline unfinished."""
    status = tracked.recommendation.get_status_display()
    return f"{status} ({_('overdue')})" if tracked.overdue else status


def _section_3(data: EvaluationReportData) -> list:
    blocks: list = [Heading(section_titles()[2])]
    if not data.recommendations:
        return [*blocks, Paragraph(_("This evaluation makes no recommendations."), style="note")]
    blocks.append(
        Table(
            _("Recommendations and the administration's response"),
            (
                "№",
                _("Recommendation"),
                _("Response"),
                _("Action"),
                _("Responsible"),
                _("Deadline"),
                _("Status"),
                _("Overdue"),
            ),
            tuple(
                (
                    str(t.recommendation.number),
                    t.recommendation.text,
                    t.recommendation.get_response_display()
                    if t.recommendation.response
                    else _("No response yet"),
                    t.recommendation.action,
                    t.recommendation.responsible_unit,
                    _date(t.recommendation.deadline),
                    t.recommendation.get_status_display(),
                    _("yes") if t.overdue else _("no"),
                )
                for t in data.recommendations
            ),
            frozenset({0}),
        )
    )
    reasons = [t.recommendation for t in data.recommendations if t.recommendation.response_reasons.strip()]
    for recommendation in reasons:
        blocks.append(
            Paragraph(
                _("Reasons for the response to recommendation %(number)s: %(text)s")
                % {"number": recommendation.number, "text": recommendation.response_reasons}
            )
        )
    return blocks


def _section_4(data: EvaluationReportData) -> list:
    blocks: list = [Heading(section_titles()[3])]
    total = len(data.recommendations)
    if not total:
        return [*blocks, Paragraph(_("This evaluation makes no recommendations."), style="note")]
    statuses = Counter(t.recommendation.status for t in data.recommendations)
    responses = Counter(t.recommendation.response for t in data.recommendations)
    overdue = [t for t in data.recommendations if t.overdue]
    blocks.append(
        Paragraph(
            _(
                "As of %(date)s, of the evaluation's %(total)s recommendations %(finished)s are done or "
                "closed and %(overdue)s are overdue (past their deadline, not done)."
            )
            % {
                "date": _date(data.as_of),
                "total": total,
                "finished": statuses[RecommendationStatus.DONE] + statuses[RecommendationStatus.CLOSED],
                "overdue": len(overdue),
            }
        )
    )
    blocks.append(
        Table(
            _("Recommendations by status"),
            (_("Status"), _("Recommendations")),
            (
                *((str(label), str(statuses[value])) for value, label in RecommendationStatus.choices),
                (_("Overdue"), str(len(overdue))),
                (_("Total"), str(total)),
            ),
            frozenset({1}),
        )
    )
    blocks.append(
        Table(
            _("Recommendations by the administration's response"),
            (_("Response"), _("Recommendations")),
            (
                *((str(label), str(responses[value])) for value, label in Response.choices),
                (_("No response yet"), str(responses[""])),
            ),
            frozenset({1}),
        )
    )
    if overdue:
        blocks.append(
            Paragraph(
                _("Overdue: %(list)s.")
                % {
                    "list": "; ".join(
                        _("recommendation %(number)s (deadline %(deadline)s, %(unit)s)")
                        % {
                            "number": t.recommendation.number,
                            "deadline": _date(t.recommendation.deadline),
                            "unit": t.recommendation.responsible_unit or _("no unit named"),
                        }
                        for t in overdue
                    )
                },
                style="warning",
            )
        )
    return blocks


def evaluation_report_document(data: EvaluationReportData) -> Document:
    """The evaluation's report in the data's language (activate it)."""
    evaluation = data.evaluation
    subtitle = f"{evaluation.get_kind_display()} · {subject_text(data)}"
    if period := period_text(data):
        subtitle += " · " + _("period evaluated %(period)s") % {"period": period}
    if evaluation.decision is not None:
        subtitle += " – " + _approved_by(data)
    notices = []
    if not evaluation.is_published:
        notices.append(_("Draft: this evaluation is not published yet and may still change."))
    if evaluation.is_sample:
        notices.append(_("This evaluation is sample data."))
    dates = " – ".join(filter(None, [_date(evaluation.started_on), _date(evaluation.completed_on)]))
    evaluator = (
        _("Evaluator: %(name)s") % {"name": evaluation.evaluator_name} if evaluation.evaluator_name else ""
    )
    date_line = " · ".join(filter(None, [evaluator, dates]))
    return Document(
        title=evaluation.title,
        subtitle=subtitle,
        municipality=data.municipality.name,
        language=data.language,
        date_line=date_line,
        notice=" ".join(notices),
        blocks=tuple([*_section_1(data), *_section_2(data), *_section_3(data), *_section_4(data)]),
    )
