"""Run inside the embedded portal (``manage.py shell``) after ``load_demo``: an event on the demo plan that began
today, whose participants have consented and are present, so that each may start the browser written test now.
Prints ``[[email, participant id], ...]`` as JSON. Everything goes through the services, as the demo does."""

from __future__ import annotations

import datetime
import json

MARK = "LIVE: Ruang Uji 4 (written test under load)"


def written_test_ready(count: int) -> None:
    from django.utils import timezone

    from assessments import demo, services
    from assessments.models import Assessor
    from certportal.accounts.models import User
    from schemes.models import Scheme

    scheme = Scheme.objects.get(code=demo.SCHEME_CODE, is_current=True)
    admin, head = User.objects.get(email="admin.lsp@demo.go.id"), User.objects.get(email="kepala.tuk@demo.go.id")
    assessor = Assessor.objects.get(user__email="asesor@demo.go.id")
    now = timezone.localtime()
    # began an hour ago, but today (WIB) whatever the hour the test runs
    starts = max(now - datetime.timedelta(hours=1), now.replace(hour=0, minute=0, second=0, microsecond=0))
    rows = [(f"asesi.beban{n}@demo.go.id", f"Peserta Beban {n}, S.AP.", f"19880101201001100{n}", True, "live")
            for n in range(1, count + 1)]
    apps = [demo._application(row, scheme) for row in rows]
    event = services.event_create(actor=admin, scheme=scheme, test_site=scheme.test_sites.first(), starts_at=starts,
                                  place_note=MARK)
    services.event_add_assessor(event, assessor=assessor, actor=admin)
    for app in apps:
        services.event_add_participant(event, application=app, actor=admin)
    event = demo._walk(event, 4, admin=admin, head=head, assessor_user=assessor.user)
    services.attendance_record(event, actor=assessor.user, participants={p.pk: True for p in event.participants.all()},
                               assessors={a.pk: True for a in event.event_assessors.all()})
    ready = []
    for p in event.participants.select_related("application__applicant").order_by("pk"):
        services.participant_accept_agreement(p, user=p.application.applicant, signed_name=p.name)
        services.assessor_accept_agreement(p, user=assessor.user, signed_name=assessor.user.full_name)
        ready.append([p.application.applicant.email, p.pk])
    print(json.dumps(ready))


def dossiers() -> None:
    """The demo dossiers the load test acts on, as JSON: Siti's returned application and the documents she may
    upload to; Andi's submitted, resubmitted and complete applications."""
    from applicants.models import Application, Status

    def docs(app):
        return [d.pk for d in app.documents.select_related("requirement").order_by("pk")
                if "pdf" in (d.requirement.accepted_kinds or ["pdf"])]

    siti = Application.objects.get(applicant__email="pemohon@demo.go.id", status=Status.RETURNED)
    andi = {a.status: a.pk for a in Application.objects.filter(applicant__email="andi.pratama@demo.go.id")}
    print(json.dumps({"returned": siti.pk, "returned_docs": docs(siti), "submitted": andi[Status.SUBMITTED],
                      "resubmitted": andi[Status.RESUBMITTED], "complete": andi[Status.COMPLETE]}))
