"""The reporter host's URLs (W-01, T-64): the only ones that answer on a host in WHISTLE_HOSTS, and
answer nowhere else (tillit/whistle/middleware.py switches to this module by host).

Swedish pages are at /<slug>/…, English ones at /en/<slug>/…: the language is in the path, never in a
cookie. Static files are served by WhiteNoise before any URL is looked at. The error handlers render the
reporter's own pages and write no log line.
"""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from tillit.whistle.views import reporter

urlpatterns = [
    path("robots.txt", reporter.robots_txt),
    *i18n_patterns(path("", include("tillit.whistle.reporter_urls")), prefix_default_language=False),
]

handler400 = reporter.bad_request
handler403 = reporter.permission_denied
handler404 = reporter.page_not_found
handler500 = reporter.server_error
