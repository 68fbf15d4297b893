"""LSP admin screens: units (with elements and KUK), qualifications, schemes (versioned, packaging rule enforced),
test sites, the SKKNI upload, and the service standard. Views are thin: form, one service call, message."""


from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal.accounts.models import Role
from certportal.audit.services import history_for
from certportal.forms import search_terms
from certportal.permissions import role_required
from certportal.workflow.views import run_form

from .. import services
from ..forms import (
    DocumentFormSet,
    QualificationForm,
    SchemeForm,
    ServiceStandardForm,
    StandardItemFormSet,
    TestSiteForm,
    UnitForm,
)
from ..models import Decree, Qualification, Scheme, ServiceStandard, TestSite, Unit
from ..selectors import scheme_decree_problem

lsp_admin = role_required(Role.LSP_ADMIN)


def _page(request, queryset, size=25):
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


@lsp_admin
def home(request):
    return render(request, "schemes/manage/home.html", {
        "n_schemes": Scheme.objects.filter(is_current=True).count(), "n_units": Unit.objects.count(),
        "n_qualifications": Qualification.objects.count(), "n_sites": TestSite.objects.count()})


# --- schemes ----------------------------------------------------------------------------------------------------

@lsp_admin
def scheme_list(request):
    qs = Scheme.objects.select_related("qualification__decree", "decree").annotate(
        n_units=Count("scheme_units")).order_by("code", "-version")
    if q := search_terms(request):
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    page, params = _page(request, qs)
    decrees, today = list(Decree.objects.all()), timezone.localdate()
    for s in page:  # a version resting on a revoked or not-yet-in-force decree is flagged
        s.decree_problem = scheme_decree_problem(s, today, decrees)
    return render(request, "schemes/manage/scheme_list.html", {"page": page, "params": params})


def _documents_initial(scheme):
    return [{"category": d.category, "name": d.name, "description": d.description, "mandatory": d.mandatory,
             "accepted_kinds": d.accepted_kinds, "min_files": d.min_files, "max_files": d.max_files}
            for d in scheme.required_documents.all()] if scheme else []


def _parts(form, formset, scheme) -> services.SchemeParts:
    old = {r.kind: (r.value, r.text, r.government) for r in scheme.requirements.all()} if scheme else {}
    docs = [{k: f.cleaned_data[k] for k in ("category", "name", "description", "mandatory", "accepted_kinds",
                                            "min_files", "max_files")}
            for f in formset.forms if f.cleaned_data and f.cleaned_data.get("name")
            and not f.cleaned_data.get("DELETE")]
    return services.SchemeParts(unit_codes=form.cleaned_data["units"], requirements=form.requirements(old),
                                documents=docs, test_site_ids=[s.pk for s in form.cleaned_data["test_sites"]])


@lsp_admin
def scheme_edit(request, pk: int | None = None):
    scheme = get_object_or_404(Scheme, pk=pk) if pk else None
    form = SchemeForm(request.POST or None, instance=scheme)
    formset = DocumentFormSet(request.POST or None, prefix="doc", initial=_documents_initial(scheme))

    def save(data):
        fields = {k: v for k, v in data.items() if k in services.SCHEME_FIELDS}
        if scheme:
            return services.scheme_update(actor=request.user, scheme=scheme, fields=fields,
                                          parts=_parts(form, formset, scheme))
        return services.scheme_create(actor=request.user, fields=fields, parts=_parts(form, formset, None))

    return run_form(request, form, save, formsets=[formset],
                    success=lambda saved: _("The scheme has applications, so version %(v)s was created; "
                                            "applications keep the version they applied under.")
                    % {"v": saved.version} if scheme and saved.pk != scheme.pk else _("Scheme saved."),
                    redirect_to=lambda saved: reverse("schemes:manage-scheme-edit", args=[saved.pk]),
                    template="schemes/manage/scheme_form.html",
                    context=lambda: {"formset": formset, "scheme": scheme, "history": history_for(scheme) if scheme else [],
                                     "versions": Scheme.objects.filter(code=scheme.code).order_by("-version")
                                     if scheme else []})


# --- units ------------------------------------------------------------------------------------------------------

@lsp_admin
def unit_list(request):
    qs = Unit.objects.select_related("decree").annotate(n_elements=Count("elements")).order_by("code")
    if q := search_terms(request):
        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q))
    page, params = _page(request, qs)
    return render(request, "schemes/manage/unit_list.html", {"page": page, "params": params})


@lsp_admin
def unit_edit(request, pk: int | None = None):
    unit = get_object_or_404(Unit, pk=pk) if pk else None
    initial = {"code": unit.code, "title": unit.title, "decree": unit.decree,
               "elements": UnitForm.elements_text(unit)} if unit else {}
    form = UnitForm(request.POST or None, initial=initial)
    return run_form(request, form, lambda d: services.unit_save(
        actor=request.user, unit=unit, code=d["code"], title=d["title"], decree=d["decree"], elements=d["elements"]),
        success=_("Unit saved."), redirect_to=lambda saved: reverse("schemes:manage-unit-edit", args=[saved.pk]),
        template="schemes/manage/simple_form.html",
        context=lambda: {"object": unit, "title": _("Competency unit"), "back": "schemes:manage-units",
                         "history": history_for(unit) if unit else []})


# --- qualifications --------------------------------------------------------------------------------------------

@lsp_admin
def qualification_list(request):
    qs = Qualification.objects.select_related("decree").annotate(n_units=Count("listings")).order_by(
        "-decree__year", "decree__number", "letter")
    page, params = _page(request, qs)
    decrees = Decree.objects.filter(kind=Decree.Kind.KKNI).exclude(import_warnings=[])
    return render(request, "schemes/manage/qualification_list.html", {"page": page, "params": params,
                                                                       "decrees": decrees})


@lsp_admin
def qualification_edit(request, pk: int | None = None):
    qual = get_object_or_404(Qualification, pk=pk) if pk else None
    form = QualificationForm(request.POST or None, instance=qual)
    return run_form(request, form, lambda d: services.qualification_save(
        actor=request.user, qualification=qual, fields={k: d[k] for k in QualificationForm.Meta.fields},
        core=d["core"], elective=d["elective"]),
        success=_("Qualification saved."),
        redirect_to=lambda saved: reverse("schemes:manage-qualification-edit", args=[saved.pk]),
        template="schemes/manage/simple_form.html",
        context=lambda: {"object": qual, "title": _("KKNI qualification"), "back": "schemes:manage-qualifications",
                         "history": history_for(qual) if qual else []})


# --- test sites -------------------------------------------------------------------------------------------------

@lsp_admin
def test_site_list(request):
    page, params = _page(request, TestSite.objects.select_related("head").annotate(n_schemes=Count("schemes")).order_by("name"))
    return render(request, "schemes/manage/test_site_list.html", {"page": page, "params": params})


@lsp_admin
def test_site_edit(request, pk: int | None = None):
    site = get_object_or_404(TestSite, pk=pk) if pk else None
    form = TestSiteForm(request.POST or None, instance=site)
    return run_form(request, form, lambda data: services.test_site_save(actor=request.user, site=site, fields=data),
                    success=_("Test site saved."),
                    redirect_to=lambda saved: reverse("schemes:manage-test-site-edit", args=[saved.pk]),
                    template="schemes/manage/simple_form.html",
                    context=lambda: {"object": site, "title": _("Test site (TUK)"), "back": "schemes:manage-test-sites",
                                     "history": history_for(site) if site else []})


# --- service standard -------------------------------------------------------------------------------------------

@lsp_admin
def service_standard_edit(request):
    # The newest version: an evaluation may have published one (schemes/evaluations.py); older ones are history.
    standard = ServiceStandard.objects.prefetch_related("items").order_by("-version", "-pk").first()
    if standard is None:
        messages.error(request, _("No service standard is loaded; run manage.py load_reference."))
        return redirect("schemes:manage-home")
    items = list(standard.items.all())
    initial = [{"id": i.pk, "component": i.component, "intro": i.intro, "points": "\n".join(i.points)}
               for i in items]
    form = ServiceStandardForm(request.POST or None, instance=standard)
    formset = StandardItemFormSet(request.POST or None, prefix="item", initial=initial)
    return run_form(request, form, lambda data: services.service_standard_save(
        actor=request.user, standard=standard, fields=data, items=[f.cleaned_data for f in formset.forms]),
        formsets=[formset], success=_("Service standard saved and published."),
        redirect_to="schemes:manage-service-standard", template="schemes/manage/service_standard_form.html",
        context=lambda: {"formset": formset, "pairs": list(zip(items, formset.forms, strict=False)),
                         "history": history_for(standard)})
