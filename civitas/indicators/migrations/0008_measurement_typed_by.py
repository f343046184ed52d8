"""Who typed a value becomes a field of the value (``Measurement.typed_by``), so that the rule "whoever
typed a value never approves or returns it" no longer reads the audit log.

Filled for existing values from what the rule read until now: every person the audit log records
as having entered, changed or corrected the value ("create", "update", "correct"), and the person
who saved it last (``entered_by``).
"""

from django.conf import settings
from django.db import migrations, models

TYPING_ACTIONS = ("create", "update", "correct")
BATCH = 1000


def fill_typed_by(apps, schema_editor):
    Measurement = apps.get_model("indicators", "Measurement")
    AuditEvent = apps.get_model("core", "AuditEvent")
    Typed = Measurement.typed_by.through
    existing = set(Measurement.objects.values_list("pk", flat=True).iterator(chunk_size=BATCH))
    pairs = set()
    events = (
        AuditEvent.objects.filter(
            object_type="indicators.measurement", action__in=TYPING_ACTIONS, actor__isnull=False
        )
        .values_list("object_id", "actor_id")
        .distinct()
        .order_by()
    )
    for object_id, actor_id in events.iterator(chunk_size=BATCH):
        if object_id.isdigit() and int(object_id) in existing:
            pairs.add((int(object_id), actor_id))
    pairs.update(Measurement.objects.filter(entered_by__isnull=False).values_list("pk", "entered_by_id"))
    Typed.objects.bulk_create(
        [Typed(measurement_id=measurement, user_id=user) for measurement, user in sorted(pairs)],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_content_versions"),
        ("indicators", "0007_unreadable_values"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="measurement",
            name="typed_by",
            field=models.ManyToManyField(blank=True, related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(fill_typed_by, migrations.RunPython.noop),
    ]
