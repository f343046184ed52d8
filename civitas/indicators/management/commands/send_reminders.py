"""Send indicator owners their reporting reminders: run once a day (e.g. from cron).

Each owner with values due within CIVITAS_REMINDER_DAYS_AHEAD days, or overdue, gets one e-mail a
day per municipality; running the command again on the same day sends nothing new.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from civitas.indicators import tasks


class Command(BaseCommand):
    help = "E-mail indicator owners the values due soon and overdue (once a day per owner)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to remind for (YYYY-MM-DD); today by default.")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"Not a date: {date!r} (expected YYYY-MM-DD).") from None
        count = tasks.reminders_send(today=today)
        self.stdout.write(f"{count} reminder(s) enqueued.")
