from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SEND_EMAIL = "certportal.notifications.tasks.send_email"


class OutboxMessage(models.Model):
    """One task request (an e-mail, a print job...) waiting to be handed to the broker, handed over, or failed.

    pending → sent is the relay's plain update (see services.relay); pending|sent → failed and failed → pending
    ("send again") are transitions of the workflow core, audited (see workflow.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Failure(models.TextChoices):
        BROKER = "broker", _("The task queue refused it too many times")
        TASK = "task", _("The task failed after its retries")
        STALE = "stale", _("It waited too long to be handed over")

    task = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    failure = models.CharField(_("reason of the failure"), max_length=10, choices=Failure.choices, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Since when the row waits to be handed over: its creation, or the last "send again" (the stale check reads it).
    moved_at = models.DateTimeField(_("waiting since"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "id"])]

    def __str__(self) -> str:
        if self.is_email:
            return gettext("E-mail “%(subject)s”") % {"subject": self.subject}
        return f"{self.label} #{self.pk}"

    @property
    def is_email(self) -> bool:
        return self.task == SEND_EMAIL

    @property
    def subject(self) -> str:
        return str(self.kwargs.get("subject", "")) if self.is_email else ""

    @property
    def recipients(self) -> list[str]:
        return [str(to) for to in self.kwargs.get("to", [])] if self.is_email else []

    @property
    def label(self) -> str:
        """What the request was, for people: "E-mail", or the label its app registered (the task's path else)."""
        from .registry import task_label

        return task_label(self.task)
