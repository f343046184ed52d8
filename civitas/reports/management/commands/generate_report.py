from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from civitas.core.permissions import OPERATOR
from civitas.plans.models import Plan
from civitas.reports import services, tasks
from civitas.reports.models import AnnualReport, ReportFormat, ReportLanguage


class Command(BaseCommand):
    help = (
        "Write a plan's annual monitoring report for a year as DOCX or PDF, in Bulgarian or English. "
        "The year's report is started (as a draft, as the operator) when there is none."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality", required=True, help="the municipality's address name, e.g. sopot"
        )
        parser.add_argument("--plan", required=True, help="the plan's address name, e.g. opr-2014-2020")
        parser.add_argument("--year", required=True, type=int, help="a year of the plan's period, e.g. 2019")
        parser.add_argument("--format", choices=ReportFormat.values, default=ReportFormat.DOCX)
        parser.add_argument("--language", choices=ReportLanguage.values, default=ReportLanguage.BG)
        parser.add_argument("-o", "--output", required=True, help="the file to write")

    def handle(self, *args, municipality, plan, year, format, language, output, **options):
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
        content = tasks.report_bytes(report, fmt=format, language=language)
        Path(output).write_bytes(content)
        self.stdout.write(f"{output}: {len(content)} bytes")
