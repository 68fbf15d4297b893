"""Public pages (no login): the catalogue of schemes and qualifications, the packaging checker and the
published service standard. Everything here lives under ``skema/``."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from certportal.forms import report_form_errors
from certportal.lsp.licence import licence_refusal, licensed_scope, recorded_licence, scope_refusal

from ..engine import evaluate, explain, qualifications_met, rule_for
from ..filters import QualificationFilter, SchemeFilter
from ..models import ServiceStandard, Unit
from ..selectors import (
    current_schemes,
    qualification_queryset,
    qualification_with_listings,
    scheme_decree_problem,
    scheme_detail_queryset,
    scheme_versions,
)

PAGE_SIZE = 20


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


@login_not_required
def catalogue(request):
    # distinct: the search joins scheme_units again, which would multiply a plain count (49 for 7 units).
    schemes = current_schemes().select_related("qualification").annotate(
        n_units=Count("scheme_units", distinct=True))
    filt = SchemeFilter(request.GET, queryset=schemes)
    page, params = _page(request, filt.qs)
    report_form_errors(request, filt.form)
    return render(request, "schemes/catalogue.html", {"filter": filt, "page": page, "params": params,
                                                      "scope": licensed_scope()})


@login_not_required
def scheme_detail(request, pk: int):
    scheme = get_object_or_404(scheme_detail_queryset().filter(is_published=True), pk=pk)
    current = scheme_versions(scheme).filter(is_current=True).first()
    licence = recorded_licence()
    in_scope = bool(licence) and licence_refusal(scheme.code, timezone.localdate(), licence) is None
    return render(request, "schemes/scheme_detail.html", {
        "scheme": scheme, "current": current, "licence": licence, "in_scope": in_scope,
        "not_open": scope_refusal(scheme.code, licence) if licence else None,
        "decree_problem": scheme_decree_problem(scheme, timezone.localdate()),
        "validation": scheme.reviews.filter(kind="validation").first(), "last_review": scheme.reviews.first()})


@login_not_required
def qualification_list(request):
    quals = qualification_queryset().annotate(n_units=Count("listings", distinct=True)).order_by("decree", "letter")
    filt = QualificationFilter(request.GET, queryset=quals)
    page, params = _page(request, filt.qs)
    report_form_errors(request, filt.form)
    return render(request, "schemes/qualification_list.html", {"filter": filt, "page": page, "params": params})


@login_not_required
def qualification_detail(request, pk: int):
    qual = get_object_or_404(qualification_with_listings(), pk=pk)
    listings = list(qual.listings.all())
    return render(request, "schemes/qualification_detail.html", {
        "qualification": qual,
        "core": [x for x in listings if x.kind == "core"],
        "elective": [x for x in listings if x.kind == "elective"],
        "schemes": current_schemes().filter(qualification=qual),
    })


@login_not_required
def packaging_checker(request):
    """Anyone picks a qualification, ticks the units held and sees the verdict explained."""
    quals = qualification_queryset().order_by("decree", "letter")
    qual = None
    qual_id = request.GET.get("qualification", "")
    if qual_id:
        if not qual_id.isdigit():
            raise Http404
        qual = get_object_or_404(qualification_with_listings(), pk=int(qual_id))
    ctx = {"qualifications": quals, "qualification": qual}
    if qual:
        held = request.GET.getlist("units")
        rule = rule_for(qual)
        ctx.update(rule=rule, held=held, checked="check" in request.GET, outside=_outside(rule))
        if ctx["checked"]:
            verdict = evaluate(rule, held)
            ctx.update(verdict=verdict, reasons=explain(verdict), also_met=_also_met(held, exclude=qual.pk))
    return render(request, "schemes/packaging_checker.html", ctx)


def _outside(rule) -> list[dict]:
    """The prerequisites outside the qualification, with their catalogue titles where the unit is known."""
    outside = rule.outside_prerequisites()
    titles = dict(Unit.objects.filter(code__in=[x["code"] for x in outside]).values_list("code", "title"))
    return [{**x, "title": titles.get(x["code"], "")} for x in outside]


def _also_met(held: list[str], *, exclude: int) -> list:
    """Other qualifications the same units meet (one query for all listings)."""
    if not held:
        return []
    quals = {q.pk: q for q in qualification_with_listings().exclude(pk=exclude)}
    rules = {rule_for(q).name: q for q in quals.values()}
    return [rules[name] for name in qualifications_met([rule_for(q) for q in quals.values()], held)]


@login_not_required
def service_standard(request):
    standard = ServiceStandard.objects.filter(is_published=True).prefetch_related("items").first()
    if standard is None:
        raise Http404
    items = list(standard.items.all())
    return render(request, "schemes/service_standard.html", {
        "standard": standard,
        "delivery": [i for i in items if i.part == "delivery"],
        "manufacturing": [i for i in items if i.part == "manufacturing"],
        "lsp_admin_hands_over": settings.ASSESSMENT_LSP_ADMIN_HANDS_OVER,  # item 2.8, as this portal runs it
    })
