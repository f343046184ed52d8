"""The database snapshot the browser tests restore the demo from (civitas.testing.snapshot): what
a test changed after the snapshot is gone after a restore, the rows come back with their primary
keys, the files with their contents, and new rows do not collide with the restored keys."""

import pytest
from django.core.management import call_command

from civitas.core.models import Municipality
from civitas.testing.factories import MunicipalityFactory
from civitas.testing.snapshot import Snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_restore_brings_back_the_rows_and_files_as_they_were(tmp_path):
    media = tmp_path / "media"
    (media / "docs").mkdir(parents=True)
    (media / "docs" / "plan.txt").write_text("План")
    sopot = MunicipalityFactory(slug="sopot", name_bg="Сопот")
    kept = set(Municipality.objects.values_list("pk", "slug", "name_bg"))
    snapshot = Snapshot.take(media, tmp_path / "copy")

    Municipality.objects.filter(pk=sopot.pk).update(name_bg="Друго")
    MunicipalityFactory(slug="aytos")
    (media / "docs" / "plan.txt").write_text("променен")
    call_command("flush", interactive=False, verbosity=0)  # as after a transactional test: keys restart
    fresh_media = tmp_path / "fresh"
    snapshot.restore(fresh_media)

    assert set(Municipality.objects.values_list("pk", "slug", "name_bg")) == kept
    assert (fresh_media / "docs" / "plan.txt").read_text() == "План"
    added = MunicipalityFactory(slug="karlovo")  # the sequence is past the restored keys
    assert added.pk > max(pk for pk, _slug, _name in kept)
