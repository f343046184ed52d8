"""Import measurements from an XLSX or CSV file: every row or none (see docs/measurement-files.md).

With ``--published --verifier <username> --evidence <file or link>`` the values are those of an
already published document: recorded as published at once by the verifier, with the document as
their evidence (docs/setting-up.md)."""

import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civitas.core.tenancy import municipality_from_slug
from civitas.indicators import imports


class Command(BaseCommand):
    help = "Import measurements of a municipality's indicators from an XLSX or CSV file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("municipality", help="the municipality's address name, e.g. sopot")
        parser.add_argument("file", type=Path, help="the XLSX or CSV file")
        parser.add_argument(
            "--user", help="username of the person entering the values (not with --published)"
        )
        parser.add_argument("--submit", action="store_true", help="submit the values for approval at once")
        parser.add_argument(
            "--published", action="store_true",
            help="the values are already published in a document: record them as published at once",
        )  # fmt: skip
        parser.add_argument("--verifier", help="with --published: username of the verifier who records them")
        parser.add_argument(
            "--evidence",
            help="with --published: the published document, a file (PDF, DOCX …) or its https:// link",
        )

    def handle(self, *args, municipality, file, user, submit, published, verifier, evidence, **options):
        if published:
            if user or submit:
                raise CommandError(
                    _("--published records the values by --verifier: leave out --user and --submit.")
                )
            if not verifier or not evidence:
                raise CommandError(_("--published needs --verifier and --evidence (the published document)."))
        elif not user:
            raise CommandError(_("Give --user, the person entering the values (or --published)."))
        try:
            town = municipality_from_slug(municipality)
        except Exception:
            raise CommandError(f"No municipality {municipality!r}.") from None
        username = verifier if published else user
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"No user {username!r}.")
        if not file.is_file():
            raise CommandError(f"No file {file}.")
        if file.stat().st_size > imports.MAX_BYTES:
            raise CommandError(f"{file} is larger than {imports.MAX_BYTES // 1024 // 1024} MB.")
        try:
            if published:
                result = imports.import_published_measurements(
                    actor=actor, municipality=town, data=file.read_bytes(), **self._document(evidence)
                )
            else:
                result = imports.import_measurements(
                    actor=actor, municipality=town, data=file.read_bytes(), submit=submit
                )
        except PermissionDenied:
            if published:
                raise CommandError(
                    _("%(user)s is no verifier in %(municipality)s: nothing was imported.")
                    % {"user": username, "municipality": municipality}
                ) from None
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
        if published:
            self.stdout.write(
                _("%(count)s values recorded as published from a published document.")
                % {"count": result.published}
            )
            return
        if submit:
            self.stdout.write(_("%(count)s values submitted for approval.") % {"count": result.saved})
        else:
            self.stdout.write(_("%(count)s values saved as drafts.") % {"count": result.saved})

    def _document(self, evidence: str) -> dict:
        """The published document: its link, or its file as an upload (checked by the service)."""
        if re.match(r"https?://", evidence):
            return {"evidence_url": evidence}
        path = Path(evidence)
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        return {"evidence": SimpleUploadedFile(path.name, path.read_bytes())}
