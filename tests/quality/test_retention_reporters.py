"""Issue 30 item 6, the records that have no application behind them: a misuse report's reporter (name, contact,
network address, evidence) once the report was handled longer ago than ``RETENTION_MISUSE_YEARS``, and an applicant
account that never applied, unused for ``RETENTION_UNUSED_ACCOUNT_YEARS``. Both reach the yearly disposal list and
are anonymised only once the LSP admin approves it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from applicants.models import ApplicantProfile, Application, ApplicationDocument, DocumentFile
from applicants.samples import sample_pdf
from assessments.certificates.scope_models import MisuseEvidence, MisuseReport
from assessments.certificates.services.misuse import misuse_report_file
from certportal.accounts.models import Role, User
from certportal.audit.models import AuditEntry
from quality.retention import services
from quality.retention.models import DisposalKind, DisposalList
from schemes.models import RequiredDocument
from tests.applicants.factories import ProfileFactory
from tests.assessments.factories import SiteFactory, scheme_with_units
from tests.factories import UserFactory
from tests.quality.report_data import _certificate, _event, _participant, at

pytestmark = pytest.mark.django_db
REPORTER, CONTACT, IP = "Rina Pelapor", "rina.pelapor@example.com", "203.0.113.7"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _reported(certificate, name: str, handled: str | None, result: str = "warned") -> MisuseReport:
    upload = SimpleUploadedFile("foto-spanduk.pdf", sample_pdf("Spanduk"), content_type="application/pdf")
    report = misuse_report_file(certificate, what="Logo BNSP di spanduk jasa konsultan", where="Jl. Merdeka 1",
                                reporter_name=name, reporter_contact=CONTACT, uploads=[upload], ip=IP)
    if handled:
        MisuseReport.objects.filter(pk=report.pk).update(status=result, handled_at=at(handled))
    return report


@pytest.fixture
def reports(on_23_november):
    scheme = scheme_with_units(1)
    certificate = _certificate(_participant(_event(scheme, SiteFactory(), "2020-02-10", "archived"), decision="K"),
                               "2020-03-01")
    return {"old": _reported(certificate, REPORTER, "2023-05-02"),  # handled 3½ years ago: past 3 years
            "recent": _reported(certificate, "Dodi Baru", "2024-12-01"),
            "open": _reported(certificate, "Eko Menunggu", None)}  # still being handled: kept




def test_a_misuse_reporter_past_the_period_is_listed_and_anonymised_only_on_approval(
        reports, lina, login, django_capture_on_commit_callbacks):
    old = reports["old"]
    evidence = MisuseEvidence.objects.get(report=old)
    stored = evidence.file.name
    client = login(lina)
    client.post("/mutu/retensi/siapkan/")
    disposal = DisposalList.objects.get()
    page = client.get(disposal.get_absolute_url()).content.decode()
    assert "Data pelapor penyalahgunaan" in page and REPORTER in page and "Dodi Baru" not in page and "Eko Menunggu" not in page
    assert services.disposal_run(disposal.pk) is None
    old.refresh_from_db()
    assert (old.reporter_name, old.reporter_contact, old.ip_address) == (REPORTER, CONTACT, IP)
    assert evidence.file.storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/mutu/retensi/{disposal.pk}/setujui/")
    old.refresh_from_db()
    pseudonym = f"ANONIM-L{old.pk:06d}"
    assert (old.reporter_name, old.reporter_contact, old.ip_address) == (pseudonym, "", None)
    assert (old.what, old.status) == ("Logo BNSP di spanduk jasa konsultan", "warned")  # the handling's record
    assert not evidence.file.storage.exists(stored)
    assert MisuseEvidence.objects.get(pk=evidence.pk).original_name == ""
    trail = AuditEntry.objects.for_object(old)
    assert trail.exists() and not trail.filter(ip_address__isnull=False).exists()
    assert not AuditEntry.objects.filter(note__contains=REPORTER).exists()
    recent = MisuseReport.objects.get(pk=reports["recent"].pk)
    assert (recent.reporter_contact, recent.ip_address) == (CONTACT, IP)
    assert MisuseReport.objects.get(pk=reports["open"].pk).reporter_name == "Eko Menunggu"
    page = client.get(disposal.get_absolute_url()).content.decode()
    assert REPORTER not in page and pseudonym in page


def _account(name: str, *, joined: str, last_login: str | None = None, roles=(Role.APPLICANT,)) -> User:
    user = UserFactory(full_name=name, roles=list(roles))
    ProfileFactory(user=user, full_name=name, nik="3171010101900002" if name == "Gita Tak Melamar" else None)
    User.objects.filter(pk=user.pk).update(date_joined=at(joined), last_login=at(last_login) if last_login else None)
    return user


def _draft(user, scheme, changed: str) -> DocumentFile:
    app = Application.objects.create(applicant=user, scheme=scheme, status="draft", applicant_name=user.full_name)
    document = ApplicationDocument.objects.create(application=app, requirement=RequiredDocument.objects.create(
        scheme=scheme, category="personal", name="KTP"))
    upload = DocumentFile(document=document, original_name="ktp.pdf", kind="pdf", size=10)
    upload.file.save("ktp.pdf", SimpleUploadedFile("ktp.pdf", sample_pdf("KTP")), save=True)
    Application.objects.filter(pk=app.pk).update(updated_at=at(changed))
    return upload


def test_an_account_that_never_applied_goes_after_its_years_without_use(on_23_november, lina, login,
                                                                         django_capture_on_commit_callbacks):
    scheme = scheme_with_units(1)
    ghost = _account("Gita Tak Melamar", joined="2023-01-10", last_login="2024-03-01")
    drafter = _account("Hadi Draf", joined="2022-06-01")
    upload = _draft(drafter, scheme, "2024-02-01")  # a draft never sent: not an application
    kept = [_account("Indah Masih Masuk", joined="2020-01-01", last_login="2025-06-01"),
            _account("Joko Asesor", joined="2020-01-01", roles=(Role.APPLICANT, Role.ASSESSOR)),
            _account("Kiki Draf Baru", joined="2022-01-01"),
            _account("Mantan Staf", joined="2020-01-01", roles=())]  # no role left: not an applicant's account
    _draft(kept[2], scheme, "2025-03-01")
    sent = _account("Lia Mengajukan", joined="2022-01-01")
    Application.objects.create(applicant=sent, scheme=scheme, status="submitted", applicant_name=sent.full_name)
    client = login(lina)
    client.post("/mutu/retensi/siapkan/")
    disposal = DisposalList.objects.get()
    items = {i.label: (i.kind, i.ended_on.isoformat()) for i in disposal.items.all()}
    assert items == {"Gita Tak Melamar": (DisposalKind.UNUSED_ACCOUNT, "2024-03-01"),
                     "Hadi Draf": (DisposalKind.UNUSED_ACCOUNT, "2024-02-01")}
    page = client.get(disposal.get_absolute_url()).content.decode()
    assert "Akun yang tidak pernah mengajukan permohonan" in page and "Gita Tak Melamar" in page
    assert User.objects.get(pk=ghost.pk).full_name == "Gita Tak Melamar"  # nothing before the approval
    stored = upload.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/mutu/retensi/{disposal.pk}/setujui/")
    ghost = User.objects.get(pk=ghost.pk)
    pseudonym = f"ANONIM-A{ghost.pk:06d}"
    assert (ghost.full_name, ghost.is_active) == (pseudonym, False)
    profile = ApplicantProfile.objects.get(user=ghost)
    assert (profile.full_name, profile.nik, profile.phone) == (pseudonym, None, "")
    assert not upload.file.storage.exists(stored)
    assert Application.objects.get(applicant=drafter).applicant_name == f"ANONIM-A{drafter.pk:06d}"
    assert [User.objects.get(pk=u.pk).full_name for u in [*kept, sent]] == [
        "Indah Masih Masuk", "Joko Asesor", "Kiki Draf Baru", "Mantan Staf", "Lia Mengajukan"]


def test_the_retention_page_shows_every_period(lina, login, settings):
    settings.RETENTION_MISUSE_YEARS, settings.RETENTION_UNUSED_ACCOUNT_YEARS = 4, 2
    page = login(lina).get("/mutu/retensi/").content.decode()
    assert "bukti): 4 tahun setelah laporan ditangani" in page
    assert "Akun yang tidak pernah mengajukan permohonan, beserta profilnya: 2 tahun setelah terakhir masuk" in page
