"""The agency's view of its people (issue 29 item 5): applications, certificates by state, surveillance due and
the competence map, for the officer and head of a perangkat daerah (their agency only) and the supervisor (every
agency, or one chosen); an export of each for the agency's own reporting (``certportal.exports``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from applicants.models import Agency
from applicants.models import Status as AppStatus
from assessments.certificates.models import CERTIFICATE_STATES
from certportal import figures, kept_pages
from certportal.accounts.models import Role
from certportal.forms import NAME_MAX_LENGTH, search_field_kwargs
from certportal.pagination import CappedPaginator
from certportal.permissions import role_required
from certportal.workflow.views import run_service
from schemes.models import Scheme

from .. import competence as competence_map
from .. import people, positions
from ..kept_pages import PEOPLE, anchor_of
from ..models import PositionNeed
from ..people import GROUPS, READERS
from ..roster import FIGURES

PER_PAGE = 25
POSITIONS_PER_PAGE = 25  # cards of the competence map
KEEPERS = (Role.AGENCY_OFFICER, Role.AGENCY_HEAD)  # who records what the agency's positions need


def group_labels() -> dict[str, str]:
    """Every state a certificate can be in (reduced in scope included), and the page's own groups."""
    return {**{state: str(label) for state, label in CERTIFICATE_STATES.items()},
            "expiring": _("Expiring within 6 months"), "surveillance": _("Surveillance due")}


class PeopleFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name or NIP"), required=False, **search_field_kwargs())
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", gettext_lazy("All"))] + AppStatus.choices)
    scheme = forms.ModelChoiceField(label=gettext_lazy("Scheme"), required=False, queryset=Scheme.objects.none(),
                                    empty_label=gettext_lazy("All"))
    agency = forms.ModelChoiceField(label=pgettext_lazy("regional government agency", "Agency"), required=False,
                                    queryset=Agency.objects.none(), empty_label=gettext_lazy("All agencies"))

    def __init__(self, *args, scope, statuses=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = Scheme.objects.filter(is_current=True).order_by("code")
        if scope.chooses:
            self.fields["agency"].queryset = Agency.objects.order_by("name")
        else:
            del self.fields["agency"]
        if not statuses:
            del self.fields["status"]
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-select form-select-sm" if isinstance(
                f.widget, forms.Select) else "form-control form-control-sm")

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_valid() else None


def scope_and_filter(request, *, statuses=True):
    scope = people.scope_of(request.user, request.GET.get("agency"))
    return scope, PeopleFilter(request.GET or None, scope=scope, statuses=statuses)


def _search(qs, form, prefix: str):
    from django.db.models import Q

    q = (form.value("q") or "").strip()
    if q:
        qs = qs.filter(Q(**{f"{prefix}applicant_name__icontains": q}) | Q(**{f"{prefix}nip__startswith": q})
                       | Q(**{f"{prefix}applicant__applicant_profile__full_name__icontains": q}))
    if form.value("scheme"):
        qs = qs.filter(**{f"{prefix}scheme__code": form.value("scheme").code})
    return qs


def filtered_applications(request):
    scope, form = scope_and_filter(request)
    return scope, form, _applications_of(scope, form)


def _applications_of(scope, form):
    qs = _search(people.applications_for(scope), form, "")
    return qs.filter(status=form.value("status")) if form.value("status") else qs


def filtered_certificates(scope, form, group: str, today):
    """Every certificate of the scope the form finds, and those of the group."""
    base = _search(people.certificates_for(scope), form, "application__")
    if group == "surveillance":
        return base, people.surveillance_due(base, today)
    return base, (base.filter(people.group_filter(group, today)) if group in GROUPS else base)


def _params(request, *drop: str) -> str:
    query = request.GET.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    return query.urlencode()


def _context(request, scope, form, tab: str) -> dict:
    return {"scope": scope, "form": form, "tab": tab, "params": _params(request),
            "agency_param": f"agency={scope.agency.pk}" if scope.chooses and scope.agency else ""}


def _kept(request, template: str, scope, draw, around: dict | None = None):
    """``template`` with its body kept per agency (``agencies.kept_pages``; a reader who sees nobody: drawn)."""
    anchor = anchor_of(scope)
    return kept_pages.page(request, template, PEOPLE, anchor, draw, around=around, keep=anchor is not None)


@role_required(*READERS)
def applications(request):
    scope, form = scope_and_filter(request)
    return _kept(request, "agencies/people/applications.html", scope, lambda: _applications(request, scope, form))


def _applications(request, scope, form) -> dict:
    page = CappedPaginator(_applications_of(scope, form), PER_PAGE).get_page(request.GET.get("page"))
    return {**_context(request, scope, form, "applications"), "page": page}


@role_required(*READERS)
def certificates(request):
    scope, form = scope_and_filter(request, statuses=False)
    return _kept(request, "agencies/people/certificates.html", scope, lambda: _certificates(request, scope, form))


def _certificates(request, scope, form) -> dict:
    today = timezone.localdate()
    group = request.GET.get("group", "")
    group = group if group in GROUPS else ""
    base, qs = filtered_certificates(scope, form, group, today)
    page = (Paginator if isinstance(qs, list) else CappedPaginator)(qs, PER_PAGE).get_page(request.GET.get("page"))
    for cert in page:
        cert.group = people.group_of(cert, today)
    counts = _counts(scope, form, base, today)
    labels = group_labels()
    return {**_context(request, scope, form, "certificates"), "page": page, "group": group, "labels": labels,
            "groups": [(g, labels[g], counts[g]) for g in GROUPS], "params": _params(request),
            "group_params": _params(request, "group")}


def _counts(scope, form, base, today) -> dict[str, int]:
    """The certificates in each state and those with surveillance due: every certificate of the agency's people
    counted, so the unfiltered tabs' figures are kept a while per agency and day (``FIGURES``, forgotten by any
    change they count, as the homes' work queue's are); a search counts what it found."""
    def count() -> dict[str, int]:
        return {**people.group_counts(base, today), "surveillance": len(people.surveillance_due(base, today))}

    if form.value("q") or form.value("scheme"):
        return count()
    return figures.kept(FIGURES, ("groups", scope.agency.pk if scope.agency else "all", today), count)


@role_required(*READERS)
def competence(request):
    """The map: a card per position, counted (``agencies.competence``); with ``?jabatan=`` one position's people,
    a page at a time."""
    scope, form = scope_and_filter(request, statuses=False)
    today = timezone.localdate()
    if scope.agency is not None and "jabatan" in request.GET:
        return _position(request, scope, form, today)
    return _kept(request, "agencies/people/competence.html", scope, lambda: _map(request, scope, form, today))


def _map(request, scope, form, today) -> dict:
    maps = competence_map.summary(scope.agency, today) if scope.agency else []
    keeps = scope.agency is not None and request.user.has_role(*KEEPERS)
    known = competence_map.known_positions(maps)
    return {**_context(request, scope, form, "competence"),
            "page": Paginator(maps, POSITIONS_PER_PAGE).get_page(request.GET.get("page")),
            "names_shown": competence_map.NAMES_SHOWN, "keeps": keeps,
            "need_form": positions.NeedForm(positions=known) if keeps else None, "known": known}


def _position(request, scope, form, today):
    wanted = competence_map.key_of(request.GET.get("jabatan", "")[:NAME_MAX_LENGTH])
    position_map = next((m for m in competence_map.summary(scope.agency, today) if m.key == wanted), None)
    if position_map is None:
        raise Http404

    def draw() -> dict:
        page, persons = competence_map.position_people(scope.agency, today, position_map, request.GET.get("page"))
        return {**_context(request, scope, form, "competence"), "m": position_map, "page": page, "persons": persons}

    return _kept(request, "agencies/people/competence_position.html", scope, draw, around={"m": position_map})


@role_required(*KEEPERS)
@require_POST
def need_add(request):
    agency = people.scope_of(request.user).agency
    if agency is None:
        raise Http404
    form = positions.NeedForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("agencies:people-competence")
    d = form.cleaned_data
    run_service(request, lambda: positions.need_add(actor=request.user, agency=agency, position=d["position"],
                                                    scheme=d["scheme"]),
                success=_("Recorded: the position %(position)s needs %(scheme)s.") % {
                    "position": " ".join(d["position"].split()), "scheme": d["scheme"].code})
    return redirect("agencies:people-competence")


@role_required(*KEEPERS)
@require_POST
def need_remove(request, pk: int):
    agency = people.scope_of(request.user).agency
    if agency is None or PositionNeed.objects.filter(pk=pk).exclude(agency=agency).exists():
        raise Http404  # another agency's need is not ours to name
    run_service(request, lambda: positions.need_remove(actor=request.user, agency=agency, pk=pk),
                success=lambda text: _("Removed: %(need)s.") % {"need": text})
    return redirect("agencies:people-competence")
