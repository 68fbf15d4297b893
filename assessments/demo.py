"""Demo assessments: one finished event (decided in a pleno with its decree, certificates valid / suspended /
expired, one replaced by a correcting certificate, a result letter, an appeal) and one upcoming event. Idempotent: keyed on the events' place notes. Everything after set-up goes through services."""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from applicants.demo import nip_profile
from applicants.models import ApplicantProfile, Application
from applicants.models import Status as AppStatus
from applicants.services import profile_save
from assessments import services
from assessments.certificates import services as certs
from assessments.certificates.credentials.services import credential_for
from assessments.certificates.models import Certificate
from assessments.certificates.services import bnsp
from assessments.demo_portrait import demo_portrait
from assessments.events.models import Assessor, Event, Participant, UnitResult
from certportal.accounts import demo as demo_accounts
from certportal.accounts.models import Role, User, UserRole
from schemes.models import Scheme

SCHEME_CODE = "SS-02/LSP-BPSDM DKI/2017"
DONE_MARK = "DEMO: Ruang Uji 2, Gedung Dinas Teknis Abdul Muis"
OLD_MARK = "DEMO: Ruang Uji 2, Gedung Dinas Teknis Abdul Muis (uji tiga tahun lalu)"
OLD_DAYS_AGO = 3 * 366 + 40  # the oldest demo event: its certificate has expired since
RECENT_DAYS_AGO = 9  # the recent finished event: its BK participant still appeals within the window
NEXT_MARK = "DEMO: Ruang Uji 1, Gedung Dinas Teknis Abdul Muis"
DEMO_DECREE = "KEP.012/LSP-BPSDM DKI/PLENO"  # the pleno's year follows
OLD_DECREE = "KEP.027/LSP-BPSDM DKI/PLENO"
# email, name, NIP, experienced, what happens: K / K-suspended / K-expired / K-replaced / K-pending (decided, its
# certificate still to issue) / BK-appeal / BK-letter / next
PEOPLE = [
    ("asesi.andi@demo.go.id", "Andi Saputra, S.Sos.", "198204112008011003", True, "K"),
    ("asesi.maya@demo.go.id", "Maya Anggraini, S.E.", "198707222010012004", True, "K-suspended"),
    ("asesi.yusuf@demo.go.id", "Yusuf Hidayat, S.AP.", "197912052005011002", True, "K-expired"),
    ("asesi.dewi@demo.go.id", "Dewi Kartika Sari, S.Sos.", "198811092012012003", True, "K-replaced"),
    ("asesi.lestari@demo.go.id", "Lestari Wulandari, S.H.", "199001152014022001", False, "BK-appeal"),
    ("asesi.rudi@demo.go.id", "Rudi Hartono, S.T.", "198503302009011005", False, "BK-letter"),
    ("asesi.nina@demo.go.id", "Nina Marlina, S.Kom.", "199204182015032002", True, "next"),
    ("asesi.bayu@demo.go.id", "Bayu Pratama, S.Sos.", "198606142011011004", True, "unreviewed"),
    ("asesi.rina@demo.go.id", "Rina Kusumawati, S.IP.", "199103112016032003", True, "K-pending"),
]
# typed wrongly in the application, so printed wrongly on the first certificate, then corrected by a replacement
UNREVIEWED = "DEMO: Ruang Uji 4, Gedung Dinas Teknis Abdul Muis (notulen belum dibuat)"
MISSPELT = {"asesi.dewi@demo.go.id": "Dewi Kartika Sary, S.Sos."}


def load(stdout=None) -> None:
    scheme = Scheme.objects.filter(code=SCHEME_CODE, is_current=True).first()
    admin = User.objects.filter(email="admin.lsp@demo.go.id").first()
    assessor_user = User.objects.filter(email="asesor@demo.go.id").first()
    head = User.objects.filter(email="kepala.tuk@demo.go.id").first()
    if not (scheme and admin and assessor_user and head and scheme.test_sites.exists()):
        if stdout:
            stdout.write("  assessments: demo accounts or scheme missing; skipped")
        return
    site = scheme.test_sites.first()
    if site.head_id is None:
        site.head = head
        site.save(update_fields=["head"])
    assessor = _assessor(assessor_user, scheme)
    from assessments import demo_register

    demo_register.load(stdout, admin=admin)  # the paper register first, as a portal is switched on (issue 48)
    if Event.objects.filter(place_note=DONE_MARK).exists():
        if stdout:
            stdout.write("  assessments: demo already loaded")
        return
    apps = {row[4]: _application(row, scheme) for row in PEOPLE}
    from assessments import demo_assessment

    # FR.MAPA.01 v1, validated by a second assessor before the oldest event: the past events keep it
    demo_assessment.first_plan(scheme=scheme, assessor=assessor, admin=admin, before=_morning(OLD_DAYS_AGO + 30))
    _finished_event(scheme, site, assessor, admin, head, assessor_user, apps)
    _unreviewed_event(scheme, site, assessor, admin, head, assessor_user, apps["unreviewed"])
    # issue 19: plan v2 (with the written test), the question bank, FR.VA and one event assessed on the plan's
    # instruments; the next event keeps v2

    demo_assessment.load(scheme=scheme, site=site, assessor=assessor, admin=admin, head=head,
                         quality=_quality_reviewer(), application=_application, walk=_walk, stdout=stdout)
    _next_event(scheme, site, assessor, admin, apps["next"])
    demo_assessment.adjustment_for_next(Event.objects.get(place_note=NEXT_MARK).participants.get(), assessor_user)
    _deactivated_assessor(scheme, admin)
    _holder_life(apps, admin)
    from assessments import demo_scope

    _credentials()  # before the reduction, so that the reduced original's credential is revoked by it
    demo_scope.load(admin=admin)  # issue 30: a scope reduction, misuse reports
    _credentials()  # the reduced certificate's replacement
    if stdout:
        stdout.write("  assessments: 4 events (one waiting for its minutes before review and archive), 6 certificates "
                     "(valid, suspended, expired, one replaced by a correction; each with its Open Badges "
                     "credential), result letters, an appeal, a participant's feedback (FR.AK.03), a deactivated "
                     "assessor, a holder report, an API token, a certificate reduced in scope with its replacement, "
                     "misuse reports (one handled to a warning, one open)")


def _assessor(user, scheme) -> Assessor:
    assessor = Assessor.objects.filter(user=user).first()
    if assessor is None:
        assessor = Assessor.objects.create(user=user, registration_number="MET.000.004512.2019",
                                           licence_valid_until=timezone.localdate() + datetime.timedelta(days=700))
    assessor.schemes.add(scheme)
    return assessor


def _application(row, scheme) -> Application:
    email, name, nip, experienced, _what = row
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
    if created or not user.password or not user.has_usable_password():  # every demo applicant can log in (issue 15)
        demo_accounts.set_password(user)
        user.email_verified_at = user.email_verified_at or timezone.now()
        user.data_consent_at = user.data_consent_at or user.email_verified_at
        user.save()
    UserRole.objects.get_or_create(user=user, role=Role.APPLICANT)
    unit = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    _profile(user, name, nip, unit)
    name = MISSPELT.get(email, name)
    app = Application.objects.filter(applicant=user, scheme=scheme).first()
    if app is None:  # demo set-up: the dossier phase is the applicants app's demo; we start at "participant"
        app = Application.objects.create(
            applicant=user, scheme=scheme, status=AppStatus.PARTICIPANT, experienced=experienced,
            applicant_name=name, nip=nip, org_unit=unit, naming_reference="800/051/BKPSDM/2026",
            profile_data={"full_name": name, "nip": nip, "org_unit": unit, "position": "Kepala Unit Pelaksana"})
        _accepted_photo(app, female=nip[14] == "2")
    return app


def _profile(user, name: str, nip: str, unit: str) -> None:
    """A profile with a valid NIK (born and gendered as the NIP says), so the BNSP request is complete."""
    if ApplicantProfile.objects.filter(user=user).exists():
        return
    profile_save(user=user, data={
        **nip_profile(nip, region="317305"), "full_name": name, "birth_place": "Jakarta", "employment_status": "pns",
        "org_unit": unit, "position": "Kepala Unit Pelaksana", "rank": "III/d", "education": "S1",
        "phone": "081298765400", "email": user.email})
def _accepted_photo(app, *, female: bool) -> None:
    """The dossier's passport photo as the verifier accepted it: what the certificate prints."""
    from django.core.files.base import ContentFile

    from applicants.models import ApplicationDocument, DocumentFile

    requirement = next((r for r in app.scheme.required_documents.all()
                        if "foto" in r.name.lower() and {"png", "jpeg"} & set(r.accepted_kinds)), None)
    if requirement is None:
        return
    doc, _created = ApplicationDocument.objects.get_or_create(
        application=app, requirement=requirement,
        defaults={"review": ApplicationDocument.Review.ACCEPTED, "reviewed_at": timezone.now()})
    data = demo_portrait(female=female)
    DocumentFile.objects.create(document=doc, file=ContentFile(data, name="pas-foto.png"),
                                original_name="pas-foto.png", kind="png", size=len(data))


def _step1(event, admin):
    """Step 1: the admin sends the schedule, every assessor confirms their assignment in the portal."""
    event = services.event_distribute_schedule(event, actor=admin)
    for link in event.event_assessors.select_related("assessor__user"):
        services.assessor_confirm(event, actor=link.assessor.user)
    event.refresh_from_db()
    return event


def _quality_reviewer() -> User:
    """The quality-management reviewer who signs step 7 with the Kepala TUK (no password: nobody logs in)."""
    user, created = User.objects.get_or_create(email="mutu@demo.go.id", defaults={"full_name": "Ir. Ratna Wulandari"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        UserRole.objects.create(user=user, role=Role.QUALITY)
    return user


def _walk(event, upto, *, admin, head, assessor_user):
    who = {2: head, 3: admin, 4: admin, 5: assessor_user, 6: head, 8: admin}
    for n in range(services.next_step(event) or 9, upto + 1):
        if n == 1:
            event = _step1(event, admin)
        elif n == 7:
            if not event.minutes.strip():  # seed 002 step 7 rests on the minutes of meeting
                services.event_save_minutes(event, actor=head, minutes="Uji kompetensi berjalan tertib sesuai SOP.")
            _assessment_reviewed(event)  # FR.AK.05 and FR.AK.06: what SOP step 7 waits for
            services.review_sign(event, actor=head)
            event = services.review_sign(event, actor=_quality_reviewer())
        else:
            _step_output(event, n, head=head, admin=admin)
            event = services.event_step_complete(event, n, actor=who[n])
    return event


def _assessment_reviewed(event) -> None:
    """The assessor's report (FR.AK.05) and quality's review (FR.AK.06), where the event has none yet."""
    from assessments.instruments.models.records import AssessmentReview
    from assessments.instruments.services import records

    if AssessmentReview.objects.filter(event=event).exists():
        return
    for link in event.event_assessors.select_related("assessor__user"):
        user = link.assessor.user
        if not records.report_refusal(event, user):
            records.report_sign(event, user=user, signed_name=user.full_name,
                                aspects="Asesmen berjalan sesuai rencana; asesi kooperatif.")
    quality = _quality_reviewer()
    records.review_record(event, user=quality, findings={code: (True, "") for code, _p, _t in records.REVIEW_ASPECTS},
                          recommendations="Proses asesmen sesuai SOP.", signed_name=quality.full_name)


def _step_output(event, n: int, *, head, admin) -> None:
    """What seed 002 asks before a step is done: each assessor's planning and the readiness checklist (2), each
    participant's confirmation — the first confirms in the portal, the others were telephoned by the LSP admin (4)
    — and a photo of the test (5)."""
    from assessments.demo_assessment import assessors_plan
    from assessments.events.services.readiness import READINESS_ITEMS, documentation_upload, readiness_save

    if n == 2:
        assessors_plan(event)
        readiness_save(event, actor=head, items={name: True for name, _label in READINESS_ITEMS})
    if n == 4:
        for i, p in enumerate(event.participants.filter(attendance_confirmed_at__isnull=True, reached_at__isnull=True)
                              .select_related("application__applicant").order_by("pk")):
            if i == 0:
                services.participant_confirm_attendance(p, user=p.application.applicant)
            else:
                services.participant_reached(event, actor=admin, participant=p, how="phone",
                                             reached_at=timezone.now(), note="Bersedia hadir tepat waktu.")
    if n == 5 and not event.documentation.exists():
        documentation_upload(event, actor=head, caption="Peserta mengikuti uji kompetensi",
                             upload=ContentFile(_demo_photo(), name="dokumentasi-uji.png"))


def _demo_photo() -> bytes:
    """A small drawn picture (not a photograph of anyone) standing in for the documentation of the test."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), (236, 241, 247))
    draw = ImageDraw.Draw(image)
    for x in (40, 130, 220):  # three desks with a participant each
        draw.rectangle((x, 120, x + 60, 140), fill=(120, 85, 60))
        draw.ellipse((x + 18, 70, x + 42, 94), fill=(29, 63, 114))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _finished_event(scheme, site, assessor, admin, head, assessor_user, apps) -> None:
    """Two events of the past, each decided in a pleno the day after its test, their papers dated on the days the
    acts were done (every date on a paper agrees with the others): one a week and a bit ago (valid, suspended and
    corrected certificates, result letters, an appeal still in its window), one three years and a bit ago, whose
    certificate has expired since (a certificate is never dated before its test and decision)."""
    _past_event(scheme, site, assessor, admin, head, assessor_user, apps, ["K-expired"],
                starts=_morning(OLD_DAYS_AGO), mark=OLD_MARK, decree=OLD_DECREE)
    _past_event(scheme, site, assessor, admin, head, assessor_user, apps,
                ["K", "K-suspended", "K-replaced", "K-pending", "BK-appeal", "BK-letter"],
                starts=_morning(RECENT_DAYS_AGO), mark=DONE_MARK, decree=DEMO_DECREE)


def _credentials() -> None:
    for cert in Certificate.objects.filter(status__in=("issued", "suspended"), credential__isnull=True):
        credential_for(cert)  # every standing certificate has its credential (the correcting one too)


def _morning(days_ago: int) -> datetime.datetime:
    """09:00 (local time) ``days_ago`` days ago: a test held in the morning, whose berita acara (signed five hours
    after it starts) falls on the same day whatever the hour the demo is loaded (at 20:00 WIB it did not)."""
    day = timezone.localtime() - datetime.timedelta(days=days_ago)
    return day.replace(hour=9, minute=0, second=0, microsecond=0)


def _past_event(scheme, site, assessor, admin, head, assessor_user, apps, kinds, *, starts, mark, decree) -> None:
    event = services.event_create(actor=admin, scheme=scheme, test_site=site, starts_at=starts, place_note=mark)
    services.event_add_assessor(event, assessor=assessor, actor=admin)
    for kind in kinds:
        services.event_add_participant(event, application=apps[kind], actor=admin)
    event = _walk(event, 4, admin=admin, head=head, assessor_user=assessor_user)
    participants = {p.application_id: p for p in event.participants.all()}
    services.attendance_record(event, actor=assessor_user, participants={p.pk: True for p in participants.values()},
                               assessors={a.pk: True for a in event.event_assessors.all()})
    for kind in kinds:
        _assessed(participants[apps[kind].pk], kind, scheme, assessor_user)
    services.event_save_minutes(event, actor=head, minutes=f"Uji kompetensi berjalan tertib; {len(kinds)} peserta hadir.")
    event = _walk(event, 5, admin=admin, head=head, assessor_user=assessor_user)
    services.report_sign_as_assessor(event, actor=assessor_user)
    event = _walk(event, 8, admin=admin, head=head, assessor_user=assessor_user)
    _dated_back(event)
    # the decisions are taken in a pleno the day after the test: the quality reviewer and the LSP admin, neither of
    # whom assessed; its decree number is what the certificates and the BNSP request refer to
    decided = starts + datetime.timedelta(days=1)
    pleno = services.pleno_create(event, actor=admin, held_on=timezone.localdate(decided),
                                  decree_number=f"{decree}/{timezone.localdate(decided).year}",
                                  members=[_quality_reviewer(), admin],
                                  notes="Rapat pleno komite keputusan sertifikasi, ruang rapat LSP.")
    for kind in kinds:
        p = Participant.objects.get(pk=participants[apps[kind].pk].pk)
        services.pleno_decide(pleno, p, actor=admin, decision="BK" if kind.startswith("BK") else "K")
        # decided the day after the test, as the LSP did then (the service stamps "now"); papers follow that day
        Participant.objects.filter(pk=p.pk).update(decided_at=decided)
        p.refresh_from_db()
        _documents(p, kind, admin)
    services.pleno_close(pleno, actor=admin)
    _decided_back(event, decided)


def _decided_back(event, decided) -> None:
    """The pleno, the papers issued on its decision and what followed them, on the day of the decision (the services
    stamp "now"): nothing of the decision is dated before the reviews it rests on, nor a report before its paper."""
    from assessments.certificates.models import ResultLetter
    from assessments.events.models import Appeal, Pleno

    hour = datetime.timedelta(hours=1)
    Pleno.objects.filter(event=event).update(created_at=decided - hour, closed_at=decided + hour)
    Certificate.objects.filter(participant__event=event).update(created_at=decided + hour)
    ResultLetter.objects.filter(participant__event=event).update(created_at=decided + hour)
    Participant.objects.filter(event=event, obligations_accepted_at__isnull=False).update(
        obligations_accepted_at=decided + 2 * hour)
    Appeal.objects.filter(participant__event=event).update(filed_at=decided + datetime.timedelta(days=2))


def _assessed(p, kind: str, scheme, assessor_user) -> None:
    units = [su.unit for su in scheme.scheme_units.select_related("unit").order_by("position")]
    services.participant_accept_agreement(p, user=p.application.applicant, signed_name=p.name)
    services.assessor_accept_agreement(p, user=p.assessor.user, signed_name=p.assessor.user.full_name)
    from assessments.demo_assessment import evidence_for_k

    bk_units = [u for i, u in enumerate(units) if kind.startswith("BK") and i in (1, 4)]
    evidence_for_k(p, assessor_user, bk_units=bk_units)  # FR.MAPA.01: a K rests on the plan's signed records
    for unit in units:
        bk = unit in bk_units
        services.result_record(
            p, actor=assessor_user, unit=unit, result="BK" if bk else "K",
            evidence="Portofolio dan wawancara" if p.application.experienced else "Observasi demonstrasi",
            explanation="Belum dapat menunjukkan penerapan standar layanan secara konsisten." if bk else "")


# When each SOP step of a past demo event was done, from the start of its test (the services stamp "now").
STEP_DONE = {1: -7 * 24, 2: -5 * 24, 3: -2 * 24, 4: -24, 5: 3, 6: 5, 7: 24, 8: 26}  # hours


def _dated_back(event) -> None:
    """A past event's acts on the days they were done: the steps, the schedule confirmations, the signatures of the
    berita acara and the consents, so that its papers (berita acara, attendance list, minutes) agree with its test."""
    from assessments.events.models import EventAssessor, EventDocumentation, EventStep
    from assessments.instruments.models import AgreementConsent

    starts = event.starts_at
    for number, hours in STEP_DONE.items():
        at = starts + datetime.timedelta(hours=hours)
        EventStep.objects.filter(event=event, number=number).update(started_at=at - datetime.timedelta(hours=1),
                                                                    done_at=at)
    EventAssessor.objects.filter(event=event).update(confirmed_at=starts - datetime.timedelta(days=7),
                                                     signed_report_at=starts + datetime.timedelta(hours=4))
    Participant.objects.filter(event=event, reached_at__isnull=True).update(
        attendance_confirmed_at=starts - datetime.timedelta(days=1))
    Participant.objects.filter(event=event, reached_at__isnull=False).update(
        reached_at=starts - datetime.timedelta(days=1))
    Participant.objects.filter(event=event).update(agreement_accepted_at=starts)
    AgreementConsent.objects.filter(participant__event=event).update(signed_at=starts)
    EventDocumentation.objects.filter(event=event).update(uploaded_at=starts + datetime.timedelta(hours=1))
    _reviewed_back(event, starts)


def _reviewed_back(event, starts) -> None:
    """The readiness check on step 2's day (each assessor's planning the day before), the results during the test, the assessor's FR.AK.05 before the berita
    acara, the reviews (step 7, FR.AK.06) the morning after, before the pleno decides."""
    from assessments.events.models import EventPlanning, EventReview, ReadinessCheck
    from assessments.instruments.models import AssessmentReview, AssessorReport, InstrumentRecord

    hour = datetime.timedelta(hours=1)
    ReadinessCheck.objects.filter(event=event).update(checked_at=starts + STEP_DONE[2] * hour)
    EventPlanning.objects.filter(event=event).update(planned_at=starts + (STEP_DONE[2] - 24) * hour)
    UnitResult.objects.filter(participant__event=event).update(recorded_at=starts + 3 * hour)
    InstrumentRecord.objects.filter(participant__event=event).update(signed_at=starts + 2 * hour)
    AssessorReport.objects.filter(event=event).update(signed_at=starts + 4 * hour)
    EventReview.objects.filter(event=event).update(signed_at=starts + (STEP_DONE[7] - 2) * hour)
    AssessmentReview.objects.filter(event=event).update(signed_at=starts + (STEP_DONE[7] - 2) * hour)


def _documents(p, kind, admin) -> None:
    applicant = p.application.applicant
    certs.result_letter_issue(p, actor=admin)
    if kind.startswith("K") and kind != "K-pending":  # K-pending: competent, the certificate is the admin's to issue
        services.participant_accept_obligations(p, user=applicant)
        cert = certs.certificate_issue(p, actor=admin, on=timezone.localdate(p.decided_at))
        credential_for(cert)  # its Open Badges credential (issue 31): the suspension and replacement below mark it
        if kind == "K":
            _feedback(p)
            certs.handover_record(actor=_officer(), certificate=cert, received_by=p.name)
            # BNSP answered the registration request of this batch (assessments.certificates.services.bnsp)
            bnsp.numbers_record(cert, actor=admin, registration=f"91.1234.5.678901.{cert.issued_on.year}",
                                blanko="0123456",
                                source="demo")
        elif kind == "K-suspended":
            certs.certificate_suspend(cert, actor=admin, reason="Sedang diperiksa atas laporan pengaduan.",
                                      until=timezone.localdate() + datetime.timedelta(days=60))
        elif kind == "K-replaced":
            _replaced(cert, admin)
    elif kind == "BK-appeal":
        services.appeal_file(p, user=applicant, grounds="Portofolio SOP layanan belum diperiksa seluruhnya.")


def _feedback(p) -> None:
    """Andi's feedback on his assessment (FR.AK.03): all Yes but one, with comments, given the day after the test."""
    from assessments.instruments.models.feedback import FEEDBACK_STATEMENTS, AssessmentFeedback

    if AssessmentFeedback.objects.filter(participant=p).exists():
        return
    services.feedback_give(
        p, user=p.application.applicant, answers={n: "tidak" if n == 3 else "ya" for n in
                                                  range(1, len(FEEDBACK_STATEMENTS) + 1)},
        comments={3: "Jadwal sudah ditetapkan sebelum saya dihubungi.", 10: "Asesor menjelaskan dengan sabar."},
        overall_comment="Secara umum asesmen berjalan lancar dan tertib.", signed_name=p.name)
    # given the day after the test, as Andi did then (the service stamps "now")
    day = timezone.localdate(p.event.starts_at)
    AssessmentFeedback.objects.filter(participant=p).update(
        submitted_at=p.event.starts_at + datetime.timedelta(days=1), assessment_started_on=day,
        assessment_ended_on=day)


def _holder_life(apps, admin) -> None:
    """After the certificate (issue 18): Andi reports a change for the LSP admin to review; an employer holds an
    API token (its value was shown once, when issued: issue another one in the portal to try the API)."""
    from assessments.certificates.services import holder

    cert = apps["K"].certificates.first()
    if cert is not None:
        holder.holder_report_submit(cert, user=apps["K"].applicant,
                                    text="Sejak bulan lalu saya dimutasi ke bagian perencanaan dan tidak lagi "
                                         "melayani pemohon secara langsung.")
    holder.api_token_issue(name="BKD Provinsi DKI Jakarta (demo)", actor=admin)
    # a token whose look-ups walked sequential numbers: locked by its daily quota of misses, the admin told
    walker, _raw = holder.api_token_issue(name="Biro SDM Contoh (demo, terkunci)", actor=admin)
    holder.api_token_missed(walker, settings.ASSESSMENT_API_MISSES_PER_DAY + 1)


def _officer() -> User:
    """The BKPSDM officer who hands certificates over (seed 001 item 2.8): the demo's verifier."""
    return User.objects.get(email="verifikator@demo.go.id")


def _replaced(cert, admin) -> None:
    """Handed over with the name misspelt; the holder noticed, the LSP issued a correcting certificate."""
    certs.handover_record(actor=_officer(), certificate=cert, received_by=cert.holder_name)
    holder = cert.application.applicant
    new = certs.certificate_replace(
        cert, actor=admin, reason="Nama pemegang salah ketik (Sary); dilaporkan pemegang saat serah terima.",
        holder_name=holder.full_name, holder_nip=cert.holder_nip, holder_unit=cert.holder_unit,
        holder_position=cert.snapshot["holder"].get("position", ""))
    certs.handover_record(actor=_officer(), certificate=new, received_by=holder.full_name)


def _deactivated_assessor(scheme, admin) -> None:
    """A second assessor whose licence BNSP revoked: shown inactive in the assessor list with the audited reason,
    and offered for no event. The account has no password (nobody logs in as them in the demo)."""
    user = User.objects.create(email="asesor.nonaktif@demo.go.id", full_name="Drs. Bambang Sutrisno, M.Si.")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    UserRole.objects.create(user=user, role=Role.ASSESSOR)
    assessor = services.assessor_save(actor=admin, user=user, registration_number="MET.000.002177.2018",
                                      licence_valid_until=timezone.localdate() + datetime.timedelta(days=200),
                                      schemes=[scheme])
    services.assessor_save(actor=admin, assessor=assessor, registration_number=assessor.registration_number,
                           licence_valid_until=assessor.licence_valid_until, schemes=[scheme], is_active=False,
                           reason="Lisensi dicabut BNSP (surat pemberitahuan diterima LSP).")


def _unreviewed_event(scheme, site, assessor, admin, head, assessor_user, app) -> None:
    """Yesterday's test, its berita acara signed (step 6), but no minutes of meeting yet: the review (step 7) and so
    the archive (step 8) wait for them, and the event's page says so."""
    starts = (timezone.localtime() - datetime.timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    event = services.event_create(actor=admin, scheme=scheme, test_site=site, starts_at=starts, place_note=UNREVIEWED)
    services.event_add_assessor(event, assessor=assessor, actor=admin)
    services.event_add_participant(event, application=app, actor=admin)
    event = _walk(event, 4, admin=admin, head=head, assessor_user=assessor_user)
    p = event.participants.get()
    services.attendance_record(event, actor=assessor_user, participants={p.pk: True},
                               assessors={a.pk: True for a in event.event_assessors.all()})
    _assessed(p, "K", scheme, assessor_user)
    event = _walk(event, 5, admin=admin, head=head, assessor_user=assessor_user)
    services.report_sign_as_assessor(event, actor=assessor_user)
    _walk(event, 6, admin=admin, head=head, assessor_user=assessor_user)


def _next_event(scheme, site, assessor, admin, app) -> None:
    event = services.event_create(actor=admin, scheme=scheme, test_site=site,
                                  starts_at=timezone.now() + datetime.timedelta(days=10), place_note=NEXT_MARK)
    services.event_add_assessor(event, assessor=assessor, actor=admin)
    services.event_add_participant(event, application=app, actor=admin)
    _step1(event, admin)
