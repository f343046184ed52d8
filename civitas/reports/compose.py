"""The annual monitoring report as a document (reports.document): its four sections as the law
asks for them (Наредба за ... наблюдение и оценка: general conditions; progress on the goals and
priorities; actions for effectiveness and efficiency; conclusions and proposals), in the language
the data was read in. Tables and figures are numbered by the document; the figures here are those
the engine's results give, never computed again."""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civitas.core import charts
from civitas.core.templatetags.civitas import euro, number, percent
from civitas.evaluation import engine
from civitas.indicators.presentation import STATUS_LABELS
from civitas.indicators.selectors import EvaluatedIndicator

from .document import Document, Figure, Heading, Paragraph, Table
from .selectors import AnnualReportData

FORECAST_LABELS = {
    engine.ForecastOutcome.LIKELY: gettext_lazy("likely to be met"),
    engine.ForecastOutcome.UNLIKELY: gettext_lazy("unlikely to be met"),
    engine.ForecastOutcome.INSUFFICIENT_DATA: gettext_lazy("too few values to forecast"),
    engine.ForecastOutcome.NO_TARGET: gettext_lazy("no target"),
}


def section_titles() -> tuple[str, str, str, str]:
    """The four sections of the annual monitoring report, in the active language."""
    return (
        _("General conditions and socio-economic change"),
        _("Progress achieved on the goals and priorities of the plan, measured by its indicators"),
        _("Actions taken to ensure the effectiveness and efficiency of the plan's implementation"),
        _("Conclusions and proposals"),
    )


def _date(value) -> str:
    return formats.date_format(value, "d.m.Y") if value else ""


def _status(item: EvaluatedIndicator) -> str:
    if item.result is None:
        return _("Cannot be evaluated")
    return str(STATUS_LABELS[item.result.status])


def _forecast(item: EvaluatedIndicator) -> str:
    if item.result is None or item.result.context:
        return ""
    return str(FORECAST_LABELS.get(item.result.forecast.outcome, ""))


def _target(item: EvaluatedIndicator) -> str:
    forecast = item.result.forecast if item.result is not None else None
    return (
        number(forecast.target_value) if forecast is not None and forecast.target_value is not None else "–"
    )


def _named(item: EvaluatedIndicator) -> str:
    """ "ОПР-И1.1 Заети лица в туризма (души)": the indicator with its unit."""
    name = f"{item.indicator.code} {item.indicator.name}"
    return f"{name} ({item.indicator.unit})" if item.indicator.unit else name


def _narrative(text: str) -> Paragraph:
    if text.strip():
        return Paragraph(text)
    return Paragraph(_("The municipality has not written this part of the report yet."), style="note")


def _status_chart(title: str, result) -> Figure | None:
    if result is None or not result.indicators_total or not any(result.counts.values()):
        return None
    return Figure(
        title, charts.ShareBar(title=title, parts=tuple(charts.status_parts(result.counts, STATUS_LABELS)))
    )


def _section_1(data: AnnualReportData) -> list:
    blocks: list = [Heading(section_titles()[0]), _narrative(data.report.conditions)]
    if data.context:
        blocks.append(
            Table(
                _("Context indicators by year"),
                (_("Indicator"), _("Unit"), *(str(y) for y in data.context_years)),
                tuple(
                    (
                        f"{row.indicator.code} {row.indicator.name}",
                        row.indicator.unit,
                        *(number(v) for v in row.values),
                    )
                    for row in data.context
                ),
                frozenset(range(2, 2 + len(data.context_years))),
            )
        )
        for row in data.context:
            measured = [
                (str(y), v) for y, v in zip(data.context_years, row.values, strict=True) if v is not None
            ]
            if len(measured) > 1:
                name = f"{row.indicator.code} {row.indicator.name}"
                blocks.append(
                    Figure(
                        name,
                        charts.Chart(
                            title=name,
                            description="; ".join(f"{year}: {number(value)}" for year, value in measured),
                            x_labels=tuple(str(y) for y in data.context_years),
                            series=(charts.Series(_("Value"), row.values),),
                            unit=row.indicator.unit,
                        ),
                    )
                )
    else:
        blocks.append(Paragraph(_("The plan has no context indicators."), style="note"))
    return blocks


def _section_2(data: AnnualReportData) -> list:
    result = data.evaluation.plan_result
    blocks: list = [
        Heading(section_titles()[1]),
        Paragraph(
            _(
                "The indicators are evaluated as of %(date)s. Of the plan's %(total)s rated indicators, "
                "%(on_track)s are on track, %(at_risk)s at risk and %(off_track)s off track; %(no_data)s "
                "have no data and %(stale)s are stale. Coverage (the share of the plan with data): %(coverage)s."
            )
            % {
                "date": _date(data.as_of),
                "total": result.indicators_total - result.context_total,
                "on_track": data.count(engine.Status.ON_TRACK),
                "at_risk": data.count(engine.Status.AT_RISK),
                "off_track": data.count(engine.Status.OFF_TRACK),
                "no_data": data.count(engine.Status.NO_DATA),
                "stale": data.count(engine.Status.STALE),
                "coverage": percent(round(result.coverage * 100)),
            }
        ),
        Table(
            _("Progress by goal"),
            (
                _("Goal"),
                _("Status"),
                _("Score"),
                _("Coverage"),
                _("On track"),
                _("At risk"),
                _("Off track"),
            ),
            tuple(
                (
                    f"{goal.node.element.code} {goal.node.element.title}",
                    str(STATUS_LABELS[goal.result.status]) if goal.result else "",
                    percent(round(goal.result.score * 100))
                    if goal.result and goal.result.score is not None
                    else "–",
                    percent(round(goal.result.coverage * 100)) if goal.result else "–",
                    str(goal.result.counts.get(engine.Status.ON_TRACK, 0)) if goal.result else "0",
                    str(goal.result.counts.get(engine.Status.AT_RISK, 0)) if goal.result else "0",
                    str(goal.result.counts.get(engine.Status.OFF_TRACK, 0)) if goal.result else "0",
                )
                for goal in data.goals
            ),
            frozenset({2, 3, 4, 5, 6}),
        ),  # fmt: skip
    ]
    figure = _status_chart(_("Indicators of the plan by status"), result)
    if figure is not None:
        blocks.append(figure)
    for goal in data.goals:
        element = goal.node.element
        blocks.append(Heading(f"{element.code} {element.title}", level=2))
        figure = _status_chart(_("Indicators of %(code)s by status") % {"code": element.code}, goal.result)
        if figure is not None:
            blocks.append(figure)
        rated = [item for item in goal.indicators if item.result is None or not item.result.context]
        if rated:
            blocks.append(
                Table(
                    _("Indicators of %(code)s") % {"code": element.code},
                    (
                        _("Indicator (unit)"),
                        _("Baseline"),
                        _("Target"),
                        _("Value"),
                        _("Period"),
                        _("Status"),
                        _("Forecast"),
                    ),
                    tuple(
                        (
                            _named(item),
                            number(item.result.baseline) if item.result else "–",
                            _target(item),
                            number(item.result.actual) if item.result else "–",
                            item.result.period.label if item.result and item.result.period else "–",
                            _status(item),
                            _forecast(item),
                        )
                        for item in rated
                    ),
                    frozenset({1, 2, 3}),
                )  # fmt: skip
            )
        else:
            blocks.append(Paragraph(_("No indicator measures this goal."), style="note"))
        for node, assessment in goal.assessments:
            text = assessment.achieved
            if assessment.obstacles:
                text += "\n\n" + _("What held it back: %(text)s") % {"text": assessment.obstacles}
            blocks.append(
                Paragraph(
                    _("Assessment of %(code)s for %(year)s:") % {"code": node.element.code, "year": data.year}
                )
            )
            blocks.append(Paragraph(text))
    if data.overrides:
        blocks.append(
            Table(
                _("Statuses set by a verifier, with their reasons"),
                (_("Indicator"), _("Computed status"), _("Verifier's status"), _("Reason")),
                tuple(
                    (
                        f"{row.item.indicator.code} {row.item.indicator.name}",
                        _status(row.item),
                        str(STATUS_LABELS[row.override.status]),
                        row.override.reason,
                    )
                    for row in data.overrides
                ),
            )
        )
    return blocks


def _projects_table(data: AnnualReportData) -> Table:
    return Table(
        _("Projects serving the plan"),
        (_("Project"), _("Status"), _("Progress"), _("Budget"), _("Spent"), _("Budget execution")),
        tuple(
            (
                f"{row.project.code} {row.project.title}",
                row.project.get_status_display(),
                percent(row.project.progress),
                euro(row.budget.total),
                euro(row.budget.spent) if row.budget.spent is not None else "–",
                percent(round(row.budget.execution * 100)) if row.budget.execution is not None else "–",
            )
            for row in data.projects
        ),
        frozenset({2, 3, 4, 5}),
    )


def _section_3(data: AnnualReportData) -> list:
    blocks: list = [Heading(section_titles()[2]), Heading(_("Projects"), level=2)]
    if data.projects:
        blocks.append(_projects_table(data))
    else:
        blocks.append(Paragraph(_("No project serves the plan yet."), style="note"))
    activities = [(row.project, a) for row in data.projects for a in row.activities]
    if activities:
        blocks.append(
            Table(
                _("Activities and milestones of %(year)s") % {"year": data.year},
                (_("Project"), _("Activity"), _("Milestone"), _("Due"), _("Completed"), _("State")),
                tuple(
                    (
                        project.code,
                        a.title,
                        _("yes") if a.is_milestone else "",
                        _date(a.due_date),
                        _date(a.completed_on),
                        a.get_state_display(),
                    )
                    for project, a in activities
                ),
            )  # fmt: skip
        )
    unit_costs = [(row.project, item, cost) for row in data.projects for item, cost in row.unit_costs]
    if unit_costs:
        blocks.append(
            Table(
                _("Cost per unit of output"),
                (_("Project"), _("Output indicator"), _("Output"), _("Cost per unit")),
                tuple(
                    (
                        project.code,
                        f"{item.indicator.code} {item.indicator.name}",
                        f"{number(item.result.actual if item.result else None)} {item.indicator.unit}".strip(),
                        euro(round(cost, 2)),
                    )
                    for project, item, cost in unit_costs
                ),
                frozenset({2, 3}),
            )  # fmt: skip
        )
    if data.spending:
        blocks.append(Heading(_("Budget and spending by funding source"), level=2))
        blocks.append(
            Table(
                _("The indicative financial table, the projects' funding and spending by source (EUR)"),
                (_("Funding source"), _("Indicative financial table"), _("Projects' funding"), _("Spent")),
                tuple((s.label, euro(s.planned), euro(s.funded), euro(s.spent)) for s in data.spending),
                frozenset({1, 2, 3}),
            )
        )
        blocks.append(
            Figure(
                _("Projects' funding by source"),
                charts.ShareBar(
                    title=_("Projects' funding by source"),
                    parts=tuple(
                        charts.Part(
                            s.label,
                            float(s.funded),
                            euro(s.funded),
                            charts.SOURCE_FILLS.get(s.source, charts.DEFAULT_FILL),
                        )
                        for s in data.spending
                    ),
                ),
            )  # fmt: skip
        )
    blocks.append(Heading(_("Actions about the indicators off track"), level=2))
    blocks.append(_narrative(data.report.actions))
    if data.off_track:
        blocks.append(
            Table(
                _("Indicators off track"),
                (_("Indicator"), _("Value"), _("Expected"), _("Reason given by the verifier")),
                tuple(
                    (
                        f"{item.indicator.code} {item.indicator.name}",
                        number(item.result.actual) if item.result else "–",
                        number(item.result.expected) if item.result else "–",
                        item.override.reason if item.override is not None else "",
                    )
                    for item in data.off_track
                ),
                frozenset({1, 2}),
            )  # fmt: skip
        )
    else:
        blocks.append(Paragraph(_("No indicator is off track."), style="note"))
    blocks.append(Heading(_("Public consultations and publicity"), level=2))
    if data.consultations:
        blocks.append(
            Table(
                _("Public consultations of %(year)s") % {"year": data.year},
                (_("Consultation"), _("Opened"), _("Closed"), _("Proposals received"), _("Accepted")),
                tuple(
                    (
                        row.consultation.title,
                        _date(row.consultation.opens_at),
                        _date(row.consultation.closes_at),
                        str(row.proposals),
                        str(row.accepted),
                    )
                    for row in data.consultations
                ),
                frozenset({3, 4}),
            )  # fmt: skip
        )
    else:
        blocks.append(
            Paragraph(_("No public consultation was held in %(year)s.") % {"year": data.year}, style="note")
        )
    if data.publicity:
        blocks.append(
            Table(
                _("Publicity of %(year)s") % {"year": data.year},
                (_("Date"), _("Kind"), _("Title"), _("Place"), _("Participants / print run"), _("Link")),
                tuple(
                    (
                        _date(row.date),
                        row.kind,
                        row.title,
                        row.place,
                        "" if row.audience is None else str(row.audience),
                        row.link,
                    )
                    for row in data.publicity
                ),
                frozenset({4}),
            )  # fmt: skip
        )
    else:
        blocks.append(
            Paragraph(_("No publicity is recorded for %(year)s.") % {"year": data.year}, style="note")
        )
    return blocks


def _section_4(data: AnnualReportData) -> list:
    blocks: list = [Heading(section_titles()[3]), _narrative(data.report.conclusions)]
    if data.recommendations:
        blocks.append(
            Table(
                _("Recommendations of the evaluations and their follow-up"),
                (
                    _("Recommendation"),
                    _("Evaluation"),
                    _("Response"),
                    _("Responsible"),
                    _("Deadline"),
                    _("Status"),
                ),
                tuple(
                    (
                        row.text,
                        row.evaluation,
                        row.response,
                        row.responsible,
                        _date(row.deadline),
                        f"{row.status} ({_('overdue')})" if row.overdue else row.status,
                    )
                    for row in data.recommendations
                ),
            )  # fmt: skip
        )
    else:
        blocks.append(Paragraph(_("No evaluation of the plan has made recommendations yet."), style="note"))
    return blocks


def awaiting_notice(data: AnnualReportData) -> str:
    if not data.awaiting:
        return ""
    return ngettext(
        "This report was generated while %(count)s value of %(year)s still awaits approval.",
        "This report was generated while %(count)s values of %(year)s still await approval.",
        data.awaiting,
    ) % {"count": data.awaiting, "year": data.year}


def annual_report_document(data: AnnualReportData) -> Document:
    """The annual report of the data's plan and year, in the data's language (activate it)."""
    report = data.report
    subtitle = _("Annual monitoring report on the implementation for %(year)s") % {"year": data.year}
    if not report.is_approved:
        subtitle += " – " + _("draft")
    elif report.decision is not None:
        subtitle += " – " + _("approved by Decision № %(number)s of the Municipal Council of %(date)s") % {
            "number": report.decision.number, "date": _date(report.decision.date),
        }  # fmt: skip
    notice = awaiting_notice(data)
    if report.is_sample:
        notice = " ".join(filter(None, [notice, _("The narrative of this report is sample data.")]))
    return Document(
        title=data.plan.title,
        subtitle=subtitle,
        municipality=data.municipality.name,
        language=data.language,
        date_line=_("Data as of %(date)s") % {"date": _date(data.as_of)},
        notice=notice,
        blocks=tuple([*_section_1(data), *_section_2(data), *_section_3(data), *_section_4(data)]),
    )
