"""FR.AK.03 in substance ("Umpan Balik dan Catatan Asesmen"): after the assessment the participant answers BNSP's
ten statements Ya/Tidak, each with an optional comment, adds an overall comment and signs by typing their name.
One record per participant, frozen as given (the statements' text is kept with the answers). Imported by
models.py; written only by ``assessments.instruments.services.feedback``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The version of the statement list below, printed on the PDF and kept with each record.
FEEDBACK_FORM_VERSION = "1"

# The statements printed on BNSP's FR.AK.03 (English source; the Indonesian catalog holds the form's own words).
FEEDBACK_STATEMENTS = [
    _("I received an adequate explanation of the assessment / competency test process"),
    _("I was given the opportunity to study the competency standard to be tested and to assess myself against it"),
    _("The assessor gave me the opportunity to discuss / negotiate the assessment methods, instruments and "
      "sources, and the assessment schedule"),
    _("The assessor sought all the supporting evidence matching my training background and experience"),
    _("I was fully given the opportunity to demonstrate my competence during the assessment"),
    _("I received an adequate explanation of the assessment decision"),
    _("The assessor gave supportive feedback after the assessment, and its follow-up"),
    _("The assessor and I went through all the assessment documents together and signed them"),
    _("I was assured of the confidentiality of the assessment results and told how the assessment documents are "
      "handled"),
    _("The assessor used effective communication skills during the assessment"),
]

COMMENT_MAX_LENGTH = 1000  # one statement's comment
OVERALL_MAX_LENGTH = 5000  # the overall comment (TEXT_MAX_LENGTH)


class AssessmentFeedback(models.Model):
    """One participant's FR.AK.03. ``answers``: one dict per statement, in order: ``number``, ``statement``
    (Indonesian, as printed on the form), ``statement_en``, ``answer`` ("ya" / "tidak") and ``comment``."""

    participant = models.OneToOneField("assessments.Participant", verbose_name=_("participant"),
                                       on_delete=models.PROTECT, related_name="feedback")
    form_version = models.CharField(_("form version"), max_length=10, default=FEEDBACK_FORM_VERSION)
    answers = models.JSONField(_("answers as given"), default=list)
    overall_comment = models.TextField(_("overall comment"), blank=True)
    signed_name = models.CharField(_("name typed as signature"), max_length=200)
    assessment_started_on = models.DateField(_("assessment started on"))
    assessment_ended_on = models.DateField(_("assessment ended on"))
    submitted_at = models.DateTimeField(_("submitted at"))
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment feedback (FR.AK.03)")
        verbose_name_plural = _("assessment feedback (FR.AK.03)")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"FR.AK.03 {self.participant_id}"

    @property
    def yes_count(self) -> int:
        return sum(1 for a in self.answers if a.get("answer") == "ya")
