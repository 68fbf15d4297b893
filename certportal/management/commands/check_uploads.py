"""List stored uploads that today's checks would refuse (files uploaded before the checks were tightened).

They are already served safely (type read from the stored bytes, never shown as a web page); this list lets staff ask
the uploader for a clean copy. Reads every uploaded-file model (each built on ``certportal.files.StoredFile``) through
the app registry, so the core names no domain app.
"""

from django.apps import apps
from django.core.management.base import BaseCommand

from certportal.files import StoredFile, stored_file_problem


def upload_models():
    """Every model of uploads (files the portal writes itself, print jobs or papers, are not uploads)."""
    return [model for model in apps.get_models() if issubclass(model, StoredFile)]


class Command(BaseCommand):
    help = "List stored uploads that today's content checks would refuse."

    def handle(self, *args, **options):
        found = 0
        for model in upload_models():
            for row in model.objects.exclude(file="").iterator():
                problem = stored_file_problem(row.file)
                if problem:
                    found += 1
                    self.stdout.write(f"{model._meta.label} #{row.pk}: {problem}")
        self.stdout.write(f"{found} stored upload(s) would be refused today.")
