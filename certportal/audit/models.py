"""The append-only audit trail: who did what to which object, when, from which state to which, and why."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

# The actor of a system transition (the worker, the sweep), stored so; pages show it in the reader's language.
SYSTEM_ACTOR = "sistem"


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit entry."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def for_object(self, obj: models.Model):
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(content_type=ct, object_id=str(obj.pk))


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    # The name as it was at the time: history keeps it even if the account is later renamed.
    actor_name = models.CharField(_("by (name)"), max_length=200, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("object type"))
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    action = models.CharField(_("action"), max_length=100)
    from_state = models.CharField(_("from"), max_length=64, blank=True)
    to_state = models.CharField(_("to"), max_length=64, blank=True)
    note = models.TextField(_("reason / note"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # The request (or, in a worker, the request that published the task) that made the entry: the same id as its
    # log lines (X-Request-ID, certportal.observability); empty for a shell or a periodic task.
    request_id = models.CharField(_("request id"), max_length=128, blank=True, default="")

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"]),
                   # one person's entries, newest first (the search by a person picked by id), read off the index
                   models.Index(fields=["actor", "-created_at", "-id"], name="audit_actor_time_idx"),
                   # the audit search by object id, whatever its type (issue 17; names are trigram-indexed)
                   models.Index(fields=["object_id"], name="audit_object_id_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name}: {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    @property
    def actor_label(self) -> str:
        """Who acted, as the reader reads it: the name kept at the time, or "system" (stored as ``SYSTEM_ACTOR``,
        language-neutral so the search finds it) in the reader's language."""
        if self.actor_id is None and self.actor_name in ("", SYSTEM_ACTOR):
            return pgettext("audit actor", "system")
        return self.actor_name
