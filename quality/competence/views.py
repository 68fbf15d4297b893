"""Competence pages under /mutu/kompetensi/: the list of people an auditor reads (their roles, the criteria met and
missing, the warnings), a person's page with their records, the forms that add records and keep the criteria. The
LSP administrator and the quality reviewer keep them; each person reads their own."""

from __future__ import annotations

from collections import OrderedDict

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal import kept_pages
from certportal.accounts.models import Role
from certportal.net import client_ip
from certportal.pagination import CappedPaginator
from certportal.permissions import role_required
from certportal.workflow.views import run_form
from quality.kept_pages import COMPETENCE

from . import rules, selectors, services
from .forms import CriterionForm, RecordForm
from .models import CompetenceCriterion, CompetenceEvidence, RecordKind

PAGE_SIZE = 50


@role_required(*rules.WRITERS)
def person_list(request):
    """Kept per reader (``quality.kept_pages``): each person's standing is worked out from their records."""
    def draw() -> dict:
        today = timezone.localdate()
        role = request.GET.get("peran", "")
        role = role if role in rules.COMPETENCE_ROLES else ""
        page = CappedPaginator(selectors.people(role), PAGE_SIZE).get_page(request.GET.get("page"))
        return {"page": page, "rows": selectors.rows(page.object_list, today), "today": today, "role": role,
                "roles": [(r.value, r.label) for r in rules.COMPETENCE_ROLES],
                "expiring_days": rules.EXPIRING_DAYS, "params": f"peran={role}&" if role else ""}

    return kept_pages.page(request, "quality/competence/list.html", COMPETENCE, kept_pages.WHOLE, draw)


@role_required(*rules.COMPETENCE_ROLES)
def mine(request):
    return redirect("quality:competence-person", pk=request.user.pk)


def _person(request, pk: int):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return None, redirect_to_login(request.get_full_path())
    person = get_object_or_404(selectors.people(), pk=pk)
    if not selectors.may_read_person(request.user, person):
        raise PermissionDenied
    return person, None


def person_detail(request, pk: int):
    person, answer = _person(request, pk)
    if answer is not None:
        return answer
    today = timezone.localdate()
    records = list(selectors.records_of(person))
    grouped: OrderedDict = OrderedDict((kind, []) for kind in RecordKind)
    for record in records:
        grouped[RecordKind(record.kind)].append(record)
    row = selectors.row_for(person, records, selectors.active_criteria(), today)
    kinds = [k for k in RecordKind if k not in rules.ASSESSOR_KINDS or row.assessor is not None]
    return render(request, "quality/competence/person.html", {
        "person": person, "row": row, "today": today, "may_write": selectors.may_write(request.user),
        "groups": [(kind, grouped[kind]) for kind in kinds], "rules": {
            "witness_years": rules.WITNESS_YEARS, "cpd_hours": rules.CPD_HOURS, "expiring_days": rules.EXPIRING_DAYS}})


@role_required(*rules.WRITERS)
def record_add(request, pk: int, kind: str):
    if kind not in RecordKind.values:
        raise Http404
    person = get_object_or_404(selectors.people(), pk=pk)
    if kind in rules.ASSESSOR_KINDS and Role.ASSESSOR not in person.roles:
        raise Http404
    form = RecordForm(request.POST or None, request.FILES or None, kind=kind, person=person)

    def save(data: dict):
        data = dict(data)
        return services.record_add(person, actor=request.user, kind=kind, upload=data.pop("file", None),
                                   ip=client_ip(request), **data)

    return run_form(request, form, save, success=_("The record is saved."), redirect_to=lambda r: r,
                    template="core/form_page.html", context={
                        "title": _("%(kind)s of %(person)s") % {"kind": RecordKind(kind).label,
                                                                "person": person.full_name}})


def evidence_file(request, pk: int):
    if not request.user.is_authenticated:
        raise PermissionDenied
    item = get_object_or_404(CompetenceEvidence.objects.select_related("record__person"), pk=pk)
    if not selectors.may_read_person(request.user, item.record.person):
        raise PermissionDenied
    return item.response()


@role_required(*rules.WRITERS)
def criteria(request):
    form = CriterionForm(request.POST or None)
    rows = CompetenceCriterion.objects.select_related("created_by", "changed_by")
    return run_form(request, form, lambda d: services.criterion_save(actor=request.user, **d),
                    success=_("The criterion is saved."), redirect_to="quality:competence-criteria",
                    template="quality/competence/criteria.html", context=lambda: {
                        "groups": [(r, [c for c in rows if c.role == r]) for r in rules.COMPETENCE_ROLES]})


@role_required(*rules.WRITERS)
def criterion_edit(request, pk: int):
    criterion = get_object_or_404(CompetenceCriterion, pk=pk)
    form = CriterionForm(request.POST or None, instance=criterion)
    return run_form(request, form, lambda d: services.criterion_save(actor=request.user, criterion=criterion, **d),
                    success=_("The criterion is saved."), redirect_to="quality:competence-criteria",
                    template="core/form_page.html", context={"title": _("Change a competence criterion")})
