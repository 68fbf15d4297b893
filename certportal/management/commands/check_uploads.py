"""List stored uploads that today's checks would refuse (files uploaded before the checks were tightened).

They are already served safely (type read from the stored bytes, never shown as a web page); this list lets staff ask
the uploader for a clean copy. Reads every model with a file in private storage through the app registry, so the core
names no domain app.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models

from certportal.files import RandomPath, stored_file_problem


def upload_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and isinstance(field.upload_to, RandomPath):
                yield model, field


class Command(BaseCommand):
    help = "List stored uploads that today's content checks would refuse."

    def handle(self, *args, **options):
        found = 0
        for model, field in upload_fields():
            if not any(f.name == "original_name" for f in model._meta.get_fields()):
                continue  # files the portal writes itself (print jobs), not uploads
            for row in model.objects.exclude(**{field.name: ""}).iterator():
                problem = stored_file_problem(getattr(row, field.name))
                if problem:
                    found += 1
                    self.stdout.write(f"{model._meta.label} #{row.pk}: {problem}")
        self.stdout.write(f"{found} stored upload(s) would be refused today.")
