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

from .models import CommitteeMeeting, CommitteeMember, Declaration, Threat, ThreatAnalysis
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


def meeting_record(*, actor, held_on: datetime.date, attendees, agenda: str, minutes: str,
                   endorsed: ThreatAnalysis | None = None, now: datetime.datetime | None = None) -> CommitteeMeeting:
    """Record a meeting the committee held (``quality.committeemeeting.recorded``): on or before today, with at
    least two members present whose term covers that day, its agenda and minutes, and the approved threat analysis
    it endorsed, if any. The same meeting sent twice (a second tab) is refused."""
    today = timezone.localdate(now or timezone.now())
    attendees = list(attendees)
    if held_on > today:
        raise ImpartialityError(_("A meeting is recorded once it has been held: %(date)s is still to come.")
                                % {"date": dates.day(held_on)})
    outside = [m.name for m in attendees if not m.term_from <= held_on <= m.term_to]
    if outside:
        raise ImpartialityError(_("Not a member of the committee on %(date)s: %(names)s.")
                                % {"date": dates.day(held_on), "names": ", ".join(outside)})
    if len(attendees) < 2:
        raise ImpartialityError(_("A committee meeting needs at least two members present."))
    if endorsed is not None and endorsed.status != ThreatAnalysis.Status.APPROVED:
        raise ImpartialityError(_("Only an approved threat analysis can be endorsed: %(analysis)s is a draft.")
                                % {"analysis": endorsed})
    if not _text(minutes) or not _text(agenda):
        raise ImpartialityError(_("Write the agenda and the minutes of the meeting."))
    with transaction.atomic():
        CommitteeMember.objects.select_for_update().filter(pk__in=[m.pk for m in attendees]).count()
        if CommitteeMeeting.objects.filter(held_on=held_on, agenda=agenda.strip()).exists():
            raise ImpartialityError(_("This meeting of %(date)s is already recorded.") % {"date": dates.day(held_on)})
        meeting = CommitteeMeeting.objects.create(held_on=held_on, agenda=agenda.strip(), minutes=minutes.strip(),
                                                  endorsed=endorsed, recorded_by=actor)
        meeting.attendees.set(attendees)
        note = _("%(count)s members present") % {"count": len(attendees)}
        if endorsed is not None:
            note += "; " + _("endorsed: %(analysis)s") % {"analysis": endorsed}
        audit_record(actor=actor, obj=meeting, action="quality.committeemeeting.recorded", note=note)
    return meeting


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


def threat_evidence(analysis: ThreatAnalysis, *, actor, threat: Threat, evidence: str,
                    ip: str | None = None) -> Threat:
    """Record what shows that a threat's measure works (``quality.threatanalysis.control_evidenced``, once the
    analysis is approved); a later record replaces the text, each one audited."""
    if threat.analysis_id != analysis.pk:
        raise ImpartialityError(_("This threat belongs to another analysis."))
    evidence = (evidence or "").strip()
    if not evidence:
        raise ImpartialityError(_("Describe the evidence that the measure works."))
    with transaction.atomic():
        transition(analysis, "control_evidenced", user=actor, ip=ip,
                   reason=f"{threat.get_source_display()}: {evidence[:300]}")
        threat.evidence, threat.evidence_by, threat.evidence_at = evidence, actor, timezone.now()
        threat.save(update_fields=["evidence", "evidence_by", "evidence_at"])
    return threat


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
