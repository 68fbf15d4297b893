"""Who signs which letter, and which of seed 001's requirements (item 1) each letter stands for.

Decision (docs/roles/agency.md): number 3, the civil servant's application to the head of the agency, is the
counterpart of number 2, the agency's proposal: a person proposed by their agency has asked for it (the proposal says
so, "atas permohonan yang bersangkutan"), so the signed proposal letter is the document of both requirements.
"""

from __future__ import annotations

from certportal.accounts.models import Role
from certportal.signing import offices
from schemes.reference_data import SERVICE_STANDARD_DOCUMENTS

from ..models import LetterKind

K = LetterKind
SIGNER = {K.PROPOSAL: Role.AGENCY_HEAD, K.HEAD_RECOMMENDATION: Role.AGENCY_HEAD, K.AUTHENTICITY: Role.AGENCY_HEAD,
          K.SECRETARY_RECOMMENDATION: Role.REGIONAL_SECRETARY}
ORDER = [K.PROPOSAL, K.HEAD_RECOMMENDATION, K.AUTHENTICITY, K.SECRETARY_RECOMMENDATION]
NUMBERS = {K.PROPOSAL: (2, 3), K.HEAD_RECOMMENDATION: (10,), K.SECRETARY_RECOMMENDATION: (11,),
           K.AUTHENTICITY: (12,)}
_NAMES = {number: name for number, name, _merged in SERVICE_STANDARD_DOCUMENTS}
REQUIREMENTS = {kind: tuple(_NAMES[n] for n in numbers) for kind, numbers in NUMBERS.items()}
# The Sekretaris Daerah recommends what the head of the agency has recommended.
NEEDS = {K.SECRETARY_RECOMMENDATION: K.HEAD_RECOMMENDATION}
FILE_NAMES = {K.PROPOSAL: "surat-usulan", K.HEAD_RECOMMENDATION: "rekomendasi-kepala-pd",
              K.AUTHENTICITY: "pernyataan-keabsahan-berkas", K.SECRETARY_RECOMMENDATION: "rekomendasi-sekda"}


def signing_office(kind: str, agency_name: str) -> str:
    """Whose electronic signature the letter carries (certportal.signing.offices): the Sekretaris Daerah's for
    their recommendation, the head of the agency's for the others; never the LSP's."""
    if kind == K.SECRETARY_RECOMMENDATION:
        return offices.REGIONAL_SECRETARY
    return offices.agency_head(agency_name)


def kinds_signed_by(user) -> list[str]:
    return [kind for kind in ORDER if user.has_role(SIGNER[kind])]


def requirement_names() -> set[str]:
    return {name for names in REQUIREMENTS.values() for name in names}
