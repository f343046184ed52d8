"""The annual monitoring reports of the Sopot demo, for the Municipal Development Plan 2014–2020: the
report for 2015, approved by the council's sample decision № 42 of 20.04.2016 (civitas.demo.council)
and so published on the portal, and the report for the year with the most published values, started
through the reports services and left as a draft.

SAMPLE DATA: the press release gives no annual report: its narrative below is illustrative and the
report is marked as sample. Loading twice changes nothing.
"""

from django.db.models import Count

from civitas.core.permissions import OPERATOR
from civitas.council.models import Decision
from civitas.indicators.models import COUNTED_STATES, Measurement
from civitas.plans.models import Plan
from civitas.reports import services
from civitas.reports.models import AnnualReport

PLAN_SLUG = "opr-2014-2020"
# The year of the report the council approved, and its decision (number, year).
APPROVED_YEAR = 2015
APPROVED_BY = (42, 2016)

NARRATIVE: dict[str, str] = {
    "conditions_bg": (
        "Примерни данни. През годината община Сопот продължи изпълнението на Общинския план за развитие "
        "2014–2020 г. Социално-икономическите условия са описани с контекстните индикатори в таблицата по-долу."
    ),
    "conditions_en": (
        "Sample data. During the year the municipality of Sopot continued to implement the Municipal "
        "Development Plan 2014–2020. The socio-economic conditions are described by the context indicators "
        "in the table below."
    ),
    "actions_bg": (
        "Примерни данни. За индикаторите, които изостават, отговорните звена преразгледаха графиците на "
        "проектите и източниците на финансиране."
    ),
    "actions_en": (
        "Sample data. For the indicators off track, the units responsible reviewed the projects' schedules "
        "and their funding sources."
    ),
    "conclusions_bg": (
        "Примерни данни. Изпълнението на плана напредва; предлага се актуализация на целевите стойности на "
        "индикаторите, които изостават."
    ),
    "conclusions_en": (
        "Sample data. The plan's implementation is progressing; an update of the targets of the indicators "
        "off track is proposed."
    ),
}


def report_year(plan: Plan) -> int:
    """The year of the plan's period with the most published values (the last such year on a tie;
    the plan's last year when it has none)."""
    counts = (
        Measurement.objects.filter(indicator__element__plan=plan, state__in=COUNTED_STATES,
                                   year__gte=plan.period_start, year__lte=plan.period_end)
        .values("year")
        .annotate(n=Count("pk"))
    )  # fmt: skip
    best = max(counts, key=lambda row: (row["n"], row["year"]), default=None)
    return best["year"] if best is not None else plan.period_end


def load_reports(municipality) -> AnnualReport | None:
    """The demo's draft report (see the module's docstring), after the approved one."""
    plan = (
        Plan.objects.filter(municipality=municipality, slug=PLAN_SLUG).select_related("municipality").first()
    )
    if plan is None:
        return None
    _approved_report(plan)
    year = report_year(plan)
    found = AnnualReport.objects.filter(plan=plan, year=year).first()
    if found is not None:
        return found
    return services.report_create(
        actor=OPERATOR, plan=plan, year=year, as_of=None, is_sample=True, **NARRATIVE
    )


def _approved_report(plan: Plan) -> AnnualReport | None:
    number, year = APPROVED_BY
    decision = Decision.objects.filter(municipality=plan.municipality, number=number, year=year).first()
    if decision is None or AnnualReport.objects.filter(plan=plan, year=APPROVED_YEAR).exists():
        return None
    report = services.report_create(
        actor=OPERATOR, plan=plan, year=APPROVED_YEAR, as_of=None, is_sample=True, **NARRATIVE
    )
    return services.report_approve(
        actor=OPERATOR, report=report, decision=decision, expected_version=report.version
    )
