"""Demo of issue 30 item 6: an applicant whose last application ended in 2019 (past the five-year period), an
applicant account that never applied and was last used in 2021, a misuse report handled three years ago whose
reporter left a name and contact, and this year's disposal list naming them, awaiting the LSP admin's approval; one
more old applicant on it started an application after it was prepared, so the list's page says he will be left out.
Idempotent (one list a year)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from applicants.models import ApplicantProfile, Application
from assessments.certificates.models import Certificate
from assessments.certificates.scope_models import MisuseReport
from certportal.accounts import demo as demo_accounts
from certportal.accounts.models import Role, User, UserRole
from schemes.models import Scheme

from . import services
from .models import DisposalList

EMAIL, NAME, NIP = "asesi.lama@demo.go.id", "Slamet Riyadi, S.Sos.", "197205121998031004"
# Listed too, then came back: he started an application after the list was prepared (issue 42 item 2), so the
# list's page says he will be left out, and why.
RETURNED = ("asesi.kembali@demo.go.id", "Hendra Gunawan, S.E.", "197811231998031002", "3201012311780002",
            datetime.date(1978, 11, 23))
UNUSED = ("akun.tak.terpakai@demo.go.id", "Wulan Sari")
REPORTER = ("Teguh Santoso", "teguh.santoso@example.com")


def _years_since_appointed() -> int:
    """Full years since March 1998, the appointment the NIP gives (the profile's check compares the two)."""
    today = timezone.localdate()
    return today.year - 1998 - (1 if (today.month, today.day) < (3, 1) else 0)


def _old_applicant(scheme: Scheme, email: str = EMAIL, name: str = NAME, nip: str = NIP,
                   nik: str = "3201011205720003", born: datetime.date = datetime.date(1972, 5, 12)) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={
        "full_name": name, "email_verified_at": timezone.now(), "data_consent_at": timezone.now()})
    if created:
        demo_accounts.set_password(user)
        user.save(update_fields=["password"])
    UserRole.objects.get_or_create(user=user, role=Role.APPLICANT)
    ApplicantProfile.objects.get_or_create(user=user, defaults={
        "nip": nip, "nik": nik, "full_name": name, "birth_place": "Bogor", "birth_date": born,
        "gender": "1", "org_unit": "Dinas Sosial", "position": "Penyuluh Sosial", "rank": "III/d",
        "education": "S1", "years_of_service": _years_since_appointed(), "employer_government": "31",
        "years_in_government": _years_since_appointed(), "phone": "081298765432", "email": email})
    if not Application.objects.filter(applicant=user).exists():
        app = Application.objects.create(applicant=user, scheme=scheme, status="withdrawn", applicant_name=name,
                                         nip=nip, org_unit="Dinas Sosial")
        ended = timezone.make_aware(datetime.datetime(2019, 8, 14, 10))
        Application.objects.filter(pk=app.pk).update(updated_at=ended, closed_at=ended)
    return user


def _came_back(user: User, scheme: Scheme) -> None:
    """After the list was prepared, he started a new application (a draft): the approval will leave him out."""
    if not Application.objects.filter(applicant=user, status="draft").exists():
        Application.objects.create(applicant=user, scheme=scheme, status="draft", applicant_name=RETURNED[1],
                                   nip=RETURNED[2], org_unit="Dinas Sosial")


def _unused_account() -> None:
    """Registered in 2021, last logged in that year, never applied."""
    user, created = User.objects.get_or_create(email=UNUSED[0], defaults={
        "full_name": UNUSED[1], "email_verified_at": timezone.now(), "data_consent_at": timezone.now()})
    UserRole.objects.get_or_create(user=user, role=Role.APPLICANT)
    if created:
        demo_accounts.set_password(user)
        user.save(update_fields=["password"])
        used = timezone.make_aware(datetime.datetime(2021, 4, 6, 9))
        User.objects.filter(pk=user.pk).update(date_joined=used, last_login=used)


def _old_misuse_report() -> None:
    """A report of misuse handled (no action) a fortnight after the oldest certificate was issued (three years and a
    bit ago: past the three-year period), its reporter still named on it; never dated before the certificate."""
    certificate = Certificate.objects.order_by("issued_on", "pk").first()
    if certificate is None or MisuseReport.objects.filter(reporter_name=REPORTER[0]).exists():
        return
    report = MisuseReport.objects.create(
        certificate=certificate, what="Sertifikat dipajang di brosur pelatihan swasta", where="Pameran di Bandung",
        reporter_name=REPORTER[0], reporter_contact=REPORTER[1], status=MisuseReport.Status.NO_ACTION,
        result_note="Brosur milik instansi pemegang; penggunaan sesuai aturan.", ip_address="203.0.113.20")
    handled = timezone.make_aware(datetime.datetime.combine(certificate.issued_on + datetime.timedelta(days=14),
                                                            datetime.time(14)))
    MisuseReport.objects.filter(pk=report.pk).update(created_at=handled, handled_at=handled)


def load(stdout) -> None:
    admin = User.objects.filter(email="admin.lsp@demo.go.id").first()
    scheme = Scheme.objects.filter(is_current=True).order_by("pk").first()
    if admin is None or scheme is None:
        stdout.write("quality.retention: LSP admin or scheme missing; no demo disposal list")
        return
    _old_applicant(scheme)
    returned = _old_applicant(scheme, *RETURNED)
    _unused_account()
    _old_misuse_report()
    if DisposalList.objects.filter(year=timezone.localdate().year).exists():
        return
    disposal = services.disposal_propose(actor=admin)
    _came_back(returned, scheme)
    stdout.write(f"quality.retention: {disposal} awaiting approval ({disposal.items.count()} people)")
