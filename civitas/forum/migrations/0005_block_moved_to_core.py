"""Block moved to core (core's 0006 takes over the model's state): only the forum's state drops
it; the table ``forum_block`` and its rows stay, now core's."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0004_file_name_index"),
        ("core", "0006_block_moved_from_forum"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Block")],
            database_operations=[],
        ),
    ]
