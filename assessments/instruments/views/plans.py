"""Issue 19: the assessment plan (FR.MAPA.01/02) of each scheme, the scheme's instruments, and the validations of
the instruments (FR.VA). ``urls`` is included by assessments/urls.py; ``event_context`` adds the plan an event keeps
to the event page (``_event_plan.html``).

Who: an active assessor whose scope includes the scheme makes a draft and edits it (its maker only); a second
assessor in scope validates it (the button from ``allowed_actions``); the LSP admin sets the scheme's instruments;
the LSP admin or quality management record an FR.VA. The LSP admin, quality, the supervisor and the scheme's
assessors read plans and validations (``selectors.plan_schemes_visible_to``); nobody else."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments.errors import AssessmentError
from assessments.events.selectors import events_visible_to, get_or_403
from assessments.instruments import services
from assessments.instruments.models.plans import (
    INSTRUMENT_METHOD,
    PARTICIPANT_GROUPS,
    AssessmentPlan,
    CandidateGroup,
    EvidenceType,
    Instrument,
    SchemeInstrument,
)
from assessments.instruments.paperwork.plans import plan_data, render_mapa01, render_mapa02, render_va
from assessments.instruments.selectors import (
    instrument_validations_visible_to,
    plan_schemes_visible_to,
    plans_visible_to,
)
from assessments.instruments.services import validation as va_services
from assessments.instruments.services.plans import APPROACH_FIELDS, TEXT_MAX_LENGTH
from assessments.instruments.views import rows
from certportal.accounts.models import Role
from certportal.audit.services import history_for
from certportal.net import client_ip
from certportal.pdf import pdf_response
from certportal.permissions import role_required
from certportal.workflow import allowed_actions
from certportal.workflow.views import run_action, run_form

READERS = (Role.ASSESSOR, Role.LSP_ADMIN, Role.QUALITY, Role.SUPERVISOR)
VA_RECORDERS = va_services.RECORDERS
P = AssessmentPlan.Status


def _in_scope(user, scheme) -> bool:
    assessor = getattr(user, "assessor", None) if user.has_role(Role.ASSESSOR) else None
    return bool(assessor and assessor.is_active and assessor.in_scope(scheme))


def _instrument_label(code: str) -> str:
    try:
        return f"FR.{code} {Instrument(code).label} ({INSTRUMENT_METHOD[code]})"
    except (ValueError, KeyError):
        return f"FR.{code}"


# --- lists -----------------------------------------------------------------------------------------------------

@role_required(*READERS)
def plan_list(request):
    """The schemes whose plans the reader may see (current versions, and older ones that have plans), each with
    its plan in force and its drafts: 30 schemes a page, their plans read in one query (superseded versions left
    out: a decade of them is kept per scheme)."""
    has_plans = Exists(AssessmentPlan.objects.filter(scheme=OuterRef("pk")))
    schemes = (plan_schemes_visible_to(request.user).filter(Q(is_current=True) | has_plans)
               .order_by("code", "-version").values("pk", "code", "version", "is_current", "name"))
    page = Paginator(schemes, 30).get_page(request.GET.get("page"))
    # the validator's name by a look-up per plan shown (its primary key), not a join: joined, the planner could
    # merge the plans with the whole users' index, read up to the highest validator's id
    validator = Subquery(get_user_model().objects.filter(pk=OuterRef("validated_by_id")).values("full_name")[:1])
    plans = (AssessmentPlan.objects.filter(scheme__in=[s["pk"] for s in page], status__in=(P.VALIDATED, P.DRAFT))
             .order_by("-number").annotate(validator=validator)
             .values_list("scheme_id", "number", "status", "validator", "validated_at"))
    by_scheme: dict[int, dict] = {}
    for scheme, number, status, who, when in plans:
        entry = by_scheme.setdefault(scheme, {"in_force": None, "drafts": []})
        if status == P.VALIDATED:
            entry["in_force"] = (number, who, when)
        else:
            entry["drafts"].append(number)
    return render(request, "assessments/plans.html", {"page": page, "rows": rows.plan_entries(page, by_scheme),
                                                      "params": ""})


@role_required(*READERS)
def scheme_plans(request, pk):
    scheme = get_or_403(plan_schemes_visible_to(request.user), pk=pk)
    user = request.user
    plans = list(AssessmentPlan.objects.filter(scheme=scheme).select_related("made_by", "validated_by")
                 .order_by("-number"))
    return render(request, "assessments/plan_scheme.html", {
        "scheme": scheme, "plans": plans, "in_force": next((p for p in plans if p.status == P.VALIDATED), None),
        "instruments": [_instrument_label(c) for c in services.scheme_instruments(scheme)],
        "configured": SchemeInstrument.objects.filter(scheme=scheme).exists(),
        "may_make": _in_scope(user, scheme), "is_admin": user.has_role(Role.LSP_ADMIN),
        "may_record_va": user.has_role(*VA_RECORDERS),
        "validations": instrument_validations_visible_to(user).filter(scheme=scheme).prefetch_related("validators"),
    })


@require_POST
@role_required(Role.ASSESSOR)
def plan_create(request, pk):
    scheme = get_or_403(plan_schemes_visible_to(request.user), pk=pk)
    here = reverse("assessments:scheme-plans", args=[scheme.pk])
    return run_action(request, lambda data: services.plan_create(scheme, actor=request.user),
                      success=lambda plan: _("Draft plan version %(n)d is made: edit it, then ask a second assessor "
                                             "to validate it.") % {"n": plan.number},
                      redirect_to=lambda plan: reverse("assessments:plan-edit", args=[plan.pk]) if plan else here,
                      error_redirect=here)


# --- one plan --------------------------------------------------------------------------------------------------

def _page_units(plan: AssessmentPlan) -> list[dict]:
    """The plan's rows per unit and group, in the reader's language (from the snapshot once validated)."""
    data = plan_data(plan)
    types = dict(EvidenceType.choices)
    units = []
    for unit in data["units"]:
        groups = []
        for group in CandidateGroup:
            rows = [{"instrument": _instrument_label(r["instrument"]), "code": r["instrument"],
                     "type": types.get(r["type"], r["type"]), "evidence": r["evidence"]}
                    for r in data["rows"] if r["unit"] == unit["id"] and r["group"] == group.value]
            if rows or group in PARTICIPANT_GROUPS:  # another potential is shown where the plan provides for it
                groups.append({"label": group.label, "value": group.value, "rows": rows})
        units.append({**unit, "groups": groups})
    return units


@role_required(*READERS)
def plan_detail(request, pk):
    plan = get_or_403(plans_visible_to(request.user), pk=pk)
    actions = allowed_actions(plan, request.user)
    approach = plan_data(plan)["approach"]
    return render(request, "assessments/plan.html", {
        "plan": plan, "scheme": plan.scheme, "approach": approach, "units": _page_units(plan),
        "purpose": dict(AssessmentPlan.Purpose.choices).get(approach["purpose"], ""),
        "actions": actions, "validate": actions["validated"],
        "may_edit": plan.status == P.DRAFT and plan.made_by_id == request.user.pk,
        "events": events_visible_to(request.user).filter(plan=plan).order_by("-starts_at")[:20],
        "history": history_for(plan),
    })


class ApproachForm(forms.Form):
    """FR.MAPA.01 part 1 and the FR.IA.05 settings (the service checks them again)."""

    candidate_group = forms.CharField(label=gettext_lazy("Candidate group"), max_length=TEXT_MAX_LENGTH,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    purpose = forms.ChoiceField(label=gettext_lazy("Purpose of the assessment"),
                                choices=AssessmentPlan.Purpose.choices)
    context = forms.CharField(label=gettext_lazy("Context of the assessment"), max_length=TEXT_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 3}))
    confirmed_with = forms.CharField(label=gettext_lazy("Confirmed with the relevant people"),
                                     max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
    benchmarks = forms.CharField(label=gettext_lazy("Benchmarks of the assessment"), max_length=TEXT_MAX_LENGTH,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    written_questions_per_unit = forms.IntegerField(label=gettext_lazy("Multiple-choice questions per unit"),
                                                    min_value=1, max_value=100)
    written_minutes = forms.IntegerField(label=gettext_lazy("Time for the multiple-choice test (minutes)"),
                                         min_value=1, max_value=480)
    written_pass_percent = forms.IntegerField(label=gettext_lazy("Pass mark of the multiple-choice test (%)"),
                                              min_value=1, max_value=100)


class RowForm(forms.Form):
    """One evidence row of a unit and group; a row left without instrument and evidence is an unused slot."""

    unit = forms.IntegerField(widget=forms.HiddenInput)
    group = forms.ChoiceField(choices=CandidateGroup.choices, widget=forms.HiddenInput)
    instrument = forms.ChoiceField(label=gettext_lazy("Instrument"), required=False)
    evidence_type = forms.ChoiceField(label=gettext_lazy("Type of evidence"), choices=EvidenceType.choices)
    evidence = forms.CharField(label=gettext_lazy("Evidence"), required=False, max_length=TEXT_MAX_LENGTH,
                               widget=forms.Textarea(attrs={"rows": 3}))
    remove = forms.BooleanField(label=gettext_lazy("Remove this row"), required=False)

    def __init__(self, *args, instruments=(), **kwargs):
        super().__init__(*args, **kwargs)
        current = self.initial.get("instrument")
        codes = list(instruments) + ([current] if current and current not in instruments else [])
        self.fields["instrument"].choices = [("", _("— choose an instrument —"))] + [
            (code, _instrument_label(code)) for code in codes]

    @property
    def is_slot(self) -> bool:
        return not self.initial.get("instrument")

    def row(self) -> services.PlanRow | None:
        data = self.cleaned_data
        if data.get("remove") or (not data.get("instrument") and not (data.get("evidence") or "").strip()):
            return None
        if not data.get("instrument") or not (data.get("evidence") or "").strip():
            raise AssessmentError(_("A row needs both its instrument and its evidence (or leave it empty)."))
        return services.PlanRow(unit_id=data["unit"], group=data["group"], instrument=data["instrument"],
                                evidence_type=data["evidence_type"], evidence=data["evidence"])


def _row_formset(plan: AssessmentPlan, data=None):
    units = list(plan.scheme.scheme_units.order_by("position").values_list("unit_id", flat=True))
    instruments = services.scheme_instruments(plan.scheme)
    limit = len(units) * len(CandidateGroup) * (len(Instrument) + 1)
    formset_class = forms.formset_factory(RowForm, extra=0, max_num=limit, absolute_max=limit, validate_max=True)
    initial = []
    if data is None:
        rows = sorted(plan.evidence.all(), key=lambda r: (units.index(r.unit_id) if r.unit_id in units else 0,
                                                          r.position, r.pk))
        for unit_id in units:
            for group in CandidateGroup:
                initial += [{"unit": r.unit_id, "group": r.group, "instrument": r.instrument,
                             "evidence_type": r.evidence_type, "evidence": r.evidence}
                            for r in rows if r.unit_id == unit_id and r.group == group.value]
                initial.append({"unit": unit_id, "group": group.value, "evidence_type": EvidenceType.DIRECT})
    return formset_class(data, initial=initial, prefix="row", form_kwargs={"instruments": instruments})


def _formset_units(plan: AssessmentPlan, formset) -> list[dict]:
    """The formset's forms placed under their unit and group, for one card per unit."""
    units = []
    for su in plan.scheme.scheme_units.select_related("unit").order_by("position"):
        groups = []
        for group in CandidateGroup:
            rows = [f for f in formset.forms if str(f["unit"].value()) == str(su.unit_id)
                    and f["group"].value() == group.value]
            groups.append({"label": group.label, "value": group.value, "forms": rows})
        units.append({"unit": su.unit, "groups": groups})
    return units


@role_required(Role.ASSESSOR)
def plan_edit(request, pk):
    plan = get_or_403(plans_visible_to(request.user), pk=pk)
    here = reverse("assessments:plan", args=[plan.pk])
    if plan.status != P.DRAFT:
        messages.error(request, _("A validated plan is never changed: make a new version of it."))
        return redirect(here)
    if plan.made_by_id != request.user.pk:
        messages.error(request, _("Only the assessor who made this draft edits it."))
        return redirect(here)
    data = request.POST if request.method == "POST" else None
    initial = {f: getattr(plan, f) for f in APPROACH_FIELDS}
    form = ApproachForm(data, initial=initial)
    formset = _row_formset(plan, data)

    def save(approach: dict) -> AssessmentPlan:
        with transaction.atomic():  # the approach and the rows together, or neither
            rows = [row for row in (f.row() for f in formset.forms) if row]
            services.plan_edit(plan, actor=request.user, **approach)
            return services.plan_set_rows(plan, actor=request.user, rows=rows)

    again = reverse("assessments:plan-edit", args=[plan.pk])
    return run_form(request, form, save, success=_("The plan is saved."),
                    redirect_to=again if "more" in request.POST else here, template="assessments/plan_edit.html",
                    formsets=(formset,),
                    context=lambda: {"plan": plan, "scheme": plan.scheme, "formset": formset,
                                     "units": _formset_units(plan, formset)})


@require_POST
@role_required(Role.ASSESSOR)
def plan_validate(request, pk):
    plan = get_or_403(plans_visible_to(request.user), pk=pk)
    return run_action(request, lambda data: services.plan_validate(plan, actor=request.user,
                                                                   ip=client_ip(request)),
                      success=_("The plan is validated and in force: events planned from now on keep it."),
                      redirect_to=reverse("assessments:plan", args=[plan.pk]))


@role_required(*READERS)
def plan_mapa01(request, pk):
    plan = get_or_403(plans_visible_to(request.user), pk=pk)
    return pdf_response(render_mapa01(plan), f"fr-mapa-01-{plan.pk}-v{plan.number}.pdf")


@role_required(*READERS)
def plan_mapa02(request, pk):
    plan = get_or_403(plans_visible_to(request.user), pk=pk)
    return pdf_response(render_mapa02(plan), f"fr-mapa-02-{plan.pk}-v{plan.number}.pdf")


# --- the scheme's instruments ----------------------------------------------------------------------------------

class InstrumentsForm(forms.Form):
    instruments = forms.MultipleChoiceField(
        label=gettext_lazy("Instruments the scheme uses"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instruments"].choices = [(code, _instrument_label(code)) for code in Instrument.values]


@role_required(Role.LSP_ADMIN)
def scheme_instruments(request, pk):
    scheme = get_or_403(plan_schemes_visible_to(request.user), pk=pk)
    form = InstrumentsForm(request.POST if request.method == "POST" else None, initial={"instruments": services.scheme_instruments(scheme)})
    here = reverse("assessments:scheme-plans", args=[scheme.pk])
    return run_form(request, form, lambda data: services.scheme_instruments_set(
        scheme, actor=request.user, instruments=data["instruments"]),
        success=_("The scheme's instruments are saved."), redirect_to=here,
        template="assessments/scheme_instruments.html", context={"scheme": scheme, "back": here})


# --- FR.VA -----------------------------------------------------------------------------------------------------

class ValidationForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Day the validation was held"), widget=forms.DateInput(attrs={"type": "date"}))
    validators = forms.ModelMultipleChoiceField(label=gettext_lazy("Validators"), queryset=None, required=False,
                                                widget=forms.CheckboxSelectMultiple)
    instruments = forms.MultipleChoiceField(label=gettext_lazy("Instruments validated"), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    recommendations = forms.CharField(label=gettext_lazy("Recommendations"), required=False,
                                      max_length=va_services.RECOMMENDATIONS_MAX_LENGTH,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    signed_name = forms.CharField(label=gettext_lazy("Your name, typed as your signature"), max_length=200,
                                  help_text=gettext_lazy("Type your full name as it is on your account."))

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["validators"].queryset = va_services.validator_choices(scheme)
        self.fields["validators"].label_from_instance = lambda u: u.full_name
        self.fields["instruments"].choices = [(c, _instrument_label(c)) for c in services.scheme_instruments(scheme)]
        for key, label in va_services.VA_ASPECTS:
            self.fields[f"met_{key}"] = forms.ChoiceField(
                label=label, required=False, widget=forms.RadioSelect,
                choices=[("yes", _("Met")), ("no", _("Not met"))])
            self.fields[f"note_{key}"] = forms.CharField(label=_("Note"), required=False,
                                                         max_length=va_services.NOTE_MAX_LENGTH)

    def aspects(self) -> list:
        return [(label, self[f"met_{key}"], self[f"note_{key}"]) for key, label in va_services.VA_ASPECTS]

    def findings(self) -> dict:
        met = {"yes": True, "no": False}
        return {key: (met.get(self.cleaned_data.get(f"met_{key}")), self.cleaned_data.get(f"note_{key}", ""))
                for key, _label in va_services.VA_ASPECTS}


@role_required(*VA_RECORDERS)
def va_create(request, pk):
    scheme = get_or_403(plan_schemes_visible_to(request.user), pk=pk)
    form = ValidationForm(request.POST if request.method == "POST" else None, scheme=scheme)
    back = reverse("assessments:scheme-plans", args=[scheme.pk])
    return run_form(request, form, lambda data: va_services.instrument_validation_record(
        scheme, actor=request.user, held_on=data["held_on"], validators=list(data["validators"]),
        instruments=data["instruments"], findings=form.findings(), recommendations=data["recommendations"],
        signed_name=data["signed_name"], ip=client_ip(request)),
        success=_("The validation of the instruments (FR.VA) is recorded."),
        redirect_to=lambda va: reverse("assessments:va", args=[va.pk]),
        template="assessments/va_form.html", context={"scheme": scheme, "back": back})


@role_required(*READERS)
def va_detail(request, pk):
    va = get_or_403(instrument_validations_visible_to(request.user), pk=pk)
    return render(request, "assessments/va.html", {
        "va": va, "scheme": va.scheme, "validators": va.validators.all(), "findings": va_services.findings_as_read(va),
        "instruments": [_instrument_label(c) for c in va.instruments], "history": history_for(va)})


@role_required(*READERS)
def va_pdf(request, pk):
    va = get_or_403(instrument_validations_visible_to(request.user), pk=pk)
    return pdf_response(render_va(va), f"fr-va-{va.pk}.pdf")


urls: list = [
    path("rencana/", plan_list, name="plans"),
    path("rencana/skema/<int:pk>/", scheme_plans, name="scheme-plans"),
    path("rencana/skema/<int:pk>/baru/", plan_create, name="plan-create"),
    path("rencana/skema/<int:pk>/instrumen/", scheme_instruments, name="scheme-instruments"),
    path("rencana/skema/<int:pk>/validasi-instrumen/", va_create, name="va-create"),
    path("rencana/<int:pk>/", plan_detail, name="plan"),
    path("rencana/<int:pk>/ubah/", plan_edit, name="plan-edit"),
    path("rencana/<int:pk>/validasi/", plan_validate, name="plan-validate"),
    path("rencana/<int:pk>/fr-mapa-01.pdf", plan_mapa01, name="plan-mapa01"),
    path("rencana/<int:pk>/fr-mapa-02.pdf", plan_mapa02, name="plan-mapa02"),
    path("validasi-instrumen/<int:pk>/", va_detail, name="va"),
    path("validasi-instrumen/<int:pk>/fr-va.pdf", va_pdf, name="va-pdf"),
]


def event_context(user, event) -> dict:
    """The plan the event keeps (with a link when the reader may open it), or None: planned without one."""
    plan = event.plan
    readable = bool(plan and plans_visible_to(user).filter(pk=plan.pk).exists())
    return {"event_plan": plan, "event_plan_readable": readable}


def participant_context(user, participant) -> dict:
    return {}


def my_context(user, participant) -> dict:
    return {}

