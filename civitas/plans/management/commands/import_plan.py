from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civitas.core.models import Municipality
from civitas.plans.imports import PlanImportError, planfile_import


class Command(BaseCommand):
    help = "Import a whole plan from a YAML or JSON plan file (docs/plan-format.md). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--municipality", required=True, help="the municipality's address name, e.g. sopot"
        )
        parser.add_argument("--replace", action="store_true", help="replace a plan with the same address name and "
                            "update projects with the same codes")  # fmt: skip
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")

    def handle(self, *args, file, municipality, replace, dry_run, **options):
        town = Municipality.objects.filter(slug=municipality).first()
        if town is None:
            raise CommandError(f"no municipality “{municipality}”")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no file {file}")
        try:
            result = planfile_import(
                actor=None,
                municipality=town,
                data=path.read_bytes(),
                name=path.name,
                replace=replace,
                dry_run=dry_run,
            )
        except PlanImportError as error:
            for issue in error.issues:
                self.stderr.write(str(issue))
            raise CommandError(f"{len(error.issues)} error(s): nothing was imported") from None
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            f"{verb} “{result.plan.title_bg}”: {result.elements} elements, {result.projects_created} projects created, "
            f"{result.projects_updated} updated"
        )
