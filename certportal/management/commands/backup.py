"""``manage.py backup --to DIR``: a consistent backup of the database and the private files (see certportal/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certportal.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite's backup API) and every private file into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, type=Path, help="A new or empty folder to write the backup into.")

    def handle(self, *args, to: Path, **options):
        try:
            manifest = backup(to)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = sum(f["size"] for f in manifest["files"])
        self.stdout.write(self.style.SUCCESS(
            f"Backed up the {manifest['database_vendor']} database and {len(manifest['files'])} private files "
            f"({size / 1024 / 1024:.1f} MB) into {to}"))
