from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from tillit.chain.selectors import access_for

API_PREFIX = "/api/"


class AccessMiddleware:
    """Attach `request.access`: the signed-in person's capabilities, computed on first use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.access = SimpleLazyObject(lambda: access_for(person=request.user))
        return self.get_response(request)


class SwedishFirstLocaleMiddleware:
    """Swedish unless the person chose another language (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many Swedish public-sector
    computers run English browsers; Tillit is Swedish-first, so only an explicit choice switches. A
    program calling the JSON API has no cookie: there, Accept-Language is that explicit choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The whistleblowing reporter host sets no language cookie: its English pages live under /en/.
        chosen = getattr(request, "reporter_language", None) or request.COOKIES.get(
            settings.LANGUAGE_COOKIE_NAME
        )
        supported = {code for code, _name in settings.LANGUAGES}
        if chosen is None and request.path.startswith(API_PREFIX):
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
