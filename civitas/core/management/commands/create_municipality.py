"""Create a municipality from the server's command line (docs/setting-up.md): validated by
``core.services.municipality_create``, every refusal listed, nothing created on any."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civitas.core.permissions import OPERATOR
from civitas.core.services import municipality_create


def report_refusal(command: BaseCommand, error: ValidationError, fields: dict[str, str]) -> None:
    """A service's refusal on the command's error output, one line per message, by option."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                command.stderr.write(
                    f"{fields.get(field, field)}: {message}" if field != "__all__" else message
                )
    else:
        for message in error.messages:
            command.stderr.write(message)


class Command(BaseCommand):
    help = "Create a municipality (the operator's first step: see docs/setting-up.md)."

    OPTIONS = {
        "slug": "--slug", "name_bg": "--name-bg", "name_en": "--name-en", "ekatte": "--ekatte",
        "nuts": "--nuts", "year_start_month": "--year-start-month", "email": "--email",
    }  # fmt: skip

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="the address name in its URLs, e.g. sopot")
        parser.add_argument("--name-bg", required=True, help='the name in Bulgarian, e.g. "Община Сопот"')
        parser.add_argument("--name-en", default="", help="the name in English")
        parser.add_argument("--ekatte", default="", help="the EKATTE code, five digits")
        parser.add_argument("--nuts", default="", help="the NUTS code, e.g. BG421")
        parser.add_argument(
            "--year-start-month", type=int, default=1, help="the month its reporting year starts in (1–12)"
        )
        parser.add_argument("--email", default="", help="the municipality's public e-mail address")

    def handle(self, *args, slug, name_bg, name_en, ekatte, nuts, year_start_month, email, **options):
        try:
            municipality = municipality_create(
                actor=OPERATOR, slug=slug, name_bg=name_bg, name_en=name_en, ekatte=ekatte, nuts=nuts,
                year_start_month=year_start_month, email=email,
            )  # fmt: skip
        except ValidationError as error:
            report_refusal(self, error, self.OPTIONS)
            raise CommandError(_("Nothing was created.")) from None
        except PermissionDenied as error:  # not expected for the operator; said plainly if it happens
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Created the municipality %(name)s at /%(slug)s/.")
            % {"name": municipality.name_bg, "slug": municipality.slug}
        )
