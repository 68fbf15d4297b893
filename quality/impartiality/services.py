"""The impartiality records' acts: the committee, the threat analysis, the declarations. Each is audited."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.instruments.services.signature import own_name_matches
from certportal import dates
from certportal.audit.services import audit_record
from certportal.sentences import one_full_stop
from certportal.workflow import transition

from .models import CommitteeMember, Declaration, Threat, ThreatAnalysis
from .rules import SIGNERS, one_year_from
from .workflow import ImpartialityError


def statement() -> str:
    """What the person declares, in the language they sign in (kept on the declaration as signed)."""
    return _(
        "I declare that I will carry out my tasks in certification (assessing, reviewing, sitting in a pleno or "
        "deciding) impartially and free of conflicts of interest; that I will tell the LSP at once of any "
        "relationship or interest that may threaten my impartiality (family, work, financial, training given to "
        "the participant) and stand aside from that participant; and that I will keep confidential all "
        "information about participants and the assessment material obtained in my tasks, also after they end.")


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


# --- the committee -------------------------------------------------------------------------------------------


def member_save(*, actor, member: CommitteeMember | None = None, user=None, name: str, position: str,
                interest: str, term_from: datetime.date, term_to: datetime.date) -> CommitteeMember:
    """Add (``quality.committeemember.added``) or change (``...changed``) a committee member."""
    name = _text(name) or (user.full_name if user else "")
    if not name:
        raise ImpartialityError(_("Give the member's name or choose their account."))
    if term_to < term_from:
        raise ImpartialityError(_("The term cannot end before it starts."))
    fields = {"user": user, "name": name, "position": _text(position), "interest": _text(interest),
              "term_from": term_from, "term_to": term_to}
    with transaction.atomic():
        if member is None:
            member = CommitteeMember.objects.create(created_by=actor, **fields)
            code = "quality.committeemember.added"
        else:
            for key, value in fields.items():
                setattr(member, key, value)
            member.save()
            code = "quality.committeemember.changed"
        audit_record(actor=actor, obj=member, action=code,
                     note=f"{member.name}, {member.position} ({member.term_from} – {member.term_to})")
    return member


# --- the threat analysis ---------------------------------------------------------------------------------------


def analysis_create(*, actor, year: int, review_on: datetime.date) -> ThreatAnalysis:
    """Draft the analysis of ``year`` (``quality.threatanalysis.created``): one per year, reviewed that year or
    later."""
    if review_on.year < year:
        raise ImpartialityError(_("The review date falls before the year the analysis is for."))
    duplicate = _("The threat analysis for %(year)s is already recorded.") % {"year": year}
    if ThreatAnalysis.objects.filter(year=year).exists():
        raise ImpartialityError(duplicate)
    try:
        with transaction.atomic():
            analysis = ThreatAnalysis.objects.create(year=year, review_on=review_on, created_by=actor)
            audit_record(actor=actor, obj=analysis, action="quality.threatanalysis.created",
                         to_state=analysis.status, note=str(year))
    except IntegrityError as exc:  # the same year drafted at the same moment in another tab
        raise ImpartialityError(duplicate) from exc
    return analysis


def threat_add(analysis: ThreatAnalysis, *, actor, source: str, threat: str, level: str, measure: str,
               ip: str | None = None) -> Threat:
    """Record a threat with its level and measure (``quality.threatanalysis.threat_added``, while a draft)."""
    with transaction.atomic():
        transition(analysis, "threat_added", user=actor, ip=ip,
                   reason=f"{Threat.Source(source).label} ({Threat.Level(level).label})")
        return Threat.objects.create(analysis=analysis, source=source, threat=threat.strip(), level=level,
                                     measure=measure.strip())


def analysis_approve(analysis: ThreatAnalysis, *, actor, ip: str | None = None) -> ThreatAnalysis:
    """Approve the analysis (``quality.threatanalysis.approved``)."""
    return transition(analysis, "approved", user=actor, ip=ip, approved_by=actor)


# --- the declarations ------------------------------------------------------------------------------------------


def declaration_sign(user, *, interests: str, signed_name: str, ip: str | None = None,
                     now: datetime.datetime | None = None) -> Declaration:
    """``user`` signs their declaration (``quality.declaration.signed``), valid a year from today. The typed name
    must be their own; the same declaration sent twice (a second tab, a replayed request) is refused, saying when
    it was signed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not user.has_role(*SIGNERS):
        raise ImpartialityError(_("Your role does not sign declarations of interest."))
    if not own_name_matches(signed_name, user):
        raise ImpartialityError(one_full_stop(_("To sign, type your name as it is on your account: %(name)s.")
                                              % {"name": user.full_name}))
    interests = (interests or "").strip()
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # one signature at a time
        same = Declaration.objects.filter(user=user, valid_from=today, interests=interests).first()
        if same is not None:
            raise ImpartialityError(_("You already signed this declaration today at %(time)s: it is valid until "
                                      "%(date)s.") % {"time": dates.wib(same.signed_at),
                                                       "date": dates.day(same.valid_until)})
        declaration = Declaration.objects.create(
            user=user, interests=interests, statement=statement(), signed_name=" ".join(signed_name.split())[:200],
            signed_at=now, ip_address=ip, valid_from=today, valid_until=one_year_from(today))
        audit_record(actor=user, obj=declaration, action="quality.declaration.signed", ip_address=ip,
                     note=_("valid until %(date)s") % {"date": dates.day(declaration.valid_until)})
    return declaration
