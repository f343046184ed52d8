"""Backup and restore: the Sopot demo with uploaded files, saved with ``manage.py backup`` and
restored by ``manage.py restore`` (in a process of its own, as an operator runs it) into a fresh
database and folder, comes back the same, table by table and file by file; a damaged backup, a
backup from a newer version and a target that already holds data are refused before anything
changes. On the run's database engine: SQLite, and PostgreSQL when DATABASE_URL names it (the
restored database is then a new ``civitas_ops_restore_*`` database, dropped afterwards)."""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from civitas.core import backup as backup_module
from civitas.core.backup import MANIFEST, BackupError, backup, restore, verify
from civitas.demo.services import demo_load
from civitas.testing.factories import MunicipalityFactory

ROOT = Path(__file__).resolve().parents[3]
UPLOADS = {
    "uploads/решение-123.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 40,
    "uploads/2026/photo.jpg": b"\xff\xd8\xff\xe0" + b"\x00\x11" * 5000,
    "consultations/предложение.docx": b"PK\x03\x04" + os.urandom(3000),
}


# --- An independent comparison: every table's rows and every file ---------------------------------


def _rows_digest(cursor, table: str) -> tuple[int, str]:
    cursor.execute(f'SELECT * FROM "{table}"')
    rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
    return len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()


def tables_content(cursor) -> dict[str, tuple[int, str]]:
    """{table: (row count, checksum of its rows in order)} of every table the cursor's database has."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return {table: _rows_digest(cursor, table) for (table,) in sorted(cursor.fetchall())}


def files_content(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# --- A fresh target: a new database and an empty folder --------------------------------------------


def _postgresql(dbname: str):
    import psycopg

    params = connection.settings_dict
    return psycopg.connect(
        dbname=dbname,
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
    )


class Target:
    """A database and a MEDIA_ROOT nobody has used, of the run's engine, for ``manage.py restore``."""

    def __init__(self, tmp_path: Path):
        self.folder = tmp_path / "restored"
        self.media = self.folder / "media"
        if connection.vendor == "postgresql":
            self.name = f"civitas_ops_restore_{uuid.uuid4().hex[:10]}"
            with _postgresql("postgres") as server:
                server.execute(f'CREATE DATABASE "{self.name}"')
            params = connection.settings_dict
            self.url = (
                f"postgres://{params['USER']}:{params['PASSWORD']}@{params['HOST'] or '127.0.0.1'}:"
                f"{params['PORT'] or 5432}/{self.name}"
            )
        else:
            self.name = str(self.folder / "civitas.sqlite3")
            self.url = f"sqlite:///{self.name}"

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        keep = {"PATH", "HOME", "LANG", "LC_ALL"}
        env = {key: value for key, value in os.environ.items() if key in keep} | {
            "DJANGO_SETTINGS_MODULE": "civitas.settings",
            "CIVITAS_TESTING": "1",
            "CIVITAS_VAR_DIR": str(self.folder / "var"),
            "DATABASE_URL": self.url,
            "MEDIA_ROOT": str(self.media),
        }
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def tables(self) -> dict[str, tuple[int, str]]:
        if connection.vendor == "postgresql":
            with _postgresql(self.name) as database:
                return tables_content(database.cursor())
        database = sqlite3.connect(self.name, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
        try:
            return tables_content(database.cursor())
        finally:
            database.close()

    def drop(self) -> None:
        if connection.vendor == "postgresql":
            with _postgresql("postgres") as server:
                server.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def target(tmp_path):
    fresh = Target(tmp_path)
    yield fresh
    fresh.drop()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def source_tables() -> dict[str, tuple[int, str]]:
    if connection.vendor == "postgresql":
        with _postgresql(connection.settings_dict["NAME"]) as database:
            return tables_content(database.cursor())
    connection.ensure_connection()
    return tables_content(connection.connection.cursor())


# --- The round trip ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_demo_with_its_files_is_restored_the_same_into_a_fresh_site(media, target, tmp_path):
    demo_load()
    for name, data in UPLOADS.items():
        default_storage.save(name, ContentFile(data))
    saved = tmp_path / "backup"
    call_command("backup", output=saved)

    manifest = json.loads((saved / MANIFEST).read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["migrations"]["core"][0] == "0001_initial"
    assert set(UPLOADS) <= set(manifest["media"]["files"])
    expected_tables, expected_files = source_tables(), files_content(media)
    assert expected_tables["plans_plan"][0] >= 1 and expected_tables["indicators_measurement"][0] > 50
    assert len(expected_files) > len(UPLOADS)  # the demo's own pictures and documents too

    result = target.manage("restore", str(saved))
    assert result.returncode == 0, result.stderr
    assert target.tables() == expected_tables  # every table: the same rows
    assert files_content(target.media) == expected_files  # every file: the same bytes

    # Restoring again over what is now there is refused, and changes nothing.
    again = target.manage("restore", str(saved))
    assert again.returncode != 0
    assert "--replace" in again.stderr
    assert target.tables() == expected_tables

    # Told to replace, it does: a file that appeared since is gone, every table and file as saved.
    (target.media / "stray.txt").write_text("not in the backup")
    replaced = target.manage("restore", "--replace", str(saved))
    assert replaced.returncode == 0, replaced.stderr
    assert target.tables() == expected_tables
    assert files_content(target.media) == expected_files


# --- Refusals ----------------------------------------------------------------------------------------


@pytest.fixture
def small_backup(media, tmp_path, transactional_db):
    MunicipalityFactory(slug="sopot")
    for name, data in UPLOADS.items():
        default_storage.save(name, ContentFile(data))
    folder = tmp_path / "backup"
    backup(folder)
    return folder


def test_a_whole_backup_passes_its_check(small_backup):
    assert verify(small_backup)["media"]["files"].keys() == UPLOADS.keys()


def test_a_changed_file_is_found(small_backup):
    photo = small_backup / "media" / "uploads/2026/photo.jpg"
    data = bytearray(photo.read_bytes())
    data[100] ^= 1
    photo.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="uploads/2026/photo.jpg"):
        verify(small_backup)


def test_a_missing_or_an_added_file_is_found(small_backup):
    (small_backup / "media" / "uploads/решение-123.pdf").unlink()
    (small_backup / "media" / "extra.txt").write_text("?")
    with pytest.raises(BackupError) as refusal:
        verify(small_backup)
    assert "uploads/решение-123.pdf" in str(refusal.value) and "extra.txt" in str(refusal.value)


def test_a_changed_database_file_is_found_and_nothing_is_restored(small_backup, media, target):
    dump = next(small_backup.glob("database.*"))
    with dump.open("r+b") as stream:
        stream.seek(dump.stat().st_size // 2)
        stream.write(b"\x00garbage\x00")
    result = target.manage("restore", str(small_backup))
    assert result.returncode != 0
    assert dump.name in result.stderr
    assert not target.media.exists()
    assert target.tables() == {}


def test_a_database_file_that_fails_halfway_restores_nothing(small_backup, target):
    """A dump whose checksum matches (damaged before the backup was finished, say) but which breaks
    off: the restore fails inside its one transaction and leaves the database and files as they were."""
    dump = next(small_backup.glob("database.*"))
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size * 6 // 10])
    manifest = json.loads((small_backup / MANIFEST).read_text())
    manifest["database"] |= {
        "sha256": hashlib.sha256(dump.read_bytes()).hexdigest(),
        "size": dump.stat().st_size,
    }
    (small_backup / MANIFEST).write_text(json.dumps(manifest))
    result = target.manage("restore", str(small_backup))
    assert result.returncode != 0
    assert "CommandError" in result.stderr and "Traceback" not in result.stderr
    assert target.tables() == {}
    assert not target.media.exists() or not any(target.media.iterdir())
    assert not list(target.folder.glob(".media.restoring-*"))  # the copied files were removed


def test_an_unfinished_backup_without_manifest_is_refused(small_backup):
    (small_backup / MANIFEST).unlink()
    with pytest.raises(BackupError, match=MANIFEST):
        verify(small_backup)


def test_a_backup_from_a_newer_version_is_refused(small_backup):
    manifest = json.loads((small_backup / MANIFEST).read_text())
    manifest["migrations"]["core"].append("0999_from_the_future")
    (small_backup / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="0999_from_the_future"):
        restore(small_backup)


def test_a_target_with_data_is_refused_unless_replaced(small_backup):
    with pytest.raises(BackupError, match="--replace"):
        restore(small_backup)  # the test's own database holds the municipality


def test_a_backup_goes_into_a_new_folder_only(small_backup, tmp_path):
    with pytest.raises(BackupError):
        backup(small_backup)


def test_a_backup_inside_media_root_is_refused(small_backup, media):
    with pytest.raises(BackupError, match="MEDIA_ROOT"):
        backup(media / "backups" / "tonight")
    assert not (media / "backups").exists()


def test_a_backup_that_fails_leaves_nothing_behind(small_backup, tmp_path, monkeypatch):
    def disk_full(path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_module, "file_sha256", disk_full)
    with pytest.raises(OSError):
        backup(tmp_path / "tonight")
    assert not (tmp_path / "tonight").exists()
