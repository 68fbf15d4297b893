"""The yearly evaluation of the service standard and the SOP, for the LSP admin (schemes/evaluations.py)."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from certportal import evaluation
from certportal.accounts.models import STAFF_ROLES, Role
from certportal.audit.services import history_for
from certportal.permissions import role_required
from certportal.workflow.views import run_action, run_form

from ..evaluations import current_standard, evaluation_record, results_acknowledge
from ..forms import EvaluationForm
from ..models import EvaluationReading, ServiceEvaluation

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
    readings = list(record.readings.select_related("user").order_by("acknowledged_at", "user__full_name"))
    return render(request, "schemes/manage/evaluation_detail.html", {
        "record": record, "history": history_for(record), "readings": readings,
        "n_read": sum(1 for r in readings if r.acknowledged_at)})


@require_http_methods(["GET", "POST"])
@role_required(*STAFF_ROLES)
def evaluation_read(request, pk: int):
    """Seed 003 item 14.3: a member of staff reads the results sent to them and acknowledges reading them."""
    reading = get_object_or_404(EvaluationReading.objects.select_related("evaluation__standard"), evaluation_id=pk,
                                user=request.user)  # results not sent to this person: 404, nothing told
    if request.method == "POST":
        return run_action(request, lambda data: results_acknowledge(reading.evaluation, user=request.user),
                          success=_("Thank you: your reading of the results is recorded."),
                          redirect_to=reverse("schemes:evaluation-read", args=[pk]))
    return render(request, "schemes/evaluation_read.html", {"record": reading.evaluation, "reading": reading})
