from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civitas.planfiles.imports import planfile_export
from civitas.plans.models import Plan


class Command(BaseCommand):
    help = "Export a whole plan as a YAML or JSON plan file (docs/plan-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="the plan's address name, e.g. opr-2014-2020")
        parser.add_argument(
            "--municipality", required=True, help="the municipality's address name, e.g. sopot"
        )
        parser.add_argument(
            "--format", choices=["yaml", "json"], default=None, help="default: from the file name, else yaml"
        )
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, plan, municipality, format, output, **options):
        found = Plan.objects.filter(municipality__slug=municipality, slug=plan).first()
        if found is None:
            raise CommandError(f"no plan “{plan}” in the municipality “{municipality}”")
        fmt = format or ("json" if output and output.lower().endswith(".json") else "yaml")
        text = planfile_export(found, fmt)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
