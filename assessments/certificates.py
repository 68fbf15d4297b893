"""Certificates and result letters: issue (data frozen on the row), status, handover, public verification,
and rendering (one document, or a whole event as ONE PDF)."""

from __future__ import annotations

import datetime
import gc
import io
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Status as AppStatus
from applicants.nip import nip_problems
from certportal.accounts.models import Role
from certportal.audit.services import audit_record
from certportal.pdf import html_to_pdf, render_html, render_pdf
from certportal.signals import service_delivered

from .models import (
    Certificate,
    CertificateSequence,
    Handover,
    Participant,
    PrintJob,
    Result,
    ResultLetter,
    VerificationLookup,
)
from .services import AssessmentError, _transition

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def new_verification_code() -> str:
    """16 characters from 32 symbols = 80 random bits: unguessable, still easy to type."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))


def _next_number(kind: str, year: int) -> int:
    seq, _created = CertificateSequence.objects.select_for_update(of=("self",)).get_or_create(kind=kind, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return seq.last


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _holder(participant: Participant) -> dict:
    app = participant.application
    data = app.profile_data or {}
    return {"name": app.applicant_name or data.get("full_name") or app.applicant.full_name,
            "nip": app.nip or data.get("nip", ""), "unit": app.org_unit or data.get("org_unit", ""),
            "position": data.get("position", "")}


def _units(participant: Participant) -> list[dict]:
    rows = {r.unit_id: r for r in participant.results.select_related("unit")}
    out = []
    for su in participant.application.scheme.scheme_units.select_related("unit").order_by("position"):
        r = rows.get(su.unit_id)
        out.append({"code": su.unit.code, "title": su.unit.title, "result": r.result if r else "",
                    "explanation": r.explanation if r else ""})
    return out


def _certificate_snapshot(participant: Participant, holder: dict) -> dict:
    """What a certificate prints besides its own fields: the K units, qualification, test site and date."""
    scheme = participant.application.scheme
    return {"holder": holder, "units": [u for u in _units(participant) if u["result"] == Result.K],
            "qualification": str(scheme.qualification) if scheme.qualification_id else "",
            "test_site": participant.event.test_site.name,
            "test_date": timezone.localtime(participant.event.starts_at).date().isoformat(),
            "validity_years": scheme.validity_years}


def certificate_issue(participant: Participant, *, actor, on: datetime.date | None = None) -> Certificate:
    """Issue the certificate of a participant decided K whose holder obligations are accepted (idempotent)."""
    with transaction.atomic():
        participant = Participant.objects.select_for_update(of=("self",)).select_related(
            "application__scheme", "application__applicant", "event__test_site").get(pk=participant.pk)
        existing = participant.certificates.first()
        if existing is not None:
            return existing
        if participant.decision != Result.K:
            raise AssessmentError(_("A certificate is issued only to a participant decided competent (K)."))
        if participant.obligations_accepted_at is None:
            raise AssessmentError(_("%(name)s has not accepted the certificate-holder obligations yet.")
                                  % {"name": participant.name})
        on = on or timezone.localdate()
        scheme = participant.application.scheme
        seq = _next_number("certificate", on.year)
        holder = _holder(participant)
        cert = Certificate.objects.create(
            participant=participant, application=participant.application,
            number=settings.ASSESSMENT_CERTIFICATE_NUMBER_FORMAT.format(seq=seq, year=on.year, month=on.month),
            year=on.year, sequence=seq, verification_code=new_verification_code(), issued_on=on,
            expires_on=add_years(on, scheme.validity_years), holder_name=holder["name"], holder_nip=holder["nip"],
            holder_unit=holder["unit"], scheme_code=scheme.code, scheme_name=scheme.name, issued_by=actor,
            snapshot=_certificate_snapshot(participant, holder),
        )
        _transition(participant.application, AppStatus.CERTIFIED, actor=actor, reason=cert.number)
        audit_record(actor=actor, obj=cert, action="status", to_state=Certificate.Status.ISSUED, note=cert.number)
    return cert


def result_letter_issue(participant: Participant, *, actor, on: datetime.date | None = None) -> ResultLetter:
    """The Surat Keterangan Hasil Uji Kompetensi, for every decided participant (idempotent)."""
    with transaction.atomic():
        participant = Participant.objects.select_for_update(of=("self",)).select_related(
            "application__scheme", "event__test_site").get(pk=participant.pk)
        existing = ResultLetter.objects.filter(participant=participant).first()
        if existing is not None:
            return existing
        if not participant.decision:
            raise AssessmentError(_("The result letter is issued after the certification decision."))
        on = on or timezone.localdate()
        seq = _next_number("letter", on.year)
        holder = _holder(participant)
        scheme = participant.application.scheme
        letter = ResultLetter.objects.create(
            participant=participant, application=participant.application,
            number=settings.ASSESSMENT_LETTER_NUMBER_FORMAT.format(seq=seq, year=on.year, month=on.month),
            issued_on=on, holder_name=holder["name"], outcome=participant.decision, issued_by=actor,
            snapshot={"holder": holder, "units": _units(participant), "scheme_code": scheme.code,
                      "scheme_name": scheme.name, "test_site": participant.event.test_site.name,
                      "test_date": timezone.localtime(participant.event.starts_at).date().isoformat()},
        )
        audit_record(actor=actor, obj=letter, action="issued", note=letter.number)
    return letter


def certificate_suspend(cert: Certificate, *, actor, reason: str, until: datetime.date) -> Certificate:
    return _set_status(cert, actor=actor, to=Certificate.Status.SUSPENDED, reason=reason, until=until,
                       allowed={Certificate.Status.ISSUED, Certificate.Status.SUSPENDED})


def certificate_reinstate(cert: Certificate, *, actor, reason: str) -> Certificate:
    return _set_status(cert, actor=actor, to=Certificate.Status.ISSUED, reason=reason, until=None,
                       allowed={Certificate.Status.SUSPENDED})


def certificate_withdraw(cert: Certificate, *, actor, reason: str) -> Certificate:
    return _set_status(cert, actor=actor, to=Certificate.Status.WITHDRAWN, reason=reason, until=None,
                       allowed={Certificate.Status.ISSUED, Certificate.Status.SUSPENDED})


def _set_status(cert: Certificate, *, actor, to: str, reason: str, until, allowed: set) -> Certificate:
    if not actor.has_role(Role.LSP_ADMIN):
        raise AssessmentError(_("Only an LSP administrator changes a certificate's status."))
    if not reason.strip():
        raise AssessmentError(_("Give the reason: it is recorded with the certificate."))
    if to == Certificate.Status.SUSPENDED and (until is None or until < timezone.localdate()):
        raise AssessmentError(_("Say until when the certificate is suspended (a date from today on)."))
    with transaction.atomic():
        cert = Certificate.objects.select_for_update(of=("self",)).get(pk=cert.pk)
        if cert.status not in allowed:
            raise AssessmentError(_("The certificate is “%(status)s”; this change is not possible.")
                                  % {"status": cert.get_status_display()})
        before = cert.status
        cert.status, cert.status_reason, cert.suspended_until = to, reason.strip(), until
        cert.save(update_fields=["status", "status_reason", "suspended_until"])
        audit_record(actor=actor, obj=cert, action="status", from_state=before, to_state=to, note=reason)
    return cert


def certificate_replace(cert: Certificate, *, actor, reason: str, holder_name: str, holder_nip: str = "",
                        holder_unit: str = "", holder_position: str = "",
                        on: datetime.date | None = None) -> Certificate:
    """Correct an issued certificate: issue a NEW one that names it (``replaces``) and withdraw the old one.

    The new certificate gets a new number and a new verification code and is built by the issue rules (the
    application's scheme, the K units from the recorded results, the test site and date), with the holder data
    as corrected here frozen on it. It is issued ``on`` (today) but keeps the ORIGINAL expiry date: a correction
    does not extend validity. The old certificate is withdrawn, never deleted, with a reason that names the new
    number, so its code still verifies (as withdrawn, replaced by the new number). Only an LSP admin replaces,
    with a reason, and only a valid certificate: not a withdrawn (or already replaced), suspended or expired one.
    """
    if not actor.has_role(Role.LSP_ADMIN):
        raise AssessmentError(_("Only an LSP administrator issues a correcting certificate."))
    reason = reason.strip()
    if not reason:
        raise AssessmentError(_("Give the reason: it is recorded with the certificate."))
    holder = _corrected_holder(holder_name, holder_nip, holder_unit, holder_position)
    on = on or timezone.localdate()
    with transaction.atomic():
        participant = Participant.objects.select_for_update(of=("self",)).select_related(
            "application__scheme", "event__test_site").get(pk=cert.participant_id)
        old = Certificate.objects.select_for_update(of=("self",)).get(pk=cert.pk)
        _check_replaceable(old, on)
        if participant.decision != Result.K:
            raise AssessmentError(_("The participant is no longer decided competent (K): withdraw the certificate "
                                    "instead."))
        new = _issue_replacement(old, participant, holder, actor=actor, on=on)
        before = old.status
        old.status, old.suspended_until = Certificate.Status.WITHDRAWN, None
        old.status_reason = _("Replaced by certificate %(number)s: %(reason)s") % {"number": new.number,
                                                                                   "reason": reason}
        old.save(update_fields=["status", "status_reason", "suspended_until"])
        audit_record(actor=actor, obj=old, action="status", from_state=before, to_state=old.status,
                     note=old.status_reason)
        was = {**(old.snapshot.get("holder") or {}), "name": old.holder_name, "nip": old.holder_nip,
               "unit": old.holder_unit}
        changed = "; ".join(f"{k}: {was.get(k, '')!r} → {v!r}" for k, v in holder.items() if was.get(k, "") != v)
        audit_record(actor=actor, obj=new, action="status", to_state=new.status,
                     note=f"{new.number} ← {old.number}: {reason}" + (f" ({changed})" if changed else ""))
    return new


def _corrected_holder(name: str, nip: str, unit: str, position: str) -> dict:
    holder = {"name": " ".join(name.split()), "nip": nip.replace(" ", ""), "unit": " ".join(unit.split()),
              "position": " ".join(position.split())}
    if not holder["name"]:
        raise AssessmentError(_("Give the holder's name as it is to be printed."))
    if holder["nip"] and (problems := nip_problems(holder["nip"])):
        raise AssessmentError(" ".join(problems))
    return holder


def _check_replaceable(cert: Certificate, on: datetime.date) -> None:
    if cert.status == Certificate.Status.WITHDRAWN:
        replacement = cert.replaced_by.first()
        if replacement is not None:
            raise AssessmentError(_("This certificate has already been replaced by %(number)s; correct that one "
                                    "instead.") % {"number": replacement.number})
        raise AssessmentError(_("A withdrawn certificate cannot be replaced."))
    state = cert.state(on)
    if state == "suspended":
        raise AssessmentError(_("The certificate is suspended: lift the suspension before issuing a correction."))
    if state == "expired":
        raise AssessmentError(_("The certificate expired on %(date)s: a correction would not be valid either.")
                              % {"date": cert.expires_on.strftime("%d-%m-%Y")})


def _issue_replacement(old: Certificate, participant: Participant, holder: dict, *, actor,
                       on: datetime.date) -> Certificate:
    scheme = participant.application.scheme
    seq = _next_number("certificate", on.year)
    snapshot = _certificate_snapshot(participant, holder)
    # printed facts of the chain: the number replaced and when the competence was first certified
    snapshot.update(replaces=old.number, first_issued_on=old.snapshot.get("first_issued_on")
                    or old.issued_on.isoformat())
    return Certificate.objects.create(
        participant=participant, application=participant.application, replaces=old,
        number=settings.ASSESSMENT_CERTIFICATE_NUMBER_FORMAT.format(seq=seq, year=on.year, month=on.month),
        year=on.year, sequence=seq, verification_code=new_verification_code(), issued_on=on,
        expires_on=old.expires_on, holder_name=holder["name"], holder_nip=holder["nip"],
        holder_unit=holder["unit"], scheme_code=scheme.code, scheme_name=scheme.name, issued_by=actor,
        snapshot=snapshot)


def handover_record(*, actor, certificate: Certificate | None = None, letter: ResultLetter | None = None,
                    received_by: str, at: datetime.datetime | None = None, note: str = "") -> Handover:
    """Seed 001 step 8: the document is handed over; the application is closed and the service clock stops."""
    if not actor.has_role(Role.VERIFIER, Role.LSP_ADMIN):
        raise AssessmentError(_("Certificates are handed over by BKPSDM staff or an LSP administrator."))
    if not received_by.strip():
        raise AssessmentError(_("Say who received the document."))
    doc = certificate or letter
    if doc is None:
        raise AssessmentError(_("Choose the document that is handed over."))
    with transaction.atomic():
        app = doc.application
        if certificate is not None and Certificate.objects.filter(
                pk=certificate.pk, status=Certificate.Status.WITHDRAWN).exists():
            raise AssessmentError(_("A withdrawn certificate is not handed over."))
        earlier = Handover.objects.filter(application=app)
        # A correcting certificate issued after the original was handed over is handed over too; the application
        # is closed already, so it is not moved again and the survey invitation is not sent a second time.
        correction = (certificate is not None and certificate.replaces_id is not None and earlier.exists()
                      and not earlier.filter(certificate=certificate).exists())
        if earlier.exists() and not correction:
            raise AssessmentError(_("This application's documents have already been handed over."))
        if certificate is None and ResultLetter.objects.filter(pk=letter.pk, outcome=Result.K).exists():
            raise AssessmentError(_("A competent participant receives the certificate."))
        handover = Handover.objects.create(application=app, certificate=certificate, result_letter=letter,
                                           handed_by=actor, received_by=received_by.strip(),
                                           handed_at=at or timezone.now(), note=note.strip())
        if correction:
            audit_record(actor=actor, obj=app, action="handed over", note=f"{doc.number} → {handover.received_by}")
            return handover
        _transition(app, AppStatus.HANDED_OVER, actor=actor, reason=_("Handed over to %(who)s") % {
            "who": handover.received_by})
        audit_record(actor=actor, obj=handover.application, action="handed over",
                     note=f"{doc.number} → {handover.received_by}")
        applicant = app.applicant
        reference = f"certificate:{certificate.pk}" if certificate else f"result-letter:{letter.pk}"
        transaction.on_commit(lambda: service_delivered.send(
            sender=Certificate if certificate else ResultLetter, user=applicant, email=applicant.email,
            name=app.applicant_name or applicant.full_name, reference=reference, scheme_code=app.scheme.code,
            language=applicant.preferred_language or settings.LANGUAGE_CODE))
    return handover


# --- public verification ---------------------------------------------------------------------------------

def verification_url(cert: Certificate) -> str:
    return settings.SITE_URL + reverse("assessments:verify-code", kwargs={"code": cert.verification_code})


def rate_limited(ip: str | None) -> bool:
    """At most ASSESSMENT_VERIFY_PER_MINUTE look-ups per address per minute (Django cache)."""
    from django.core.cache import cache

    limit = settings.ASSESSMENT_VERIFY_PER_MINUTE
    if not limit:
        return False
    key = f"assess-verify:{ip}:{int(timezone.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=70)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count > limit


def verify_lookup(code: str, *, via: str, ip: str | None, user_agent: str = "") -> Certificate | None:
    code = (code or "").strip().upper().replace(" ", "").replace("-", "")[:64]
    cert = Certificate.objects.filter(verification_code=code).first() if code else None
    VerificationLookup.objects.create(code=code, certificate=cert, via=via, ip_address=ip,
                                      user_agent=user_agent[:300])
    return cert


def public_data(cert: Certificate, today: datetime.date | None = None) -> dict:
    """What anyone may know: holder name, scheme, number, dates, status — nothing else personal.

    A corrected certificate names the number that replaced it (``replaced_by``) and a replacement the number it
    replaces (``replaces``): numbers only, never the other certificate's verification code or the reason."""
    from .models import CERTIFICATE_STATES

    state = cert.state(today)
    return {"holder_name": cert.holder_name, "scheme_code": cert.scheme_code, "scheme_name": cert.scheme_name,
            "number": cert.number, "issued_on": cert.issued_on.isoformat(), "expires_on": cert.expires_on.isoformat(),
            "status": state, "status_label": str(CERTIFICATE_STATES[state]),
            "suspended_until": cert.suspended_until.isoformat() if state == "suspended" and cert.suspended_until
            else None,
            "replaced_by": cert.replaced_by.values_list("number", flat=True).first(),
            "replaces": cert.replaces.number if cert.replaces_id else None}


# --- rendering -------------------------------------------------------------------------------------------

def qr_data_uri(url: str) -> str:
    import segno

    # One pixel per module, drawn without smoothing (image-rendering: pixelated): small to embed, sharp to scan.
    # A fixed mask and no error-level boosting: any mask scans; evaluating all eight was most of the QR's cost.
    return segno.make(url, error="m", mask=0, boost_error=False, micro=False).png_data_uri(scale=1, border=2)


def certificate_context(cert: Certificate) -> dict:
    return {"cert": cert, "snap": cert.snapshot, "qr": qr_data_uri(verification_url(cert)),
            "verify_url": verification_url(cert), "lsp_name": settings.ASSESSMENT_LSP_NAME,
            # frozen in the snapshot at issue (no query per certificate when a whole event is printed)
            "replaces_number": cert.snapshot.get("replaces") or (cert.replaces.number if cert.replaces_id else ""),
            "first_issued_on": _date_or_none(cert.snapshot.get("first_issued_on"))}


def _date_or_none(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


CERTIFICATE_BACKGROUND = "assessments/pdf/certificate_background.html"
CERTIFICATE_HOLDER = "assessments/pdf/certificate_holder.html"
CERTIFICATE_CSS = "assessments/pdf/certificate.css"
FRONT_PAGE_UNITS = 10  # more units than this are listed overleaf (a back page), as printed certificates do
BACKGROUND_CACHE_SIZE = 64


def background_html(cert: Certificate) -> str:
    """The scheme's layer of ``cert``: the same for every holder of the scheme (and of the same template,
    language, LSP name and unit list), so its rendered PDF is shared (see :func:`certificates_pdf`)."""
    snap = cert.snapshot
    units = [{"code": u["code"], "title": u["title"]} for u in snap.get("units", [])]
    return render_html(CERTIFICATE_BACKGROUND, {
        "lsp_name": settings.ASSESSMENT_LSP_NAME, "scheme_name": cert.scheme_name, "scheme_code": cert.scheme_code,
        "qualification": snap.get("qualification", ""), "validity_years": snap.get("validity_years", ""),
        "units": units, "overleaf": len(units) > FRONT_PAGE_UNITS}, language="id")


class _Backgrounds:
    """Per-process cache of rendered scheme layers, keyed by a hash of their HTML (a changed template, unit
    list or LSP name is a new key, never a stale page), least recently used dropped first."""

    def __init__(self, size: int):
        import collections
        import threading

        self.size, self.pdfs, self.lock = size, collections.OrderedDict(), threading.Lock()

    def get(self, html: str) -> bytes:
        import hashlib

        key = hashlib.sha256(html.encode()).hexdigest()
        with self.lock:
            pdf = self.pdfs.get(key)
            if pdf is not None:
                self.pdfs.move_to_end(key)
                return pdf
        pdf = html_to_pdf(html, stylesheet=CERTIFICATE_CSS)
        with self.lock:
            self.pdfs[key] = pdf
            while len(self.pdfs) > self.size:
                self.pdfs.popitem(last=False)
        return pdf

    def clear(self) -> None:
        with self.lock:
            self.pdfs.clear()


backgrounds = _Backgrounds(BACKGROUND_CACHE_SIZE)


def certificates_pdf(certs) -> bytes:
    """Certificates as ONE document: for each, the holder's page drawn over its scheme's background page
    (and the background's unit pages after it when the units are listed overleaf).

    The layout is WeasyPrint's, in two layers at fixed positions (``certificate.css``). The holder layers of
    all ``certs`` are one HTML document rendered in one pass; each scheme's layer is rendered once per
    process (:data:`backgrounds`) and put under the holder pages with pikepdf as one shared Form XObject, so
    a certificate costs about one small WeasyPrint page however long the unit list, and a batch PDF carries
    each scheme's drawing once. All text stays real text; the fonts of both layers are embedded.
    """
    import pikepdf

    certs = list(certs)
    contexts = [certificate_context(c) for c in certs]
    holders = html_to_pdf(render_html(CERTIFICATE_HOLDER, {"certs": contexts}, language="id"),
                          stylesheet=CERTIFICATE_CSS)
    if not certs:
        return holders
    out = pikepdf.open(io.BytesIO(holders))
    imported: dict[bytes, tuple] = {}  # background PDF -> (its first page as a form in ``out``, its later pages)
    holder_pages = list(out.pages)
    position = 0
    for cert, page in zip(certs, holder_pages, strict=True):
        background = backgrounds.get(background_html(cert))
        if background not in imported:
            source = pikepdf.open(io.BytesIO(background))
            imported[background] = (out.copy_foreign(source.pages[0].as_form_xobject()),
                                    [out.copy_foreign(p.obj) for p in source.pages[1:]])
        form, overleaf = imported[background]
        page.add_underlay(form)
        position += 1
        for extra in overleaf:
            out.pages.insert(position, pikepdf.Page(extra))
            position += 1
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def certificate_pdf(cert: Certificate) -> bytes:
    return certificates_pdf([cert])


def letter_pdf(letter: ResultLetter) -> bytes:
    return render_pdf("assessments/pdf/result_letter.html", {"letters": [letter],
                                                             "lsp_name": settings.ASSESSMENT_LSP_NAME},
                      language="id")


def merge_pdfs(parts: list[bytes]) -> bytes:
    """Concatenate PDFs in order (pikepdf/qpdf: objects shared within a part stay shared)."""
    import pikepdf

    out = pikepdf.new()
    for part in parts:
        out.pages.extend(pikepdf.open(io.BytesIO(part)).pages)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _render_chunk(kind: str, ids: list[int]) -> bytes:
    """Render a group of documents as ONE HTML document (page breaks between them) in one WeasyPrint pass."""
    if kind == PrintJob.Kind.CERTIFICATES:
        return certificates_pdf(Certificate.objects.filter(pk__in=ids).order_by("sequence"))
    letters = ResultLetter.objects.filter(pk__in=ids).order_by("number")
    return render_pdf("assessments/pdf/result_letter.html", {"letters": letters,
                                                             "lsp_name": settings.ASSESSMENT_LSP_NAME},
                      language="id")


def _worker_init() -> None:
    """Once per worker process: Django set up, no database connection shared with the parent."""
    import django

    django.setup()
    from django.db import connections

    connections.close_all()


def _render_in_process(args) -> bytes:
    from certportal.pdf import pdf_teardown

    try:
        return _render_chunk(*args)
    finally:
        pdf_teardown()  # one run per worker; its temporary font folder goes with it


def split_contiguous(ids: list[int], parts: int) -> list[list[int]]:
    """``ids`` in ``parts`` contiguous runs of (almost) equal length, order kept."""
    parts = max(1, min(parts, len(ids)))
    size, extra = divmod(len(ids), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(ids[start:end])
        start = end
    return out


def render_many(kind: str, ids: list[int], *, processes: int = 1, progress=None) -> bytes:
    """Render ``ids`` as ONE PDF, in document order.

    With one process the documents are one HTML document rendered in one pass. With ``processes`` > 1 they
    are split into that many contiguous runs, each rendered as one document in its own worker process (Django
    set up once per worker, the font and stylesheet setup done once per worker), and the parts are merged with
    pikepdf. ``progress(n)`` is called as each part is done.
    """
    if not ids:
        return _render_chunk(kind, [])
    runs = split_contiguous(ids, processes)
    if len(runs) == 1:
        pdf = _render_chunk(kind, ids)
        if progress:
            progress(len(ids))
        return pdf
    import multiprocessing

    from django.db import connections

    connections.close_all()  # the forked children must not share the parent's connection
    ctx = multiprocessing.get_context("fork")
    parts: list[bytes | None] = [None] * len(runs)
    # The children inherit the parent's whole heap. Frozen, its objects are left out of the children's garbage
    # collections: otherwise every full collection in a worker walks (and copy-on-write copies) all of it.
    gc.collect()
    gc.freeze()
    try:
        with ctx.Pool(len(runs), initializer=_worker_init) as pool:
            pending = {i: pool.apply_async(_render_in_process, ((kind, run),)) for i, run in enumerate(runs)}
            gc.unfreeze()
            while pending:
                for i in list(pending):
                    if pending[i].ready():
                        parts[i] = pending.pop(i).get()
                        if progress:
                            progress(len(runs[i]))
                if pending:
                    next(iter(pending.values())).wait(0.05)
    finally:
        gc.unfreeze()
    return merge_pdfs(parts)


def print_job_start(event, *, actor, kind: str) -> PrintJob:
    if not actor.has_role(Role.LSP_ADMIN):
        raise AssessmentError(_("Only an LSP administrator issues and prints documents."))
    if not event.participants.exclude(decision="").exists():
        raise AssessmentError(_("No participant of this event has a certification decision yet."))
    with transaction.atomic():
        job = PrintJob.objects.create(event=event, kind=kind, created_by=actor)
        audit_record(actor=actor, obj=event, action="print started", note=kind)
        from .tasks import run_print_job

        transaction.on_commit(lambda: run_print_job.delay(job.pk))
    return job


def print_job_run(job_id: int) -> PrintJob:
    """Issue what is missing for the event, then render it all as ONE PDF. Running it twice changes nothing."""
    from django.core.files.base import ContentFile

    job = PrintJob.objects.select_related("event", "created_by").get(pk=job_id)
    if job.status == PrintJob.Status.DONE:
        return job
    PrintJob.objects.filter(pk=job.pk).update(status=PrintJob.Status.RUNNING, done=0)
    try:
        ids = _issue_for_event(job)
        PrintJob.objects.filter(pk=job.pk).update(total=len(ids))
        done = {"n": 0}

        def progress(n: int) -> None:
            done["n"] += n
            PrintJob.objects.filter(pk=job.pk).update(done=done["n"])

        pdf = render_many(job.kind, ids, processes=settings.ASSESSMENT_PRINT_PROCESSES, progress=progress)
        job.refresh_from_db()
        job.file.save(f"event-{job.event_id}-{job.kind}.pdf", ContentFile(pdf), save=False)
        job.status, job.done, job.total, job.finished_at = PrintJob.Status.DONE, len(ids), len(ids), timezone.now()
        job.save()
    except AssessmentError as exc:
        PrintJob.objects.filter(pk=job.pk).update(status=PrintJob.Status.FAILED, error=str(exc))
    return PrintJob.objects.get(pk=job.pk)


def _issue_for_event(job: PrintJob) -> list[int]:
    actor = job.created_by
    participants = job.event.participants.exclude(decision="").select_related("application")
    if job.kind == PrintJob.Kind.CERTIFICATES:
        ids = []
        for p in participants.filter(decision=Result.K):
            if p.obligations_accepted_at or p.certificates.exists():
                ids.append(certificate_issue(p, actor=actor).pk)
        return ids
    return [result_letter_issue(p, actor=actor).pk for p in participants]
