"""A person's keys: create them, unlock and lock them in this browser, change the passphrase, recover
with the recovery key, show the recovery key again (W-05, W-06; T-22).

Unlocking and recovering run Argon2, so they are throttled per account: after UNLOCK_LIMIT failures in
UNLOCK_WINDOW seconds the page answers 429 without trying the passphrase.
"""

import time
from urllib.parse import quote

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.core.forms import add_service_errors
from tillit.whistle import selectors
from tillit.whistle.forms import NewPassphraseForm, RecoverForm, UnlockForm
from tillit.whistle.services import keys
from tillit.whistle.views.common import (
    key_forget,
    key_store,
    safe_next,
    staff_page,
    unlock_redirect,
    unlocked_key,
)

UNLOCK_LIMIT = 10
UNLOCK_WINDOW = 15 * 60


def _failures_key(person) -> str:
    return f"whistle-key-failures:{person.pk}"


def _recent_failures(person) -> list[float]:
    since = time.time() - UNLOCK_WINDOW
    return [moment for moment in cache.get(_failures_key(person), []) if moment > since]


def _throttled(person) -> bool:
    return len(_recent_failures(person)) >= UNLOCK_LIMIT


def _failure(person) -> None:
    cache.set(_failures_key(person), [*_recent_failures(person), time.time()], UNLOCK_WINDOW)


def _too_many(request, template: str, context: dict):
    context["throttled"] = True
    return render(request, template, context, status=429)


def _keyring_or_redirect(request):
    """The person's keyring; without one, (None, a redirect to the page that creates keys)."""
    keyring = keys.keyring_for(request.user)
    return keyring, (None if keyring is not None else redirect("whistle:keyring"))


def _dashboard() -> str:
    return reverse("whistle:dashboard")


# ------------------------------------------------------------------------------------------ pages


@staff_page
def keyring(request):
    """Create keys (a person with a role and none yet), else the keys' state and what can be done."""
    own = keys.keyring_for(request.user)
    if own is not None:
        return render(
            request,
            "whistle/staff/keys_keyring.html",
            {"keyring": own, "unlocked": unlocked_key(request) is not None},
        )
    if not selectors.channels_for(request.user):
        raise Http404
    form = NewPassphraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _own, private_key, recovery = keys.keyring_create(
                person=request.user, passphrase=form.cleaned_data["passphrase"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # The recovery key is shown in this answer only (never stored, never cached: no-store).
            response = render(request, "whistle/staff/keys_created.html", {"recovery_key": recovery})
            key_store(request, response, private_key)
            return response
    return render(request, "whistle/staff/keys_keyring.html", {"keyring": None, "form": form})


@staff_page
def unlock(request):
    own, missing = _keyring_or_redirect(request)
    if missing:
        return missing
    next_url = safe_next(request, _dashboard())
    form = UnlockForm(request.POST or None)
    context = {"form": form, "next": next_url}
    if request.method == "POST":
        if _throttled(request.user):
            return _too_many(request, "whistle/staff/keys_unlock.html", context)
        if form.is_valid():
            try:
                private_key = keys.keyring_unlock(
                    person=request.user, passphrase=form.cleaned_data["passphrase"]
                )
            except ValidationError as error:
                _failure(request.user)
                add_service_errors(form, error)
            else:
                cache.delete(_failures_key(request.user))
                target = next_url
                if own.must_change_passphrase:  # opened with a one-time passphrase from the escrow
                    messages.info(request, _("Choose a key passphrase of your own before you go on."))
                    target = f"{reverse('whistle:passphrase-change')}?next={quote(next_url)}"
                response = redirect(target)
                key_store(request, response, private_key)
                return response
    return render(request, "whistle/staff/keys_unlock.html", context)


@staff_page
@require_POST
def lock(request):
    response = redirect("whistle:dashboard")
    key_forget(request, response)
    messages.success(request, _("Your keys are locked in this browser."))
    return response


@staff_page
def passphrase_change(request):
    _own, missing = _keyring_or_redirect(request)
    if missing:
        return missing
    private_key = unlocked_key(request)
    if private_key is None:
        return unlock_redirect(request)
    next_url = safe_next(request, reverse("whistle:keyring"))
    form = NewPassphraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            keys.passphrase_change(
                person=request.user, private_key=private_key, new_passphrase=form.cleaned_data["passphrase"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Your key passphrase is changed. The old one no longer opens your keys.")
            )
            return redirect(next_url)
    return render(request, "whistle/staff/keys_passphrase_change.html", {"form": form, "next": next_url})


@staff_page
def recover(request):
    _own, missing = _keyring_or_redirect(request)
    if missing:
        return missing
    form = RecoverForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        if _throttled(request.user):
            return _too_many(request, "whistle/staff/keys_recover.html", context)
        if form.is_valid():
            data = form.cleaned_data
            try:
                private_key = keys.keyring_recover(
                    person=request.user, recovery_key=data["recovery_key"], new_passphrase=data["passphrase"]
                )
            except ValidationError as error:
                if "recovery_key" in getattr(error, "error_dict", {}):
                    _failure(request.user)
                add_service_errors(form, error)
            else:
                cache.delete(_failures_key(request.user))
                response = redirect("whistle:keyring")
                key_store(request, response, private_key)
                messages.success(
                    request,
                    _("Your keys are open again under the new passphrase. Your recovery key stays the same."),
                )
                return response
    return render(request, "whistle/staff/keys_recover.html", context)


@staff_page
def recovery_key(request):
    """The recovery key again (to print it anew), only after an explicit POST and with the keys open."""
    _own, missing = _keyring_or_redirect(request)
    if missing:
        return missing
    private_key = unlocked_key(request)
    if private_key is None:
        return unlock_redirect(request)
    shown = None
    if request.method == "POST":
        shown = keys.recovery_key_show(person=request.user, private_key=private_key)
    return render(request, "whistle/staff/keys_recovery_key.html", {"recovery_key": shown})
