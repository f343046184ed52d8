"""Save the whole installation, the database and the uploaded files, into a new folder with a
manifest (docs/operations.md, Backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civitas.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Save the database (pg_dump or SQLite's backup) and the uploaded files (MEDIA_ROOT) into a new "
        "folder, with a manifest of checksums, versions and migrations (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="a new or empty folder")
        parser.add_argument(
            "--no-media",
            action="store_true",
            help="save the database only (uploaded files are backed up by other means)",
        )

    def handle(self, *args, output: Path, no_media: bool = False, **options):
        try:
            manifest = backup(output, include_media=not no_media)
        except BackupError as error:
            raise CommandError(str(error)) from None
        database = manifest["database"]
        media = manifest["media"]
        self.stdout.write(
            _("Saved the %(vendor)s database (%(tables)s tables, %(rows)s rows) into %(path)s.")
            % {
                "vendor": database["vendor"],
                "tables": len(database["tables"]),
                "rows": sum(table["rows"] for table in database["tables"].values()),
                "path": output,
            }
        )
        if media["storage"] == "filesystem":
            self.stdout.write(_("Saved %(count)s uploaded files.") % {"count": len(media["files"])})
        elif media["storage"] == "external":
            self.stdout.write(
                _("The uploaded files are kept in external storage (S3): back up the bucket with its own "
                  "tools (versioning or replication); see docs/operations.md.")
            )  # fmt: skip
        else:
            self.stdout.write(_("The uploaded files were not saved (--no-media)."))
