"""Values that SQLite stored but Django cannot read back (an infinity, 17 digits, …), from before
every entry path read numbers with ``rules.parse_number``: each made its indicator's pages answer
500, and nothing in the back office could reach it to fix it.

Each such number is cleared, the value goes back to its owner as "returned" with a note that
quotes what was stored, so that they enter it again, and the change is written to the audit log.
PostgreSQL never stored such numbers (its numeric column refuses them), so there is nothing to do
there.
"""

from decimal import Decimal, InvalidOperation

from django.db import migrations

COLUMNS = ("value", "numerator", "denominator")
# What DecimalField(max_digits=18, decimal_places=4) holds: 14 digits before the point, 4 after.
LIMIT = Decimal(10) ** 14


def readable(text) -> bool:
    if text is None:
        return True
    try:
        number = Decimal(str(text))
    except InvalidOperation:
        return False
    if not number.is_finite() or abs(number) >= LIMIT:
        return False
    return number == number.quantize(Decimal("0.0001"))


def return_unreadable_values(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    Measurement = apps.get_model("indicators", "Measurement")
    AuditEvent = apps.get_model("core", "AuditEvent")
    table = Measurement._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.id, CAST(m.value AS TEXT), CAST(m.numerator AS TEXT), CAST(m.denominator AS TEXT), "
            f"m.state, i.municipality_id, i.code, m.year, m.sub FROM {table} m "
            f"JOIN indicators_indicator i ON i.id = m.indicator_id "
            f"WHERE m.value IS NOT NULL OR m.numerator IS NOT NULL OR m.denominator IS NOT NULL"
        )
        rows = cursor.fetchall()
    for pk, value, numerator, denominator, state, municipality_id, code, year, sub in rows:
        stored = dict(zip(COLUMNS, (value, numerator, denominator), strict=True))
        bad = {column: text for column, text in stored.items() if not readable(text)}
        if not bad:
            continue
        quoted = ", ".join(f"{column} {text}" for column, text in bad.items())
        note = (
            f"Стойността не може да бъде прочетена ({quoted}): въведете я отново. / "
            f"The stored number could not be read ({quoted}): enter it again."
        )
        Measurement.objects.filter(pk=pk).update(
            **{column: None for column in bad}, state="returned", return_note=note
        )
        AuditEvent.objects.create(
            municipality_id=municipality_id,
            actor=None,
            action="return",
            object_type="indicators.measurement",
            object_id=str(pk),
            object_repr=f"{code} {year}/{sub}",
            changes={
                "state": [state, "returned"],
                **{column: [text, None] for column, text in bad.items()},
                "reason": "unreadable number",
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_file_name_index"),
        ("indicators", "0006_importjob"),
    ]

    operations = [migrations.RunPython(return_unreadable_values, migrations.RunPython.noop)]
