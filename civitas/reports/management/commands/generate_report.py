from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from civitas.core.models import Municipality
from civitas.core.permissions import OPERATOR
from civitas.evaluations.models import Evaluation
from civitas.plans.models import Plan
from civitas.reports import services, tasks
from civitas.reports.models import AnnualReport, ReportFormat, ReportLanguage


class Command(BaseCommand):
    help = (
        "Write a plan's annual monitoring report for a year (--plan and --year), or an evaluation's "
        "report (--evaluation), as DOCX or PDF, in Bulgarian or English. The year's annual report is "
        "started (as a draft, as the operator) when there is none."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality", required=True, help="the municipality's address name, e.g. sopot"
        )
        parser.add_argument("--plan", help="the plan's address name, e.g. opr-2014-2020")
        parser.add_argument("--year", type=int, help="a year of the plan's period, e.g. 2019")
        parser.add_argument(
            "--evaluation", type=int, help="the number (id) of one of the municipality's evaluations"
        )
        parser.add_argument("--format", choices=ReportFormat.values, default=ReportFormat.DOCX)
        parser.add_argument("--language", choices=ReportLanguage.values, default=ReportLanguage.BG)
        parser.add_argument("-o", "--output", required=True, help="the file to write")

    def handle(self, *args, municipality, plan, year, evaluation, format, language, output, **options):
        if evaluation is not None:
            if plan is not None or year is not None:
                raise CommandError("give either --evaluation, or --plan and --year, not both")
            content = self._evaluation(municipality, evaluation, fmt=format, language=language)
        elif plan is None or year is None:
            raise CommandError(
                "give --plan and --year (an annual report), or --evaluation (an evaluation's report)"
            )
        else:
            content = self._annual(municipality, plan, year, fmt=format, language=language)
        Path(output).write_bytes(content)
        self.stdout.write(f"{output}: {len(content)} bytes")

    def _evaluation(self, municipality: str, pk: int, *, fmt: str, language: str) -> bytes:
        found = Municipality.objects.filter(slug=municipality).first()
        if found is None:
            raise CommandError(f"no municipality “{municipality}”")
        evaluation = Evaluation.objects.filter(pk=pk).only("pk", "municipality_id").first()
        if evaluation is None or evaluation.municipality_id != found.pk:
            raise CommandError(f"no evaluation {pk} in the municipality “{municipality}”")
        evaluation.municipality = found
        return tasks.evaluation_report_bytes(evaluation, fmt=fmt, language=language)

    def _annual(self, municipality: str, plan: str, year: int, *, fmt: str, language: str) -> bytes:
        found = (
            Plan.objects.filter(municipality__slug=municipality, slug=plan)
            .select_related("municipality")
            .first()
        )
        if found is None:
            raise CommandError(f"no plan “{plan}” in the municipality “{municipality}”")
        report = AnnualReport.objects.filter(plan=found, year=year).select_related("decision").first()
        if report is None:
            try:
                report = services.report_create(actor=OPERATOR, plan=found, year=year)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        report.plan = found
        report.municipality = found.municipality
        return tasks.report_bytes(report, fmt=fmt, language=language)
