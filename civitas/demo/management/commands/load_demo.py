from django.core.management.base import BaseCommand

from civitas.demo import sopot
from civitas.demo.services import accounts_table, demo_code, demo_load


class Command(BaseCommand):
    help = "Load the Sopot demo (plans, projects, indicators, staff accounts). Loading again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--accounts-only", action="store_true", help="only print the demo accounts")
        parser.add_argument(
            "--code", action="store_true", help="only print the demo staff's current second-factor code"
        )

    def handle(self, *args, accounts_only=False, code=False, **options):
        if code:
            self.stdout.write(demo_code())
            return
        if not accounts_only:
            municipality = demo_load()
            self.stdout.write(f"Demo loaded: {municipality.name_bg} (/{municipality.slug}/)")
        self.stdout.write("Demo accounts (demo data only):")
        for username, role, password in accounts_table():
            self.stdout.write(f"  {username:<30} {role:<20} password: {password}")
        secret = " ".join(sopot.DEMO_TOTP_SECRET[i : i + 4] for i in range(0, len(sopot.DEMO_TOTP_SECRET), 4))
        self.stdout.write(
            "Staff accounts and admin then enter a code from an authenticator app set up with the key\n"
            f"  {secret}  (time-based, 6 digits, 30 seconds),\n"
            "or the current code printed by: .venv/bin/python manage.py load_demo --code"
        )
