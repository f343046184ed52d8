from django.core.management.base import BaseCommand

from civitas.demo.services import accounts_table, demo_load


class Command(BaseCommand):
    help = "Load the Sopot demo (plans, projects, indicators, staff accounts). Loading again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--accounts-only", action="store_true", help="only print the demo accounts")

    def handle(self, *args, accounts_only=False, **options):
        if not accounts_only:
            municipality = demo_load()
            self.stdout.write(f"Demo loaded: {municipality.name_bg} (/{municipality.slug}/)")
        self.stdout.write("Demo accounts (demo data only):")
        for username, role, password in accounts_table():
            self.stdout.write(f"  {username:<30} {role:<20} password: {password}")
