"""``manage.py restore --from DIR``: restore a backup made by ``manage.py backup`` into an EMPTY deployment."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certportal.backup import BackupError, restore, secret_key_differs


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
            f"Restored the database, {len(manifest['files'])} private files and {len(manifest['restored_keys'])} "
            f"key files from {source} (backup of {manifest['started_at']}). Run `manage.py migrate` if this code is "
            "newer than the backup."))
        if "keys" not in manifest:
            self.stderr.write(self.style.WARNING(
                "This backup holds no keys (made before keys were backed up): copy the signing key folder, the "
                "credential keys and SECRET_KEY from the old host yourself (docs/operations/backup.md)."))
        elif secret_key_differs(manifest):
            self.stderr.write(self.style.WARNING(
                f"This host's SECRET_KEY is not the backup's: put the lines of {source / 'keys' / 'secret_key.env'} "
                "into this host's .env and restart, or signed links and sessions made before stop working."))
