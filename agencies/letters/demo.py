"""Demo of the agency's letters: the head of Dinas Kesehatan and the Sekretaris Daerah sign for Dinas Kesehatan's
cohort (each proposed person finds them in the dossier they start from the invitation); the head of Dinas Pendidikan
signs hers, and her cohort waits for the Sekretaris Daerah's recommendation (the signing form on the cohort's page)."""

from __future__ import annotations

from certportal.accounts.models import User

from ..models import Cohort
from . import services
from .rules import ORDER, SIGNER

NUMBERS = {
    "Dinas Kesehatan": {"proposal": "800/2417/Dinkes/2026", "head_recommendation": "800/2418/Dinkes/2026",
                        "authenticity": "800/2419/Dinkes/2026",
                        "secretary_recommendation": "000.8.3/5120/Setda/2026"},
    "Dinas Pendidikan": {"proposal": "800/1305/Disdik/2026", "head_recommendation": "800/1306/Disdik/2026",
                         "authenticity": "800/1307/Disdik/2026"},  # the Sekretaris Daerah has not signed yet
}
SIGNERS = {"Dinas Kesehatan": {"agency_head": "kepala.dinkes@demo.go.id", "regional_secretary": "sekda@demo.go.id"},
           "Dinas Pendidikan": {"agency_head": "kepala.disdik@demo.go.id"}}


def sign(cohort: Cohort, stdout) -> None:
    numbers, signers = NUMBERS.get(cohort.agency.name, {}), SIGNERS.get(cohort.agency.name, {})
    for kind in ORDER:
        email = signers.get(SIGNER[kind])
        signer = User.objects.filter(email=email).first() if email else None
        if signer is None or kind not in numbers or services.live_letter(cohort, kind) is not None:
            continue
        services.letter_sign(cohort, kind, actor=signer, typed_name=signer.full_name, number=numbers[kind],
                             place="Jakarta")
    stdout.write(f"agencies: {cohort.letters.count()} letters signed for {cohort.agency}'s proposed cohort")
