"""The LSP's credential keys (Open Badges credentials, issue 31): list them, or add a new one that signs from now on.

    manage.py credential_key            # every key: its did:key, which one signs
    manage.py credential_key --rotate   # a new key; the older ones stay in CREDENTIAL_KEY_DIR and stay published
"""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "List the credential keys, or add a new signing key with --rotate (old keys stay published)."

    def add_arguments(self, parser):
        parser.add_argument("--rotate", action="store_true", help="write a new key that signs from now on")

    def handle(self, *args, **options):
        from assessments.certificates.credentials import keys

        if options["rotate"]:
            path = keys.add_key()
            self.stdout.write(f"new key {path}")
        current = keys.current_key()
        for key in keys.all_keys():
            self.stdout.write(f"{key.name}  {key.did}{'  (signs)' if key is current else ''}")
