"""Every read of annual reports a page, a task or the command needs: the reports themselves, and
everything a report says (``annual_report_data``), read in a fixed number of queries.

The figures come from the same selectors the plan pages use (the evaluation engine as of the
report's date, the financial table beside the projects' funding), so the report and the portal
never disagree.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import unquote

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation

from civitas.consultations.models import Consultation, ConsultationStatus
from civitas.consultations.models import Decision as AnswerDecision
from civitas.core.models import Municipality
from civitas.core.money import total_eur
from civitas.core.selectors import FileAccess
from civitas.council.models import Decision
from civitas.evaluation import engine
from civitas.evaluations import policy as evaluation_policy
from civitas.evaluations import selectors as evaluation_selectors
from civitas.evaluations.models import Criterion, Evaluation, Evidence, EvidenceKind, Rating
from civitas.indicators.evaluation import year_start_of
from civitas.indicators.models import Indicator, IndicatorType, Measurement, MeasurementState
from civitas.indicators.selectors import (
    EvaluatedIndicator,
    PlanEvaluation,
    indicators_evaluation,
    plan_evaluation,
)
from civitas.plans.models import ElementAssessment, FundingSource, Plan
from civitas.plans.selectors import ElementNode, plan_tree, published_assessments
from civitas.projects.models import Activity, Project
from civitas.projects.selectors import (
    BudgetSummary,
    FinancialComparison,
    budget_summary,
    financial_comparison,
)
from civitas.publicity import selectors as publicity_selectors

from . import policy
from .models import AnnualReport, GenerationStatus, ReportFile, ReportStatus

# Values entered for the year that the report cannot count yet: published values only are counted
# (indicators.models.COUNTED_STATES); these still wait for a verifier's approval or its publication.
AWAITING_STATES = (MeasurementState.SUBMITTED, MeasurementState.APPROVED)


def report_as_of(report: AnnualReport) -> datetime.date:
    """The date the report's data is read as of: the one set on it, else the last day of the plan's
    reporting year ``report.year`` (a plan's or the municipality's reporting year start)."""
    if report.as_of is not None:
        return report.as_of
    year_start = year_start_of(report.plan, report.municipality)
    return engine.Period(report.year, year_start=year_start).end


# Reports ----------------------------------------------------------------------------------------

PUBLISHED_HTML = ("published_html_bg", "published_html_en")  # the pages as approved: not for lists


def staff_report_list(*, municipality: Municipality) -> list[AnnualReport]:
    """Every report of the municipality by plan and year, latest first, with its decision: one query."""
    return list(
        AnnualReport.objects.filter(municipality=municipality)
        .select_related("plan", "decision")
        .defer(*PUBLISHED_HTML)
        .order_by("plan__position", "plan_id", "-year")
    )


def public_report_list(*, municipality: Municipality) -> list[AnnualReport]:
    """The approved reports, by plan and year, with their decisions: one query."""
    return list(
        AnnualReport.objects.filter(municipality=municipality, status=ReportStatus.APPROVED)
        .select_related("plan", "decision")
        .defer(*PUBLISHED_HTML)
        .order_by("plan__position", "plan_id", "-year")
    )


def approved_reports(*, municipality: Municipality | None):
    """The approved reports (the municipality's, or every municipality's, for the API) with their
    plan, decision and published files (``files``, oldest first, of the files ``published_files``
    chooses from): two queries whatever their number."""
    reports = (
        AnnualReport.objects.filter(status=ReportStatus.APPROVED)
        .select_related("municipality", "plan", "decision")
        .defer(*PUBLISHED_HTML)
        .prefetch_related(
            Prefetch(
                "files",
                queryset=ReportFile.objects.filter(is_published=True, status=GenerationStatus.DONE).order_by(
                    "created_at", "pk"
                ),
            )
        )
    )
    return reports if municipality is None else reports.filter(municipality=municipality)


def report_get(*, municipality: Municipality, pk, include_drafts: bool = False) -> AnnualReport:
    """One report with its plan and decision (404 for a draft unless ``include_drafts``)."""
    reports = AnnualReport.objects.filter(municipality=municipality).select_related("plan", "decision")
    if not include_drafts:
        reports = reports.filter(status=ReportStatus.APPROVED)
    report = get_object_or_404(reports, pk=pk)
    report.municipality = municipality
    report.plan.municipality = municipality
    return report


def report_files(report: AnnualReport) -> list[ReportFile]:
    """The report's generated files, newest first: one query."""
    return list(report.files.all())


def published_files(report: AnnualReport) -> dict[tuple[str, str], ReportFile]:
    """The files generated when the report was approved, by (language, format): one query."""
    return {
        (f.language, f.format): f
        for f in report.files.filter(is_published=True, status="done").order_by("created_at")
    }


def report_file_get(*, report: AnnualReport, pk) -> ReportFile:
    return get_object_or_404(ReportFile, report=report, pk=pk)


def plans_for_reports(*, municipality: Municipality):
    """The plans a report can be written for, in their order (a queryset for the form's choice)."""
    return Plan.objects.filter(municipality=municipality).order_by("position", "-period_start", "pk")


def decisions_for_approval(*, municipality: Municipality):
    """The council's decisions a report can be approved by: the municipality's, latest first (a
    queryset for the approval form's choice)."""
    return Decision.objects.filter(municipality=municipality).order_by("-date", "-number", "pk")


def report_file_access(user, name: str) -> FileAccess | None:
    """A report's file: public once published with an approved report; otherwise only for those
    who may edit the municipality's reports. An evaluation's report file: public when generated
    while the evaluation is published; otherwise only for the municipality's staff (who see draft
    evaluations). None when no report file stores ``name``. One query."""
    if not name:
        return None
    found = (
        ReportFile.objects.filter(file=name)
        .select_related("report__municipality", "evaluation__municipality")
        .first()
    )
    if found is None:
        return None
    if found.evaluation is not None:
        if found.is_published and found.evaluation.is_published:
            return FileAccess.PUBLIC
        if evaluation_policy.can_see_drafts(user, found.evaluation.municipality):
            return FileAccess.PRIVATE
        return FileAccess.DENIED
    report = found.report
    if report is None:  # neither a report's nor an evaluation's: the database refuses it (a constraint)
        return FileAccess.DENIED
    if found.is_published and report.is_approved:
        return FileAccess.PUBLIC
    if policy.can_edit_reports(user, report.municipality):
        return FileAccess.PRIVATE
    return FileAccess.DENIED


# What the report says ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ContextRow:
    """A context indicator (section 1) with its values in each year of the plan up to the report's."""

    indicator: Indicator
    values: tuple[float | None, ...]  # by ``AnnualReportData.context_years``


@dataclass
class GoalProgress:
    """A goal of the plan (a top-level element) with its roll-up and every indicator under it."""

    node: ElementNode
    result: engine.NodeResult | None
    indicators: list[EvaluatedIndicator]  # of the goal and the elements under it, in tree order
    elements: list[ElementNode]  # the goal and the elements under it, in tree order
    assessments: list[tuple[ElementNode, ElementAssessment]]  # published ones of the year


@dataclass(frozen=True)
class OverrideRow:
    """A verifier's status of the period assessed, with its public reason (section 2)."""

    item: EvaluatedIndicator
    override: engine.StatusOverride


@dataclass
class ProjectRow:
    """A project serving the plan (section 3): its status, budget, the activities of the year and
    the cost per unit of each indicator that measures its output."""

    project: Project
    budget: BudgetSummary
    activities: list[Activity]  # started, due or completed in the year
    unit_costs: list[tuple[EvaluatedIndicator, float]] = field(default_factory=list)


@dataclass(frozen=True)
class SourceSpending:
    """A funding source in euro: the plan's indicative financial table, the projects' funding and
    what the projects report spent."""

    source: str
    planned: Decimal
    funded: Decimal
    spent: Decimal

    @property
    def label(self) -> str:
        return str(FundingSource(self.source).label)


@dataclass(frozen=True)
class ConsultationRow:
    consultation: Consultation
    proposals: int
    accepted: int  # accepted or partly accepted


@dataclass(frozen=True)
class PublicityRow:
    """An event, material or publication about the plan's projects (section 3), from the publicity
    register: ``audience`` is the number of participants of an event or the print run of a material."""

    date: datetime.date | None  # none for a material or publication the register gives no date
    kind: str  # its kind as shown ("Press conference", "Brochure", ...)
    title: str
    place: str = ""
    audience: int | None = None
    link: str = ""


@dataclass(frozen=True)
class RecommendationRow:
    """A recommendation of an evaluation of the plan (section 4) with the administration's response
    and how it is followed up."""

    text: str
    evaluation: str
    response: str
    responsible: str
    deadline: datetime.date | None
    status: str
    overdue: bool


@dataclass
class AnnualReportData:
    report: AnnualReport
    plan: Plan
    municipality: Municipality
    year: int
    language: str
    as_of: datetime.date
    awaiting: int  # values of the year still waiting for approval or publication
    context_years: tuple[int, ...]
    context: list[ContextRow]
    evaluation: PlanEvaluation
    goals: list[GoalProgress]
    overrides: list[OverrideRow]
    off_track: list[EvaluatedIndicator]
    projects: list[ProjectRow]
    financial: FinancialComparison | None
    spending: list[SourceSpending]
    consultations: list[ConsultationRow]
    publicity: list[PublicityRow]
    recommendations: list[RecommendationRow]

    @property
    def rated(self) -> list[EvaluatedIndicator]:
        return [i for g in self.goals for i in g.indicators if not _is_context(i)]

    def count(self, status: engine.Status) -> int:
        """The plan's rated indicators in ``status``, as the evaluation's roll-up counts them."""
        return self.evaluation.plan_result.counts.get(status, 0)


def _is_context(item: EvaluatedIndicator) -> bool:
    return item.result is not None and item.result.context


def _walk(node: ElementNode) -> list[ElementNode]:
    found = [node]
    for child in node.children:
        found.extend(_walk(child))
    return found


def _in_year(activity: Activity, year: int) -> bool:
    return any(
        d is not None and d.year == year
        for d in (activity.start_date, activity.due_date, activity.completed_on)
    )


def _unit_costs(
    budget: BudgetSummary, outputs: list[EvaluatedIndicator]
) -> list[tuple[EvaluatedIndicator, float]]:
    """Spending per unit of each output the project's indicators measure (engine.cost_per_unit)."""
    if budget.spent is None:
        return []
    found = []
    for item in outputs:
        actual = item.result.actual if item.result is not None else None
        cost = engine.cost_per_unit(float(budget.spent), actual)
        if cost is not None:
            found.append((item, cost))
    return found


def _projects(plan: Plan, year: int, as_of: datetime.date) -> list[ProjectRow]:
    """The projects serving the plan's elements with their funding, activities and output
    indicators evaluated: seven queries (four without an output indicator)."""
    projects = list(
        Project.objects.filter(contributions__element__plan=plan)
        .distinct()
        .prefetch_related(
            "funding_lines", Prefetch("activities", queryset=Activity.objects.order_by("position", "pk"))
        )
        .order_by("code", "pk")
    )
    for project in projects:
        project.municipality = plan.municipality
    outputs = list(
        Indicator.objects.filter(project__in=[p.pk for p in projects], type=IndicatorType.OUTPUT).order_by(
            "position", "code", "pk"
        )
    )
    by_pk: dict[int | None, Project] = {p.pk: p for p in projects}
    for indicator in outputs:
        indicator.project = by_pk[indicator.project_id]
        indicator.municipality = plan.municipality
    evaluated: dict[int | None, list[EvaluatedIndicator]] = defaultdict(list)
    for item in indicators_evaluation(outputs, today=as_of):
        evaluated[item.indicator.project_id].append(item)
    rows = []
    for project in projects:
        budget = budget_summary(project.funding_lines.all(), declared=project.declared_money)
        rows.append(
            ProjectRow(
                project=project,
                budget=budget,
                activities=[a for a in project.activities.all() if _in_year(a, year)],
                unit_costs=_unit_costs(budget, evaluated[project.pk]),
            )
        )
    return rows


def _spending(financial: FinancialComparison | None, projects: list[ProjectRow]) -> list[SourceSpending]:
    planned: dict[str, Decimal] = defaultdict(Decimal)
    for line in financial.rows if financial is not None else ():
        planned[line.source] += line.planned
    funded: dict[str, list] = defaultdict(list)
    spent: dict[str, list] = defaultdict(list)
    for row in projects:
        for funding in row.project.funding_lines.all():
            funded[funding.source].append(funding.money)
            if funding.spent_money is not None:
                spent[funding.source].append(funding.spent_money)
    return [
        SourceSpending(
            source, planned.get(source, Decimal("0.00")), total_eur(funded[source]), total_eur(spent[source])
        )
        for source in FundingSource.values
        if source in planned or source in funded
    ]


def _consultations(municipality: Municipality, year: int) -> list[ConsultationRow]:
    """The municipality's public consultations opened or closed in the year, with the proposals
    received and accepted: one query."""
    found = (
        Consultation.objects.filter(municipality=municipality)
        .exclude(status=ConsultationStatus.DRAFT)
        .filter(Q(opens_at__year=year) | Q(closes_at__year=year))
        .annotate(
            received=Count("proposals", distinct=True),
            accepted=Count(
                "proposals",
                filter=Q(
                    proposals__answer__decision__in=[AnswerDecision.ACCEPTED, AnswerDecision.PARTLY_ACCEPTED]
                ),
                distinct=True,
            ),
        )
        .order_by("opens_at", "pk")
    )
    return [ConsultationRow(c, c.received, c.accepted) for c in found]


# The publicity register and the evaluations' recommendations -------------------------------------


def _publicity_register(*, plan: Plan, year: int) -> list[PublicityRow]:
    """The publicity register's entries (events, materials, publications) of the year about the plan
    and the projects serving it, in the active language."""
    found = publicity_selectors.publicity_of_year(municipality=plan.municipality, year=year, plan=plan)
    return [
        PublicityRow(
            date=row.date,
            kind=row.kind_label,
            title=row.title,
            place=row.place or row.outlet,
            audience=row.participants if row.record == "event" else row.print_run,
            link=row.link,
        )
        for row in found.rows
    ]


def _recommendations_register(*, plan: Plan, as_of: datetime.date) -> Iterable:
    return evaluation_selectors.recommendations_for_plan(plan=plan, as_of=as_of)


def publicity_rows(*, plan: Plan, year: int) -> list[PublicityRow]:
    """The publicity of the year about the plan's projects (section 3), by date."""
    # Undated materials and publications (a banner, brochures) count in every year of their
    # project: they come after the dated ones.
    rows = _publicity_register(plan=plan, year=year)
    return sorted(rows, key=lambda row: (row.date is None, row.date or datetime.date.min))


def recommendation_row(tracked) -> RecommendationRow:
    """A recommendation as the evaluations app tracks it (``recommendation`` with its evaluation,
    and ``overdue``) as the report's row."""
    recommendation = tracked.recommendation
    return RecommendationRow(
        text=recommendation.text,
        evaluation=str(recommendation.evaluation),
        response=recommendation.get_response_display() if recommendation.response else "",
        responsible=recommendation.responsible_unit,
        deadline=recommendation.deadline,
        status=recommendation.get_status_display(),
        overdue=tracked.overdue,
    )


def recommendation_rows(*, plan: Plan, as_of: datetime.date) -> list[RecommendationRow]:
    """The recommendations of the plan's evaluations with their status as of the report's date (section 4)."""
    return [recommendation_row(tracked) for tracked in _recommendations_register(plan=plan, as_of=as_of)]


# The report's data --------------------------------------------------------------------------------


def annual_report_data(report: AnnualReport, language: str) -> AnnualReportData:
    """Everything the annual report says, in ``language`` (texts and labels): 26 queries whatever
    the plan's size (the report loaded with its plan and municipality)."""
    with translation.override(language):
        return _annual_report_data(report, language)


def _annual_report_data(report: AnnualReport, language: str) -> AnnualReportData:
    plan = report.plan
    municipality = report.municipality
    plan.municipality = municipality
    year = report.year
    as_of = report_as_of(report)
    tree = plan_tree(plan)  # 2 queries
    evaluation = plan_evaluation(plan, tree, as_of=as_of)  # 5 queries
    assessments = published_assessments(plan=plan, year=year)  # 1 query

    goals = []
    for node in tree:
        elements = _walk(node)
        goals.append(
            GoalProgress(
                node=node,
                result=node.result,  # type: ignore[arg-type]
                indicators=[item for n in elements for item in n.indicators],
                elements=elements,
                assessments=[(n, assessments[n.element.pk]) for n in elements if n.element.pk in assessments],
            )
        )
    # Each indicator once (one that also serves other elements is listed under each of them).
    every = list({item.indicator.pk: item for goal in goals for item in goal.indicators}.values())

    context_years = tuple(range(plan.period_start, year + 1))
    context = []
    for item in every:
        if item.indicator.type != IndicatorType.CONTEXT:
            continue
        by_year: dict[int, float | None] = {}
        for point in item.result.series if item.result is not None else ():
            if point.measured and point.actual is not None and point.period.year in context_years:
                by_year[point.period.year] = point.actual
        context.append(ContextRow(item.indicator, tuple(by_year.get(y) for y in context_years)))

    overrides = [OverrideRow(item, item.override) for item in every if item.override is not None]
    off_track = [
        item
        for item in every
        if item.result is not None
        and (item.override.status if item.override is not None else item.result.status)
        == engine.Status.OFF_TRACK
    ]

    awaiting = Measurement.objects.filter(  # 1 query
        Q(indicator__element__plan=plan) | Q(indicator__also_elements__plan=plan),
        year=year,
        state__in=AWAITING_STATES,
    ).aggregate(n=Count("pk", distinct=True))["n"]

    projects = _projects(plan, year, as_of)  # 7 queries
    financial = financial_comparison(plan)  # 5 queries (1 without a financial table)
    return AnnualReportData(
        report=report,
        plan=plan,
        municipality=municipality,
        year=year,
        language=language,
        as_of=as_of,
        awaiting=awaiting,
        context_years=context_years,
        context=context,
        evaluation=evaluation,
        goals=goals,
        overrides=overrides,
        off_track=off_track,
        projects=projects,
        financial=financial,
        spending=_spending(financial, projects),
        consultations=_consultations(municipality, year),  # 1 query
        publicity=publicity_rows(plan=plan, year=year),
        recommendations=recommendation_rows(plan=plan, as_of=as_of),
    )


# The evaluation's report --------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceRow:
    """What a criterion's findings rest on, as the report writes it: its kind, its name and the
    address a reader follows (absolute, on the portal in the report's language, or elsewhere)."""

    kind: str
    label: str
    url: str


@dataclass(frozen=True)
class CriterionRow:
    criterion: str  # Criterion value
    label: str
    rating: int | None  # on the Rating scale; None: not rated
    rating_label: str
    findings: str
    evidence: list[EvidenceRow]


@dataclass
class EvaluationReportData:
    evaluation: Evaluation
    municipality: Municipality
    language: str
    as_of: datetime.date  # the day the recommendations' follow-up (overdue or not) is read as of
    criteria: list[CriterionRow]  # the six criteria in their order, rated or not
    recommendations: list  # evaluations.selectors.TrackedRecommendation, by number


def _absolute(path: str) -> str:
    """The portal's address of ``path``, as a reader reads it (Cyrillic codes not percent-encoded)."""
    return settings.CIVITAS_SITE_URL.rstrip("/") + unquote(path)


def _evidence_row(evidence: Evidence, slug: str) -> EvidenceRow:
    """An evidence's label and address, as the evaluation's public page links it."""
    kind = evidence.get_kind_display()
    if evidence.kind == EvidenceKind.INDICATOR and evidence.indicator is not None:
        label = f"{evidence.indicator.code}: {evidence.label or evidence.indicator.name}"
        return EvidenceRow(
            kind, label, _absolute(reverse("portal:indicator", args=[slug, evidence.indicator.code]))
        )
    if evidence.kind == EvidenceKind.SURVEY and evidence.survey is not None:
        url = _absolute(reverse("surveys:results", args=[slug, evidence.survey.slug]))
        return EvidenceRow(kind, evidence.label or evidence.survey.title, url)
    if evidence.kind == EvidenceKind.CONSULTATION and evidence.consultation is not None:
        url = _absolute(reverse("consultations:report", args=[slug, evidence.consultation.slug]))
        return EvidenceRow(kind, evidence.label or evidence.consultation.title, url)
    if evidence.kind == EvidenceKind.DOCUMENT and evidence.file:
        return EvidenceRow(
            kind,
            evidence.label or (evidence.file.name or "").rsplit("/", 1)[-1],
            _absolute(evidence.file.url),
        )
    return EvidenceRow(kind, evidence.label or evidence.url, evidence.url)


def evaluation_report_data(
    *, municipality: Municipality, pk: int, language: str, as_of: datetime.date
) -> EvaluationReportData:
    """Everything an evaluation's report says, in ``language``: the evaluation with its subject and
    decision, the six criteria with their ratings, findings and evidence, and its recommendations
    followed up as of ``as_of``. Four queries, however many ratings, evidence and recommendations;
    Http404 for an evaluation that is not the municipality's."""
    with translation.override(language):
        evaluation = evaluation_selectors.evaluation_find(municipality=municipality, pk=pk)
        evaluation.municipality = municipality
        page = evaluation_selectors.evaluation_page(evaluation, as_of=as_of)
        rated = {rating.criterion: rating for rating in page.ratings}
        criteria = []
        for value, label in Criterion.choices:
            rating = rated.get(value)
            score = rating.rating if rating is not None else None
            criteria.append(
                CriterionRow(
                    criterion=value,
                    label=str(label),
                    rating=score,
                    rating_label=str(Rating(score).label) if score else "",
                    findings=rating.findings if rating is not None else "",
                    evidence=[_evidence_row(e, municipality.slug) for e in rating.evidence.all()]
                    if rating is not None
                    else [],
                )
            )
        return EvaluationReportData(
            evaluation=evaluation,
            municipality=municipality,
            language=language,
            as_of=as_of,
            criteria=criteria,
            recommendations=sorted(
                page.recommendations, key=lambda t: (t.recommendation.number, t.recommendation.pk)
            ),
        )


def evaluation_report_files(evaluation: Evaluation) -> list[ReportFile]:
    """The evaluation's generated report files, newest first: one query."""
    return list(ReportFile.objects.filter(evaluation=evaluation))


def evaluation_report_file_get(*, evaluation: Evaluation, pk) -> ReportFile:
    return get_object_or_404(ReportFile, evaluation=evaluation, pk=pk)


def evaluation_published_files(evaluation: Evaluation) -> list[ReportFile]:
    """The evaluation's report files the portal offers: none for a draft; for a published
    evaluation the latest file generated since it was published in each language and format
    (Bulgarian first, DOCX before PDF). One query (none for a draft)."""
    if not evaluation.is_published:
        return []
    latest: dict[tuple[str, str], ReportFile] = {}
    for found in ReportFile.objects.filter(
        evaluation=evaluation, is_published=True, status=GenerationStatus.DONE
    ).order_by("created_at", "pk"):
        latest[(found.language, found.format)] = found
    return [
        latest[key] for key in (("bg", "docx"), ("bg", "pdf"), ("en", "docx"), ("en", "pdf")) if key in latest
    ]
