"""``manage.py import_skkni FILE [--dry-run] [--json]``: load the unit list of an SKKNI decree (PDF or text)."""

import json

from django.core.management.base import BaseCommand, CommandError

from schemes.importers.skkni import SkkniFormatError, read_file, save_skkni


class Command(BaseCommand):
    help = "Import the unit list (Daftar Unit Kompetensi) of an SKKNI decree from its PDF or text."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Parse only; write nothing.")
        parser.add_argument("--json", action="store_true", help="Print what was parsed as one JSON object.")

    def handle(self, *args, file, dry_run, json: bool, **options):
        try:
            parsed = read_file(file)
        except FileNotFoundError as exc:
            raise CommandError(f"File not found: {file}") from exc
        except SkkniFormatError as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(_dumps(parsed))
        if dry_run:
            if not json:
                self.stdout.write(f"{len(parsed['units'])} units parsed; dry run, nothing written.")
            return
        result = save_skkni(parsed)
        if not json:
            for warning in parsed["warnings"]:
                self.stdout.write(self.style.WARNING(f"! {warning}"))
            self.stdout.write(result.message)


def _dumps(parsed: dict) -> str:
    return json.dumps(parsed, ensure_ascii=False, indent=2)
