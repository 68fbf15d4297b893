"""Every file the portal keeps lies in the one private storage, and every upload is a ``StoredFile``.

One callable (``certportal.files.private_files``) is every private ``FileField``'s storage, so no model can put a
file where the web server serves it (``MEDIA_ROOT``) by writing its own; every model with an uploader's file name is
built on ``StoredFile``, so its file gets a random name in its own folder and is served only through ``response``.
"""

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models

from certportal.files import StoredFile, private_files, private_storage
from tests import hostile_files as hostile


def _file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def test_every_file_field_of_the_portal_uses_the_one_private_storage():
    fields = list(_file_fields())
    assert len(fields) >= 13  # the seven upload models, letters, papers, decrees, print and export jobs, the LSP
    wrong = [f"{model._meta.label}.{field.name}" for model, field in fields
             if getattr(field, "_storage_callable", None) is not private_files]
    assert wrong == []
    assert all(field.storage is private_storage for _, field in fields)


def test_every_model_that_keeps_an_uploaders_file_name_is_a_stored_file_with_its_own_folder():
    uploads = [model for model in apps.get_models() if any(f.name == "original_name" for f in model._meta.fields)]
    assert len(uploads) >= 7
    assert [model._meta.label for model in uploads if not issubclass(model, StoredFile)] == []
    prefixes = [model.upload_prefix for model in uploads]
    assert "" not in prefixes and len(set(prefixes)) == len(prefixes)


@pytest.mark.django_db
def test_a_stored_file_lands_under_its_models_folder_with_a_random_name_and_is_served_as_what_it_is(alice):
    from applicants.models import DocumentFile
    from tests.applicants.factories import ApplicationFactory, add_documents, scheme_with_parts

    app = ApplicationFactory(applicant=alice, scheme=scheme_with_parts(units=1, elements=1, documents=1))
    (document,) = add_documents(app)
    row = DocumentFile(document=document, original_name="ijazah.html", kind="pdf", size=1)
    row.file.save("ijazah.html", ContentFile(hostile.real_pdf()), save=True)
    assert row.file.name.startswith("applicants/") and row.file.name.endswith(".pdf")
    assert "ijazah" not in row.file.name
    response = row.response()
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="ijazah.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()
