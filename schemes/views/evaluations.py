"""The yearly evaluation of the service standard and the SOP, for the LSP admin (schemes/evaluations.py)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from certportal import evaluation
from certportal.accounts.models import Role
from certportal.audit.services import history_for
from certportal.permissions import role_required

from ..evaluations import EvaluationError, current_standard, evaluation_record
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
    if request.method == "POST" and form.is_valid():
        try:
            record = evaluation_record(actor=request.user, **form.cleaned_data)
        except EvaluationError as exc:
            messages.error(request, exc.message)
        else:
            if record.new_standard:
                messages.success(request, _("Evaluation recorded; version %(v)s of the service standard is "
                                            "published. Edit it now.") % {"v": record.new_standard.version})
                return redirect("schemes:manage-service-standard")
            messages.success(request, _("Evaluation recorded."))
            return redirect("schemes:manage-evaluation-detail", pk=record.pk)
    return render(request, "schemes/manage/evaluation_form.html", {
        "form": form, "year": year, "inputs": evaluation.inputs_for(year), "standard": current_standard()})


@lsp_admin
def evaluation_detail(request, pk: int):
    record = get_object_or_404(ServiceEvaluation.objects.select_related("standard", "new_standard"), pk=pk)
    return render(request, "schemes/manage/evaluation_detail.html", {"record": record,
                                                                      "history": history_for(record)})
