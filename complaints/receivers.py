"""What follows a service delivered (``certportal.signals.SERVICE_DELIVERED``): the person is invited to the
satisfaction survey. Provided from ``ComplaintsConfig.ready()``."""


def invite_to_survey(*, reference: str, kind: str = "", user=None, email: str = "", name: str = "",
                     scheme_code: str = "", language: str = "") -> None:
    from .services import survey_invite

    language = language or getattr(user, "preferred_language", "") or "id"
    name = name or getattr(user, "full_name", "") or ""
    survey_invite(reference=reference, email=email, name=name, scheme_code=scheme_code, language=language,
                  user=user)
