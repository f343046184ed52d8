"""Give a person a staff role from the server's command line (docs/setting-up.md): their account
is made, or found by e-mail address, and an invitation with a one-time link to set a password
is e-mailed (``accounts.services.staff_invite``). Nothing changes on a refusal."""

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civitas.accounts.services import staff_invite
from civitas.core.management.commands.create_municipality import report_refusal
from civitas.core.models import Municipality, Role
from civitas.core.permissions import OPERATOR


class Command(BaseCommand):
    help = (
        "Create or find a staff account by e-mail address and give it a role in a municipality; "
        "by default e-mail an invitation with a one-time link to set the password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality", required=True, help="the municipality's address name, e.g. sopot"
        )
        parser.add_argument("--email", required=True, help="the person's e-mail address (the account's name)")
        parser.add_argument("--role", required=True, choices=Role.values, help="the staff role to give")
        parser.add_argument("--name", default="", help="the display name of a new account")
        parser.add_argument(
            "--invite", action="store_true", help="e-mail an invitation (the default without --password)"
        )
        parser.add_argument(
            "--password", action="store_true",
            help="ask for a password for a new account here instead of inviting (typed, never e-mailed)",
        )  # fmt: skip

    def handle(self, *args, municipality, email, role, name, invite, password, **options):
        town = Municipality.objects.filter(slug=municipality).first()
        if town is None:
            raise CommandError(_("There is no municipality “%(slug)s”.") % {"slug": municipality})
        secret = getpass.getpass(_("Password: ")) if password else None
        try:
            result = staff_invite(
                actor=OPERATOR, municipality=town, email=email, role=role, name=name, password=secret,
                invite=True if invite else None,
            )  # fmt: skip
        except ValidationError as error:
            report_refusal(self, error, {"email": "--email", "role": "--role", "password": "--password"})
            raise CommandError(_("Nothing was changed.")) from None
        account = _("New account") if result.created else _("Existing account")
        self.stdout.write(f"{account} {result.user.get_username()}: {Role(role).label} · {town.name_bg}.")
        if result.invited:
            self.stdout.write(_("An invitation was e-mailed to %(email)s.") % {"email": result.user.email})
