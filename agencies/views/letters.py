"""The agency's letters on a cohort's page: sign for the whole cohort (the head of the agency, the Sekretaris
Daerah), read the PDF, withdraw a letter with a reason."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certportal.accounts.models import Role
from certportal.files import private_file_response
from certportal.net import client_ip
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action

from ..forms import ReasonForm
from ..letters import services
from ..letters.forms import SignForm
from ..letters.rules import FILE_NAMES, ORDER
from ..models import CohortLetter, LetterKind, LetterStatus, ProposalStatus
from ..selectors import AGENCY_ROLES, cohorts_visible_to

SIGNERS = (Role.AGENCY_HEAD, Role.REGIONAL_SECRETARY)
READERS = (*AGENCY_ROLES, Role.REGIONAL_SECRETARY, Role.LSP_ADMIN, Role.SUPERVISOR)


def letter_rows(cohort, user) -> list[dict]:
    """Each letter of the cohort: the one signed (or a pending one, unsaved, to ask the machine), what ``user`` may
    do with it now and why not."""
    live = {letter.kind: letter for letter in cohort.letters.exclude(status=LetterStatus.WITHDRAWN)
            .select_related("signed_by")}
    withdrawn = {}
    for letter in cohort.letters.filter(status=LetterStatus.WITHDRAWN).order_by("withdrawn_at"):
        withdrawn[letter.kind] = letter
    # what signing or withdrawing touches, for the question each asks first (issue 43): every person, every dossier
    people = cohort.proposals.exclude(status=ProposalStatus.WITHDRAWN).count()
    rows = []
    for kind in ORDER:
        letter = live.get(kind) or CohortLetter(cohort=cohort, kind=kind)
        actions = allowed_actions(letter, user)
        rows.append({"kind": kind, "label": LetterKind(kind).label, "letter": letter if letter.pk else None,
                     "sign": actions["signed"], "withdraw": actions["withdrawn"], "withdrawn": withdrawn.get(kind),
                     "people": people, "dossiers": _dossiers(letter),
                     "form": SignForm(prefix=kind, initial={"typed_name": ""})})
    return rows


def _dossiers(letter: CohortLetter) -> int:
    """The dossiers a signed letter is in now (each one it would leave, if withdrawn)."""
    if not letter.pk:
        return 0
    return letter.copies.filter(file__superseded_at__isnull=True).values("file__document__application").distinct().count()


@role_required(*SIGNERS)
@require_POST
def letter_sign(request, pk: int, kind: str):
    cohort = get_object_or_404(cohorts_visible_to(request.user), pk=pk)
    if kind not in LetterKind.values:
        raise Http404
    return run_action(request, lambda d: services.letter_sign(
        cohort, kind, actor=request.user, typed_name=d["typed_name"], number=d["number"], place=d["place"],
        signer_nip=d["signer_nip"], ip=client_ip(request)),
        form=SignForm(request.POST, prefix=kind),
        success=_("“%(letter)s” is signed for the whole cohort and added to each dossier.") % {
            "letter": LetterKind(kind).label}, redirect_to=cohort)


def _visible_letter(request, pk: int) -> CohortLetter:
    return get_object_or_404(CohortLetter.objects.select_related("cohort").filter(
        cohort__in=cohorts_visible_to(request.user)).exclude(status=LetterStatus.PENDING), pk=pk)


@role_required(*SIGNERS)
@require_POST
def letter_withdraw(request, pk: int):
    letter = _visible_letter(request, pk)
    return run_action(request, lambda d: services.letter_withdraw(letter, actor=request.user, reason=d["reason"],
                                                                  ip=client_ip(request)),
                      form=ReasonForm(request.POST),
                      success=_("The letter is withdrawn; the dossiers are returned with your reason."),
                      redirect_to=letter.cohort)


@role_required(*READERS)
def letter_pdf(request, pk: int):
    letter = _visible_letter(request, pk)
    if not letter.pdf:
        raise Http404
    return private_file_response(letter.pdf, f"{FILE_NAMES[letter.kind]}-{letter.pk}.pdf")
