from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civitas.demo.national import DatasetExists, Scale, generate


class Command(BaseCommand):
    help = (
        "Generate the national dataset: Bulgaria's 265 municipalities, each with a plan, projects, "
        "indicators with values, consultations, surveys, decisions, reports and events (sample data). "
        "All or nothing; a second run refuses."
    )

    def add_arguments(self, parser):
        defaults = Scale()
        for name, help_text in (
            ("municipalities", "how many municipalities, in the order of the list (at most 265)"),
            ("elements", "plan elements per municipality (priorities, goals, measures)"),
            ("projects", "projects per municipality"),
            ("indicators", "indicators per municipality"),
            ("years", "years of values"),
            ("survey-answers", "survey answers in all, shared among the municipalities"),
            ("consultations", "consultations per municipality"),
            ("surveys", "surveys per municipality"),
            ("seed", "the random seed: the same seed gives the same content"),
        ):
            default = getattr(defaults, name.replace("-", "_"))
            parser.add_argument(
                f"--{name}", type=int, default=default, help=f"{help_text} (default {default})"
            )

    def handle(self, *args, **options):
        fields = {name: options[name] for name in Scale.__dataclass_fields__}
        try:
            scale = Scale(**fields)
        except ValueError as error:
            raise CommandError(str(error)) from None
        verbose = options["verbosity"] > 1
        try:
            summary = generate(scale, progress=(lambda text: self.stdout.write(text)) if verbose else None)
        except DatasetExists as error:
            raise CommandError(str(error)) from None
        for label, count in sorted(summary.counts.items()):
            self.stdout.write(f"  {label:<32} {count:>10}")
        if verbose:
            for label, seconds in sorted(summary.stages.items(), key=lambda item: -item[1]):
                self.stdout.write(f"  {label:<40} {seconds:8.1f} s")
        if summary.existing:
            self.stdout.write(_("Kept as they were: %(slugs)s.") % {"slugs": ", ".join(summary.existing)})
        self.stdout.write(
            _("National dataset generated in %(seconds).1f s: %(rows)d rows.")
            % {"seconds": summary.seconds, "rows": sum(summary.counts.values())}
        )
