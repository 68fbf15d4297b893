"""The demo data: an event with participants in several states, certificates valid / suspended / expired, one
replaced by a correcting certificate, a result letter, an appeal and a deactivated assessor (that loading it twice
changes nothing is tests/core/test_demo.py's)."""

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from assessments.certificates.models import Certificate, ResultLetter
from assessments.events.models import Appeal, Assessor, Event
from certportal.audit.models import AuditEntry
from certportal.workflow import allowed_actions

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.django_db(transaction=False)
def test_demo_shows_every_state(demo_data):
    """The demo as ``make run`` loads it (the run's copy: loading it costs seconds); that a second load adds no row is
    tests/core/test_demo.py's."""
    own = Certificate.objects.filter(source=Certificate.Source.PORTAL)
    states = sorted(c.state() for c in own)
    assert states == ["expired", "reduced", "suspended", "valid", "valid", "valid", "withdrawn"]
    # the sample register's certificates (every row of fixtures/adoption/register_sertifikat.csv) came in through
    # the LSP admin's import, none of them with a participant
    imported = Certificate.objects.filter(source=Certificate.Source.IMPORTED)
    assert imported.count() == 24 and not imported.filter(participant__isnull=False).exists()
    # issue 31: each has its Open Badges credential, the withdrawn and the reduced one in the revocation list
    from assessments.certificates.credentials import status

    assert not own.filter(credential__isnull=True).exists()
    for ended in own.filter(status__in=("withdrawn", "reduced")):
        assert status.is_set(status.bits_of(status.REVOCATION), ended.credential.status_index), ended.status
    corrected = Certificate.objects.get(replaces__isnull=False, reduced_from__isnull=True)
    assert corrected.holder_name == "Dewi Kartika Sari, S.Sos." and corrected.replaces.holder_name.endswith("Sary, S.Sos.")
    assert corrected.replaces.state() == "withdrawn" and corrected.handovers.exists()
    assert ResultLetter.objects.filter(outcome="BK").exists() and Appeal.objects.exists()
    assert Event.objects.filter(status="archived").exists() and Event.objects.filter(status="schedule_sent").exists()
    [inactive] = Assessor.objects.filter(is_active=False)
    assert AuditEntry.objects.for_object(inactive).filter(action="assessor deactivated",
                                                          note__contains="Lisensi dicabut").exists()
    registered = own.exclude(bnsp_registration_number=None).get()  # BNSP answered for one
    assert registered.blanko_number and registered.state() == "valid"
    from applicants.models import ApplicantProfile
    from applicants.nik import nik_problems

    for profile in ApplicantProfile.objects.all():  # every demo applicant has a valid NIK
        assert nik_problems(profile.nik, birth_date=profile.birth_date, gender=profile.gender) == []
    valid = Certificate.objects.filter(replaces__isnull=False, reduced_from__isnull=True).get()
    lsp = valid.snapshot["lsp"]
    assert lsp["licence_number"] and lsp["signatory_name"] and lsp["signatory_nip"] and lsp["logo"]
    assert valid.snapshot["photo_file"]  # the holder's accepted dossier photo is printed
    from assessments.demo import DEMO_DECREE
    from assessments.events.models import Pleno

    pleno = Pleno.objects.get(decree_number__startswith=DEMO_DECREE)  # the finished event was decided in a closed pleno; its certificates cite it
    assert pleno.decree_number.startswith(DEMO_DECREE) and pleno.status == "closed" and len(pleno.decisions) == 6
    assert valid.snapshot["decree_number"] == pleno.decree_number
    from assessments.instruments.models import AssessmentFeedback

    feedback = AssessmentFeedback.objects.get(participant__application__applicant__email="asesi.andi@demo.go.id")
    assert feedback.participant.application.applicant.email == "asesi.andi@demo.go.id" and feedback.yes_count == 9
    assert feedback.submitted_at > feedback.participant.event.starts_at
    _the_assessment_itself_is_in_the_demo()
    _scope_reduction_and_misuse_are_in_the_demo()
    _the_source_documents_guards_are_in_the_demo()
    assert AssessmentFeedback.objects.count() == 2
    assert (Assessor.objects.count(), Pleno.objects.count()) == (3, 3)


def _scope_reduction_and_misuse_are_in_the_demo():
    from assessments.certificates.scope_models import MisuseReport, ScopeReduction

    reduction = ScopeReduction.objects.get()
    assert reduction.certificate.state() == "reduced" and reduction.replacement.state() == "valid"
    assert len(reduction.replacement.snapshot["units"]) == len(reduction.certificate.snapshot["units"]) - 1
    # the two of the certificates' demo, and quality.retention's, handled (no action) after its certificate's issue
    # and past the three-year period
    assert sorted(MisuseReport.objects.values_list("status", flat=True)) == ["no_action", "received", "warned"]
    old = MisuseReport.objects.select_related("certificate").get(status="no_action")
    assert old.certificate.issued_on < timezone.localdate(old.handled_at) < timezone.localdate() - relativedelta(years=3)


def _the_source_documents_guards_are_in_the_demo():
    """The LSP's licence and its scope, the decree's overdue review, an event that cannot be archived yet, the SOP
    version each event followed, the handover by the BKPSDM officer, the evaluation's results read by some."""
    from django.utils import timezone

    from assessments.certificates.models import Handover
    from assessments.demo import UNREVIEWED
    from certportal.accounts.models import User
    from certportal.lsp.licence import licence_refusal
    from certportal.workqueue import work_for
    from schemes.demo import ASESOR_CODE
    from schemes.models import EvaluationReading

    today = timezone.localdate()
    admin = User.objects.get(email="admin.lsp@demo.go.id")
    assert licence_refusal("SS-02/LSP-BPSDM DKI/2017", today) is None
    assert "not in the scope" in licence_refusal(ASESOR_CODE, today)
    keys = {item.key for item in work_for("lsp_admin", admin)}
    assert {"lsp-licence", "decree-reviews", "verifiers"} <= keys
    unreviewed = Event.objects.get(place_note=UNREVIEWED)
    head = User.objects.get(email="kepala.tuk@demo.go.id")
    assert unreviewed.status == "report_signed"
    assert "minutes of meeting" in allowed_actions(unreviewed, head)["review_signed"].reason
    assert all(e.procedure and e.procedure.number == "PSM/DISNAKER-10" for e in Event.objects.all())
    assert Handover.objects.filter(certificate__isnull=False).exclude(handed_by__email="verifikator@demo.go.id") \
        .count() == 0
    readings = EvaluationReading.objects.all()
    assert readings.filter(acknowledged_at__isnull=False).count() == 2 and readings.filter(
        acknowledged_at__isnull=True).exists()


def _the_assessment_itself_is_in_the_demo():
    """Issue 19: a plan in force (made by one assessor, validated by another), a question bank, an FR.VA, and an
    event on the plan whose every K rests on signed, sufficient instrument records; the next event keeps the plan
    and has an FR.AK.07."""
    from assessments.demo import NEXT_MARK
    from assessments.demo_assessment import HELD_MARK
    from assessments.instruments.models import (
        AgreementConsent,
        AssessmentPlan,
        AssessmentReview,
        AssessorReport,
        BankItem,
        InstrumentRecord,
        InstrumentValidation,
        ReasonableAdjustment,
        WrittenTest,
    )
    from assessments.instruments.services.plans import evidence_state

    plan = AssessmentPlan.objects.get(status="validated")
    assert plan.made_by_id != plan.validated_by_id and plan.evidence.filter(instrument="IA.05").exists()
    assert BankItem.objects.filter(instrument="IA.05").count() >= 14 and InstrumentValidation.objects.exists()
    held = Event.objects.get(place_note=HELD_MARK)
    assert held.plan_id == plan.pk and Event.objects.get(place_note=NEXT_MARK).plan_id == plan.pk
    from assessments.demo import UNREVIEWED

    # the finished events and yesterday's event still waiting for its minutes keep plan v1, validated by a second
    # assessor before the oldest of them (a surveillance audit found demo events without a MAPA)
    v1 = AssessmentPlan.objects.get(scheme=plan.scheme, number=plan.number - 1)
    assert v1.status == "superseded" and v1.validated_by_id not in (None, v1.made_by_id)
    earlier = Event.objects.exclude(pk__in=[held.pk, Event.objects.get(place_note=NEXT_MARK).pk])
    assert not Event.objects.filter(plan__isnull=True).exists()
    assert set(earlier.values_list("plan_id", flat=True)) == {v1.pk}
    assert v1.validated_at < min(e.starts_at for e in earlier) and Event.objects.get(place_note=UNREVIEWED).plan == v1
    for p in held.participants.all():
        assert AgreementConsent.objects.filter(participant=p).count() == 2
        assert WrittenTest.objects.get(participant=p).status == "submitted"
        for r in p.results.all():  # every K rests on the plan's complete evidence; the BK on an insufficient one
            state = evidence_state(p, r.unit_id)
            assert state.complete == (r.result == "K") and not r.evidence_gap_reason
    fajar, sinta = sorted(held.participants.all(), key=lambda p: not p.application.experienced)
    assert fajar.decision == "K" and fajar.certificates.exists() and sinta.decision == "BK"
    assert InstrumentRecord.objects.filter(participant=fajar, instrument="IA.08", outcome="satisfactory").exists()
    assert AssessorReport.objects.filter(event=held).exists() and AssessmentReview.objects.filter(event=held).exists()
    assert ReasonableAdjustment.objects.filter(participant__event__place_note=NEXT_MARK).exists()


MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November",
          "Desember"]


def printed_dates(text: str, after: str = "", before: str = "") -> list:
    """The Indonesian long dates ("14 Oktober 2023") printed in ``text`` (between two markers, when given)."""
    import datetime
    import re

    if after:
        text = text.split(after, 1)[1]
    if before:
        text = text.split(before, 1)[0]
    found = re.findall(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b", text)
    return [datetime.date(int(y), MONTHS.index(m) + 1, int(d)) for d, m, y in found]


@pytest.mark.parametrize("loaded_at", ["00:40", "23:50"])  # WIB: just after and just before midnight in Jakarta
def test_the_dates_on_each_demo_paper_agree_with_each_other(loaded_at):
    """A result letter's test, decision and letter dates follow one another within the service's time (the
    decree's year is the decision's); a certificate is dated on or after its decree, within the service's time
    (a correction: its first issue), valid three years from its date; a berita acara is signed on its test's day;
    whatever the hour the demo is loaded (a test started three hours before 01:54 WIB was signed the next day)."""
    import datetime

    import time_machine

    hour, minute = map(int, loaded_at.split(":"))
    wib = datetime.timezone(datetime.timedelta(hours=7))
    with time_machine.travel(datetime.datetime(2026, 11, 18, hour, minute, tzinfo=wib), tick=True):
        _dates_agree()


def _dates_agree():
    import datetime

    from assessments.certificates import services as certs
    from assessments.certificates.services.rendering import certificates_pdf
    from assessments.models import Event
    from tests.pdf_layout import pdf_text

    call_command("load_reference")
    call_command("load_demo")
    service_days = datetime.timedelta(days=30)
    for letter in ResultLetter.objects.all():
        text = pdf_text(certs.letter_pdf(letter))
        [tested] = printed_dates(text, "Tempat dan tanggal uji", "telah mengikuti")
        [decided] = printed_dates(text, "Keputusan tanggal", ":")
        [dated] = printed_dates(text, "banding.")
        assert tested <= decided <= dated <= tested + service_days, (letter.number, tested, decided, dated)
        assert f"/{decided.year})" in text.split("Surat Keputusan nomor", 1)[1][:70].replace(" ", ""), letter.number
    for cert in Certificate.objects.filter(source=Certificate.Source.PORTAL):  # (imported ones: paper originals)
        front = pdf_text(certificates_pdf([cert])).split("DAFTAR UNIT")[0]
        # the holder's layer in print order: dates, test site and decree, what it replaces, place and date
        [issued] = printed_dates(front, "Diterbitkan", "Berlaku sampai")
        [expires] = printed_dates(front, "Berlaku sampai", "Tempat Uji Kompetensi")
        decreed = printed_dates(front, "Keputusan / Decree")[0]
        first = printed_dates(front, "pertama diterbitkan")[0] if cert.replaces_id else issued
        assert decreed <= first <= decreed + service_days and first <= issued, (cert.number, decreed, issued)
        assert expires == first.replace(year=first.year + 3), cert.number  # a correction keeps the first term
        assert f"/{decreed.year}," in front.split("Keputusan / Decree", 1)[1][:70].replace(" ", ""), cert.number
    for event in Event.objects.filter(status="archived"):
        from django.test import Client
        from django.urls import reverse

        from certportal.accounts.models import User

        client = Client()
        client.force_login(User.objects.get(email="admin.lsp@demo.go.id"))
        text = pdf_text(client.get(reverse("assessments:event-document", args=[event.pk, "berita-acara"])).content)
        [tested] = printed_dates(text, "Pada hari", "telah dilaksanakan")
        [signed] = printed_dates(text, "Ditetapkan di", "Established")
        assert tested == signed, (event.place_note, tested, signed)
