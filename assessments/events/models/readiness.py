"""Seed 002 steps 2 and 5 on paper: the Kepala TUK's readiness checklist ("form kesiapan sarana prasarana kerja")
and the documentation of the test ("mendokumentasikan pelaksanaan uji kompetensi"). Imported by models.py."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certportal.files import StoredFile

# (field, label): what step 2 prepares — facilities, tools and materials, the room and its safety, the staff, and
# the scheme's scope (the test covers the scheme's units with the methods it names).
READINESS_ITEMS = [
    ("facilities", _("Facilities and infrastructure (sarana dan prasarana)")),
    ("tools_materials", _("Tools and materials for the test")),
    ("room_safety", _("Test room, its layout and safety")),
    ("staff", _("Staff: assessor confirmed, TUK staff on duty")),
    ("scope", _("The scheme's scope: its units and assessment methods can be carried out here")),
]


class ReadinessCheck(models.Model):
    event = models.OneToOneField("assessments.Event", on_delete=models.CASCADE, related_name="readiness")
    facilities = models.BooleanField(_("facilities and infrastructure"), default=False)
    tools_materials = models.BooleanField(_("tools and materials"), default=False)
    room_safety = models.BooleanField(_("room and safety"), default=False)
    staff = models.BooleanField(_("staff"), default=False)
    scope = models.BooleanField(_("the scheme's scope"), default=False)
    note = models.TextField(_("notes"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("checked by"))
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("readiness checklist")
        verbose_name_plural = _("readiness checklists")

    def __str__(self) -> str:
        return f"{self.event_id}"

    def items(self) -> list[tuple[str, str, bool]]:
        return [(name, str(label), getattr(self, name)) for name, label in READINESS_ITEMS]


class EventDocumentation(StoredFile):
    """A photo or PDF documenting the test (step 5), stored like a dossier file (certportal.files)."""

    upload_prefix = "event-documentation"
    event = models.ForeignKey("assessments.Event", on_delete=models.CASCADE, related_name="documentation")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("test documentation")
        verbose_name_plural = _("test documentation")
        ordering = ["uploaded_at", "id"]
