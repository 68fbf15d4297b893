"""``manage.py backup --to DIR``: a consistent backup of the database, the private files and the keys (see
certportal/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certportal.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the database (pg_dump or SQLite's backup API), every private file and every key (signing, "
            "credentials, SECRET_KEY) into a new folder. The folder is a secret: keep it encrypted.")

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, type=Path, help="A new or empty folder to write the backup into.")

    def handle(self, *args, to: Path, **options):
        try:
            manifest = backup(to)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = sum(f["size"] for f in manifest["files"])
        keys = manifest["keys"]
        for label in keys["missing"]:
            self.stderr.write(self.style.WARNING(
                f"No key to back up for {label}: nothing is configured there yet. If this host has {label} keys "
                "elsewhere, see docs/operations/backup.md."))
        self.stdout.write(self.style.SUCCESS(
            f"Backed up the {manifest['database_vendor']} database, {len(manifest['files'])} private files "
            f"({size / 1024 / 1024:.1f} MB) and the keys ({', '.join(p['label'] for p in keys['places']) or 'none'}"
            f", SECRET_KEY) into {to}. It holds the signing keys: keep it encrypted and access-controlled."))
