from django.utils import translation


class UserLanguageMiddleware:
    """A logged-in user sees the portal in the language saved on their account, on any device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class PortalLocaleMiddleware:
    """Bahasa Indonesia unless the visitor chose English (language cookie) or their account says so.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; a government portal
    speaks Indonesian by default, so the header is ignored and English is one click away instead.
    """

    def __init__(self, get_response):
        from django.middleware.locale import LocaleMiddleware

        self.inner = LocaleMiddleware(get_response)

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.inner(request)
