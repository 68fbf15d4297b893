"""The yearly evaluation of the service standard and the SOP, for the LSP admin (schemes/evaluations.py)."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal import evaluation
from certportal.accounts.models import Role
from certportal.audit.services import history_for
from certportal.permissions import role_required
from certportal.workflow.views import run_form

from ..evaluations import current_standard, evaluation_record
from ..forms import EvaluationForm
from ..models import ServiceEvaluation

lsp_admin = role_required(Role.LSP_ADMIN)


@lsp_admin
def evaluation_list(request):
    standard = current_standard()
    from ..evaluations import history

    return render(request, "schemes/manage/evaluation_list.html", {
        "evaluations": ServiceEvaluation.objects.select_related("standard", "new_standard", "recorded_by"),
        "versions": history(standard) if standard else [], "this_year": timezone.localdate().year})


def _year(request) -> int:
    raw = request.POST.get("year") or request.GET.get("year") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year - 1


@lsp_admin
def evaluation_create(request):
    year = _year(request)
    form = EvaluationForm(request.POST or None, initial={"year": year, "held_on": timezone.localdate()})
    return run_form(request, form, lambda data: evaluation_record(actor=request.user, **data),
                    success=lambda record: _("Evaluation recorded; version %(v)s of the service standard is "
                                             "published. Edit it now.") % {"v": record.new_standard.version}
                    if record.new_standard else _("Evaluation recorded."),
                    redirect_to=lambda record: reverse("schemes:manage-service-standard") if record.new_standard
                    else reverse("schemes:manage-evaluation-detail", args=[record.pk]),
                    template="schemes/manage/evaluation_form.html",
                    context=lambda: {"year": year, "inputs": evaluation.inputs_for(year),
                                     "standard": current_standard()})


@lsp_admin
def evaluation_detail(request, pk: int):
    record = get_object_or_404(ServiceEvaluation.objects.select_related("standard", "new_standard"), pk=pk)
    return render(request, "schemes/manage/evaluation_detail.html", {"record": record,
                                                                      "history": history_for(record)})
