# ruff: noqa: N999 -- Gunicorn's conventional file name, not a module to import
"""Gunicorn's settings for Tillit: `gunicorn -c config/gunicorn.conf.py config.wsgi --bind …`.

The whistleblowing channel's reporter host must leave no trace of who visited it (W-02, T-01;
docs/whistle.md): no address, no browser, no moment. So:

- the access log never has the client's address (`%(h)s`), user agent (`%(a)s`) or referrer, on any host;
- a request to a reporter host (WHISTLE_HOSTS, the same list and the same matching as the application's
  ReporterHostMiddleware) writes no access-log line at all: its time alone could be matched against the
  employer's network logs;
- Gunicorn's own warnings about malformed requests name the client's address; it is replaced by "-".

A reverse proxy in front of Gunicorn must do the same for the reporter host (docs/whistle.md).
"""

import os
import re
from pathlib import Path

from gunicorn.glogging import Logger


def _env(name: str, default: str = "") -> str:
    """As config/settings.py: NAME, or the contents of the file NAME_FILE names."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


REPORTER_HOSTS = tuple(
    entry.strip().lower()
    for entry in _env("WHISTLE_HOSTS", "visselblasning.localhost").split(",")
    if entry.strip()
)
ADDRESS = re.compile(r"\bip=\S*?(?=: |\s|$)")  # "ip=::1: error" too


def is_reporter_host(host: str) -> bool:
    """True for a Host header the application serves as a reporter host ("name" matches any port,
    "name:port" that port only)."""
    host = (host or "").strip().lower()
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return any(entry in (host, name) for entry in REPORTER_HOSTS)


class ReporterSilentLogger(Logger):
    """Gunicorn's logger, silent about reporters: no access line for a reporter host, and no client
    address in any error-log line."""

    def access(self, resp, req, environ, request_time):
        if is_reporter_host(environ.get("HTTP_HOST", "")):
            return
        super().access(resp, req, environ, request_time)

    @staticmethod
    def _scrub(msg):
        return ADDRESS.sub("ip=-", msg) if isinstance(msg, str) else msg

    def warning(self, msg, *args, **kwargs):
        super().warning(self._scrub(msg), *args, **kwargs)

    def info(self, msg, *args, **kwargs):
        super().info(self._scrub(msg), *args, **kwargs)

    def debug(self, msg, *args, **kwargs):
        super().debug(self._scrub(msg), *args, **kwargs)

    def error(self, msg, *args, **kwargs):
        super().error(self._scrub(msg), *args, **kwargs)


logger_class = ReporterSilentLogger
accesslog = _env("GUNICORN_ACCESS_LOG", "-")
# The moment, the request line, the status, the size and the time taken: nothing about the client.
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'
