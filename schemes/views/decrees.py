"""The decrees' life (LSP admin): when each was signed, comes into force, is due for review, what it revokes; the
flags of a revoked or not-yet-in-force decree. The importers fill what the text says; the rest is edited here."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal.audit.services import history_for
from certportal.workflow.views import run_form

from .. import services
from ..forms import DecreeLifeForm
from ..models import Decree
from ..selectors import decree_problem
from .manage import _page, lsp_admin


@lsp_admin
def decree_list(request):
    decrees = list(Decree.objects.order_by("-year", "number"))
    today = timezone.localdate()
    page, params = _page(request, decrees)
    for d in page:  # every decree is in memory already: the flags ask no further query
        d.problem = decree_problem(d, today, decrees)
        d.review_overdue = bool(d.review_due_on and d.review_due_on < today)
    return render(request, "schemes/manage/decree_list.html", {"page": page, "params": params})


@lsp_admin
def decree_edit(request, pk: int):
    decree = get_object_or_404(Decree, pk=pk)
    initial = {"issued_on": decree.issued_on, "in_force_on": decree.in_force_on,
               "review_due_on": decree.review_due_on, "revokes": ", ".join(decree.revokes or [])}
    form = DecreeLifeForm(request.POST or None, initial=initial)
    return run_form(request, form, lambda data: services.decree_life_save(actor=request.user, decree=decree,
                                                                          **data),
                    success=_("The decree's dates are saved."),
                    redirect_to=lambda saved: reverse("schemes:manage-decree-edit", args=[saved.pk]),
                    template="schemes/manage/simple_form.html",
                    context=lambda: {"object": decree, "title": _("Decree"), "back": "schemes:manage-decrees",
                                     "history": history_for(decree)})
