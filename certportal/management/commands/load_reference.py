"""Load the reference data every installation needs (each app's ``reference.load(stdout)``), idempotently."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load reference data shipped with the portal (qualifications, schemes, service standard, SLA policies)."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.reference")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.reference":
                    raise
                continue
            module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Reference data ready."))
