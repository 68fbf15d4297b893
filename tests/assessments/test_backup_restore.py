"""Back up, wipe everything, restore into the empty deployment: certificates still verify, dossiers still open.

Runs on the database the suite uses (PostgreSQL with pg_dump/pg_restore in CI, SQLite's backup API locally) and
with the private files in the local folder and in a real S3-compatible bucket.
"""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from applicants.models import ApplicationDocument, DocumentFile
from applicants.samples import sample_pdf
from assessments import services
from assessments.certificates import services as certs
from certportal.backup import stored_names
from certportal.files import private_storage
from schemes.models import RequiredDocument
from tests.conftest import client_for

from .test_views import reviewed  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def wipe_database() -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        else:
            cur.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names():
                cur.execute(f'DROP TABLE "{table}"')
    assert not connection.introspection.table_names()


def wipe_files() -> None:
    for name in stored_names(private_storage):
        private_storage.delete(name)
    assert not stored_names(private_storage)


def certificate_and_dossier(event, alice, lina, scheme):
    p = event.participants.get(application__applicant=alice)
    services.participant_decide(p, actor=lina, decision="K")
    services.participant_accept_obligations(p, user=alice)
    cert = certs.certificate_issue(p, actor=lina)
    requirement = RequiredDocument.objects.create(scheme=scheme, category="basic", name="SK Pangkat")
    doc = ApplicationDocument.objects.create(application=p.application, requirement=requirement)
    file = DocumentFile(document=doc, original_name="sk-pangkat.pdf", kind="pdf", size=1, uploaded_by=alice)
    file.file.save("sk-pangkat.pdf", ContentFile(sample_pdf("SK Pangkat Alice")), save=True)
    return cert, file


def test_a_restored_deployment_verifies_certificates_and_opens_dossiers(storage_backend, reviewed, alice,  # noqa: F811
                                                                       lina, scheme, tmp_path, client):
    cert, file = certificate_and_dossier(reviewed, alice, lina, scheme)
    original = b"".join(client_for(alice).get(f"/permohonan/berkas/{file.pk}/").streaming_content)

    call_command("backup", to=tmp_path / "backup")
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database_vendor"] == connection.vendor and file.file.name in [f["name"] for f in manifest["files"]]

    wipe_database()
    wipe_files()
    call_command("restore", source=tmp_path / "backup")

    page = client.get(reverse("assessments:verify-code", args=[cert.verification_code]))
    assert page.status_code == 200 and cert.number in page.content.decode()
    assert client.get(reverse("assessments:verify-json", args=[cert.verification_code])).json()["status"] == "valid"
    response = client_for(alice).get(f"/permohonan/berkas/{file.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == original


def test_restore_refuses_a_deployment_that_is_not_empty(storage_backend, alice, tmp_path):
    call_command("backup", to=tmp_path / "backup")
    with pytest.raises(CommandError, match="database is not empty"):
        call_command("restore", source=tmp_path / "backup")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", to=tmp_path / "backup")
