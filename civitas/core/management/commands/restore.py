"""Restore a backup made by ``manage.py backup`` into the configured database and MEDIA_ROOT,
all or nothing, and check the result against the backup's manifest (docs/operations.md, Restore)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civitas.core.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = (
        "Restore a backup folder into the configured database and MEDIA_ROOT. Refuses a damaged backup "
        "and a database or folder that already holds data (unless --replace); checks every table and "
        "file against the manifest afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="the folder that manage.py backup wrote")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace what the database and MEDIA_ROOT already hold",
        )
        parser.add_argument(
            "--check-only", action="store_true", help="only check that the backup is whole; restore nothing"
        )

    def handle(self, *args, folder: Path, replace: bool = False, check_only: bool = False, **options):
        try:
            if check_only:
                manifest = verify(folder)
                self.stdout.write(
                    _("The backup of %(created)s in %(path)s is whole.")
                    % {"created": manifest["created"], "path": folder}
                )
                return
            manifest = restore(folder, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _(
                "Restored the backup of %(created)s: %(tables)s tables and %(files)s files, each the same "
                "as in the backup. Run manage.py migrate if this version of Civitas is newer."
            )
            % {
                "created": manifest["created"],
                "tables": len(manifest["database"]["tables"]),
                "files": len(manifest["media"]["files"]),
            }
        )
