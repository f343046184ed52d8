"""A copy of the whole database and of the uploaded files, taken once and put back many times.

Loading the Sopot demo takes seconds (documents, pictures, evaluations); a test process that needs
it for many tests loads it once, takes a ``Snapshot`` and restores that before each later test.
Restoring empties every table of the installed apps and writes the copied rows back as they were
(primary keys included), then moves the sequences past them: on PostgreSQL with ``COPY`` in its
text format, which carries every column type unchanged; on other databases with plain ``INSERT``s
of the values read. Foreign keys are checked when the restoring transaction commits (Django
creates them deferrable), so the order of the tables does not matter.

Only for tests that own the database (transactional tests: the browser tests on the live server),
never for a database that holds anything else.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction


@dataclass
class Table:
    name: str
    columns: list[str]
    data: bytes | list[tuple] = field(repr=False)


@dataclass
class Snapshot:
    tables: list[Table]
    media: Path | None

    @classmethod
    def take(cls, media_root: Path | None = None, media_copy: Path | None = None) -> Snapshot:
        """Copies every table of the installed apps (and, if given, the files under media_root to
        media_copy, which must not exist yet)."""
        tables = []
        with connection.cursor() as cursor:
            for name in sorted(_table_names()):
                columns = [c.name for c in connection.introspection.get_table_description(cursor, name)]
                tables.append(Table(name, columns, _read(cursor, name, columns)))
        media = None
        if media_root is not None and media_copy is not None and Path(media_root).exists():
            shutil.copytree(media_root, media_copy)
            media = Path(media_copy)
        return cls(tables, media)

    def restore(self, media_root: Path | None = None) -> None:
        """Puts the copied rows back in place of whatever the tables hold, and the copied files
        under media_root."""
        names = [table.name for table in self.tables]
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in connection.ops.sql_flush(no_style(), names, allow_cascade=True):
                cursor.execute(statement)
            for table in self.tables:
                _write(cursor, table)
            for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(statement)
        ContentType.objects.clear_cache()
        if self.media is not None and media_root is not None:
            shutil.copytree(self.media, media_root, dirs_exist_ok=True)


def _table_names() -> set[str]:
    return set(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _quoted(names) -> str:
    return ", ".join(connection.ops.quote_name(n) for n in names)


def _read(cursor, name: str, columns: list[str]) -> bytes | list[tuple]:
    table = connection.ops.quote_name(name)
    if connection.vendor == "postgresql":
        data = bytearray()
        with cursor.cursor.copy(f"COPY {table} ({_quoted(columns)}) TO STDOUT") as copy:
            for chunk in copy:
                data += chunk
        return bytes(data)
    cursor.execute(f"SELECT {_quoted(columns)} FROM {table}")
    return [tuple(row) for row in cursor.fetchall()]


def _write(cursor, table: Table) -> None:
    if not table.data:
        return
    name = connection.ops.quote_name(table.name)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {name} ({_quoted(table.columns)}) FROM STDIN") as copy:
            copy.write(table.data)
        return
    marks = ", ".join(["%s"] * len(table.columns))
    cursor.executemany(f"INSERT INTO {name} ({_quoted(table.columns)}) VALUES ({marks})", table.data)
