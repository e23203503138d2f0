"""What the staff pages of the whistleblowing channel share: the MFA gate, the unlocked key, headers.

The unlocked private key lives in the server's session only locked under a secret that the browser's
cookie holds (`tillit_whistle_key`, HttpOnly, SameSite=Strict, limited to /visselblasning/): a copy of
the session table opens nothing, and the cookie alone opens nothing either. It expires after 30 idle
minutes, at sign-out (the session ends) and at "Lås" (lock).
"""

import base64
import time
from functools import wraps

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from tillit.whistle import crypto, rules, selectors
from tillit.whistle.middleware import STAFF_HEADERS  # also set by the middleware, on error pages too
from tillit.whistle.models import Channel

KEY_COOKIE = "tillit_whistle_key"
KEY_COOKIE_PATH = "/visselblasning/"
KEY_SESSION = "whistle_key"
KEY_IDLE_SECONDS = 30 * 60


def passed_mfa(request) -> bool:
    """The person signed in with a second factor in this session (A-01: mandatory for every role)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def staff_page(view):
    """A whistleblowing staff page: signed in, MFA used at sign-in, never cached; otherwise the page
    that explains how to turn on two-factor authentication."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not passed_mfa(request):
            response = render(request, "whistle/staff/mfa_required.html", status=403)
        else:
            response = view(request, *args, **kwargs)
        for name, value in STAFF_HEADERS.items():
            response.headers[name] = value
        return response

    return wrapper


def channel_for(request, slug: str) -> Channel:
    """A channel where the person has a role, or an organisation administrator's; else 404."""
    channel = selectors.channel_by_slug(slug)
    if channel is None or channel.organisation_id != request.user.organisation_id:
        raise Http404
    if not (
        rules.has_any_role(request.user, channel) or rules.can_configure_channel(request.access, channel)
    ):
        raise Http404
    return channel


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")


def key_store(request, response, private_key: bytes) -> None:
    """Keep the unlocked key for this browser: locked in the session, its secret in the cookie."""
    secret = crypto.new_key()
    request.session[KEY_SESSION] = {
        "blob": _b64(crypto.lock(secret, private_key)),
        "until": time.time() + KEY_IDLE_SECONDS,
    }
    response.set_cookie(
        KEY_COOKIE,
        _b64(secret),
        path=KEY_COOKIE_PATH,
        secure=settings.HTTPS,
        httponly=True,
        samesite="Strict",
    )


def key_forget(request, response) -> None:
    request.session.pop(KEY_SESSION, None)
    response.delete_cookie(KEY_COOKIE, path=KEY_COOKIE_PATH, samesite="Strict")


def unlocked_key(request) -> bytes | None:
    """The person's private key if unlocked in this browser within the idle time, else None."""
    stored, cookie = request.session.get(KEY_SESSION), request.COOKIES.get(KEY_COOKIE)
    if not stored or not cookie or stored.get("until", 0) < time.time():
        return None
    try:
        private_key = crypto.unlock(
            base64.urlsafe_b64decode(cookie), base64.urlsafe_b64decode(stored["blob"])
        )
    except (crypto.DecryptionError, ValueError):
        return None
    stored["until"] = time.time() + KEY_IDLE_SECONDS
    request.session[KEY_SESSION] = stored
    return private_key


def unlock_redirect(request):
    """To the unlock page, and back here after."""
    return redirect(f"{reverse('whistle:unlock')}?next={request.get_full_path()}")


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/visselblasning/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
