"""``manage.py restore --from DIR``: restore a backup made by ``manage.py backup`` into an EMPTY deployment."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certportal.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a backup into an empty database and an empty private storage (folder or bucket). "
            "Refuses when either already holds data, so a restore never mixes two deployments.")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, type=Path, help="The backup folder.")

    def handle(self, *args, source: Path, **options):
        try:
            manifest = restore(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Restored the database and {len(manifest['files'])} private files from {source} "
            f"(backup of {manifest['started_at']}). Run `manage.py migrate` if this code is newer than the backup."))
