"""Demo of the assessment itself (issue 19), called by :mod:`assessments.demo`: the seed-000 scheme's units with
elements and KUK, the instruments the scheme uses, a question bank, the assessment plan made by the demo assessor
and validated by a second one, an FR.VA record, and one event held today on that plan: Fajar (experienced:
portfolio verification, interview and the browser multiple-choice test) and Sinta (not experienced: observation,
oral questions and the test) go through consent, instruments, FR.AK.02, feedback, the assessor's report, the
review and a pleno; Fajar's certificate is issued. Everything after set-up goes through the services.

The finished demo events of :mod:`assessments.demo` keep plan version 1 (:func:`first_plan`, validated before the
oldest of them), their K units resting on its signed records; this plan is version 2, and the upcoming event keeps
it (and Nina's reasonable adjustment, FR.AK.07)."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from assessments import services
from assessments.instruments.models.plans import CandidateGroup, Instrument, PlanEvidence
from certportal.accounts.models import Role, User

HELD_MARK = "DEMO: Ruang Uji 3, Gedung Dinas Teknis Abdul Muis (asesmen berbasis instrumen)"
VALIDATOR = ("asesor.validator@demo.go.id", "Sri Wahyuni, S.Pd., M.M.", "MET.000.007731.2021")
PEOPLE = [  # email, name, NIP, experienced
    ("asesi.fajar@demo.go.id", "Fajar Nugroho, S.AP.", "198602142010011007", True),
    ("asesi.sinta@demo.go.id", "Sinta Permatasari, S.Pd.", "199105232015032003", False),
]
INSTRUMENTS = [Instrument.IA01, Instrument.IA02, Instrument.IA05, Instrument.IA07, Instrument.IA08, Instrument.IA09]
# Per unit of the scheme: two elements, each with two KUK (demo wording after the SKKNI's style, not its text).
ELEMENTS = [
    ("Menyiapkan layanan", ["Kebutuhan pelanggan diidentifikasi sesuai standar pelayanan",
                            "Informasi layanan disiapkan sesuai prosedur"]),
    ("Melaksanakan layanan", ["Layanan diberikan dengan sikap ramah dan sopan",
                              "Keluhan pelanggan ditindaklanjuti sesuai prosedur"]),
]


def load(*, scheme, site, assessor, admin, head, quality, application, walk, stdout=None) -> None:
    """``application(row, scheme)`` and ``walk(event, upto, ...)`` are the demo's own helpers (assessments.demo)."""
    _criteria(scheme)
    validator = _validator(scheme, admin)
    services.scheme_instruments_set(scheme, actor=admin, instruments=INSTRUMENTS)
    plan = _plan(scheme, maker=assessor.user, validator=validator)
    _bank(scheme, admin)
    from assessments.instruments.services.bank_keepers import bank_keeper_assign

    bank_keeper_assign(scheme, admin, actor=admin)  # the LSP admin keeps the bank: reads the keys, edits the items
    _validation(scheme, admin, [assessor.user, validator])
    apps = [application((*row, "plan"), scheme) for row in PEOPLE]
    for app in apps:
        _portfolio(app)
    _held_event(scheme, site, assessor, admin, head, quality, apps, walk)
    if stdout:
        stdout.write(f"  assessments: plan v{plan.number} in force (FR.MAPA.01/02), question bank, FR.VA, one event "
                     "assessed on the plan's instruments (FR.IA.01/05/07/08/09, AK.01/02/03/05/06, pleno)")


def _criteria(scheme) -> None:
    from schemes.models import PerformanceCriterion, UnitElement

    for su in scheme.scheme_units.select_related("unit"):
        if PerformanceCriterion.objects.filter(element__unit=su.unit).exists():
            continue
        for e, (title, criteria) in enumerate(ELEMENTS, start=1):
            element = UnitElement.objects.create(unit=su.unit, position=e, title=title)
            for c, text in enumerate(criteria, start=1):
                PerformanceCriterion.objects.create(element=element, position=f"{e}.{c}", text=text)


def _validator(scheme, admin) -> User:
    """A second assessor in scope, who validates the plan (the demo assessor made it); can log in."""
    from certportal.management.commands.load_demo import ensure_user

    email, name, number = VALIDATOR
    user = ensure_user(email, name, [Role.ASSESSOR])
    if not hasattr(user, "assessor"):
        services.assessor_save(actor=admin, user=user, registration_number=number,
                               licence_valid_until=timezone.localdate() + datetime.timedelta(days=900),
                               schemes=[scheme])
    user.refresh_from_db()
    return user


def _plan(scheme, *, maker, validator):
    """Seed 000's rule, plus the browser multiple-choice test (FR.IA.05) of every unit for both groups."""
    plan = services.plan_create(scheme, actor=maker)
    services.plan_edit(plan, actor=maker, written_questions_per_unit=2, written_minutes=30, written_pass_percent=50,
                       context="TUK sewaktu di Gedung Dinas Teknis Abdul Muis; bukti dikumpulkan melalui portofolio "
                               "dan wawancara (asesi berpengalaman) atau observasi dan pertanyaan lisan, ditambah "
                               "tes tertulis pilihan ganda di portal")
    rows = [services.PlanRow(r.unit_id, r.group, r.instrument, r.evidence_type, r.evidence)
            for r in PlanEvidence.objects.filter(plan=plan)]
    rows += [services.PlanRow(su.unit_id, group, Instrument.IA05, "T", "Jawaban pertanyaan tertulis pilihan ganda")
             for su in scheme.scheme_units.order_by("position") for group in (CandidateGroup.WORKER_STD, CandidateGroup.TRAINING_STD)]
    services.plan_set_rows(plan, actor=maker, rows=rows)
    return services.plan_validate(plan, actor=validator)


def _bank(scheme, admin) -> None:
    from assessments.instruments.services import bank

    for su in scheme.scheme_units.select_related("unit").order_by("position"):
        unit, title = su.unit, su.unit.title.lower()
        for question, options, key in [  # a candidate reads the question only, never the bank's reference
            (f"Dalam unit “{title}”, apa langkah pertama melayani pelanggan?",
             ["Menyapa dan menanyakan kebutuhan pelanggan", "Langsung memberikan formulir",
              "Meminta pelanggan menunggu tanpa penjelasan", "Mengarahkan ke loket lain"], 0),
            ("Pelanggan menyampaikan keluhan. Apa yang Anda lakukan?",
             ["Membantah keluhan", "Mencatat dan menindaklanjuti sesuai prosedur",
              "Mengabaikan keluhan", "Meminta pelanggan datang lain kali"], 1),
            ("Sikap yang sesuai standar pelayanan adalah…",
             ["Acuh", "Tergesa-gesa", "Ramah, sopan dan informatif", "Membeda-bedakan pelanggan"], 2),
        ]:
            bank.bank_item_save(unit, actor=admin, instrument=Instrument.IA05,
                                data=bank.ItemData(text=question, options=options, key=key))
        bank.bank_item_save(unit, actor=admin, instrument=Instrument.IA07, data=bank.ItemData(
            text=f"Jelaskan bagaimana Anda menerapkan “{title}” dalam pekerjaan sehari-hari.",
            expected="Menyebut langkah sesuai SOP layanan dan contoh nyata"))
        bank.bank_item_save(unit, actor=admin, instrument=Instrument.IA09, data=bank.ItemData(
            text="Ceritakan dokumen portofolio yang paling menunjukkan kompetensi Anda pada unit ini.",
            expected="Menjelaskan isi dokumen dan perannya sendiri dalam kegiatan itu"))
        bank.bank_item_save(unit, actor=admin, instrument=Instrument.IA02, data=bank.ItemData(
            text="Layani seorang pelanggan (diperankan asesor) yang meminta informasi persyaratan izin.",
            tools="Meja layanan, brosur persyaratan, formulir", minutes=15,
            expected="Pelanggan disapa, kebutuhan ditanyakan, informasi benar diberikan"))


def _validation(scheme, admin, validators) -> None:
    from assessments.instruments.services.validation import ASPECT_KEYS, instrument_validation_record

    instrument_validation_record(
        scheme, actor=admin, held_on=timezone.localdate() - datetime.timedelta(days=1), validators=validators,
        instruments=[str(i) for i in INSTRUMENTS], findings=dict.fromkeys(ASPECT_KEYS, (True, "")),
        recommendations="Instrumen layak digunakan; bank soal ditinjau kembali setiap tahun.",
        signed_name=admin.full_name)


def _portfolio(app) -> None:
    """The accepted portfolio document of the dossier, which FR.IA.08 verifies."""
    from applicants.models import ApplicationDocument, DocumentFile

    requirement = next((r for r in app.scheme.required_documents.all() if "portofolio" in r.name.lower()), None)
    if requirement is None:
        return
    doc, _created = ApplicationDocument.objects.get_or_create(
        application=app, requirement=requirement,
        defaults={"review": ApplicationDocument.Review.ACCEPTED, "reviewed_at": timezone.now()})
    if not doc.files.exists():
        content = b"%PDF-1.4\n% Laporan kegiatan pelayanan (demo)\n%%EOF\n"
        DocumentFile.objects.create(document=doc, file=ContentFile(content, name="portofolio.pdf"),
                                    original_name="laporan-kegiatan-pelayanan.pdf", kind="pdf", size=len(content),
                                    uploaded_by=app.applicant)


def _held_event(scheme, site, assessor, admin, head, quality, apps, _walk) -> None:
    from assessments.events.models import Participant

    # Three hours ago, but today (Jakarta): its berita acara, signed as the demo loads, falls on the test's day
    # whatever the hour (loaded at 01:54 WIB, a test started at 22:54 the day before was signed the next day).
    now = timezone.localtime()
    starts = max(now - datetime.timedelta(hours=3), now.replace(hour=0, minute=0, second=0, microsecond=0))
    event = services.event_create(actor=admin, scheme=scheme, test_site=site, starts_at=starts, place_note=HELD_MARK)
    services.event_add_assessor(event, assessor=assessor, actor=admin)
    for app in apps:
        services.event_add_participant(event, application=app, actor=admin)
    event = _walk(event, 4, admin=admin, head=head, assessor_user=assessor.user)
    services.attendance_record(event, actor=assessor.user,
                               participants={p.pk: True for p in event.participants.all()},
                               assessors={a.pk: True for a in event.event_assessors.all()})
    units = [su.unit for su in scheme.scheme_units.select_related("unit").order_by("position")]
    for p in event.participants.select_related("application__applicant"):
        services.participant_accept_agreement(p, user=p.application.applicant, signed_name=p.name)
        services.assessor_accept_agreement(p, user=assessor.user, signed_name=assessor.user.full_name)
        _written_test(p, right=p.application.experienced)
        bk_unit = None if p.application.experienced else units[1]  # Sinta: English oral communication not yet
        _instruments(p, assessor.user, weak_unit=bk_unit)
        for unit in units:
            bk = unit == bk_unit
            services.result_record(
                p, actor=assessor.user, unit=unit, result="BK" if bk else "K",
                explanation="Belum dapat berkomunikasi lisan dalam bahasa Inggris pada tingkat operasional; "
                            "disarankan mengikuti pelatihan lalu uji ulang unit ini." if bk else "")
    services.event_save_minutes(event, actor=head, minutes="Uji kompetensi berbasis instrumen; 2 peserta hadir.")
    event = _walk(event, 5, admin=admin, head=head, assessor_user=assessor.user)
    services.report_sign_as_assessor(event, actor=assessor.user)
    event = _walk(event, 6, admin=admin, head=head, assessor_user=assessor.user)
    _report_and_review(event, assessor, quality)
    event = _walk(event, 8, admin=admin, head=head, assessor_user=assessor.user)
    pleno = services.pleno_create(event, actor=admin, held_on=timezone.localdate(),
                                  decree_number=f"KEP.031/LSP-BPSDM DKI/PLENO/{timezone.localdate().year}",
                                  members=[quality, admin], notes="Pleno komite keputusan sertifikasi.")
    from assessments.certificates import services as certs

    for p in Participant.objects.filter(event=event).select_related("application__applicant"):
        services.pleno_decide(pleno, p, actor=admin, decision=p.recommendation)
        p.refresh_from_db()
        if p.application.experienced:
            _feedback(p)
        certs.result_letter_issue(p, actor=admin)
        if p.decision == "K":
            services.participant_accept_obligations(p, user=p.application.applicant)
            certs.certificate_issue(p, actor=admin)
    services.pleno_close(pleno, actor=admin)


def _written_test(p, *, right: bool) -> None:
    """The participant takes FR.IA.05 in the portal: every answer right (Fajar) or all but the first (Sinta, who
    first chose the right option, then changed her mind: the answer sheet shows the change in its history)."""
    from assessments.instruments.services import written_test as wt

    test = wt.written_test_start(p, user=p.application.applicant)
    for n, q in enumerate(test.questions):
        choice = q["order"].index(q["key"])
        if not right and n == 0:
            test = wt.written_answer_save(test, user=p.application.applicant, item=q["item"], choice=choice)
            choice = (choice + 1) % len(q["order"])
        test = wt.written_answer_save(test, user=p.application.applicant, item=q["item"],
                                                         choice=choice)
    wt.written_test_submit(test, user=p.application.applicant)


def first_plan(*, scheme, assessor, admin, before):
    """Plan version 1 (seed 000's rule), made by the demo assessor and validated by a second one, dated before the
    oldest demo event (``before``): every demo event is planned, held and decided on a validated plan."""
    from assessments.instruments.models.plans import AssessmentPlan

    _criteria(scheme)
    validator = _validator(scheme, admin)
    services.scheme_instruments_set(scheme, actor=admin, instruments=INSTRUMENTS)
    if services.plan_in_force(scheme):
        return services.plan_in_force(scheme)
    plan = services.plan_validate(services.plan_create(scheme, actor=assessor.user), actor=validator)
    AssessmentPlan.objects.filter(pk=plan.pk).update(made_at=before - datetime.timedelta(days=3),
                                                     validated_at=before - datetime.timedelta(days=2))
    return plan


def evidence_for_k(p, assessor_user, *, bk_units=()) -> None:
    """What a K rests on: the portfolio (experienced) and every instrument the plan asks in each unit not BK, signed."""
    if p.application.experienced:
        _portfolio(p.application)
    _instruments(p, assessor_user, skip=bk_units)


def _instruments(p, assessor_user, *, weak_unit=None, skip=()) -> None:
    """The assessor fills and signs every instrument the plan asks (but FR.IA.05, the participant's own; none in
    the units of ``skip``)."""
    from assessments.instruments.services import entries
    from assessments.instruments.services import instruments as instr
    from assessments.instruments.services.plans import planned_rows

    skipped = {unit.pk for unit in skip}
    for row in planned_rows(p):
        if row.instrument == Instrument.IA05 or row.unit_id in skipped:
            continue
        kind = entries.kind_of(row.instrument)
        unit = next(su.unit for su in p.event.scheme.scheme_units.select_related("unit") if su.unit_id == row.unit_id)
        rows = entries.record_rows(p, unit, row.instrument, None)
        values = _values(kind, rows, weak=(unit == weak_unit and row.instrument == Instrument.IA07))
        instr.record_sign(p, unit=unit, instrument=row.instrument, actor=assessor_user,
                          signed_name=assessor_user.full_name,
                          data=instr.RecordInput(values=values, notes="Bukti dinilai sesuai rencana asesmen.",
                                                 version=""))


def _values(kind: str, rows: list[dict], *, weak: bool) -> dict:
    from assessments.instruments.services.entries import CHECKS, NEW_KEY

    yes = "tidak" if weak else "ya"
    fields = {"kuk": {"achieved": "ya", "note": ""}, "portfolio": dict.fromkeys(CHECKS, "ya"),
              "bank": {"answer": "Menjawab dengan contoh dari pekerjaannya" if not weak else
                       "Belum dapat menjawab dalam bahasa Inggris", "satisfactory": yes}}[kind]
    values = {row["key"]: dict(fields) for row in rows}
    if kind == "bank" and not rows:
        values[NEW_KEY] = {"text": "Jelaskan langkah pelayanan yang Anda lakukan", **fields}
    return values


def _report_and_review(event, assessor, quality) -> None:
    from assessments.instruments.services import records

    records.report_sign(event, user=assessor.user, aspects="Asesi kooperatif; instrumen mudah digunakan di TUK.",
                        rejections="Tidak ada penolakan hasil asesmen.",
                        improvements="Tambah soal tertulis untuk unit komunikasi lisan.",
                        signed_name=assessor.user.full_name)
    records.review_record(event, user=quality, findings={code: (True, "") for code, _part, _label in
                                                          records.REVIEW_ASPECTS},
                          recommendations="Proses asesmen sesuai rencana; pertahankan.", signed_name=quality.full_name)


def _feedback(p) -> None:
    from assessments.instruments.models.feedback import FEEDBACK_STATEMENTS

    services.feedback_give(p, user=p.application.applicant,
                           answers=dict.fromkeys(range(1, len(FEEDBACK_STATEMENTS) + 1), "ya"),
                           overall_comment="Asesmen jelas dan tertib.", signed_name=p.name)


def adjustment_for_next(participant, assessor_user) -> None:
    """Nina (upcoming event) asked for larger print: FR.AK.07, recorded before the test."""
    from assessments.instruments.services import records

    records.adjustment_record(participant, user=assessor_user, needs=["physical"],
                              needs_note="Penglihatan berkurang (rabun dekat).",
                              adjustments="Soal tertulis dicetak/ditampilkan dengan huruf besar; waktu tambahan "
                                          "10 menit.", signed_name=assessor_user.full_name)



def assessors_plan(event) -> None:
    """Seed 002 step 2: each assessor of the event plans the test, following the event's assessment plan (or, for
    an event without one, naming the methods for each unit of the scheme)."""
    from assessments.events.services.planning import plan_lines, planning_save, unplanned_links

    units = "\n".join(line + "portofolio dan wawancara (IA.08, IA.09)" if line.endswith(": ") else line
                      for line in plan_lines(event).splitlines())
    for link in unplanned_links(event):
        planning_save(event, actor=link.assessor.user, data={
            "units_methods": units,
            "schedule": "08.00 registrasi dan pengarahan asesi (FR.AK.01)\n08.30–11.30 uji kompetensi sesuai rencana "
                        "asesmen\n11.30–12.00 umpan balik (FR.AK.03) dan rekaman asesmen (FR.AK.02)",
            "tools_materials": "Ruang uji dengan meja dan kursi untuk setiap asesi, komputer dan printer, formulir "
                               "instrumen asesmen, ATK",
            "coordination": "Jadwal dan kebutuhan ruang uji dikoordinasikan dengan Bidang Teknis Operasional; "
                            "Bagian Administrasi menerima informasinya melalui portal."})
