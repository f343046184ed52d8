"""The open datasets: what each holds, its columns (name, type, unit, meaning) and its rows.

One definition used by the downloads (``exports``), the portal's open-data page, the DCAT-AP
catalogue (``catalog``) and the data dictionary (docs/open-data.md, which a test keeps in step).
Only what the portal shows to everyone is here: plans that are not drafts and what hangs from
them, published measurements only, public corrections, the proposals a consultation shows and
the aggregated results of surveys whose results are public; no names, e-mails or accounts.

Each dataset's rows come from one ``values_list`` query read with ``iterator(chunk_size=…)``
(survey results: the survey selector's fixed queries per survey, whatever the number of
responses), so an export runs the same number of queries and holds one chunk in memory whatever
the data's size. Every row starts with the municipality's address name, so the installation's
files read like the municipalities' files put one after another.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from civitas.consultations.models import Consultation, ConsultationStatus, Proposal, ProposalState
from civitas.consultations.selectors import PUBLIC_STATES
from civitas.core.models import Municipality
from civitas.indicators.exports import HISTORY_COLUMNS
from civitas.indicators.models import COUNTED_STATES, Indicator, IndicatorChange, Measurement, Target
from civitas.indicators.rules import period_of
from civitas.plans.models import PUBLIC_PLAN_STATUSES, FinancialLine, Plan, PlanElement
from civitas.projects.models import FundingLine, Project
from civitas.surveys import exports as survey_exports
from civitas.surveys.models import Survey, SurveyStatus

CHUNK = 2000

Text = str | Promise  # a text, or one translated when it is shown (gettext_lazy)

# Column types, as the data dictionary and the catalogue name them.
TEXT, INTEGER, DECIMAL, DATE, DATETIME, BOOLEAN, JSON = (
    "text", "integer", "decimal", "date", "date-time", "boolean", "json",
)  # fmt: skip


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: Text
    unit: Text = ""


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Text
    description: Text
    columns: tuple[Column, ...]
    frequency: str  # the EU frequency vocabulary's code: CONT (continuous), ANNUAL, IRREG…
    theme: str  # the EU data theme vocabulary's code: GOVE, ECON, SOCI…

    @property
    def frequency_label(self) -> Text:
        return FREQUENCY_LABELS[self.frequency]

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def rows(self, municipality: Municipality | None) -> Iterator[tuple]:
        """The rows of one municipality, or of the whole installation (``None``)."""
        return ROWS[self.slug](municipality)

    def count(self, municipality: Municipality | None) -> int | None:
        """The number of rows in one query, or None where counting would cost a query per item."""
        counter = COUNTS.get(self.slug)
        return counter(municipality).count() if counter else None


# The EU frequency vocabulary's codes that the datasets use.
FREQUENCY_LABELS = {
    "CONT": _("Continuously: each file is made from the data of the moment"),
    "ANNUAL": _("Once a year, as targets are set"),
    "IRREG": _("Irregularly, when the data changes"),
}


def _in(qs, municipality: Municipality | None, path: str = "municipality"):
    return qs if municipality is None else qs.filter(**{path: municipality})


def _rows(qs, *fields: str) -> Iterator[tuple]:
    return qs.values_list(*fields).iterator(chunk_size=CHUNK)


MUNICIPALITY = Column("municipality", TEXT, _("The municipality's address name on this site (e.g. sopot)."))


def _bilingual(name: str, meaning: Text, type_: str = TEXT) -> tuple[Column, Column]:
    """The two columns of a text kept in both languages (``title_bg``, ``title_en``)."""
    return (
        Column(f"{name}_bg", type_, format_lazy(_("{meaning}, in Bulgarian."), meaning=meaning)),
        Column(
            f"{name}_en",
            type_,
            format_lazy(_("{meaning}, in English (empty if not translated)."), meaning=meaning),
        ),
    )


# --- Plans --------------------------------------------------------------------------------------


def _public_plans(municipality):
    return _in(Plan.objects.filter(status__in=PUBLIC_PLAN_STATUSES), municipality)


def _plan_rows(municipality) -> Iterator[tuple]:
    return _rows(
        _public_plans(municipality).order_by("municipality__slug", "position", "pk"),
        "municipality__slug", "slug", "kind", "title_bg", "title_en", "description_bg", "description_en",
        "period_start", "period_end", "status", "adopted_by_bg", "adopted_by_en", "currency", "updated_at",
    )  # fmt: skip


PLANS = Dataset(
    slug="plans",
    title=_("Plans and strategies"),
    description=_(
        "The municipality's development plans, sectoral strategies and programmes that are not "
        "drafts: their kind, period, status and the council decision that adopted them."
    ),
    columns=(
        MUNICIPALITY,
        Column("plan", TEXT, _("The plan's address name, unique in its municipality.")),
        Column("kind", TEXT, _("development_plan, sectoral_strategy, programme or methodology.")),
        *_bilingual("title", _("The plan's title")),
        *_bilingual("description", _("The plan's description")),
        Column("period_start", INTEGER, _("The plan's first year."), _("year")),
        Column("period_end", INTEGER, _("The plan's last year."), _("year")),
        Column("status", TEXT, _("consultation, adopted, implementation, completed or archived.")),
        *_bilingual("adopted_by", _("The council decision that adopted the plan")),
        Column("currency", TEXT, _("The currency of the plan's amounts (EUR or BGN).")),
        Column("updated_at", DATETIME, _("When the plan was last changed (ISO 8601, UTC).")),
    ),
    frequency="CONT",
    theme="GOVE",
)


def _element_rows(municipality) -> Iterator[tuple]:
    return _rows(
        _in(PlanElement.objects.filter(plan__status__in=PUBLIC_PLAN_STATUSES), municipality, "plan__municipality")
        .order_by("plan__municipality__slug", "plan__position", "plan_id", "position", "pk"),
        "plan__municipality__slug", "plan__slug", "code", "parent__code", "position", "title_bg", "title_en",
        "description_bg", "description_en",
    )  # fmt: skip


ELEMENTS = Dataset(
    slug="elements",
    title=_("Goal trees of the plans"),
    description=_(
        "Every element of each plan's goal tree (priorities, objectives, measures…): its code, "
        "its parent and its title."
    ),
    columns=(
        MUNICIPALITY,
        Column("plan", TEXT, _("The plan's address name (see the plans dataset).")),
        Column("code", TEXT, _("The element's code, unique in its plan (e.g. П1.2).")),
        Column(
            "parent_code", TEXT, _("The code of the element it belongs to; empty at the top of the tree.")
        ),
        Column("position", INTEGER, _("Its order among the elements of the same parent.")),
        *_bilingual("title", _("The element's title")),
        *_bilingual("description", _("The element's description")),
    ),
    frequency="CONT",
    theme="GOVE",
)


def _plan_finance_rows(municipality) -> Iterator[tuple]:
    return _rows(
        _in(FinancialLine.objects.filter(plan__status__in=PUBLIC_PLAN_STATUSES), municipality, "plan__municipality")
        .order_by("plan__municipality__slug", "plan__position", "plan_id", "position", "pk"),
        "plan__municipality__slug", "plan__slug", "element__code", "source", "year", "amount", "currency",
    )  # fmt: skip


SOURCE = Column("source", TEXT, _("Where the money comes from: municipal, national, eu or other."))

PLAN_FINANCES = Dataset(
    slug="plan-finances",
    title=_("Indicative financial tables of the plans"),
    description=_("The money each plan foresees, by element, funding source and year."),
    columns=(
        MUNICIPALITY,
        Column("plan", TEXT, _("The plan's address name (see the plans dataset).")),
        Column(
            "element", TEXT, _("The code of the element the amount is for; empty for the plan as a whole.")
        ),
        SOURCE,
        Column("year", INTEGER, _("The year; empty for the whole period."), _("year")),
        Column("amount", DECIMAL, _("The amount foreseen."), _("the currency column")),
        Column("currency", TEXT, _("EUR or BGN.")),
    ),
    frequency="IRREG",
    theme="ECON",
)


# --- Projects -------------------------------------------------------------------------------------


def _project_rows(municipality) -> Iterator[tuple]:
    return _rows(
        _in(Project.objects.all(), municipality).order_by("municipality__slug", "code", "pk"),
        "municipality__slug", "code", "slug", "title_bg", "title_en", "status", "progress", "planned_start",
        "planned_end", "actual_start", "actual_end", "declared_total", "declared_currency", "responsible_unit_bg",
        "responsible_unit_en", "location_name_bg", "location_name_en", "updated_at",
    )  # fmt: skip


PROJECT = Column("project", TEXT, _("The project's code, unique in its municipality."))

PROJECTS = Dataset(
    slug="projects",
    title=_("Projects"),
    description=_(
        "The municipality's projects: status, progress, dates, declared budget, place and unit in charge."
    ),
    columns=(
        MUNICIPALITY,
        PROJECT,
        Column("slug", TEXT, _("The project's address name on this site.")),
        *_bilingual("title", _("The project's title")),
        Column(
            "status",
            TEXT,
            _(
                "idea, planned, in_preparation, funding_applied, contracted, in_progress, completed, suspended "
                "or cancelled."
            ),
        ),
        Column("progress", INTEGER, _("How far the work has got, as the municipality reports it."), "%"),
        Column("planned_start", DATE, _("Planned start (YYYY-MM-DD).")),
        Column("planned_end", DATE, _("Planned end (YYYY-MM-DD).")),
        Column("actual_start", DATE, _("Actual start (YYYY-MM-DD).")),
        Column("actual_end", DATE, _("Actual end (YYYY-MM-DD).")),
        Column(
            "declared_total", DECIMAL, _("The total budget declared for the project."), _("declared_currency")
        ),
        Column("declared_currency", TEXT, _("EUR or BGN.")),
        *_bilingual("responsible_unit", _("The municipal unit in charge")),
        *_bilingual("location_name", _("Where the project takes place")),
        Column("updated_at", DATETIME, _("When the project was last changed (ISO 8601, UTC).")),
    ),
    frequency="CONT",
    theme="GOVE",
)


def _funding_rows(municipality) -> Iterator[tuple]:
    return _rows(
        _in(FundingLine.objects.all(), municipality, "project__municipality")
        .order_by("project__municipality__slug", "project__code", "project_id", "position", "pk"),
        "project__municipality__slug", "project__code", "source", "programme_bg", "programme_en", "amount",
        "currency", "is_ceiling", "spent", "grant_share", "contract_number", "contract_date",
    )  # fmt: skip


FUNDING = Dataset(
    slug="funding",
    title=_("Funding of the projects"),
    description=_(
        "Each project's funding lines: source, programme, amount, money spent, grant share and contract."
    ),
    columns=(
        MUNICIPALITY,
        PROJECT,
        SOURCE,
        *_bilingual("programme", _("The funding programme")),
        Column("amount", DECIMAL, _("The amount of the line."), _("the currency column")),
        Column("currency", TEXT, _("EUR or BGN.")),
        Column("is_ceiling", BOOLEAN, _("true when the amount is a ceiling (up to).")),
        Column(
            "spent", DECIMAL, _("The money spent so far; empty if not reported."), _("the currency column")
        ),
        Column("grant_share", DECIMAL, _("The share of the amount that is a grant."), "%"),
        Column("contract_number", TEXT, _("The number of the funding contract.")),
        Column("contract_date", DATE, _("The date of the funding contract (YYYY-MM-DD).")),
    ),
    frequency="CONT",
    theme="ECON",
)


# --- Indicators ------------------------------------------------------------------------------------


def _public_indicators(municipality):
    """Indicators of projects and of plans that are not drafts (as ``selectors.indicator_get``)."""
    qs = Indicator.objects.filter(Q(element__isnull=True) | Q(element__plan__status__in=PUBLIC_PLAN_STATUSES))
    return _in(qs, municipality)


def _indicator_rows(municipality) -> Iterator[tuple]:
    return _rows(
        _public_indicators(municipality).order_by("municipality__slug", "position", "code", "pk"),
        "municipality__slug", "code", "name_bg", "name_en", "definition_bg", "definition_en", "type", "unit_bg",
        "unit_en", "measure", "direction", "frequency", "accumulation", "baseline_value", "baseline_year",
        "data_source_bg", "data_source_en", "element__plan__slug", "element__code", "project__code", "eu_code",
        "updated_at",
    )  # fmt: skip


INDICATOR = Column("indicator", TEXT, _("The indicator's code, unique in its municipality."))

INDICATORS = Dataset(
    slug="indicators",
    title=_("Indicators"),
    description=_(
        "The indicators of the plans and projects with their passports: definition, type, unit, "
        "direction, frequency, baseline, data source and what they measure."
    ),
    columns=(
        MUNICIPALITY,
        INDICATOR,
        *_bilingual("name", _("The indicator's name")),
        *_bilingual("definition", _("The indicator's definition")),
        Column("type", TEXT, _("output, result, impact or context.")),
        *_bilingual("unit", _("The unit of its values")),
        Column("measure", TEXT, _("How values are measured: number, percentage or score.")),
        Column("direction", TEXT, _("Which way is better: increase, decrease or maintain.")),
        Column("frequency", TEXT, _("How often it is measured: annual, semiannual, quarterly or monthly.")),
        Column("accumulation", TEXT, _("How values add up over periods: per_period, cumulative or latest.")),
        Column("baseline_value", DECIMAL, _("The baseline value."), _("the unit columns")),
        Column("baseline_year", INTEGER, _("The year of the baseline."), _("year")),
        *_bilingual("data_source", _("Where the values come from")),
        Column("plan", TEXT, _("The plan it belongs to (address name); empty for a project's indicator.")),
        Column(
            "element", TEXT, _("The code of the plan element it measures; empty for a project's indicator.")
        ),
        Column("project", TEXT, _("The code of the project it measures; empty for a plan's indicator.")),
        Column("eu_code", TEXT, _("The EU common indicator code, if any.")),
        Column("updated_at", DATETIME, _("When the indicator was last changed (ISO 8601, UTC).")),
    ),
    frequency="CONT",
    theme="GOVE",
)


def _target_rows(municipality) -> Iterator[tuple]:
    qs = Target.objects.filter(indicator__in=_public_indicators(municipality))
    for row in _rows(
        qs.order_by("indicator__municipality__slug", "indicator__position", "indicator__code", "indicator_id",
                    "year", "sub"),
        "indicator__municipality__slug", "indicator__code", "year", "sub", "indicator__frequency",
        "indicator__element__plan__year_start_month", "indicator__municipality__year_start_month", "value",
        "is_final",
    ):  # fmt: skip
        town, code, year, sub, frequency, plan_start, town_start, value, final = row
        yield (
            town,
            code,
            _period_label(year, sub, frequency, plan_start, town_start),
            year,
            sub,
            value,
            final,
        )


def _period_label(year, sub, frequency, plan_start, town_start) -> str:
    """The period as the portal writes it (2023, 2023-H1, 2023-Q3, 2023-05), by the same rule."""
    start = (
        plan_start or town_start
    )  # the plan's own reporting year, else the municipality's (evaluation.year_start_of)
    period = period_of(year, sub, frequency, start)
    return period.label if period else f"{year}/{sub}"


PERIOD = Column("period", TEXT, _("The reporting period: 2023 (year), 2023-H1, 2023-Q3 or 2023-05."))
YEAR = Column("year", INTEGER, _("The period's year (the year it starts in)."), _("year"))
SUB = Column("sub", INTEGER, _("The part of the year: 0 for a whole year, else the half, quarter or month."))

TARGETS = Dataset(
    slug="targets",
    title=_("Indicator targets"),
    description=_("The target values the municipality set for each indicator and period."),
    columns=(
        MUNICIPALITY,
        INDICATOR,
        PERIOD,
        YEAR,
        SUB,
        Column("value", DECIMAL, _("The target value."), _("the indicator's unit")),
        Column("is_final", BOOLEAN, _("true for the plan's final target.")),
    ),  # fmt: skip
    frequency="ANNUAL",
    theme="GOVE",
)


def _measurement_rows(municipality) -> Iterator[tuple]:
    qs = Measurement.objects.filter(state__in=COUNTED_STATES, indicator__in=_public_indicators(municipality))
    for row in _rows(
        qs.order_by("indicator__municipality__slug", "indicator__position", "indicator__code", "indicator_id",
                    "year", "sub"),
        "indicator__municipality__slug", "indicator__code", "year", "sub", "indicator__frequency",
        "indicator__element__plan__year_start_month", "indicator__municipality__year_start_month", "value",
        "numerator", "denominator", "breakdown", "collected_on", "approved_at",
    ):  # fmt: skip
        town, code, year, sub, frequency, plan_start, town_start, *values = row
        yield (town, code, _period_label(year, sub, frequency, plan_start, town_start), year, sub, *values)


MEASUREMENTS = Dataset(
    slug="measurements",
    title=_("Indicator values"),
    description=_(
        "Every published value of every indicator, period by period: the complete published "
        "history. Values that are still drafts or awaiting verification are never in it."
    ),
    columns=(
        MUNICIPALITY,
        INDICATOR,
        PERIOD,
        YEAR,
        SUB,
        Column("value", DECIMAL, _("The published value."), _("the indicator's unit")),
        Column("numerator", DECIMAL, _("For a percentage: the numerator, if reported.")),
        Column("denominator", DECIMAL, _("For a percentage: the denominator, if reported.")),
        Column(
            "breakdown",
            JSON,
            _("The disaggregated values as JSON: {dimension: {category: value}}; {} when not disaggregated."),
        ),
        Column("collected_on", DATE, _("When the data was collected (YYYY-MM-DD).")),
        Column("approved_at", DATETIME, _("When the value was verified (ISO 8601, UTC).")),
    ),  # fmt: skip
    frequency="CONT",
    theme="GOVE",
)


def _change_rows(municipality) -> Iterator[tuple]:
    qs = IndicatorChange.objects.filter(is_public=True, indicator__in=_public_indicators(municipality))
    return _rows(
        qs.order_by("indicator__municipality__slug", "indicator__position", "indicator__code", "indicator_id",
                    "changed_at", "pk"),
        "indicator__municipality__slug", "indicator__code", "changed_at", "field", "period", "old_value",
        "new_value", "reason",
    )  # fmt: skip


# The columns of the indicator export's public history, after the municipality.
_CHANGE_MEANINGS = {
    "indicator_code": _("The indicator's code, unique in its municipality."),
    "changed_at": _("When the change was made (ISO 8601, UTC)."),
    "field": _("What changed: measurement, target, or a passport field such as baseline_value."),
    "period": _("The period concerned, if any."),
    "old_value": _("The value before the change."),
    "new_value": _("The value after the change."),
    "reason": _("Why it was changed, as the municipality gave it."),
}
_CHANGE_TYPES = {"changed_at": DATETIME}

CHANGES = Dataset(
    slug="indicator-changes",
    title=_("Corrections to indicators"),
    description=_(
        "The public history of changes to indicators' baselines, targets and published values, with the reasons."
    ),
    columns=(
        MUNICIPALITY,
        *(Column(name, _CHANGE_TYPES.get(name, TEXT), _CHANGE_MEANINGS[name]) for name in HISTORY_COLUMNS),
    ),
    frequency="CONT",
    theme="GOVE",
)


# --- Consultations ---------------------------------------------------------------------------------


def _public_consultations(municipality):
    return _in(Consultation.objects.exclude(status=ConsultationStatus.DRAFT), municipality)


def _consultation_rows(municipality) -> Iterator[tuple]:
    return _rows(
        _public_consultations(municipality).order_by("municipality__slug", "opens_at", "pk"),
        "municipality__slug", "slug", "title_bg", "title_en", "summary_bg", "summary_en", "plan__slug", "opens_at",
        "closes_at", "status", "report_published_at",
    )  # fmt: skip


CONSULTATION = Column("consultation", TEXT, _("The consultation's address name, unique in its municipality."))

CONSULTATIONS = Dataset(
    slug="consultations",
    title=_("Public consultations"),
    description=_("The public consultations on drafts: their period, status and the plan they are about."),
    columns=(
        MUNICIPALITY,
        CONSULTATION,
        *_bilingual("title", _("The consultation's title")),
        *_bilingual("summary", _("The consultation's summary")),
        Column("plan", TEXT, _("The plan under consultation (address name), if any.")),
        Column("opens_at", DATETIME, _("When proposals open (ISO 8601, UTC).")),
        Column("closes_at", DATETIME, _("When proposals close (ISO 8601, UTC).")),
        Column(
            "status", TEXT, _("open, closed or published (the table of proposals and answers is published).")
        ),
        Column("report_published_at", DATETIME, _("When the table of proposals and answers was published.")),
    ),
    frequency="CONT",
    theme="GOVE",
)


def _proposal_rows(municipality) -> Iterator[tuple]:
    """The proposals the consultation pages show, without who sent them; a hidden proposal keeps
    only the moderator's public reason, and answers appear once the table is published."""
    qs = Proposal.objects.filter(
        state__in=PUBLIC_STATES, consultation__in=_public_consultations(municipality)
    )
    for row in _rows(
        qs.order_by("consultation__municipality__slug", "consultation__opens_at", "consultation_id", "received_at",
                    "pk"),
        "consultation__municipality__slug", "consultation__slug", "pk", "section__position", "paragraph__position",
        "paragraph__section__position", "source", "received_at", "state", "text", "hidden_reason",
        "consultation__status", "answer__decision", "answer__reasons_bg", "answer__reasons_en", "answer__answered_at",
    ):  # fmt: skip
        (
            town,
            slug,
            pk,
            section,
            paragraph,
            paragraph_section,
            source,
            received,
            state,
            text,
            reason,
            status,
            *answer,
        ) = row
        hidden = state == ProposalState.HIDDEN
        target = (
            f"{paragraph_section}.{paragraph}" if paragraph is not None else (str(section) if section else "")
        )
        if status != ConsultationStatus.PUBLISHED:
            answer = [None, None, None, None]
        yield (town, slug, pk, target, source, received, state, "" if hidden else text, reason if hidden else "",
               *answer)  # fmt: skip


PROPOSALS = Dataset(
    slug="proposals",
    title=_("Proposals and answers in consultations"),
    description=_(
        "The proposals received in each public consultation and the municipality's answers "
        "(the table of proposals and answers), without the names of those who sent them."
    ),
    columns=(
        MUNICIPALITY,
        CONSULTATION,
        Column("proposal", INTEGER, _("The proposal's number on this site (stable).")),
        Column(
            "part",
            TEXT,
            _("The part of the draft: a section (3) or paragraph (3.2); empty for the draft as a whole."),
        ),
        Column("source", TEXT, _("How it was received: portal, email, letter or hearing.")),
        Column("received_at", DATETIME, _("When it was received (ISO 8601, UTC).")),
        Column("state", TEXT, _("visible, or hidden by a moderator.")),
        Column("text", TEXT, _("The proposal; empty when hidden.")),
        Column("hidden_reason", TEXT, _("The moderator's public reason for hiding it.")),
        Column(
            "decision",
            TEXT,
            _(
                "accepted, partly_accepted, not_accepted or not_applicable; empty until the table is published."
            ),
        ),
        *_bilingual("reasons", _("The municipality's reasons for its decision")),
        Column("answered_at", DATETIME, _("When it was answered (ISO 8601, UTC).")),
    ),
    frequency="CONT",
    theme="GOVE",
)


# --- Surveys ----------------------------------------------------------------------------------------


def _public_results(municipality):
    return _in(Survey.objects.exclude(status=SurveyStatus.DRAFT).filter(results_public=True), municipality)


def _survey_result_rows(municipality) -> Iterator[tuple]:
    """The survey pages' published results (``surveys.exports.results_rows``), in the site's
    default language, for every survey whose results are public."""
    for survey in (
        _public_results(municipality).select_related("municipality").order_by("municipality__slug", "pk")
    ):
        with translation.override(settings.LANGUAGE_CODE):
            for question, answer, respondents, share in survey_exports.results_rows(survey):
                yield (survey.municipality.slug, survey.slug, question, answer, respondents, share or None)


SURVEY_RESULTS = Dataset(
    slug="survey-results",
    title=_("Survey results"),
    description=_(
        "The aggregated results of the surveys whose results are public: for each question and "
        "answer, the number of respondents and their share. No single response is in it."
    ),
    columns=(
        MUNICIPALITY,
        Column("survey", TEXT, _("The survey's address name, unique in its municipality.")),
        Column("question", TEXT, _("The question, with its number.")),
        Column(
            "answer", TEXT, _("The answer option, or a statistic: mean, smallest, largest, written answers.")
        ),
        Column(
            "respondents", INTEGER, _("How many chose it (for a statistic: how many answered)."), _("people")
        ),
        Column(
            "share",
            DECIMAL,
            _("Their share of those who answered the question; for a statistic, its value."),
            "%",
        ),
    ),
    frequency="IRREG",
    theme="SOCI",
)


DATASETS: tuple[Dataset, ...] = (
    PLANS, ELEMENTS, PLAN_FINANCES, PROJECTS, FUNDING, INDICATORS, TARGETS, MEASUREMENTS, CHANGES,
    CONSULTATIONS, PROPOSALS, SURVEY_RESULTS,
)  # fmt: skip
BY_SLUG = {dataset.slug: dataset for dataset in DATASETS}

ROWS = {
    "plans": _plan_rows,
    "elements": _element_rows,
    "plan-finances": _plan_finance_rows,
    "projects": _project_rows,
    "funding": _funding_rows,
    "indicators": _indicator_rows,
    "targets": _target_rows,
    "measurements": _measurement_rows,
    "indicator-changes": _change_rows,
    "consultations": _consultation_rows,
    "proposals": _proposal_rows,
    "survey-results": _survey_result_rows,
}

COUNTS = {
    "plans": _public_plans,
    "elements": lambda m: _in(
        PlanElement.objects.filter(plan__status__in=PUBLIC_PLAN_STATUSES), m, "plan__municipality"
    ),
    "plan-finances": lambda m: _in(
        FinancialLine.objects.filter(plan__status__in=PUBLIC_PLAN_STATUSES), m, "plan__municipality"
    ),
    "projects": lambda m: _in(Project.objects.all(), m),
    "funding": lambda m: _in(FundingLine.objects.all(), m, "project__municipality"),
    "indicators": _public_indicators,
    "targets": lambda m: Target.objects.filter(indicator__in=_public_indicators(m)),
    "measurements": lambda m: Measurement.objects.filter(
        state__in=COUNTED_STATES, indicator__in=_public_indicators(m)
    ),
    "indicator-changes": lambda m: IndicatorChange.objects.filter(
        is_public=True, indicator__in=_public_indicators(m)
    ),
    "consultations": _public_consultations,
    "proposals": lambda m: Proposal.objects.filter(
        state__in=PUBLIC_STATES, consultation__in=_public_consultations(m)
    ),
}


def temporal_coverage(municipality: Municipality | None) -> tuple[int, int] | None:
    """The first and last year the plans cover (one query), for the catalogue."""
    years = list(_public_plans(municipality).order_by().values_list("period_start", "period_end"))
    if not years:
        return None
    return min(start for start, _end in years), max(end for _start, end in years)
