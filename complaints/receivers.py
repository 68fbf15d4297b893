"""React to the core's ``service_delivered`` signal: invite the person to the satisfaction survey."""

from django.dispatch import receiver

from certportal.signals import service_delivered


@receiver(service_delivered, dispatch_uid="complaints-survey-invitation")
def invite_to_survey(sender, *, reference: str, user=None, email: str = "", name: str = "",
                     scheme_code: str = "", language: str = "", **kwargs) -> None:
    from .services import survey_invite

    language = language or getattr(user, "preferred_language", "") or "id"
    name = name or getattr(user, "full_name", "") or ""
    survey_invite(reference=reference, email=email, name=name, scheme_code=scheme_code, language=language,
                  user=user)
