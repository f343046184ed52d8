from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0004_file_name_index")]

    operations = [
        migrations.RenameField("municipality", "content_version", "planning_version"),
        migrations.AddField(
            model_name="municipality",
            name="participation_version",
            field=models.PositiveBigIntegerField(default=1, editable=False),
        ),
    ]
