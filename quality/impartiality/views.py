"""Impartiality pages: the overview an auditor reads (committee, analyses, declarations), the LSP admin's forms,
and each person's own declaration."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certportal import kept_pages
from certportal.accounts.models import Role
from certportal.net import client_ip
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_form
from quality.kept_pages import IMPARTIALITY

from . import services
from .forms import AnalysisForm, DeclarationForm, EvidenceForm, MeetingForm, MemberForm, ThreatForm
from .models import CommitteeMeeting, CommitteeMember, Declaration, ThreatAnalysis
from .rules import DUE_WITHIN_DAYS, SIGNERS, current_declaration, declaring_people

ADMIN = (Role.LSP_ADMIN,)
READERS = (Role.LSP_ADMIN, Role.QUALITY, Role.SUPERVISOR)  # the supervisor and quality read, as an auditor would


@role_required(*READERS)
def overview(request):
    """Kept per reader (``quality.kept_pages``)."""
    def draw() -> dict:
        today = timezone.localdate()
        return {"members": CommitteeMember.objects.select_related("user"), "today": today,
                "analyses": ThreatAnalysis.objects.select_related("created_by", "approved_by"),
                "meetings": CommitteeMeeting.objects.select_related("endorsed").prefetch_related("attendees")[:20],
                "people": list(declaring_people(today)), "soon": today + datetime.timedelta(days=DUE_WITHIN_DAYS)}

    return kept_pages.page(request, "quality/impartiality/overview.html", IMPARTIALITY, kept_pages.WHOLE, draw,
                           around={"may_edit": request.user.has_role(*ADMIN)})


@role_required(*ADMIN)
def member_edit(request, pk: int | None = None):
    member = get_object_or_404(CommitteeMember, pk=pk) if pk else None
    form = MemberForm(request.POST or None, instance=member)
    return run_form(request, form, lambda d: services.member_save(actor=request.user, member=member, **d),
                    success=_("Committee member saved."), redirect_to="quality:impartiality",
                    template="core/form_page.html",
                    context={"title": _("Change a committee member") if member else _("Add a committee member")})


@role_required(*ADMIN)
def meeting_record(request):
    form = MeetingForm(request.POST or None)
    return run_form(request, form, lambda d: services.meeting_record(actor=request.user, **d),
                    success=_("Committee meeting recorded."), redirect_to="quality:impartiality",
                    template="core/form_page.html", context={"title": _("Record a committee meeting")})


@role_required(*ADMIN)
def analysis_create(request):
    form = AnalysisForm(request.POST or None)
    return run_form(request, form, lambda d: services.analysis_create(actor=request.user, **d),
                    success=_("Threat analysis drafted: record its threats."), redirect_to=lambda a: a,
                    template="core/form_page.html", context={"title": _("New threat analysis")})


@role_required(*READERS)
def analysis_detail(request, pk: int):
    analysis = get_object_or_404(ThreatAnalysis.objects.select_related("created_by", "approved_by"), pk=pk)
    return render(request, "quality/impartiality/analysis_detail.html", {
        "analysis": analysis, "threats": analysis.threats.select_related("evidence_by"), "form": ThreatForm(),
        "evidence_form": EvidenceForm(analysis=analysis), "endorsements": analysis.endorsements.all(),
        "actions": allowed_actions(analysis, request.user)})


@role_required(*ADMIN)
@require_POST
def threat_add(request, pk: int):
    analysis = get_object_or_404(ThreatAnalysis, pk=pk)
    return run_action(request, lambda d: services.threat_add(analysis, actor=request.user, ip=client_ip(request), **d),
                      form=ThreatForm(request.POST), success=_("Threat recorded."), redirect_to=analysis)


@role_required(Role.LSP_ADMIN, Role.QUALITY)
@require_POST
def threat_evidence(request, pk: int):
    analysis = get_object_or_404(ThreatAnalysis, pk=pk)
    return run_action(request, lambda d: services.threat_evidence(analysis, actor=request.user, ip=client_ip(request),
                                                                  **d),
                      form=EvidenceForm(request.POST, analysis=analysis), success=_("Evidence recorded."),
                      redirect_to=analysis)


@role_required(Role.LSP_ADMIN, Role.QUALITY)
@require_POST
def analysis_approve(request, pk: int):
    analysis = get_object_or_404(ThreatAnalysis, pk=pk)
    return run_action(request, lambda d: services.analysis_approve(analysis, actor=request.user,
                                                                   ip=client_ip(request)),
                      success=_("Threat analysis approved."), redirect_to=analysis)


@role_required(*SIGNERS)
def declaration_sign(request):
    form = DeclarationForm(request.POST or None)
    current = current_declaration(request.user)
    return run_form(request, form, lambda d: services.declaration_sign(request.user, ip=client_ip(request), **d),
                    success=_("Declaration signed."), redirect_to="quality:declaration-sign",
                    template="quality/impartiality/declaration_sign.html",
                    context=lambda: {"current": current_declaration(request.user) or current,
                                     "statement": services.statement(),
                                     "mine": Declaration.objects.filter(user=request.user)[:10]})
