"""Seed 002 step 2, its second part: the assessor's planning act ("merencanakan pelaksanaan uji kompetensi,
berkoordinasi dengan Bidang Teknis Operasional dan informasinya ke Bagian Administrasi"). One per assessor of an
event, written by that assessor and editable until step 2 is done. Imported by models.py."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# (field, label): what the assessor plans, in the order the page, the PDF and the archive print it.
PLANNING_ITEMS = [
    ("units_methods", _("Units and assessment methods")),
    ("schedule", _("Schedule of the day")),
    ("tools_materials", _("Tools and materials needed")),
    ("coordination", _("Coordination with the technical operations field (Bidang Teknis Operasional)")),
]


class EventPlanning(models.Model):
    event = models.ForeignKey("assessments.Event", on_delete=models.CASCADE, related_name="plannings")
    link = models.OneToOneField("assessments.EventAssessor", on_delete=models.CASCADE, related_name="planning",
                                verbose_name=_("event assessor"))
    # FR.MAPA.01 the planning followed: the event's plan when it was recorded (None: the event has no plan)
    plan = models.ForeignKey("assessments.AssessmentPlan", verbose_name=_("assessment plan"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    units_methods = models.TextField(_("units and assessment methods"))
    schedule = models.TextField(_("schedule of the day"))
    tools_materials = models.TextField(_("tools and materials needed"))
    coordination = models.TextField(_("coordination with the technical operations field"))
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("planned by"))
    planned_at = models.DateTimeField(_("planned at"), default=timezone.now)

    class Meta:
        verbose_name = _("assessor's planning")
        verbose_name_plural = _("assessors' planning")
        ordering = ["event", "link__assessor__user__full_name", "id"]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.link_id}"

    def items(self) -> list[tuple[str, str, str]]:
        return [(name, str(label), getattr(self, name)) for name, label in PLANNING_ITEMS]
