"""Import measurements from an XLSX or CSV file: every row or none (see docs/measurement-files.md)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from civitas.core.tenancy import municipality_from_slug
from civitas.indicators import imports


class Command(BaseCommand):
    help = "Import measurements of a municipality's indicators from an XLSX or CSV file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("municipality", help="the municipality's address name, e.g. sopot")
        parser.add_argument("file", type=Path, help="the XLSX or CSV file")
        parser.add_argument("--user", required=True, help="username of the person entering the values")
        parser.add_argument("--submit", action="store_true", help="submit the values for approval at once")

    def handle(self, *args, municipality, file, user, submit, **options):
        try:
            town = municipality_from_slug(municipality)
        except Exception:
            raise CommandError(f"No municipality {municipality!r}.") from None
        actor = get_user_model().objects.filter(username=user).first()
        if actor is None:
            raise CommandError(f"No user {user!r}.")
        if not file.is_file():
            raise CommandError(f"No file {file}.")
        if file.stat().st_size > imports.MAX_BYTES:
            raise CommandError(f"{file} is larger than {imports.MAX_BYTES // 1024 // 1024} MB.")
        try:
            result = imports.import_measurements(
                actor=actor, municipality=town, data=file.read_bytes(), submit=submit
            )
        except PermissionDenied:
            raise CommandError(
                f"{user} may not enter values in {municipality}: nothing was imported."
            ) from None
        if not result.ok:
            for error in result.errors:
                where = f"row {error.row}" if error.row else "file"
                if error.column:
                    where += f", column {error.column}" + (f" ({error.letter})" if error.letter else "")
                self.stderr.write(f"{where}: {error.message}")
            raise CommandError(f"Nothing was imported: {len(result.errors)} errors.")
        state = "submitted for approval" if submit else "saved as drafts"
        self.stdout.write(f"{result.saved} values {state}.")
