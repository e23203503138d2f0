"""The reporter host: a separate site inside the same server (W-01, W-03, W-14; T-03, T-64).

On a host named in WHISTLE_HOSTS only the reporter pages answer (config/whistle_urls.py); on every other
host they do not exist. Before anything else runs, the staff application's cookies are dropped from the
request (a browser sends 127.0.0.1's cookies to every port), so no session, person or CSRF token of the
staff side is ever read there; on the way out only the reporter's own cookie may be set, and every
response carries the strict headers a reporter's browser needs.

On the staff host the middleware only adds the staff pages' headers (`STAFF_HEADERS`) to every answer
under /visselblasning/, also the 403, 404 and 500 pages and the sign-in redirect that no view decorator
sees: a case's page must never be kept in a cache, whatever its status.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost

REPORTER_URLCONF = "config.whistle_urls"
REPORTER_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
REPORTER_HEADERS = {
    "Content-Security-Policy": REPORTER_CSP,
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
        "payment=(), usb=(), interest-cohort=(), browsing-topics=()"
    ),
}

STAFF_PREFIX = "/visselblasning/"
# "same-origin", not "no-referrer": under no-referrer browsers send `Origin: null` with a form's POST, which
# Django's CSRF check refuses, and the staff pages keep CSRF. A case's address still never leaves the site.
STAFF_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin", "X-Robots-Tag": "noindex"}


def reporter_cookie_name() -> str:
    """`__Host-` binds the cookie to this host and path /, but browsers only accept it over HTTPS."""
    return "__Host-tillit-whistle" if settings.HTTPS else "tillit-whistle"


def is_reporter_host(request) -> bool:
    try:
        host = request.get_host().lower()
    except DisallowedHost:
        return False
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return any(entry.lower() in (host, name) for entry in settings.WHISTLE_HOSTS)


def reporter_language(path: str) -> str:
    return "en" if path == "/en" or path.startswith("/en/") else settings.LANGUAGE_CODE


class ReporterHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_reporter_host(request):
            request.is_reporter_host = False
            response = self.get_response(request)
            if request.path_info.startswith(STAFF_PREFIX):
                for name, value in STAFF_HEADERS.items():
                    response.headers[name] = value
            return response
        request.is_reporter_host = True
        request.urlconf = REPORTER_URLCONF
        request.reporter_language = reporter_language(request.path_info)
        cookie = reporter_cookie_name()
        request.COOKIES = {name: value for name, value in request.COOKIES.items() if name == cookie}
        request.META.pop("HTTP_COOKIE", None)
        # Django's CSRF check is not this host's (no staff cookie reaches it; signed-in forms carry the
        # session's own token: views/reporter_inbox.py). Left on, it would read a POST to a page that
        # takes none with the default upload handlers (plaintext temporary files) and log its refusal.
        request._dont_enforce_csrf_checks = True
        response = self.get_response(request)
        for name in list(response.cookies):
            if name != cookie:
                del response.cookies[name]
        # A download asks for a sandbox (T-39): it keeps it, on top of the strict policy.
        sandboxed = "sandbox" in response.headers.get("Content-Security-Policy", "")
        for name, value in REPORTER_HEADERS.items():
            response.headers[name] = value
        if sandboxed:
            response.headers["Content-Security-Policy"] = f"{REPORTER_CSP}; sandbox"
        return response
