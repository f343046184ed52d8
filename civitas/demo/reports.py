"""The annual monitoring report of the Sopot demo: the Municipal Development Plan 2014–2020's report
for the year with the most published values, started through the reports services and left as a
draft (approving it needs a council decision).

SAMPLE DATA: the press release gives no annual report: its narrative below is illustrative and the
report is marked as sample. Loading twice changes nothing.
"""

from django.db.models import Count

from civitas.core.permissions import OPERATOR
from civitas.indicators.models import COUNTED_STATES, Measurement
from civitas.plans.models import Plan
from civitas.reports import services
from civitas.reports.models import AnnualReport

PLAN_SLUG = "opr-2014-2020"

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
    plan = (
        Plan.objects.filter(municipality=municipality, slug=PLAN_SLUG).select_related("municipality").first()
    )
    if plan is None:
        return None
    year = report_year(plan)
    found = AnnualReport.objects.filter(plan=plan, year=year).first()
    if found is not None:
        return found
    return services.report_create(
        actor=OPERATOR, plan=plan, year=year, as_of=None, is_sample=True, **NARRATIVE
    )
