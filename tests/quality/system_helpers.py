"""Records of the management system for the tests: an internal audit with findings, a controlled document."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from applicants.samples import sample_pdf
from quality.system import services
from quality.system.models import SystemReview
from tests.factories import UserFactory

HELD = datetime.date(2026, 11, 2)  # a Monday


def pdf(name: str = "bukti.pdf", title: str = "Bukti") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample_pdf(title), content_type="application/pdf")


def auditor():
    """An internal auditor who took part in no test event (LSP personnel: the quality role)."""
    from certportal.accounts.models import Role, User

    return (User.objects.filter(email="ida.auditor@example.go.id").first()
            or UserFactory(full_name="Ida Auditor", email="ida.auditor@example.go.id", roles=[Role.QUALITY]))


def audit(admin, held_on: datetime.date = HELD, *, by=None, events=()) -> SystemReview:
    return services.review_record(actor=admin, kind=SystemReview.Kind.INTERNAL_AUDIT, held_on=held_on,
                                  scope="Proses sertifikasi skema SS-02", participants="Auditor internal\nManajer mutu",
                                  auditor=by or auditor(), audited_events=events)


def finding(review, admin, owner, text: str = "Rekaman FR.AK.06 tidak lengkap"):
    return services.finding_record(review, actor=admin, severity="minor", clause="ISO/IEC 17024 9.2",
                                   description=text, action="Lengkapi rekaman dan latih asesor", owner=owner)


def analyse(action, owner=None):
    """The owner records the correction done at once and the cause found (before reporting the action done)."""
    return services.action_analyse(action, actor=owner or action.owner, correction="Rekaman dilengkapi",
                                   cause="Daftar periksa tidak memuat rekaman itu")
