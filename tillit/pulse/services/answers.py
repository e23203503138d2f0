"""The invitations and the anonymous answer.

A token is 128 random bits (S-10), made in the task worker, e-mailed to one person and forgotten: only its
SHA-256 is stored, in an `Invitation` that names the frame unit and nothing else. The list of invitations
is shuffled before it is written, so the order of rows tells nothing about the order of the people. An
answer names no person and no time; it fills a randomly chosen empty slot of its unit. Nothing here logs.
"""

import base64
import hashlib
import random
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tillit.core.text import clean_text
from tillit.notifications.enums import NotificationKind
from tillit.notifications.services import notification_send
from tillit.pulse import selectors
from tillit.pulse.enums import PulseState
from tillit.pulse.instrument import DONT_KNOW, SCALE
from tillit.pulse.models import FreeTextAnswer, Invitation, Pulse, PulseUnit, Response
from tillit.pulse.services.rounds import invitees

TOKEN_BYTES = 16  # 128 bits
FREE_TEXT_MAX = 2000
_random = random.SystemRandom()


def token_new() -> str:
    """26 characters of base32 (no padding), shown in groups of four."""
    return base64.b32encode(secrets.token_bytes(TOKEN_BYTES)).decode().rstrip("=").lower()


def token_normalise(value: str) -> str:
    """What the person typed or the link carried, without spaces, dashes or case."""
    return "".join(ch for ch in (value or "").lower() if ch.isalnum())[:64]


def token_hash(token: str) -> str:
    return hashlib.sha256(token_normalise(token).encode()).hexdigest()


def token_display(token: str) -> str:
    return "-".join(token[i : i + 4] for i in range(0, len(token), 4))


def pulse_invitations_send(*, pulse_id: int, deliver: Callable[[object, str], None] | None = None) -> int:
    """Make one token per invited person, store the shuffled hashes and empty answer slots, and e-mail
    each person their link. Runs in the task worker; the tokens never leave its memory except by mail.
    `deliver(person, token)` replaces the e-mail for the demo loader, which answers for its invented
    people. Returns how many were invited."""
    pulse = Pulse.objects.select_related("scope__organisation").get(pk=pulse_id)
    if pulse.state != PulseState.OPEN or pulse.invited:
        return 0
    chosen = invitees(pulse)
    people = get_user_model().objects.in_bulk(list(chosen))
    tokens = {person_id: token_new() for person_id in chosen}
    invitations = [
        Invitation(pulse=pulse, pulse_unit_id=chosen[person_id], token_hash=token_hash(token))
        for person_id, token in tokens.items()
    ]
    _random.shuffle(invitations)
    slots = [Response(pulse=pulse, pulse_unit_id=unit_id) for unit_id in chosen.values()]
    _random.shuffle(slots)
    per_unit: dict[int, int] = {}
    for unit_id in chosen.values():
        per_unit[unit_id] = per_unit.get(unit_id, 0) + 1
    with transaction.atomic():
        pulse = Pulse.objects.select_for_update().get(pk=pulse.pk)
        if pulse.invited:
            return 0
        Invitation.objects.bulk_create(invitations, batch_size=2000)
        Response.objects.bulk_create(slots, batch_size=2000)
        if pulse.asks_free_text:
            texts = [FreeTextAnswer(pulse=pulse, text="") for _person in chosen]
            FreeTextAnswer.objects.bulk_create(texts, batch_size=2000)
        for unit_id, count in per_unit.items():
            PulseUnit.objects.filter(pk=unit_id).update(invited=count)
        pulse.invited = len(chosen)
        pulse.save(update_fields=["invited"])
        notification_send(
            organisation=pulse.scope.organisation,
            recipients=list(people.values()),
            kind=NotificationKind.PULSE_INVITED,
            params={"subject": pulse.title, "closes_on": pulse.closes_on.isoformat()},
            url=selectors.answer_path(),
            unit=pulse.scope,
        )
    if deliver is None:
        _mail_invitations(pulse, people, tokens)
    else:
        for person_id, token in tokens.items():
            deliver(people[person_id], token)
    return len(chosen)


def _mail_invitations(pulse: Pulse, people: dict, tokens: dict[int, str]) -> None:
    link = settings.SITE_URL.rstrip("/") + selectors.answer_path()
    messages = []
    for person_id, token in tokens.items():
        person = people[person_id]
        if not person.email:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "pulse/email/invitation.txt",
                {
                    "person": person,
                    "pulse": pulse,
                    # The token rides in the fragment: browsers never send it to a server or a log.
                    "link": f"{link}#{token}",
                    "address": link,
                    "code": token_display(token),
                },
            )
            subject = _("Tillitspuls: %(title)s") % {"title": pulse.title}
        messages.append(EmailMessage(subject=subject, body=body, to=[person.email]))
    if messages:
        get_connection().send_messages(messages)


def _clean_answers(pulse: Pulse, answers: dict) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    errors = []
    allowed = {*SCALE, DONT_KNOW}
    for code, value in (answers or {}).items():
        if code not in pulse.items:
            errors.append(_("“%(code)s” is not a question of this pulse.") % {"code": str(code)[:40]})
            continue
        if value in (None, ""):
            continue  # an unanswered question is allowed
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if number not in allowed or isinstance(value, bool):
            errors.append(_("Answer each question with 1–5 or “don't know”."))
            continue
        cleaned[code] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


def pulse_answer(*, token: str, answers: dict, free_text: str = "") -> None:
    """Store one anonymous answer. The token is the only right; it is used once. Nothing about the person,
    the token or the moment is written with the answer."""
    hashed = token_hash(token)
    if len(token_normalise(token)) < 20:
        raise ValidationError({"token": _("The code is not complete: it has 26 letters and digits.")})
    free_text = clean_text(free_text or "")
    if len(free_text) > FREE_TEXT_MAX:
        raise ValidationError({"free_text": _("Write at most %(n)s characters.") % {"n": FREE_TEXT_MAX}})
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token_hash=hashed).first()
        if invitation is None:
            raise ValidationError(
                {"token": _("We do not recognise this code. Check the link in your e-mail.")}
            )
        pulse = Pulse.objects.select_for_update().get(pk=invitation.pulse_id)
        if pulse.state != PulseState.OPEN:
            raise ValidationError(
                {
                    "token": _("The pulse closed on %(date)s; answers are no longer taken.")
                    % {"date": pulse.closes_on}
                }
            )
        if invitation.used:
            raise ValidationError({"token": _("This code has already been used: each code answers once.")})
        cleaned = _clean_answers(pulse, answers)
        if not cleaned and not free_text:
            raise ValidationError(_("Answer at least one question."))
        invitation.used = True
        invitation.save(update_fields=["used"])
        _fill_random_slot(
            Response.objects.filter(pulse_unit_id=invitation.pulse_unit_id, answers__isnull=True),
            answers=cleaned,
            fallback=Response(pulse=pulse, pulse_unit_id=invitation.pulse_unit_id),
        )
        if free_text and pulse.asks_free_text:
            slot = _random_slot(FreeTextAnswer.objects.filter(pulse=pulse, text=""))
            if slot is None:
                FreeTextAnswer.objects.create(pulse=pulse, text=free_text)
            else:
                FreeTextAnswer.objects.filter(pk=slot).update(text=free_text)


def _random_slot(empty):
    count = empty.count()
    if not count:
        return None
    return empty.order_by("id").values_list("id", flat=True)[_random.randrange(count)]


def _fill_random_slot(empty, *, answers: dict, fallback: Response) -> None:
    slot = _random_slot(empty)
    if slot is None:  # more answers than invitations in the unit cannot happen; keep the answer anyway
        fallback.answers = answers
        fallback.save()
        return
    Response.objects.filter(pk=slot).update(answers=answers)
