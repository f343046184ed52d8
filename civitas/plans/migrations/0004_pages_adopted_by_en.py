"""The body that adopted a plan gets an English twin: adopted_by becomes adopted_by_bg (its text
kept) beside a new adopted_by_en."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_money_and_assessments"),
    ]

    operations = [
        migrations.RenameField(model_name="plan", old_name="adopted_by", new_name="adopted_by_bg"),
        migrations.AlterField(
            model_name="plan",
            name="adopted_by_bg",
            field=models.CharField(
                blank=True, max_length=300, verbose_name="adopted by (council decision, Bulgarian)"
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="adopted_by_en",
            field=models.CharField(
                blank=True, max_length=300, verbose_name="adopted by (council decision, English)"
            ),
        ),
    ]
