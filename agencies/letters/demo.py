"""Demo of the agency's letters: the head of Dinas Kesehatan and the Sekretaris Daerah sign for Dinas Kesehatan's
cohort (each proposed person finds them in the dossier they start from the invitation); the head of Dinas Pendidikan
signs hers, and her cohort waits for the Sekretaris Daerah's recommendation (the signing form on the cohort's page).
Each signing office gets its own demo key from the demo CA (:func:`issue_keys`): the letters carry the electronic
signature of whoever signs them."""

from __future__ import annotations

from certportal.accounts.models import Role, User
from certportal.signing import demo as signing_demo
from certportal.signing import offices

from ..models import AgencyMembership, Cohort
from . import services
from .rules import ORDER, SIGNER

GOVERNMENT = "Pemerintah Provinsi DKI Jakarta (demo)"

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


def issue_keys(stdout) -> None:
    """A demo key per signing office: each head of an agency's, and the Sekretaris Daerah's (when the offices' keys
    live in the demo folder); the certificate names the person, their position and the government."""
    issued = []
    for m in AgencyMembership.objects.filter(user__role_links__role=Role.AGENCY_HEAD).select_related("user", "agency"):
        issued.append(signing_demo.office_key(offices.agency_head(m.agency.name), common_name=m.user.full_name,
                                              title=m.position or f"Kepala {m.agency.name}", organisation=GOVERNMENT))
    secretary = User.objects.filter(role_links__role=Role.REGIONAL_SECRETARY).order_by("pk").first()
    if secretary is not None:
        issued.append(signing_demo.office_key(offices.REGIONAL_SECRETARY, common_name=secretary.full_name,
                                              title="Sekretaris Daerah Provinsi DKI Jakarta", organisation=GOVERNMENT))
    if any(issued):
        stdout.write(f"agencies: {sum(map(bool, issued))} signing offices' demo keys under var/esign/signers")
