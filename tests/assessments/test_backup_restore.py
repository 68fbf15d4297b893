"""Back up, wipe everything, restore into the empty deployment: certificates still verify, dossiers still open.

Runs on the database the suite uses (PostgreSQL with pg_dump/pg_restore in CI, SQLite's backup API locally) and
with the private files in the local folder and in a real S3-compatible bucket.
"""

import json
import shutil

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
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
from tests.assessments.factories import decide
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
    decide(p, actor=lina, decision="K")
    services.participant_accept_obligations(p, user=alice)
    cert = certs.certificate_issue(p, actor=lina)
    requirement = RequiredDocument.objects.create(scheme=scheme, category="basic", name="SK Pangkat")
    doc = ApplicationDocument.objects.create(application=p.application, requirement=requirement)
    file = DocumentFile(document=doc, original_name="sk-pangkat.pdf", kind="pdf", size=1, uploaded_by=alice)
    file.file.save("sk-pangkat.pdf", ContentFile(sample_pdf("SK Pangkat Alice")), save=True)
    return cert, file


@pytest.mark.slow
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


def test_a_restore_on_a_new_host_signs_and_proves_with_the_restored_keys(reviewed, alice, lina, scheme, tmp_path,  # noqa: F811
                                                                          settings, client):
    from assessments.certificates.credentials import keys
    from assessments.certificates.credentials import services as credentials
    from certportal.signing.validation import Verdict
    from tests.esign import throwaway_signer, validate_against

    old_host = tmp_path / "old-host"
    signer = throwaway_signer(old_host, settings)
    (old_host / "esign" / "role-kepala-lsp.p12").write_bytes(b"another role's key")  # a folder, not named files
    settings.CREDENTIAL_KEY_DIR, settings.CREDENTIAL_KEY_CREATE = str(old_host / "credentials"), True
    keys.all_keys.cache_clear()
    cert, _file = certificate_and_dossier(reviewed, alice, lina, scheme)
    pdf = client_for(alice).get(reverse("assessments:certificate-pdf", args=[cert.pk])).content
    assert validate_against(pdf, signer.ca_pem).verdict == Verdict.AUTHENTIC
    credential = credentials.credential_for(cert).document

    call_command("backup", to=tmp_path / "backup")
    assert (tmp_path / "backup" / "keys" / "esign" / "role-kepala-lsp.p12").read_bytes() == b"another role's key"
    assert (tmp_path / "backup" / "keys" / "secret_key.env").stat().st_mode & 0o077 == 0  # for the portal's user only

    # A new host: an empty database, media folder and key folders where its own settings say; it makes no key.
    wipe_database()
    wipe_files()
    shutil.rmtree(old_host)
    new_host = tmp_path / "new-host"
    settings.ESIGN_PKCS12_PATH = str(new_host / "esign" / "signer.p12")
    settings.ESIGN_TRUST_ROOTS = [str(new_host / "esign" / "ca.pem")]
    settings.CREDENTIAL_KEY_DIR, settings.CREDENTIAL_KEY_CREATE = str(new_host / "credentials"), False
    keys.all_keys.cache_clear()
    call_command("restore", source=tmp_path / "backup")
    keys.all_keys.cache_clear()

    # the certificate downloaded before still proves authentic, and one downloaded now is signed by the same key
    upload = client.post(reverse("assessments:verify-document"),
                         {"berkas": SimpleUploadedFile("sertifikat.pdf", pdf, "application/pdf")})
    assert 'data-verdict="authentic"' in upload.content.decode()
    again = client_for(alice).get(reverse("assessments:certificate-pdf", args=[cert.pk])).content
    assert validate_against(again, new_host / "esign" / "ca.pem").verdict == Verdict.AUTHENTIC
    # the Open Badges credential issued before checks against the restored key
    checked = client.post(reverse("assessments:verify-credential"),
                          {"berkas": SimpleUploadedFile("credential.json", credential.encode())})
    assert checked.context["check"].verdict == "valid" and cert.number in checked.content.decode()


def test_a_backup_refuses_to_run_without_the_signing_key_it_signs_with(settings, tmp_path, alice):
    settings.ESIGN_BACKEND = "pkcs12"
    settings.ESIGN_PKCS12_PATH = str(tmp_path / "esign" / "signer.p12")
    with pytest.raises(CommandError, match="signing key .* is missing"):
        call_command("backup", to=tmp_path / "backup")
