"""``manage.py import_kkni FILE [--dry-run] [--json]``: load a KKNI qualifications decree (seed 004's shape)."""

import json

from django.core.management.base import BaseCommand, CommandError

from schemes.importers.kkni import KkniFormatError
from schemes.importers.kkni_load import import_kkni_file


class Command(BaseCommand):
    help = "Import a KKNI qualifications decree (text of the official PDF) in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Parse only; write nothing.")
        parser.add_argument("--json", action="store_true", help="Print what was parsed as one JSON object.")

    def handle(self, *args, file, dry_run, json: bool, **options):
        try:
            result = import_kkni_file(file, dry_run=dry_run)
        except FileNotFoundError as exc:
            raise CommandError(f"File not found: {file}") from exc
        except KkniFormatError as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(_dumps(result.parsed))
            return
        for warning in result.parsed["warnings"]:
            self.stdout.write(self.style.WARNING(f"! {warning}"))
        self.stdout.write(self.style.SUCCESS(result.message) if result.changed else result.message)


def _dumps(parsed: dict) -> str:
    keys = ("letter", "subfield", "group", "level", "code_prefix", "total_required", "core_required",
            "elective_required", "jobs", "core", "elective")
    out = {"decree": parsed["decree"],
           "qualifications": [{**{k: q[k] for k in keys}, "title": q["title"]} for q in parsed["qualifications"]],
           "warnings": parsed["warnings"]}
    return json.dumps(out, ensure_ascii=False, indent=2)
