from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-portal message; the same text is e-mailed in the recipient's language.

    ``template`` names the message (its code, e.g. ``applicants/email/status``). ``texts`` holds it as it was
    written when sent, in each language of the portal (``{"id": {"subject": …, "body": …}, "en": {…}}``), so the
    notice is read in the reader's language of the day, and still says what was true when it was sent (rendered
    again from the records it names, it would show their state of today). ``subject`` and ``body`` are the
    recipient's language at sending; notices sent before ``texts`` existed are read in those words."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    template = models.CharField(_("message code"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    texts = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Optional idempotency key: a notice with the same key is never sent twice to the same person.
    key = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_notification_key")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.subject

    def _in(self, language: str | None) -> dict:
        return self.texts.get(language or "") or self.texts.get(settings.LANGUAGE_CODE) or {}

    @property
    def shown_subject(self) -> str:
        """The subject in the active language (the reader's)."""
        return self._in(translation.get_language()).get("subject") or self.subject

    @property
    def shown_body(self) -> str:
        return self._in(translation.get_language()).get("body", self.body)
