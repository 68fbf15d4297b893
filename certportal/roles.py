"""The roles a person may hold, and the groups of them the core names (staff, the LSP's own personnel).

A low room of the core: the pages, menus and queues of every room check roles against these, and the accounts
(``certportal.accounts.models``, which hands the same names on) record who holds which.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    VERIFIER = "verifier", _("Verifier (BKPSDM)")
    ASSESSOR = "assessor", _("Assessor")
    LSP_ADMIN = "lsp_admin", _("LSP administrator")
    TUK_HEAD = "tuk_head", _("Head of test site (Kepala TUK)")
    QUALITY = "quality", _("Quality reviewer")
    COMPLAINT_OFFICER = "complaint_officer", _("Complaint officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    # The applicant's agency (issue 29): scoped to one perangkat daerah by agencies.AgencyMembership, except the
    # province's Sekretaris Daerah, who recommends for every agency.
    AGENCY_OFFICER = "agency_officer", _("Agency staffing officer (Pengelola kepegawaian PD)")
    AGENCY_HEAD = "agency_head", _("Head of agency (Kepala PD)")
    REGIONAL_SECRETARY = "regional_secretary", _("Regional Secretary (Sekretaris Daerah)")


STAFF_ROLES = [r for r in Role if r != Role.APPLICANT]
# The certification body's own personnel (ISO/IEC 17024 6): who assesses, reviews a test event or decides; each signs
# a yearly declaration of interest, and only they sit in a pleno. Verifiers, complaint officers and the supervisor
# serve the BKPSDM; the agency roles are the candidates' employers.
LSP_PERSONNEL = (Role.ASSESSOR, Role.TUK_HEAD, Role.QUALITY, Role.LSP_ADMIN)
