"""The private-storage contract, run against the local folder AND a real S3-compatible server (moto, own process).

Saving, opening through the permission-checked view, versions, the personal-data ZIP and the deletion rule (a file
taken out of a dossier stays in its history) behave the same on both; on S3 the objects are private.
"""

import io
import urllib.request
import zipfile

import pytest
from django.urls import reverse

from applicants import services
from applicants.models import DocumentFile
from certportal.files import private_storage

from .helpers import pdf_upload, png_upload, submitted_application

pytestmark = pytest.mark.django_db


def opened(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_saved_dossier_file_opens_for_its_verifier_only(storage_backend, alice_profile, bob, scheme, victor,
                                                          login, settings):
    app = submitted_application(alice_profile, scheme)
    file = DocumentFile.objects.filter(document__application=app).first()
    assert private_storage.exists(file.file.name)
    with private_storage.open(file.file.name, "rb") as fh:
        stored = fh.read()
    assert stored.startswith(b"%PDF")
    response = login(victor).get(f"/permohonan/berkas/{file.pk}/")
    assert response.status_code == 200 and opened(response) == stored
    assert login(bob).get(f"/permohonan/berkas/{file.pk}/").status_code == 404
    if storage_backend == "s3":
        with pytest.raises(NotImplementedError):
            file.file.path  # noqa: B018 (no local path on S3: code must use the storage API)
        url = f"{settings.PRIVATE_STORAGE_S3_ENDPOINT_URL}/{settings.PRIVATE_STORAGE_S3_BUCKET}/{file.file.name}"
        with pytest.raises(urllib.error.HTTPError) as refused:  # the object itself is not public
            urllib.request.urlopen(url, timeout=5)  # noqa: S310 (our local stand-in server)
        assert refused.value.code == 403


def test_every_version_stays_stored_and_opens(storage_backend, alice_profile, scheme, login):
    app = services.application_start(user=alice_profile.user, scheme=scheme)
    doc = app.documents.order_by("requirement__position").first()
    first = services.document_upload(doc, user=alice_profile.user, upload=pdf_upload("sk-lama.pdf"), kind="pdf")
    second = services.document_upload(doc, user=alice_profile.user, upload=png_upload("sk-baru.png"), kind="png")
    client = login(alice_profile.user)
    assert opened(client.get(f"/permohonan/berkas/{first.pk}/")).startswith(b"%PDF")
    assert opened(client.get(f"/permohonan/berkas/{second.pk}/")).startswith(b"\x89PNG")
    assert first.file.name != second.file.name


def test_a_file_removed_from_a_draft_stays_in_its_history(storage_backend, alice_profile, scheme, login):
    app = services.application_start(user=alice_profile.user, scheme=scheme)
    doc = app.documents.order_by("requirement__position").first()
    file = services.document_upload(doc, user=alice_profile.user, upload=pdf_upload("salah.pdf"), kind="pdf")
    services.document_remove_file(file, user=alice_profile.user)
    file.refresh_from_db()
    assert not file.is_current and private_storage.exists(file.file.name)
    response = login(alice_profile.user).get(f"/permohonan/berkas/{file.pk}/")
    assert response.status_code == 200 and opened(response).startswith(b"%PDF")


def test_the_personal_data_zip_holds_every_stored_file(storage_backend, alice_profile, scheme, login):
    app = submitted_application(alice_profile, scheme)
    response = login(alice_profile.user).post(reverse("accounts:personal-data"))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = [n for n in archive.namelist() if n.startswith("files/")]
    assert len(names) == DocumentFile.objects.filter(document__application=app).count() == 2
    assert all(archive.read(n).startswith(b"%PDF") for n in names)
