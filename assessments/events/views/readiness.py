"""Seed 002 step 2 (the Kepala TUK's readiness checklist) and step 5 (documentation of the test) on the event."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.events.models import EventDocumentation
from assessments.events.models.readiness import READINESS_ITEMS
from assessments.events.selectors import events_visible_to, get_or_403
from assessments.events.services.readiness import documentation_upload, readiness_save
from assessments.events.views.events import EVENT_ROLES
from certportal.accounts.models import Role
from certportal.permissions import role_required
from certportal.workflow.views import run_action


@require_POST
@role_required(Role.TUK_HEAD)
def readiness_form(request, pk):
    event = get_or_403(events_visible_to(request.user), pk=pk)
    items = {name: request.POST.get(name) == "on" for name, _label in READINESS_ITEMS}
    return run_action(request, lambda data: readiness_save(event, actor=request.user, items=items,
                                                           note=request.POST.get("note", "")[:2000]),
                      success=_("The readiness checklist is saved."),
                      redirect_to=reverse("assessments:event", kwargs={"pk": event.pk}))


@require_POST
@role_required(Role.TUK_HEAD, Role.ASSESSOR)
def documentation_add(request, pk):
    event = get_or_403(events_visible_to(request.user), pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a photo or a PDF."))
        return redirect("assessments:event", pk=event.pk)
    return run_action(request, lambda data: documentation_upload(event, actor=request.user, upload=upload,
                                                                 caption=request.POST.get("caption", "")),
                      success=_("The documentation is added."),
                      redirect_to=reverse("assessments:event", kwargs={"pk": event.pk}))


@role_required(*EVENT_ROLES)
def documentation_file(request, pk):
    doc = get_object_or_404(EventDocumentation, pk=pk)
    get_or_403(events_visible_to(request.user), pk=doc.event_id)  # only who may see the event
    return doc.response()
