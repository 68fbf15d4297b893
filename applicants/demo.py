"""Demo dossiers on the reference Pelayanan Prima scheme: applications in every state, with real (small) files.

Every step goes through the services, so timelines, audit rows, SLA clocks and notifications are real.
Idempotent: an applicant who already has applications is left alone.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction

from certportal.accounts import demo as demo_accounts
from certportal.accounts.models import Role, User, UserRole

from . import services
from .models import ApplicantProfile, Application, ApplicationDocument, SelfAssessment, Status
from .nik import make_nik
from .nip import service_years
from .samples import sample_pdf, sample_png

SCHEME_CODE = "SS-02/LSP-BPSDM DKI/2017"

# email, name, NIP, unit, rank, education, the states their applications reach. Birth date, gender and years of
# service are what the NIP says (appointment month to today), so each demo profile saves as it stands.
APPLICANTS = [
    ("pemohon@demo.go.id", "Siti Rahmawati, S.Sos.", "198705122010012003", "Badan Kepegawaian Daerah",
     "III/c", "S1", [Status.DRAFT, Status.RETURNED, Status.PARTICIPANT]),
    ("andi.pratama@demo.go.id", "Andi Pratama, S.E.", "198601152009011002", "Dinas Kesehatan",
     "III/d", "S1", [Status.SUBMITTED, Status.RESUBMITTED, Status.COMPLETE]),
    ("maria.ulfa@demo.go.id", "Maria Ulfa, S.Kom., M.M.", "198909092014022001", "Dinas Pendidikan",
     "III/b", "S2", [Status.VERIFIED, Status.REJECTED]),
    ("yusuf.hakim@demo.go.id", "Drs. Yusuf Hakim", "197803032002121001", "Dinas Perhubungan",
     "IV/a", "S1", [Status.PARTICIPANT]),
    ("nur.aini@demo.go.id", "Nur Aini, S.AP.", "199002202015032002", "Biro Umum Setda",
     "III/b", "S1", [Status.COMPLETE]),
    ("rudi.hartono@demo.go.id", "Rudi Hartono, S.T.", "198411112008011003", "Dinas Cipta Karya",
     "III/c", "S1", [Status.WITHDRAWN]),
]

# The path each target state is reached by (after submission). The states after "participant" are the assessments
# app's: its demo reaches them through a real event (participant, results, decision, certificate, appeal), so that
# no demo application stands in a state without the record that state means.
PATHS = {
    Status.DRAFT: [],
    Status.SUBMITTED: [Status.SUBMITTED],
    Status.RETURNED: [Status.SUBMITTED, Status.RETURNED],
    Status.RESUBMITTED: [Status.SUBMITTED, Status.RETURNED, Status.RESUBMITTED],
    Status.COMPLETE: [Status.SUBMITTED, Status.COMPLETE],
    Status.VERIFIED: [Status.SUBMITTED, Status.COMPLETE, Status.VERIFIED],
    Status.PARTICIPANT: [Status.SUBMITTED, Status.COMPLETE, Status.VERIFIED, Status.PARTICIPANT],
    Status.REJECTED: [Status.SUBMITTED, Status.COMPLETE, Status.REJECTED],
    Status.WITHDRAWN: [Status.SUBMITTED, Status.WITHDRAWN],
}

REASONS = {
    Status.RETURNED: "Scan SK Pangkat terakhir tidak terbaca; mohon unggah ulang.",
    Status.REJECTED: "Masa kerja di lingkungan pemerintah provinsi belum 4 tahun.",
    Status.WITHDRAWN: "Mutasi ke instansi lain.",
    Status.PARTICIPANT: "800/045/BKPSDM/2026",
}


# The agencies (perangkat daerah) of DKI Jakarta the demo offers in the profile (the LSP admin keeps the list).
DKI_AGENCIES = [
    "Badan Kepegawaian Daerah", "Badan Pengembangan Sumber Daya Manusia", "Badan Pendapatan Daerah",
    "Badan Perencanaan Pembangunan Daerah", "Biro Umum Setda", "Dinas Cipta Karya",
    "Dinas Kependudukan dan Pencatatan Sipil", "Dinas Kesehatan", "Dinas Komunikasi, Informatika dan Statistik",
    "Dinas Lingkungan Hidup", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "Dinas Pendidikan",
    "Dinas Perhubungan", "Dinas Sosial", "Inspektorat", "Satuan Polisi Pamong Praja",
]
# Their addresses, printed on the letterhead of the letters their heads sign in the portal (agencies.letters).
CITY_HALL = "Jalan Medan Merdeka Selatan Nomor 8-9, Gambir, Jakarta Pusat 10110"
AGENCY_ADDRESSES = {
    "Badan Pengembangan Sumber Daya Manusia": "Jalan Abdul Muis Nomor 66, Tanah Abang, Jakarta Pusat 10160",
    "Dinas Kesehatan": "Jalan Kesehatan Nomor 10, Petojo Selatan, Gambir, Jakarta Pusat 10160",
    "Dinas Pendidikan": "Jalan Jenderal Gatot Subroto Kav. 40-41, Kuningan Timur, Setiabudi, Jakarta Selatan 12950",
    "Dinas Perhubungan": "Jalan Taman Jati Baru Nomor 1, Cideng, Gambir, Jakarta Pusat 10150",
}


def load(stdout=None) -> None:
    from schemes.models import Scheme

    from .models import Agency

    write = stdout.write if stdout else (lambda *_: None)
    for name in DKI_AGENCIES:
        Agency.objects.get_or_create(name=name)
        Agency.objects.filter(name=name, address="").update(address=AGENCY_ADDRESSES.get(name, CITY_HALL))
    scheme = Scheme.objects.filter(code=SCHEME_CODE, is_current=True).first()
    if scheme is None:
        write("applicants: reference scheme missing (run manage.py load_reference); no demo dossiers")
        return
    verifier = User.objects.filter(email="verifikator@demo.go.id").first()
    made = 0
    for row in APPLICANTS:
        with transaction.atomic():
            made += _applicant(row, scheme, verifier)
    write(f"applicants: {made} demo applications created" if made else "applicants: demo applications present")


def _applicant(row, scheme, verifier) -> int:
    email, name, nip, unit, rank, education, targets = row
    user, _ = User.objects.get_or_create(email=email, defaults={"full_name": name})
    # a new user's password is "" -- which Django counts as "usable" -- so test for it too (issue 15: five demo
    # applicants could not log in)
    if not user.password or not user.has_usable_password():
        demo_accounts.set_password(user)
    user.email_verified_at = user.email_verified_at or datetime.datetime.now(datetime.UTC)
    user.data_consent_at = user.data_consent_at or user.email_verified_at
    user.save()
    UserRole.objects.get_or_create(user=user, role=Role.APPLICANT)
    user.__dict__.pop("roles", None)
    if Application.objects.filter(applicant=user).exists():
        return 0
    services.profile_save(user=user, data={
        **nip_profile(nip), "full_name": name, "birth_place": "Jakarta", "employment_status": "pns", "org_unit": unit,
        "position": "Pengadministrasi Umum", "rank": rank, "education": education,
        "phone": "08129876543" + nip[-1], "email": email,
    })
    actor = verifier or user
    for target in targets:
        app = _draft(user, scheme)
        for step in PATHS[target]:
            _step(app, step, user, actor)
    return len(targets)


def nip_profile(nip: str, *, region: str = "317104") -> dict:
    """The profile values a demo NIP decides: birth date and gender, a NIK that agrees with them, the years of
    service from the appointment month to today, all of them within the Province of DKI Jakarta (code 31)."""
    born, gender = datetime.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8])), nip[14]
    years = service_years(nip)
    return {"nip": nip, "nik": make_nik(born, gender, region=region, serial=int(nip[-3:])), "birth_date": born,
            "gender": gender, "years_of_service": years, "employer_government": "31", "years_in_government": years}


def _draft(user, scheme) -> Application:
    """Like ``services.application_start`` but allowing several demo applications on the one reference scheme."""
    profile = ApplicantProfile.objects.get(user=user)
    app = Application.objects.create(applicant=user, scheme=scheme, status=Status.DRAFT, applicant_name=profile.full_name,
                                     nip=profile.nip, org_unit=profile.org_unit, profile_data=profile.snapshot())
    ApplicationDocument.objects.bulk_create(
        [ApplicationDocument(application=app, requirement=r) for r in scheme.required_documents.all()])
    services.application_save_data(app, user=user, purpose="certification", purpose_other="", experienced=True)
    for doc in app.documents.select_related("requirement"):
        kinds = doc.requirement.accepted_kinds or ["pdf"]
        photo = "png" in kinds and "foto" in doc.requirement.name.lower()
        kind = "png" if photo else ("pdf" if "pdf" in kinds else kinds[0])
        for n in range(1, max(doc.requirement.min_files, 1) + 1):  # three photos: photos 1, 2 and 3
            upload = (ContentFile(sample_png(), name=f"pas-foto-{n}.png") if photo else
                      ContentFile(sample_pdf(doc.requirement.name[:60]), name=f"dokumen-{doc.requirement_id}.pdf"))
            services.document_upload(doc, user=user, upload=upload, kind=kind)
    answers = []
    for link in scheme.scheme_units.select_related("unit").prefetch_related("unit__elements"):
        for element in list(link.unit.elements.all()) or [None]:
            answers.append((link.unit_id, element.pk if element else None, SelfAssessment.Answer.YES,
                            "Laporan kegiatan pelayanan tahun 2025"))
    services.self_assessment_save(app, user=user, answers=answers)
    return app


def _step(app: Application, step: str, user, verifier) -> None:
    app.refresh_from_db()
    if step in (Status.SUBMITTED, Status.RESUBMITTED):
        services.application_submit(app, user=user, declaration=True)
    elif step == Status.RETURNED:
        doc = app.documents.first()
        services.document_review(doc, actor=verifier, accepted=False, reason=REASONS[Status.RETURNED])
        services.application_return(app, actor=verifier, reason=REASONS[Status.RETURNED])
        if app.applicant.email != "pemohon@demo.go.id":  # others already uploaded a better scan
            services.document_upload(doc, user=user, upload=ContentFile(sample_pdf("SK Pangkat (ulang)"),
                                                                         name="sk-pangkat-ulang.pdf"), kind="pdf")
    elif step == Status.COMPLETE:
        for doc in app.documents.all():
            services.document_review(doc, actor=verifier, accepted=True)
        services.application_complete(app, actor=verifier)
    elif step == Status.VERIFIED:
        services.check_record(app, actor=verifier, kind="administrative", result="passed")
        services.check_record(app, actor=verifier, kind="substantive", result="passed", note="SKP dan SK sesuai")
        services.application_verify(app, actor=verifier)
    elif step == Status.PARTICIPANT:
        services.participants_name([app], actor=verifier, reference=REASONS[Status.PARTICIPANT])
    elif step == Status.REJECTED:
        services.application_reject(app, actor=verifier, reason=REASONS[Status.REJECTED])
    elif step == Status.WITHDRAWN:
        services.application_withdraw(app, user=user, reason=REASONS[Status.WITHDRAWN])
