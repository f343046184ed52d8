from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civitas.core.models import Municipality
from civitas.core.permissions import OPERATOR
from civitas.planfiles.imports import PlanImportError, planfile_import
from civitas.planfiles.planfile import MAX_BYTES


class Command(BaseCommand):
    help = (
        "Import a whole plan from a YAML or JSON plan file (docs/plan-format.md). All or nothing: a file "
        "with errors is refused whole and every error is printed, one per line, with its path."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .yaml, .yml or .json plan file")
        parser.add_argument(
            "--municipality", required=True, help="the municipality's address name, e.g. sopot"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the plan with the same address name and update the projects with the same codes",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and write everything, then roll back"
        )
        parser.add_argument(
            "--skip-missing-plans",
            action="store_true",
            help="leave out also_contributes_to links to plans the municipality does not have yet",
        )
        parser.add_argument(
            "--verifier",
            metavar="USERNAME",
            help="the verifier (or administrator) of the municipality recorded as having published the file's "
            "values and decided its status overrides; required when the file has any",
        )

    def handle(
        self, *args, file, municipality, replace, dry_run, skip_missing_plans, verifier=None, **options
    ):
        town = Municipality.objects.filter(slug=municipality).first()
        if town is None:
            raise CommandError(f"no municipality “{municipality}”")
        person = None
        if verifier:
            person = get_user_model().objects.filter(username=verifier, is_active=True).first()
            if person is None:
                raise CommandError(f"no user “{verifier}”")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no file {file}")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # enough to tell that a file is too large
        try:
            result = planfile_import(
                actor=OPERATOR,
                municipality=town,
                data=data,
                name=path.name,
                replace=replace,
                dry_run=dry_run,
                skip_missing_plans=skip_missing_plans,
                verifier=person,
            )
        except PermissionDenied:
            raise CommandError(
                f"“{verifier}” is not a verifier or administrator of “{municipality}”: nothing was imported"
            ) from None
        except PlanImportError as error:
            for issue in error.issues:
                self.stderr.write(str(issue))
            raise CommandError(
                _("%(count)s error(s) in %(file)s: nothing was imported")
                % {"count": len(error.issues), "file": file}
            ) from None
        for link in result.skipped_links:
            self.stdout.write(_("link left out (no such plan yet): %(link)s") % {"link": link})
        if result.unlinked_projects:
            self.stdout.write(
                _("kept, but no longer in any plan: %(codes)s")
                % {"codes": ", ".join(result.unlinked_projects)}
            )
        counts = {
            "title": result.plan.title_bg, "slug": result.plan.slug, "elements": result.elements,
            "created": result.projects_created, "updated": result.projects_updated,
            "indicators": result.indicators, "values": result.values,
        }  # fmt: skip
        if dry_run:
            message = _(
                "checked (dry run, nothing written) “%(title)s” (%(slug)s): %(elements)s elements, %(created)s "
                "projects created, %(updated)s updated, %(indicators)s indicators, %(values)s published values"
            )
        else:
            message = _(
                "imported “%(title)s” (%(slug)s): %(elements)s elements, %(created)s projects created, %(updated)s "
                "updated, %(indicators)s indicators, %(values)s published values"
            )
        self.stdout.write(message % counts)
