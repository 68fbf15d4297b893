"""Demo of the agency's letters: the head of Dinas Kesehatan and the Sekretaris Daerah sign for the proposed cohort
(each proposed person finds them in the dossier they start from the invitation)."""

from __future__ import annotations

from certportal.accounts.models import User

from ..models import Cohort
from . import services
from .rules import ORDER, SIGNER

NUMBERS = {"proposal": "800/2417/Dinkes/2026", "head_recommendation": "800/2418/Dinkes/2026",
           "authenticity": "800/2419/Dinkes/2026", "secretary_recommendation": "000.8.3/5120/Setda/2026"}
SIGNERS = {"agency_head": "kepala.dinkes@demo.go.id", "regional_secretary": "sekda@demo.go.id"}


def sign(cohort: Cohort, stdout) -> None:
    for kind in ORDER:
        signer = User.objects.filter(email=SIGNERS[SIGNER[kind]]).first()
        if signer is None or services.live_letter(cohort, kind) is not None:
            continue
        services.letter_sign(cohort, kind, actor=signer, typed_name=signer.full_name, number=NUMBERS[kind],
                             place="Jakarta")
    stdout.write(f"agencies: {cohort.letters.count()} letters signed for the proposed cohort")
