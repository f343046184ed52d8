"""The Sopot demo loaded once for a test module (load_demo takes seconds): inside a transaction
that is rolled back when the module ends; each test runs in a savepoint within it."""

from io import StringIO

from django.core.management import call_command
from django.db import transaction

from civitas.core.models import Municipality


def loaded_demo(django_db_blocker):
    """For a module-scoped fixture: ``yield from loaded_demo(django_db_blocker)`` gives Sopot."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield Municipality.objects.get(slug="sopot")
        transaction.set_rollback(True)
