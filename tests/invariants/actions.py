"""The action layer of the invariant tests: one function per thing a person does, each calling the services.

Nothing here assigns a status or a date: every change goes through ``applicants.services``,
``assessments.services`` or ``assessments.certificates`` (set-up data that no service creates — people, a scheme,
a test site, an assessor record — is made by the factories, as in every other test). When a service's name or
keywords change, only this module changes; the state machine and the regular tests call these functions.

Every function may raise :class:`certportal.errors.PortalError` (a refusal, expected); anything else is a bug.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

from django.test import TestCase
from django.utils import timezone

from applicants import services as app_services
from applicants.models import Application, ApplicationDocument, SelfAssessment, VerificationCheck
from assessments import services
from assessments.certificates import services as certs
from assessments.certificates.models import Certificate, PrintJob, ResultLetter
from assessments.events.models import Appeal, Event, Participant, UnitResult
from certportal.accounts.models import Role
from tests.applicants.factories import make_nip, scheme_with_parts
from tests.applicants.helpers import pdf_upload
from tests.assessments.factories import (
    GAP_REASON,
    SiteFactory,
    assessment_reviewed,
    decide,
    ensure_plan,
    make_assessor,
)
from tests.factories import UserFactory

# --- the people and the set-up -------------------------------------------------------------------------------

PERSONAS = {  # the personas of tests/conftest.py
    "alice": ("Alice Applicant", Role.APPLICANT),
    "bob": ("Bob Applicant", Role.APPLICANT),
    "cici": ("Cici Applicant", Role.APPLICANT),
    "victor": ("Victor Verifier", Role.VERIFIER),
    "asa": ("Asa Assessor", Role.ASSESSOR),
    "lina": ("Lina LSP Admin", Role.LSP_ADMIN),
    "lukas": ("Lukas LSP Admin", Role.LSP_ADMIN),
    "tono": ("Tono Kepala TUK", Role.TUK_HEAD),
    "quinn": ("Quinn Quality", Role.QUALITY),
    "karin": ("Karin Complaints", Role.COMPLAINT_OFFICER),
    "sofia": ("Sofia Supervisor", Role.SUPERVISOR),
}
APPLICANTS = ("alice", "bob", "cici")
_serial = itertools.count(1)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    scheme: object = None
    site: object = None
    assessor: object = None

    def __getattr__(self, name):
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None


def make_world() -> World:
    """The personas, a scheme (2 units, 2 required documents), a TUK headed by Tono and Asa's assessor record."""
    world = World()
    for key, (name, role) in PERSONAS.items():
        world.users[key] = UserFactory(full_name=name, email=f"{key}.{next(_serial)}@example.go.id", roles=[role])
    world.scheme = scheme_with_parts(units=2, elements=1, documents=2)
    world.site = SiteFactory(head=world.tono,
                             licence_valid_until=timezone.localdate() + datetime.timedelta(days=365 * 10))
    world.assessor = make_assessor(world.asa, schemes=[world.scheme], valid_days=365 * 10)
    return world


def fresh(obj):
    """The row as it is now (services return fresh rows; callers may hold stale ones). None stays None: an
    action on a record that does not exist yet is refused like any other."""
    if obj is None:
        raise services.AssessmentError("no such record yet")
    return type(obj)._default_manager.get(pk=obj.pk)


def certs_error(message: str):
    return services.AssessmentError(message)


# --- the applicant ------------------------------------------------------------------------------------------

def _profile(user) -> None:
    if hasattr(user, "applicant_profile"):
        return
    app_services.profile_save(user=user, data={
        "nip": make_nip(serial=user.pk % 1000), "full_name": user.full_name, "birth_place": "Jakarta",
        "birth_date": datetime.date(1985, 3, 14), "gender": "1", "employment_status": "pns",
        "org_unit": "Badan Kepegawaian Daerah", "position": "Analis Kepegawaian", "rank": "III/c",
        "education": "S1", "years_of_service": 10, "phone": "081234567890", "email": user.email})


def application_start(world: World, user) -> Application:
    _profile(user)
    return app_services.application_start(user=user, scheme=world.scheme)


def application_submit(app: Application, *, user) -> Application:
    """Fill what is missing (data, a file per requirement, a new file for a returned one, every answer), submit."""
    app = fresh(app)
    app_services.application_save_data(app, user=user, purpose="certification", purpose_other="",
                                       experienced=True)
    for doc in app.documents.select_related("requirement"):
        if doc.review == ApplicationDocument.Review.RETURNED or not doc.files.filter(superseded_at=None).exists():
            app_services.document_upload(doc, user=user, upload=pdf_upload(f"{doc.requirement.name}.pdf"),
                                         kind="pdf")
    answers = [(link.unit_id, element.pk, SelfAssessment.Answer.YES, "SK")
               for link in app.scheme.scheme_units.prefetch_related("unit__elements")
               for element in link.unit.elements.all()]
    app_services.self_assessment_save(app, user=user, answers=answers)
    return app_services.application_submit(app, user=user, declaration=True)


def application_withdraw(app: Application, *, user) -> Application:
    return app_services.application_withdraw(fresh(app), user=user, reason="Pindah tugas")


# --- the verifier -------------------------------------------------------------------------------------------

def application_return(app: Application, *, actor) -> Application:
    app = fresh(app)
    doc = app.documents.first()
    app_services.document_review(doc, actor=actor, accepted=False, reason="Pindaian tidak terbaca")
    return app_services.application_return(app, actor=actor, reason="Dokumen perlu diperbaiki")


def application_complete(app: Application, *, actor) -> Application:
    app = fresh(app)
    for doc in app.documents.all():
        app_services.document_review(doc, actor=actor, accepted=True)
    return app_services.application_complete(app, actor=actor)


def application_verify(app: Application, *, actor) -> Application:
    app = fresh(app)
    for kind in (VerificationCheck.Kind.ADMINISTRATIVE, VerificationCheck.Kind.SUBSTANTIVE):
        app_services.check_record(app, actor=actor, kind=kind, result=VerificationCheck.Result.PASSED)
    return app_services.application_verify(app, actor=actor)


def application_reject(app: Application, *, actor) -> Application:
    reject = getattr(app_services, "application_reject", None)
    if reject is not None:
        return reject(fresh(app), actor=actor, reason="Tidak memenuhi persyaratan")
    return app_services.application_act(fresh(app), "rejected", actor=actor, reason="Tidak memenuhi persyaratan")


def participant_name(app: Application, *, actor) -> Application:
    return app_services.participants_name([fresh(app)], actor=actor, reference="PEN-01/LSP/2026")[0]


# --- the event ----------------------------------------------------------------------------------------------

def event_create(world: World, *, actor, starts_at: datetime.datetime) -> Event:
    ensure_plan(world.scheme)  # FR.MAPA.01 validated by a second assessor: no event is held without one
    return services.event_create(actor=actor, scheme=world.scheme, test_site=world.site, starts_at=starts_at)


def event_add_assessor(world: World, event: Event, *, actor):
    return services.event_add_assessor(fresh(event), assessor=world.assessor, actor=actor)


def event_add_participant(event: Event, app: Application, *, actor) -> Participant:
    return services.event_add_participant(fresh(event), application=fresh(app), actor=actor)


def next_step(event: Event) -> int | None:
    return services.next_step(fresh(event))


def sop_step(event: Event, number: int, *, actor) -> Event:
    """Do SOP step ``number`` as ``actor``. Where the workflow core splits a step into acts (step 1: the schedule
    goes out, then each assessor confirms; step 7: each reviewing role signs), the act that fits the actor."""
    event = fresh(event)
    if number == 2:
        _readiness_checklist(event, actor=actor)
    if number in (4, 5, 7):
        _step_output(event, number, actor=actor)
    if number == 1 and hasattr(services, "event_distribute_schedule"):
        if actor.has_role(Role.ASSESSOR):
            return services.assessor_confirm(event, actor=actor)
        if getattr(event, "status", "") == "planned" and not _schedule_sent(event):
            return services.event_distribute_schedule(event, actor=actor)
        return services.assessor_confirm(event, actor=actor, assessor=event.event_assessors.first().assessor,
                                         how="phone", note="Dikonfirmasi lewat telepon")
    return services.event_step_complete(event, number, actor=actor)


def _step_output(event: Event, number: int, *, actor) -> None:
    """Seed 002's output of a step before it is done, where the portal asks for it: each participant's
    confirmation (step 4), a photo of the test (step 5, by the site's Kepala TUK), the minutes (step 7). Each is an
    attempt like any other act: a refusal leaves the step to refuse in turn."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from certportal.errors import PortalError
    from tests.hostile_files import real_png

    try:
        if number == 4 and hasattr(services, "participant_reached"):
            for p in event.participants.filter(attendance_confirmed_at__isnull=True).select_related(
                    "application__applicant"):
                services.participant_confirm_attendance(p, user=p.application.applicant)
        if number == 5 and event.test_site.head_id and not event.documentation.exists():
            from assessments.events.services.readiness import documentation_upload

            documentation_upload(event, actor=event.test_site.head, caption="Uji berlangsung",
                                 upload=SimpleUploadedFile("uji.png", real_png(), content_type="image/png"))
        if number == 7 and not (event.minutes or "").strip():
            services.event_save_minutes(event, actor=actor, minutes="Uji kompetensi berjalan tertib.")
    except PortalError:
        pass


def _readiness_checklist(event: Event, *, actor) -> None:
    """Where seed 002 step 2 has its readiness checklist (filled by the Kepala TUK), fill every item first; where it
    has the assessors' planning, each assessor records theirs."""
    try:
        from assessments.events.services.readiness import READINESS_ITEMS, readiness_save
    except ImportError:  # a portal without the checklist
        return
    readiness_save(event, actor=actor, items={name: True for name, _label in READINESS_ITEMS})
    try:  # its second part: each assessor's planning of the test
        from assessments.events.services.planning import planning_save, unplanned_links
    except ImportError:  # a portal without it
        return
    for link in unplanned_links(event):
        planning_save(event, actor=link.assessor.user, data=dict.fromkeys(
            ("units_methods", "schedule", "tools_materials", "coordination"), "Direncanakan"))


def _schedule_sent(event: Event) -> bool:
    from certportal.audit.models import AuditEntry

    return AuditEntry.objects.for_object(event).filter(action__endswith="schedule_distributed").exists()


def attendance_record(event: Event, *, actor, absent: set[int] = frozenset()) -> Event:
    event = fresh(event)
    return services.attendance_record(
        event, actor=actor, participants={p.pk: p.pk not in absent for p in event.participants.all()},
        assessors={a.pk: True for a in event.event_assessors.all()})


def report_sign_as_assessor(event: Event, *, actor):
    return services.report_sign_as_assessor(fresh(event), actor=actor)


# --- the participant ----------------------------------------------------------------------------------------

def participant_confirm_attendance(participant: Participant, *, user) -> Participant:
    return services.participant_confirm_attendance(fresh(participant), user=user)


def participant_accept_agreement(participant: Participant, *, user) -> Participant:
    """FR.AK.01: ``user`` consents typing their name (the participant's as on the application)."""
    participant = fresh(participant)
    own = participant.application.applicant_id == user.pk
    return services.participant_accept_agreement(participant, user=user,
                                                 signed_name=participant.name if own else user.full_name)


def assessor_accept_agreement(participant: Participant, *, user):
    """FR.AK.01: ``user`` consents as the participant's assessor, typing their name."""
    return services.assessor_accept_agreement(fresh(participant), user=user, signed_name=user.full_name)


def participant_accept_obligations(participant: Participant, *, user) -> Participant:
    return services.participant_accept_obligations(fresh(participant), user=user)


def results_record(participant: Participant, *, actor, results: list[str]) -> list[UnitResult]:
    """The assessor records every unit of the sitting, K/BK in the order given (cycled)."""
    participant = fresh(participant)
    rows = []
    for unit, result in zip(services.units_to_assess(participant), itertools.cycle(results or ["K"]),
                            strict=False):
        rows.append(services.result_record(
            participant, actor=actor, unit=unit, result=result, evidence="Portofolio SK dan laporan kegiatan",
            explanation="Belum menunjukkan bukti yang cukup" if result == "BK" else "",
            evidence_gap_reason=GAP_REASON if result == "K" and participant.event.plan_id else ""))
    return rows


def result_correct(participant: Participant, *, actor, unit_index: int, result: str) -> UnitResult:
    """An LSP admin corrects one locked result (the ``unit_index``-th of the participant's results)."""
    rows = list(fresh(participant).results.order_by("unit__code"))
    if not rows:
        raise services.AssessmentError("no result to correct")
    row = rows[unit_index % len(rows)]
    return services.result_correct(row, actor=actor, result=result, evidence="Bukti tambahan diperiksa ulang",
                                   explanation="Belum menunjukkan bukti yang cukup" if result == "BK" else "",
                                   reason="Salah catat pada lembar hasil",
                                   evidence_gap_reason=GAP_REASON if result == "K" else "")


def participant_decide(participant: Participant, *, actor, decision: str | None = None) -> Participant:
    """The certification decision: the recommendation (``decision`` None) or a different one with a note."""
    participant = fresh(participant)
    decision = decision or participant.recommendation or "BK"
    note = "" if decision == participant.recommendation else "Keputusan berbeda setelah rapat pleno"
    if participant.event.reached("reviewed"):  # on a plan, in the event's pleno (recorded once it is reviewed)
        return decide(participant, actor=actor, decision=decision, note=note)
    return services.participant_decide(participant, actor=actor, decision=decision, note=note)


def appeal_file(participant: Participant, *, user) -> Appeal:
    return services.appeal_file(fresh(participant), user=user, grounds="Bukti saya tidak diperiksa",
                                discussed_with_assessor=True)


def appeal_decide(appeal: Appeal, *, actor, outcome: str) -> Appeal:
    appeal = fresh(appeal)
    bk = list(appeal.participant.results.filter(result="BK").values_list("unit_id", flat=True))
    return services.appeal_decide(appeal, actor=actor, outcome=outcome, note="Pertimbangan komite banding",
                                  unit_ids=bk[:1] if outcome == Appeal.Outcome.REASSESS else ())


# --- documents ----------------------------------------------------------------------------------------------

def result_letter_issue(participant: Participant, *, actor) -> ResultLetter:
    return certs.result_letter_issue(fresh(participant), actor=actor)


def latest_certificate(participant: Participant) -> Certificate | None:
    return Certificate.objects.filter(participant=participant).order_by("-id").first()


def current_letter(participant: Participant) -> ResultLetter | None:
    from .checks import letter_current

    letters = ResultLetter.objects.filter(participant=participant).order_by("-id")
    return next((letter for letter in letters if letter_current(letter)), None)


def certificate_issue(participant: Participant, *, actor) -> Certificate:
    return certs.certificate_issue(fresh(participant), actor=actor)


def certificate_suspend(cert: Certificate, *, actor, days: int = 30) -> Certificate:
    return certs.certificate_suspend(fresh(cert), actor=actor, reason="Pemeriksaan pengaduan",
                                     until=timezone.localdate() + datetime.timedelta(days=days))


def certificate_reinstate(cert: Certificate, *, actor) -> Certificate:
    return certs.certificate_reinstate(fresh(cert), actor=actor, reason="Pengaduan tidak terbukti")


def certificate_withdraw(cert: Certificate, *, actor) -> Certificate:
    return certs.certificate_withdraw(fresh(cert), actor=actor, reason="Pelanggaran kewajiban pemegang")


def certificate_replace(cert: Certificate, *, actor) -> Certificate:
    cert = fresh(cert)
    return certs.certificate_replace(cert, actor=actor, reason="Salah ketik nama",
                                     holder_name=cert.holder_name + " S.Sos.")


def handover(*, actor, certificate: Certificate | None = None, letter: ResultLetter | None = None):
    if certificate is None and letter is None:
        raise certs_error("nothing to hand over")
    return certs.handover_record(actor=actor, certificate=fresh(certificate) if certificate else None,
                                 letter=fresh(letter) if letter else None, received_by="Yang bersangkutan")


def batch_print(event: Event, *, actor, kind: str = PrintJob.Kind.CERTIFICATES) -> PrintJob:
    """Issue and print a whole event as one PDF; the background tasks run in-process (eager) after 'commit'."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = certs.print_job_start(fresh(event), actor=actor, kind=kind)
    return fresh(job)


def printed_text(job: PrintJob) -> str:
    """The text of the job's PDF, read back (one line, whitespace collapsed)."""
    from pypdf import PdfReader

    if not job.file:
        return ""
    with job.file.open("rb") as f:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(f).pages)


# --- whole stretches, for the regular tests (strict: a refusal here is a failure of the set-up) --------------

STEP_PEOPLE = {1: ("lina", "asa"), 2: ("tono",), 3: ("lina",), 4: ("lina",), 5: ("asa",), 6: ("tono",),
               7: ("tono", "quinn"), 8: ("lina",)}


def named_participants(world: World, event: Event, keys=("alice",)) -> list[Participant]:
    """Dossiers submitted, complete, verified, named and put on ``event``, by the right people."""
    out = []
    for key in keys:
        user = world.users[key]
        app = application_start(world, user)
        application_submit(app, user=user)
        application_complete(app, actor=world.victor)
        application_verify(app, actor=world.victor)
        participant_name(app, actor=world.victor)
        out.append(event_add_participant(event, app, actor=world.lina))
    return out


def step_done_by_right_people(world: World, event: Event, number: int) -> None:
    """SOP step ``number`` by the people the SOP names (both, where it names two roles or the core splits it); step 7
    after the assessors' reports (FR.AK.05) and quality's review of the assessment (FR.AK.06) it waits for."""
    if number == 7 and next_step(event) == 7:
        assessment_reviewed(event, quality=world.users["quinn"])
    for key in STEP_PEOPLE[number]:
        if next_step(event) == number:
            sop_step(event, number, actor=world.users[key])
    if next_step(event) == number:
        raise services.AssessmentError(f"step {number} was not completed")


def event_walk(world: World, event: Event, *, upto: int, results=("K",)) -> Event:
    """Walk the SOP up to step ``upto`` at the current time: attendance, agreements and results before step 5,
    the assessor's signature before step 6."""
    while (number := next_step(event)) is not None and number <= upto:
        if number == 5:
            attendance_record(event, actor=world.asa)
            for p in fresh(event).participants.all():
                if p.agreement_accepted_at is None:  # each party consents once
                    participant_accept_agreement(p, user=p.application.applicant)
                if not p.consents.filter(party="assessor").exists():
                    assessor_accept_agreement(p, user=world.asa)
                results_record(p, actor=world.asa, results=list(results))
        if number == 6:
            report_sign_as_assessor(event, actor=world.asa)
        step_done_by_right_people(world, event, number)
    return fresh(event)
