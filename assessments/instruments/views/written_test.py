"""FR.IA.05 in the browser (``assessments.instruments.services.written_test``).

The participant (``selectors.my_participations``): the card on their page (``my_context``), start, the test page
(the questions of their OWN RUNNING test only, never after it is submitted), autosave of each answer (JSON), and
submit. Staff (``selectors.written_tests_visible_to``: their own assessor, LSP admins, quality): the card on the
participant page (``participant_context``), the answer sheet with the keys (audited as a bank access) and the
FR.IA.05 PDF.

    saya/<participant>/ujian-tertulis/            the running test (GET)
    saya/<participant>/ujian-tertulis/mulai/      start (POST)
    saya/<participant>/ujian-tertulis/jawab/      one answer (POST, JSON)
    saya/<participant>/ujian-tertulis/kumpulkan/  submit (POST)
    peserta/<participant>/ujian-tertulis/         the answer sheet (staff)
    peserta/<participant>/fr-ia-05.pdf            FR.IA.05 (staff)
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments.events.selectors import get_or_403, my_participations
from assessments.instruments import selectors
from assessments.instruments.models.records import WrittenTest
from assessments.instruments.paperwork.written_test import render_ia05
from assessments.instruments.selectors import written_tests_visible_to
from assessments.instruments.services import written_test as tests
from certportal.accounts.models import Role
from certportal.audit.services import audit_record
from certportal.pdf import pdf_response
from certportal.permissions import role_required
from certportal.workflow.views import run_action, run_service

STAFF = (Role.ASSESSOR, Role.LSP_ADMIN, Role.QUALITY)


def no_store(view):
    """The test and its answers are never kept by a browser cache or a proxy."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped


def _my_test(request, pk) -> tuple:
    participant = get_or_403(my_participations(request.user), pk=pk)
    test = WrittenTest.objects.filter(participant=participant).first()
    if test is not None:
        tests.written_test_expire(test)  # the time ran out since the last request: close and score it now
    return participant, test


def _here(participant) -> str:
    return reverse("assessments:my-participation", args=[participant.pk])


@no_store
@role_required(Role.APPLICANT)
def my_test(request, pk):
    participant, test = _my_test(request, pk)
    if test is None or test.status != WrittenTest.Status.RUNNING:
        return redirect(_here(participant))  # never the questions of a test that is not running
    remaining = max(0, int((test.deadline - timezone.now()).total_seconds()))
    return render(request, "assessments/written_test.html", {
        "p": participant, "test": test, "groups": tests.questions_as_shown(test), "remaining": remaining,
        "answered": len(test.answers), "scheme": participant.application.scheme, "back": _here(participant)})


@require_POST
@role_required(Role.APPLICANT)
def my_test_start(request, pk):
    participant, _test = _my_test(request, pk)
    return run_action(request, lambda data: tests.written_test_start(participant, user=request.user),
                      success=_("Your written test has started. Good luck!"),
                      redirect_to=lambda t: reverse("assessments:my-test", args=[participant.pk]),
                      error_redirect=_here(participant))


@no_store
@require_POST
@role_required(Role.APPLICANT)
def my_test_answer(request, pk):
    """One answer (JSON): saved, or refused with the reason (time ran out, submitted, not an option). The page
    sends one per click, 200 participants at once: a change is the session, the user and their roles, and one
    statement that writes the answer of the person's own running test and its history row (docs/benchmarks.md)."""
    out: dict = {}
    saved = run_service(request, lambda: out.setdefault("answered", tests.written_answer_autosave(
        pk, user=request.user, item=request.POST.get("item"), choice=request.POST.get("choice"))),
        refused=lambda exc: out.setdefault("message", exc.message))
    if saved and out["answered"] is None:  # not their test, or none started: the same answers as the test page
        get_or_403(my_participations(request.user), pk=pk)
        raise Http404
    if not saved:
        test = WrittenTest.objects.filter(participant_id=pk).only("status").first()
        return JsonResponse({"saved": False, "message": out["message"],
                             "running": test is not None and test.status == WrittenTest.Status.RUNNING}, status=422)
    return JsonResponse({"saved": True, "message": str(_("saved")), "running": True, "answered": out["answered"]})


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(error_messages={"required": gettext_lazy(
        "Tick the box to confirm that you have finished: the answers cannot be changed afterwards.")})


@require_POST
@role_required(Role.APPLICANT)
def my_test_submit(request, pk):
    participant, test = _my_test(request, pk)
    if test is None:
        raise Http404
    answers = {key[2:]: value for key, value in request.POST.items() if key.startswith("q-")}

    def submitted(t: WrittenTest) -> str:
        if t.timed_out:
            return tests.before_deadline_message(t)
        return _("Your answers are submitted and scored.")

    return run_action(request, lambda data: tests.written_test_submit(test, user=request.user, answers=answers),
                      form=SubmitForm(request.POST), success=submitted, redirect_to=_here(participant),
                      error_redirect=reverse("assessments:my-test", args=[participant.pk]))


def my_context(user, participant) -> dict:
    """The card on the participant's page: start, continue, or the score per unit (never the questions)."""
    units = tests.written_units(participant)
    test = WrittenTest.objects.filter(participant=participant).first()
    if not units and test is None:
        return {}
    if test is not None:
        tests.written_test_expire(test)
    plan = participant.event.plan
    return {"written": {
        "units": units, "test": test, "plan": plan, "scores": tests.unit_scores(test) if test else [],
        "refusal": "" if test else tests.start_refusal(participant),
        "remaining_minutes": max(0, int((test.deadline - timezone.now()).total_seconds() // 60)) if test else 0}}


# --- staff ------------------------------------------------------------------------------------------------------


def participant_context(user, participant) -> dict:
    """The card on the staff participant page, for their own assessor, the LSP admins and quality (the same rule
    as ``selectors.written_tests_visible_to``); nothing for anyone else."""
    own = bool(participant.assessor_id and participant.assessor.user_id == user.pk and user.has_role(Role.ASSESSOR))
    if not (own or user.has_role(*selectors.WRITTEN_TEST_READERS)):
        return {}
    units = tests.written_units(participant)
    test = written_tests_visible_to(user).filter(participant=participant).first()
    if not units and test is None:
        return {}
    if test is not None:
        tests.written_test_expire(test)
    return {"staff_written": {"units": units, "test": test, "scores": tests.unit_scores(test) if test else []}}


def _staff_test(request, pk) -> WrittenTest:
    test = get_or_403(written_tests_visible_to(request.user), participant_id=pk)
    tests.written_test_expire(test)
    if test.status != WrittenTest.Status.SUBMITTED:
        raise Http404  # the sheet and the form exist once the test is scored
    return test


@no_store
@role_required(*STAFF)
def test_sheet(request, pk):
    test = _staff_test(request, pk)
    p = test.participant
    audit_record(actor=request.user, obj=test, action="assessments.writtentest.answers_viewed",
                 note=", ".join(s.code for s in tests.unit_scores(test)))
    return render(request, "assessments/written_test_sheet.html", {
        "p": p, "test": test, "sheet": tests.answer_sheet(test), "scheme": p.application.scheme,
        "changes": tests.answer_changes(test)})


@role_required(*STAFF)
def test_pdf(request, pk):
    test = _staff_test(request, pk)
    audit_record(actor=request.user, obj=test, action="assessments.writtentest.printed")
    return pdf_response(render_ia05(test.participant), f"fr-ia-05-{test.participant_id}.pdf")


urls = [
    path("saya/<int:pk>/ujian-tertulis/", my_test, name="my-test"),
    path("saya/<int:pk>/ujian-tertulis/mulai/", my_test_start, name="my-test-start"),
    path("saya/<int:pk>/ujian-tertulis/jawab/", my_test_answer, name="my-test-answer"),
    path("saya/<int:pk>/ujian-tertulis/kumpulkan/", my_test_submit, name="my-test-submit"),
    path("peserta/<int:pk>/ujian-tertulis/", test_sheet, name="test-sheet"),
    path("peserta/<int:pk>/fr-ia-05.pdf", test_pdf, name="test-pdf"),
]


def event_context(user, event) -> dict:
    return {}
