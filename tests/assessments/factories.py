"""Factories for assessments: a scheme with units, a TUK, assessors and named participants.

Applications are created directly in the state the test needs (test set-up, not a status change)."""

import datetime

import factory
from django.utils import timezone

from applicants.models import Application, Status
from assessments import services
from assessments.events.models import Assessor, Event, EventStatus, Participant
from certportal.accounts.models import Role
from schemes.models import Scheme, SchemeUnit, TestSite, Unit
from tests.applicants.factories import make_nip
from tests.factories import UserFactory, person


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    code = factory.Sequence(lambda n: f"SS-{n:02d}/LSP-ASM/2026")
    name = factory.Sequence(lambda n: f"Pelayanan Prima {n}")
    kind = Scheme.Kind.OCCUPATION
    methods_experienced = "Asesmen portofolio dan wawancara"
    methods_inexperienced = "Observasi demonstrasi dan pertanyaan lisan"
    validity_years = 3
    holder_obligations = "Melaporkan perubahan yang memengaruhi kompetensi; menjaga kerahasiaan perangkat uji."


def scheme_with_units(n: int = 3) -> Scheme:
    scheme = SchemeFactory()
    for i in range(n):
        number = f"{Unit.objects.count() + 1:03d}"
        unit = Unit.objects.create(code=f"N.821100.{number}.02", sector="N", field="821100", number=number,
                                   version=2, title=f"Memberikan Layanan {number}")
        SchemeUnit.objects.create(scheme=scheme, unit=unit, position=i + 1)
    return scheme


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TestSite

    registration_number = factory.Sequence(lambda n: f"TUK-{n:03d}/LSP-ASM")
    name = factory.Sequence(lambda n: f"TUK Sewaktu BPSDM {n}")
    address = "Jl. Abdul Muis, Jakarta Pusat"
    licence_valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))
    head = factory.SubFactory(UserFactory, roles=[Role.TUK_HEAD])


def make_assessor(user=None, *, schemes=(), valid_days: int = 365, reg: str | None = None) -> Assessor:
    user = user or UserFactory(roles=[Role.ASSESSOR])
    assessor = Assessor.objects.create(
        user=user, registration_number=reg or f"MET.000.{user.pk:06d}.2026",
        licence_valid_until=timezone.localdate() + datetime.timedelta(days=valid_days))
    assessor.schemes.set(schemes)
    return assessor


def make_application(scheme: Scheme, user=None, *, experienced: bool = True, status: str = Status.PARTICIPANT,
                     name: str | None = None) -> Application:
    user = user or UserFactory(roles=[Role.APPLICANT])
    name = name or user.full_name
    # a valid NIP whatever the user's number (the 15th digit is the gender: a number past 999 once wrote a 2 or 3
    # there, which a correction of the certificate then refused; the serial is never 000)
    nip = make_nip(serial=user.pk % 999 + 1)
    return Application.objects.create(
        applicant=user, scheme=scheme, status=status, experienced=experienced, applicant_name=name, nip=nip,
        org_unit="Dinas Penanaman Modal dan PTSP",
        profile_data={"full_name": name, "nip": nip, "org_unit": "Dinas Penanaman Modal dan PTSP",
                      "position": "Kepala Unit Pelaksana"})


def an_hour_ago_today() -> datetime.datetime:
    """An hour ago, but never before today's local midnight: the test began today (WIB) whatever hour the suite
    runs (between 00:00 and 01:00 "an hour ago" was yesterday, and date rules then read the wrong day)."""
    now = timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(now - datetime.timedelta(hours=1), midnight)


def planned_event(*, actor, scheme=None, site=None, assessor=None, applications=(), days_ahead: int | None = None,
                  plan: bool = True):
    """An event planned for ``days_ahead`` days from now; by default one that began an hour ago, so that a test
    can walk it through the day of the test (nothing about the test is recorded before it starts).

    It keeps the scheme's assessment plan (FR.MAPA.01) validated by a second assessor, made from the seed-000 rule
    when the scheme has none in force (no event is confirmed, held or assessed without one); ``plan=False``: an
    event planned while its scheme had no plan."""
    scheme = scheme or scheme_with_units()
    site = site or SiteFactory()
    if plan:
        ensure_plan(scheme)
    starts_at = (timezone.now() + datetime.timedelta(days=days_ahead) if days_ahead is not None
                 else an_hour_ago_today())
    event = services.event_create(actor=actor, scheme=scheme, test_site=site, starts_at=starts_at)
    if assessor is not None:
        services.event_add_assessor(event, assessor=assessor, actor=actor)
    for app in applications:
        services.event_add_participant(event, application=app, actor=actor)
    return event


EVENT_WORLD = ("alice", "bob", "asa", "lina", "tono", "scheme", "site", "assessor", "alice_app", "bob_app", "event")


def event_world() -> dict:
    """What the ``event`` fixture and the fixtures it asks for make (tests/assessments/conftest.py and the people
    of tests/conftest.py), by fixture name: the start of a module's world (tests/module_world.py)."""
    w = {name: person(name) for name in ("alice", "bob", "asa", "lina", "tono")}
    w["scheme"] = scheme_with_units(3)
    w["site"] = SiteFactory(head=w["tono"])
    w["assessor"] = make_assessor(w["asa"], schemes=[w["scheme"]])
    w["alice_app"] = make_application(w["scheme"], w["alice"], name="Alice Applicant, S.Sos.")
    w["bob_app"] = make_application(w["scheme"], w["bob"], experienced=False, name="Bob Applicant, S.E.")
    w["event"] = planned_event(actor=w["lina"], scheme=w["scheme"], site=w["site"], assessor=w["assessor"],
                               applications=[w["alice_app"], w["bob_app"]])
    return w


def decided_k(w: dict | None = None) -> dict:
    """:func:`event_world` (or ``w``, one made) with its event decided K for both, obligations accepted."""
    w = w or event_world()
    w["event"] = decide_event(w["event"], admin=w["lina"], tuk_head=w["tono"], assessor_user=w["asa"],
                              decision="K", accept_obligations=True)
    return w


def alice_certified(w: dict | None = None) -> dict:
    """:func:`decided_k`, and Alice's certificate issued (``cert``)."""
    from assessments.certificates import services as certs

    w = decided_k(w)
    w["cert"] = certs.certificate_issue(w["event"].participants.get(application__applicant=w["alice"]),
                                        actor=w["lina"])
    return w


def confirm_step1(event, *, admin):
    """Step 1: the admin sends the schedule, then every assessor confirms their assignment themselves."""
    event.refresh_from_db()
    if event.schedule_distributed_at is None:
        event = services.event_distribute_schedule(event, actor=admin)
    for link in event.event_assessors.filter(confirmed_at__isnull=True, assessor__is_active=True) \
            .select_related("assessor__user"):
        services.assessor_confirm(event, actor=link.assessor.user)
    event.refresh_from_db()
    return event


def everyone_confirms(event) -> None:
    """Step 4's output: each participant confirms their attendance in the portal (once the schedule is sent)."""
    for p in event.participants.filter(attendance_confirmed_at__isnull=True, reached_at__isnull=True) \
            .select_related("application__applicant"):
        services.participant_confirm_attendance(p, user=p.application.applicant)


def document_the_test(event, *, tuk_head) -> None:
    """Step 5's output: a photo of the test being held, uploaded by the Kepala TUK (through the file checks)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.events.services.readiness import documentation_upload
    from tests.hostile_files import real_png

    if not event.documentation.exists():
        documentation_upload(event, actor=tuk_head, caption="Peserta mengerjakan uji",
                             upload=SimpleUploadedFile("uji.png", real_png(), content_type="image/png"))


def write_minutes(event, *, tuk_head) -> None:
    """Step 7's input: the minutes of meeting."""
    event.refresh_from_db()
    if not event.minutes.strip():
        services.event_save_minutes(event, actor=tuk_head, minutes="Uji kompetensi berjalan tertib.")


def review_step7(event, *, tuk_head, quality=None):
    """Step 7: the minutes are written, the assessors' reports (FR.AK.05) and quality's review of the assessment
    (FR.AK.06) are signed, then the Kepala TUK and quality management each sign the review."""
    quality = quality or UserFactory(full_name="Quinta Quality", roles=[Role.QUALITY])
    write_minutes(event, tuk_head=tuk_head)
    assessment_reviewed(event, quality=quality)
    services.review_sign(event, actor=tuk_head)
    return services.review_sign(event, actor=quality)


def assessment_reviewed(event, *, quality) -> None:
    """FR.AK.05 by each assessor who may sign it, then FR.AK.06 by ``quality`` (what SOP step 7 waits for)."""
    from assessments.instruments.models.records import AssessmentReview
    from assessments.instruments.services import records

    if AssessmentReview.objects.filter(event=event).exists():
        return
    event = Event.objects.get(pk=event.pk)  # its status now (a page may have moved it)
    for link in event.event_assessors.select_related("assessor__user"):
        user = link.assessor.user
        if not records.report_refusal(event, user):
            records.report_sign(event, user=user, signed_name=user.full_name)
    records.review_record(event, user=quality, findings={code: (True, "") for code, _p, _t in records.REVIEW_ASPECTS},
                          signed_name=quality.full_name)


def run_steps(event, upto: int, *, admin, tuk_head, assessor_user=None, quality=None):
    """Walk the SOP steps 1..upto with the right people (attendance and results must be in place for 5/6)."""
    who = {2: tuk_head, 3: admin, 4: admin, 5: assessor_user or tuk_head, 6: tuk_head, 8: admin}
    for n in range(services.next_step(event) or 9, upto + 1):
        if n == 1:
            event = confirm_step1(event, admin=admin)
        elif n == 7:
            event = review_step7(event, tuk_head=tuk_head, quality=quality)
        else:
            if n == 2:  # seed 002 step 2: the Kepala TUK's readiness checklist comes first
                from assessments.events.services.readiness import READINESS_ITEMS, readiness_save

                readiness_save(event, actor=tuk_head, items={name: True for name, _label in READINESS_ITEMS})
                plan_the_test(event)  # its second part: each assessor's planning
            if n == 4:  # each step's output comes first (seed 002's Kelengkapan and Output columns)
                everyone_confirms(event)
            if n == 5:
                document_the_test(event, tuk_head=tuk_head)
            event = services.event_step_complete(event, n, actor=who[n])
    return event


def plan_the_test(event) -> None:
    """Seed 002 step 2: each active assessor of the event who has not yet planned the test records their planning."""
    from assessments.events.services.planning import planning_save, unplanned_links

    for link in unplanned_links(event):
        planning_save(event, actor=link.assessor.user, data={
            "units_methods": "Semua unit skema: observasi (IA.01) dan pertanyaan lisan (IA.07)",
            "schedule": "08.30 pengarahan; 09.00 uji; 12.00 umpan balik",
            "tools_materials": "Komputer, printer, formulir", "coordination": "Dikoordinasikan dengan Bidang Teknis"})


def the_test_day_arrives(event) -> None:
    """Set-up, not a status change: the event's start moves to an hour ago, as if its day had come. Results,
    decisions and documents are refused before the test starts (issue 13), and events are planned ahead."""
    now = timezone.now()
    Event.objects.filter(pk=event.pk, starts_at__gt=now).update(starts_at=an_hour_ago_today())
    event.refresh_from_db()


def agree(participant: Participant) -> Participant:
    """FR.AK.01: the participant and their assessor each consent by typing their name (each once)."""
    from assessments.instruments.models.records import AgreementConsent

    participant.refresh_from_db()
    if participant.agreement_accepted_at is None:
        services.participant_accept_agreement(participant, user=participant.application.applicant,
                                              signed_name=participant.name)
    if not AgreementConsent.objects.filter(participant=participant, party="assessor").exists():
        user = participant.assessor.user
        services.assessor_accept_agreement(participant, user=user, signed_name=user.full_name)
    participant.refresh_from_db()
    return participant


def assess(participant: Participant, *, assessor_user, results: dict[str, str] | None = None, default: str = "K"):
    """The participant and their assessor consent to FR.AK.01, the participant is present, and the assessor
    records every unit to be assessed."""
    the_test_day_arrives(participant.event)
    agree(participant)
    on_plan = bool(participant.event.plan_id)
    for unit in services.units_to_assess(participant):
        result = (results or {}).get(unit.code, default)
        # on a plan, a K without the plan's signed records says why the evidence suffices (FR.AK.02)
        services.result_record(participant, actor=assessor_user, unit=unit, result=result,
                               evidence="Portofolio SK dan laporan kegiatan", notes="",
                               explanation="Belum menunjukkan bukti yang cukup" if result == "BK" else "",
                               evidence_gap_reason=GAP_REASON if on_plan and result == "K" else "")


GAP_REASON = "Portofolio SK dan wawancara memadai untuk setiap KUK"


def mark_all_present(event, *, actor):
    services.attendance_record(event, actor=actor, participants={p.pk: True for p in event.participants.all()},
                               assessors={a.pk: True for a in event.event_assessors.all()})


def decide_event(event, *, admin, tuk_head, assessor_user, results_for=None, decision=None,
                 accept_obligations: bool = False):
    """Hold the event, record every result (``results_for(participant)`` gives per-unit overrides), sign, review
    and decide each participant (``decision``, or the recommendation); optionally the holders accept their
    obligations, so that certificates can be printed."""
    run_steps(event, 4, admin=admin, tuk_head=tuk_head)
    the_test_day_arrives(event)
    mark_all_present(event, actor=assessor_user)
    for p in event.participants.all():
        assess(p, assessor_user=assessor_user, results=results_for(p) if results_for else None)
    run_steps(event, 5, admin=admin, tuk_head=tuk_head, assessor_user=assessor_user)
    services.report_sign_as_assessor(event, actor=assessor_user)
    event = run_steps(event, 7, admin=admin, tuk_head=tuk_head)
    for p in event.participants.all():
        decide(p, actor=admin, decision=decision or p.recommendation)
        if accept_obligations:
            services.participant_accept_obligations(p, user=p.application.applicant)
    return event


def signed_records(participant: Participant, *, units=None) -> list:
    """Set-up: a signed, sufficient record of every instrument the plan names for the participant's group (in
    ``units``, else in every unit), as the instruments' pages sign them on the day of the test."""
    from assessments.instruments.models.records import InstrumentRecord
    from assessments.instruments.services.plans import planned_rows

    wanted = {u.pk for u in units} if units is not None else None
    user = participant.assessor.user if participant.assessor_id else None
    out = []
    for row in planned_rows(participant):
        if wanted is not None and row.unit_id not in wanted:
            continue
        record, _created = InstrumentRecord.objects.update_or_create(
            participant=participant, unit_id=row.unit_id, instrument=row.instrument,
            defaults={"status": InstrumentRecord.Status.SIGNED, "outcome": InstrumentRecord.Outcome.SATISFACTORY,
                      "recorded_by": user, "signed_at": timezone.now(), "signed_name": user.full_name if user else ""})
        out.append(record)
    return out


def pleno_for(event, *, admin):
    """The event's open pleno, else one recorded today by ``admin`` with a member of quality management who assessed
    no one (an event on a plan is decided in a pleno)."""
    from assessments.events.models import Pleno

    pleno = Pleno.objects.filter(event=event, status=Pleno.Status.OPEN).first()
    if pleno is None:
        event = Event.objects.get(pk=event.pk)  # its status now
        member = UserFactory(full_name="Komite Pleno", roles=[Role.QUALITY])
        pleno = services.pleno_create(event, actor=admin, held_on=timezone.localdate(), members=[member],
                                      decree_number=f"SK/{event.pk}/{Pleno.objects.count() + 1}/PLENO")
    return pleno


def decide(participant: Participant, *, actor, decision: str, note: str = "") -> Participant:
    """The certification decision as the LSP takes it: in the event's pleno when its event has a plan, else by the
    LSP admin alone (an event planned before the guard)."""
    from assessments.events.workflow.participants import pleno_required

    participant = Participant.objects.select_related("event").get(pk=participant.pk)
    if pleno_required(participant):
        return services.pleno_decide(pleno_for(participant.event, admin=actor), participant, actor=actor,
                                     decision=decision, note=note)
    return services.participant_decide(participant, actor=actor, decision=decision, note=note)


def ensure_plan(scheme):
    """The scheme's plan in force, validated now by a second assessor when it has none."""
    return services.plan_in_force(scheme) or validated_plan(scheme)


def validated_plan(scheme, *, maker=None, validator=None):
    """The scheme's assessment plan (FR.MAPA.01) from the seed-000 rule, made by one assessor in scope and
    validated by a second: events planned from now on keep it."""
    maker = maker or make_assessor(schemes=[scheme]).user
    validator = validator or make_assessor(schemes=[scheme]).user
    plan = services.plan_create(scheme, actor=maker)
    return services.plan_validate(plan, actor=validator)


__all__ = ["EventStatus"]


# --- issue 19: the instruments ---------------------------------------------------------------------------------

def give_criteria(unit, *, elements: int = 2, criteria: int = 2) -> list:
    """Set-up: the unit's elements and KUK (FR.IA.01 observes each KUK), unless it has some already."""
    from schemes.models import PerformanceCriterion, UnitElement

    if not PerformanceCriterion.objects.filter(element__unit=unit).exists():
        for e in range(1, elements + 1):
            element = UnitElement.objects.create(unit=unit, position=e, title=f"Menyiapkan layanan {e} ({unit.code})")
            for c in range(1, criteria + 1):
                PerformanceCriterion.objects.create(element=element, position=f"{e}.{c}",
                                                    text=f"Kebutuhan pelanggan {e}.{c} diidentifikasi sesuai SOP")
    return list(PerformanceCriterion.objects.filter(element__unit=unit).order_by("element__position", "id"))


def give_portfolio(application, *, name: str = "SK penugasan dan laporan kegiatan") -> list:
    """Set-up: a dossier document with a current file (FR.IA.08 verifies each), unless the dossier has one."""
    from django.core.files.base import ContentFile

    from applicants.models import ApplicationDocument, DocumentFile
    from schemes.models import RequiredDocument

    if not DocumentFile.objects.filter(document__application=application, superseded_at__isnull=True).exists():
        requirement = RequiredDocument.objects.create(scheme=application.scheme, category=RequiredDocument.Category.BASIC,
                                                      name=name, accepted_kinds=["pdf"], position=90)
        document = ApplicationDocument.objects.create(application=application, requirement=requirement)
        content = b"%PDF-1.4\n% portofolio\n%%EOF\n"
        file = DocumentFile(document=document, version=1, original_name="portofolio.pdf", kind="pdf",
                            size=len(content), uploaded_by=application.applicant)
        file.file.save("portofolio.pdf", ContentFile(content), save=False)
        file.save()
    return list(ApplicationDocument.objects.filter(application=application))


def sufficient_values(kind: str, rows: list[dict]) -> dict:
    """What an assessor sends for a record found sufficient: every row answered Ya (the form's raw values)."""
    from assessments.instruments.services.entries import CHECKS, NEW_KEY

    fields = {"kuk": {"achieved": "ya", "note": ""}, "portfolio": dict.fromkeys(CHECKS, "ya"),
              "bank": {"answer": "Dijawab dengan benar dan lengkap", "satisfactory": "ya"}}[kind]
    values = {row["key"]: dict(fields) for row in rows}
    if kind == "bank" and not rows:  # no item in the bank: a question of the assessor's own
        values[NEW_KEY] = {"text": "Jelaskan langkah pelayanan yang Anda lakukan", **fields}
    return values


def fill_planned_instruments(participant: Participant, assessor_user) -> list:
    """Record and sign every instrument the plan asks of the participant (but FR.IA.05, the participant's own
    test) as sufficient, for each unit to assess: every KUK achieved, every document passing the four checks, every
    bank item (or a question of the assessor's own) satisfactory. Like :func:`assess`, the test day arrives and
    FR.AK.01 is accepted first; the event must be confirmed (``run_steps(event, 4, ...)``)."""
    from assessments.instruments.models.plans import Instrument
    from assessments.instruments.models.records import InstrumentRecord
    from assessments.instruments.services import entries
    from assessments.instruments.services import instruments as instr
    from assessments.instruments.services.plans import planned_rows

    the_test_day_arrives(participant.event)
    participant.refresh_from_db()
    agree(participant)
    units = {u.pk: u for u in services.units_to_assess(participant)}
    signed = []
    for row in planned_rows(participant):
        unit = units.get(row.unit_id)
        if unit is None or row.instrument == Instrument.IA05:
            continue
        kind = entries.kind_of(row.instrument)
        if kind == "kuk":
            give_criteria(unit)
        elif kind == "portfolio":
            give_portfolio(participant.application)
        record = InstrumentRecord.objects.filter(participant=participant, unit=unit, instrument=row.instrument).first()
        if record is not None and record.status == InstrumentRecord.Status.SIGNED:
            continue
        rows = entries.record_rows(participant, unit, row.instrument, record)
        details = {"person_name": "Kepala Bidang Pelayanan", "person_role": "Atasan langsung"}
        signed.append(instr.record_sign(
            participant, unit=unit, instrument=row.instrument, actor=assessor_user, signed_name=assessor_user.full_name,
            data=instr.RecordInput(values=sufficient_values(kind, rows), details=details,
                                   notes="Bukti lengkap; pertahankan kinerja.", version=instr.version_of(record))))
    return signed
