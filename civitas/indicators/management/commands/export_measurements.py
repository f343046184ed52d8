"""Export indicators with their evaluation and history to XLSX or CSV (see docs/measurement-files.md)."""

import shutil
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from civitas.core.tenancy import municipality_from_slug
from civitas.indicators import exports
from civitas.plans import selectors as plan_selectors


class Command(BaseCommand):
    help = "Export a plan's (or some or all) indicators with values, history and passports to XLSX or CSV."

    def add_arguments(self, parser):
        parser.add_argument("municipality", help="the municipality's address name, e.g. sopot")
        parser.add_argument("--plan", help="a plan's address name: export its indicators")
        parser.add_argument("--codes", help="comma-separated indicator codes (default: all indicators)")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--table", choices=exports.TABLES, default="values", help="for CSV: which table")
        parser.add_argument("--public", action="store_true", help="a plan's public export (published only)")
        parser.add_argument(
            "-o", "--output", type=Path, help="the file to write (CSV: default standard output)"
        )

    def handle(self, *args, municipality, plan, codes, format, table, public, output, **options):
        try:
            town = municipality_from_slug(municipality)
            if plan:
                found = plan_selectors.plan_get(municipality=town, slug=plan, include_drafts=not public)
                export = exports.plan_export_set(found, public=public)
            else:
                if public:
                    raise CommandError("--public needs --plan.")
                wanted = [c.strip() for c in codes.split(",") if c.strip()] if codes else None
                export = exports.indicators_export_set(municipality=town, codes=wanted)
        except Http404 as error:
            raise CommandError(str(error)) from None
        if format == "csv":
            lines = exports.export_csv_lines(export, table)
            if output is None:
                for line in lines:
                    self.stdout.write(line, ending="")
                return
            with output.open("w", encoding="utf-8", newline="") as out:
                out.writelines(lines)
        else:
            if output is None:
                raise CommandError("Give the XLSX file to write with -o.")
            with output.open("wb") as out:
                shutil.copyfileobj(exports.export_xlsx(export), out)
        sys.stderr.write(f"Wrote {output}\n")
