"""Import paper satisfaction surveys: ``manage.py import_skm FILE`` (nothing is imported unless every row is clean)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from complaints.services import survey_import_paper


class Command(BaseCommand):
    help = "Import paper SKM answers from a CSV file (header date,scheme,u1,...,u9,comment)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        count, errors = survey_import_paper(text=text, file_name=file.name)
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing imported: {len(errors)} problem(s).")
        self.stdout.write(self.style.SUCCESS(f"{count} answers imported."))
