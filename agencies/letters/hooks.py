"""What the applicants app asks the letters (registered in ``AgenciesConfig.ready``): which documents of a dossier
are the agency's signed letters (and by whom, when), and who may return a dossier when withdrawing a letter."""

from __future__ import annotations

from django.utils.translation import gettext as _

from certportal import dates
from certportal.accounts.models import Role

from ..models import LetterCopy, LetterStatus
from ..selectors import agency_of, proposal_for_application


def provided(app) -> dict[int, str]:
    copies = (LetterCopy.objects.filter(file__document__application=app, file__superseded_at__isnull=True,
                                        letter__status=LetterStatus.SIGNED)
              .select_related("letter__cohort__agency", "letter__signed_by", "file"))
    return {c.file.document_id: _describe(c.letter) for c in copies}


def _describe(letter) -> str:
    office = _("the Sekretaris Daerah") if letter.kind == "secretary_recommendation" else letter.cohort.agency.name
    return _("Issued in the portal by %(office)s: signed by %(name)s (%(position)s) on %(when)s, letter number "
             "%(number)s.") % {"office": office, "name": letter.signed_by.full_name, "position": letter.signer_position,
                               "when": dates.wib(letter.signed_at), "number": letter.number}


def may_return(user, app) -> bool:
    """The head of the person's agency, or the Sekretaris Daerah, withdrawing their letter returns the dossier."""
    proposal = proposal_for_application(app)
    if proposal is None:
        return False
    if user.has_role(Role.REGIONAL_SECRETARY):
        return True
    agency = agency_of(user)
    return user.has_role(Role.AGENCY_HEAD) and agency is not None and agency.pk == proposal.cohort.agency_id
