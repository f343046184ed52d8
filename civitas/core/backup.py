"""Backup and restore of a whole installation: the database and the uploaded files, in one folder
with a manifest (what it holds, every file's checksum, every table's row count and content
checksum, the migrations applied), so that a restore can refuse a damaged backup before it touches
anything and prove afterwards that it restored exactly what was saved (docs/operations.md).

PostgreSQL is saved with ``pg_dump -Fc`` from a snapshot that the table checksums are computed in
too, and restored with ``pg_restore --single-transaction``; SQLite with its online backup API.
Uploaded files are copied from MEDIA_ROOT; on other storage (S3) the bucket is backed up by its
own means and the manifest says so."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

FORMAT = "civitas-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_FOLDER = "media"
DUMP_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# --- Checksums -----------------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file under ``root`` as (its name relative to root, with "/", its path), in a
    fixed order; symbolic links are neither followed nor saved (the site never creates them)."""
    if not root.is_dir():
        return
    for folder, subfolders, files in os.walk(root, followlinks=False):
        subfolders.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def media_inventory(root: Path) -> dict[str, dict[str, Any]]:
    """{name: {"size", "sha256"}} of every file under ``root``."""
    return {
        name: {"size": path.stat().st_size, "sha256": file_sha256(path)} for name, path in media_files(root)
    }


def _combine(count: int, row_digests: list[str]) -> dict[str, Any]:
    row_digests.sort()
    return {"rows": count, "checksum": hashlib.sha256("".join(row_digests).encode()).hexdigest()}


def postgresql_fingerprint(cursor) -> dict[str, dict[str, Any]]:
    """Each table of the current schema: its row count and a checksum of its content, independent of
    the rows' order (the sorted md5 of each row's text), computed by the server."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    result = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(
            "SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '') "
            f"FROM (SELECT md5(t::text) AS h FROM {quoted} AS t) AS rows"
        )
        count, checksum = cursor.fetchone()
        result[table] = {"rows": count, "checksum": checksum}
    return result


def sqlite_fingerprint(connection: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """As postgresql_fingerprint, for a SQLite database (each row's repr hashed in Python)."""
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    result = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        digests = [
            hashlib.md5(repr(row).encode()).hexdigest()
            for row in connection.execute(f"SELECT * FROM {quoted}")
        ]
        result[table] = _combine(len(digests), digests)
    return result


def differences(expected: dict[str, dict[str, Any]], found: dict[str, dict[str, Any]]) -> list[str]:
    """What differs between two fingerprints (tables or files), one line each; empty when equal."""
    lines = []
    for name in sorted(expected.keys() | found.keys()):
        if name not in found:
            lines.append(_("%(name)s: missing") % {"name": name})
        elif name not in expected:
            lines.append(_("%(name)s: not in the backup") % {"name": name})
        elif expected[name] != found[name]:
            lines.append(_("%(name)s: different content") % {"name": name})
    return lines


# --- The database's connection -------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """The configured database, as the backup needs it."""

    alias: str
    vendor: str  # "postgresql" or "sqlite"
    settings: dict

    @classmethod
    def configured(cls, alias: str = DEFAULT_DB_ALIAS) -> "Database":
        connection = connections[alias]
        if connection.vendor not in DUMP_FILES:
            raise BackupError(
                _("Backups are made of PostgreSQL and SQLite databases only, not %(vendor)s.")
                % {"vendor": connection.vendor}
            )
        return cls(alias=alias, vendor=connection.vendor, settings=connection.settings_dict)

    def libpq_environment(self) -> dict[str, str]:
        """pg_dump's and pg_restore's connection, from DATABASE_URL, in libpq's variables (the
        password never on a command line, where other users of the machine could read it)."""
        values = {
            "PGHOST": self.settings.get("HOST") or "",
            "PGPORT": str(self.settings.get("PORT") or ""),
            "PGUSER": self.settings.get("USER") or "",
            "PGPASSWORD": self.settings.get("PASSWORD") or "",
            "PGDATABASE": self.settings["NAME"],
            "PGSSLMODE": (self.settings.get("OPTIONS") or {}).get("sslmode", ""),
        }
        return {**os.environ, **{key: value for key, value in values.items() if value}}

    def new_connection(self):
        """A connection of its own (not the one Django's requests use), in autocommit."""
        wrapper = connections[self.alias]
        raw = wrapper.get_new_connection(wrapper.get_connection_params())
        if self.vendor == "postgresql":
            raw.autocommit = True
        return raw

    def sqlite_path(self) -> str:
        return str(self.settings["NAME"])


def applied_migrations(database: Database) -> dict[str, list[str]]:
    connection = connections[database.alias]
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationLoader(connection, ignore_no_migrations=True).applied_migrations):
        applied.setdefault(app, []).append(name)
    return applied


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("%(tool)s is not installed: install the PostgreSQL client (Debian: postgresql-client).")
            % {"tool": name}
        )
    return path


def _run(arguments: list[str], environment: dict[str, str]) -> str:
    result = subprocess.run(arguments, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(arguments[0]).name, "error": result.stderr.strip()}
        )
    return result.stdout


def _version(tool: str) -> str:
    return subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.strip()


# --- Backup --------------------------------------------------------------------------------------


def _filesystem_media() -> Path | None:
    """MEDIA_ROOT when uploads are stored in it; None on other storage (S3)."""
    return Path(settings.MEDIA_ROOT) if isinstance(default_storage, FileSystemStorage) else None


def _dump_postgresql(database: Database, target: Path) -> dict[str, Any]:
    """pg_dump from an exported snapshot, and the tables' fingerprint from the same snapshot: the
    checksums describe exactly the rows in the dump, whatever is written meanwhile."""
    pg_dump = _tool("pg_dump")
    connection = database.new_connection()
    try:
        connection.autocommit = False
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            _run(
                [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                 f"--file={target}"],
                database.libpq_environment(),
            )  # fmt: skip
            tables = postgresql_fingerprint(cursor)
        connection.rollback()
    finally:
        connection.close()
    return {"server_version": server_version, "tool": _version(pg_dump), "tables": tables}


def _dump_sqlite(database: Database, target: Path) -> dict[str, Any]:
    """SQLite's online backup: a consistent copy while the site keeps writing."""
    source = database.new_connection()
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # One self-contained file (the site's database is in WAL mode, which the copy inherits).
        copy.execute("PRAGMA journal_mode=DELETE")
        tables = sqlite_fingerprint(copy)
    finally:
        copy.close()
        source.close()
    return {"server_version": sqlite3.sqlite_version, "tool": "sqlite3 backup API", "tables": tables}


def backup(output: Path, *, alias: str = DEFAULT_DB_ALIAS, include_media: bool = True) -> dict[str, Any]:
    """Save the database and the uploaded files into the new or empty folder ``output``; returns the
    manifest, also written there last (a folder without a manifest is an unfinished backup).

    The database comes first: a file uploaded while the files are copied is saved as well (and is
    harmless), whereas a file that the saved database names is still there when it is copied."""
    database = Database.configured(alias)
    output = Path(output)
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise BackupError(_("%(path)s is not an empty folder: choose a new one.") % {"path": output})
    root = _filesystem_media()
    if root is not None and _inside(output, root):
        raise BackupError(_("%(path)s is inside MEDIA_ROOT: keep backups elsewhere.") % {"path": output})
    created = not output.exists()
    output.mkdir(parents=True, exist_ok=True)
    if created:
        output.chmod(0o700)  # personal data: for the operators only
    try:
        return _write_backup(output, database, root if include_media else None, include_media)
    except BaseException:
        # An unfinished backup is removed, so that it is never taken for one (nor fills the disk).
        for child in output.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
        if created:
            output.rmdir()
        raise


def _write_backup(output: Path, database: Database, root: Path | None, include_media: bool) -> dict[str, Any]:
    started = datetime.now(UTC)
    dump = output / DUMP_FILES[database.vendor]
    if database.vendor == "postgresql":
        saved = _dump_postgresql(database, dump)
    else:
        saved = _dump_sqlite(database, dump)
    media: dict[str, Any]
    if not include_media:
        media = {"storage": "not saved", "files": {}}
    elif root is None:
        media = {"storage": "external", "files": {}}
    else:
        files = {}
        for name, path in media_files(root):
            copy = output / MEDIA_FOLDER / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copy2(path, copy)
            except FileNotFoundError:
                continue  # deleted since the folder was listed
            files[name] = {"size": copy.stat().st_size, "sha256": file_sha256(copy)}
        media = {"storage": "filesystem", "files": files}
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": {
            "civitas": _package_version("civitas"),
            "django": django.get_version(),
            "python": sys.version.split()[0],
        },
        "database": {
            "vendor": database.vendor,
            "file": dump.name,
            "size": dump.stat().st_size,
            "sha256": file_sha256(dump),
            **saved,
        },
        "migrations": applied_migrations(database),
        "media": media,
    }
    unfinished = output / f"{MANIFEST}.part"
    unfinished.write_text(json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True))
    unfinished.rename(output / MANIFEST)
    return manifest


def _inside(path: Path, folder: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


# --- Restore -------------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise BackupError(
            _("%(path)s has no %(manifest)s: it is not a Civitas backup, or the backup did not finish.")
            % {"path": folder, "manifest": MANIFEST}
        )
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError):
        raise BackupError(_("%(path)s cannot be read.") % {"path": path}) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("%(path)s is not a Civitas backup's manifest.") % {"path": path})
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("This backup is in format %(found)s; this version of Civitas restores format %(known)s.")
            % {"found": manifest.get("format_version"), "known": FORMAT_VERSION}
        )
    return manifest


def verify(folder: Path) -> dict[str, Any]:
    """The backup's manifest, after checking that the database file and every saved file are there,
    whole and unchanged (their checksums); raises BackupError listing every difference."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    problems = []
    dump = folder / manifest["database"]["file"]
    if not dump.is_file():
        problems.append(_("%(name)s: missing") % {"name": dump.name})
    elif file_sha256(dump) != manifest["database"]["sha256"]:
        problems.append(_("%(name)s: different content") % {"name": dump.name})
    expected = manifest["media"]["files"]
    found = media_inventory(folder / MEDIA_FOLDER) if expected else {}
    problems += differences(expected, found)
    if problems:
        raise BackupError(
            _("The backup in %(path)s is damaged; nothing was restored:") % {"path": folder}
            + "\n  "
            + "\n  ".join(problems)
        )
    return manifest


def _check_migrations(manifest: dict[str, Any], database: Database) -> None:
    """A backup from a newer Civitas (migrations this code does not have) cannot be restored here."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            _(
                "The backup was made by a newer version of Civitas (migrations %(migrations)s are unknown "
                "here): install that version, restore, then upgrade."
            )
            % {"migrations": ", ".join(unknown[:5]) + ("…" if len(unknown) > 5 else "")}
        )
    if manifest["database"]["vendor"] != database.vendor:
        raise BackupError(
            _("The backup holds a %(saved)s database; this site is configured for %(configured)s.")
            % {"saved": manifest["database"]["vendor"], "configured": database.vendor}
        )


def database_fingerprint(database: Database) -> dict[str, dict[str, Any]]:
    """The configured database's fingerprint, as the backup's manifest records it."""
    if database.vendor == "sqlite":
        # A plain connection, as the backup's copy was read: no conversion of the stored values.
        plain = sqlite3.connect(database.sqlite_path())
        try:
            return sqlite_fingerprint(plain)
        finally:
            plain.close()
    connection = database.new_connection()
    try:
        with connection.cursor() as cursor:
            return postgresql_fingerprint(cursor)
    finally:
        connection.close()


def _database_is_empty(database: Database) -> bool:
    connection = database.new_connection()
    try:
        cursor = connection.cursor()
        if database.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_tables WHERE schemaname = current_schema() LIMIT 1")
        else:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 1"
            )
        return cursor.fetchone() is None
    finally:
        connection.close()


def _restore_postgresql(database: Database, dump: Path, *, replace: bool) -> None:
    """One transaction: either the whole dump is in the database or none of it."""
    arguments = [
        _tool("pg_restore"),
        "--single-transaction",
        "--exit-on-error",
        "--no-owner",
        "--no-privileges",
    ]
    if replace:
        arguments += ["--clean", "--if-exists"]
    _run([*arguments, f"--dbname={database.settings['NAME']}", str(dump)], database.libpq_environment())


def _restore_sqlite(database: Database, dump: Path) -> None:
    """SQLite's backup API copies the saved database over the configured one in one step."""
    connections[database.alias].close()
    saved = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    try:
        try:
            healthy = saved.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            healthy = False
        if not healthy:  # checked before the target is touched: the backup API would copy it as it is
            raise BackupError(
                _("%(name)s is not a whole SQLite database; nothing was restored.") % {"name": dump.name}
            )
        target = sqlite3.connect(database.sqlite_path())
        try:
            saved.backup(target)
        finally:
            target.close()
    finally:
        saved.close()


def restore(folder: Path, *, alias: str = DEFAULT_DB_ALIAS, replace: bool = False) -> dict[str, Any]:
    """Restore the backup in ``folder`` into the configured database and MEDIA_ROOT.

    Refuses, before changing anything, a damaged backup, one from a newer Civitas or another
    database engine, and a target that already holds data (unless ``replace``). The files are first
    copied beside MEDIA_ROOT and checked, then the database is restored in one transaction, then the
    files are moved into place; afterwards the restored tables and files are compared with the
    manifest. Returns the manifest."""
    folder = Path(folder)
    manifest = verify(folder)
    database = Database.configured(alias)
    _check_migrations(manifest, database)
    root = _filesystem_media()
    if root is not None and _inside(folder, root):
        raise BackupError(_("%(path)s is inside MEDIA_ROOT: keep backups elsewhere.") % {"path": folder})
    files = manifest["media"]["files"]
    if files and root is None:
        raise BackupError(
            _("The backup holds uploaded files but this site stores them elsewhere (S3): restore "
              "the files into the bucket from %(path)s with the storage's own tools, or configure "
              "MEDIA_ROOT.") % {"path": folder / MEDIA_FOLDER}
        )  # fmt: skip
    if not replace:
        if not _database_is_empty(database):
            raise BackupError(
                _("The database %(name)s already holds tables; nothing was restored. Restore into an "
                  "empty database, or replace its content with --replace.") % {"name": database.settings["NAME"]}
            )  # fmt: skip
        if root is not None and any(media_files(root)):
            raise BackupError(
                _("%(path)s already holds files; nothing was restored. Restore into an empty folder, "
                  "or replace its content with --replace.") % {"path": root}
            )  # fmt: skip
    staging = None
    if root is not None:
        root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.restoring-", dir=root.parent))
    try:
        if staging is not None:
            for name in files:
                copy = staging / name
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(folder / MEDIA_FOLDER / name, copy)
            if differences(files, media_inventory(staging)):
                raise BackupError(_("The uploaded files could not be copied whole; nothing was restored."))
        dump = folder / manifest["database"]["file"]
        if database.vendor == "postgresql":
            _restore_postgresql(database, dump, replace=replace)
        else:
            _restore_sqlite(database, dump)
        if staging is not None and root is not None:
            _swap_in(staging, root)
            staging = None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    problems = differences(manifest["database"]["tables"], database_fingerprint(database))
    if root is not None:
        problems += differences(files, media_inventory(root))
    if problems:
        raise BackupError(_("The restored site differs from the backup:") + "\n  " + "\n  ".join(problems))
    return manifest


def _swap_in(staging: Path, root: Path) -> None:
    """Put the restored files at MEDIA_ROOT by renames on one file system; what was there before
    (only with --replace) is removed afterwards."""
    previous = None
    if root.exists():
        previous = root.with_name(f".{root.name}.replaced-{datetime.now(UTC):%Y%m%d%H%M%S}")
        root.rename(previous)
    staging.rename(root)
    root.chmod(0o755)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
