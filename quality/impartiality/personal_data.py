"""The impartiality room's part of "download my data": the person's declarations of interest and their seats on
the impartiality committee."""

from django.utils.translation import gettext_lazy as _

from certportal.personal_data import Section

from .models import CommitteeMember, Declaration

EXPORTS = ["quality.Declaration.user", "quality.CommitteeMember.user"]
NAMES = ["quality.CommitteeMember.created_by", "quality.ThreatAnalysis.created_by",
         "quality.ThreatAnalysis.approved_by"]


def collect(user) -> list[Section]:
    declarations = Declaration.objects.filter(user=user)
    seats = CommitteeMember.objects.filter(user=user)
    return [
        Section("quality.declarations", _("Your declarations of interest and confidentiality"),
                [{"signed_at": d.signed_at, "typed_name": d.signed_name, "interests": d.interests,
                  "statement": d.statement, "valid_from": d.valid_from, "valid_until": d.valid_until,
                  "ip_address": d.ip_address} for d in declarations]),
        Section("quality.committee", _("Your seats on the impartiality committee"),
                [{"name": m.name, "position": m.position, "interest": m.interest, "term_from": m.term_from,
                  "term_to": m.term_to} for m in seats]),
    ]
