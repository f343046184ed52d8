"""The forum's Block model becomes core's (the participation apps all read it): the model's state
moves, the table ``forum_block`` and its rows stay where they are (forum's 0005 drops it from the
forum's state)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_content_versions"),
        ("forum", "0004_file_name_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Block",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("reason", models.CharField(max_length=300, verbose_name="reason")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("municipality", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="core.municipality")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "forum_block",
                        "constraints": [models.UniqueConstraint(fields=("municipality", "user"), name="block_unique")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
