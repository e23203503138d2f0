"""The invitations and the anonymous answer.

A token is 128 random bits (S-10), made in the task worker, e-mailed to one person and forgotten: only its
SHA-256 is stored, in an `Invitation` that names the frame unit and nothing else. The list of invitations
is shuffled before it is written, so the order of rows tells nothing about the order of the people. An
answer names no person and no time; it fills a randomly chosen empty slot of its unit. Nothing here logs.
"""

import random
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tillit.core.clock import today
from tillit.core.text import clean_text
from tillit.notifications.enums import NotificationKind
from tillit.notifications.services import notification_send
from tillit.pulse import selectors
from tillit.pulse.enums import PulseState
from tillit.pulse.instrument import DONT_KNOW, SCALE
from tillit.pulse.models import FreeTextAnswer, Invitation, Pulse, PulseUnit, Response
from tillit.pulse.services import storage
from tillit.pulse.services.rounds import invitees
from tillit.pulse.services.storage import rows_insert, values_set
from tillit.pulse.tokens import TOKEN_LENGTH, token_display, token_hash, token_new, token_normalise

FREE_TEXT_MAX = 2000
ALLOWED = frozenset({*SCALE, DONT_KNOW})
_random = random.SystemRandom()


def pulse_invitations_send(*, pulse_id: int, deliver: Callable[[object, str], None] | None = None) -> int:
    """Make one token per invited person, store the shuffled hashes and empty answer slots, and e-mail
    each person their link. Runs in the task worker; the tokens never leave its memory except by mail.
    `deliver(person, token)` replaces the e-mail for the demo loader and the benchmark, which answer for
    their invented people. Returns how many were invited (0 when the pulse is not open or already sent).

    The hashes are written in shuffled order and the person → token map is dropped when this returns: no
    row, task argument, log line or notification holds a token or ties an invitation to a person."""
    pulse = Pulse.objects.select_related("scope__organisation").get(pk=pulse_id)
    if pulse.state != PulseState.OPEN or pulse.invited:
        return 0
    chosen = invitees(pulse)
    if not chosen:
        return 0
    people = get_user_model().objects.in_bulk(list(chosen))
    tokens = {person_id: token_new() for person_id in chosen}
    # Each list is shuffled before it is written, with fresh random keys: neither the rows' order nor
    # their keys follow the people's order, and no invitation row can be matched to an answer slot.
    invitations = [
        (storage.new_key(), pulse.pk, chosen[person_id], token_hash(token), False)
        for person_id, token in tokens.items()
    ]
    _random.shuffle(invitations)
    slots = [(storage.new_key(), pulse.pk, unit_id) for unit_id in chosen.values()]
    _random.shuffle(slots)
    per_unit = Counter(chosen.values())
    with transaction.atomic():
        pulse = Pulse.objects.select_for_update().select_related("scope__organisation").get(pk=pulse.pk)
        if pulse.state != PulseState.OPEN or pulse.invited:
            return 0
        rows_insert(Invitation, ("id", "pulse", "pulse_unit", "token_hash", "used"), invitations)
        rows_insert(Response, ("id", "pulse", "pulse_unit"), slots)
        if pulse.asks_free_text:
            rows_insert(
                FreeTextAnswer,
                ("id", "pulse", "text", "redacted", "released"),
                ((storage.new_key(), pulse.pk, "", "", False) for _slot in chosen),
            )
        frame = PulseUnit.objects.filter(pulse=pulse).values_list("pk", flat=True)
        values_set(PulseUnit, {pk: per_unit.get(pk, 0) for pk in frame}, "invited")
        pulse.invited = len(chosen)
        pulse.invitee_ids = sorted(chosen)
        pulse.save(update_fields=["invited", "invitee_ids"])
        notification_send(
            organisation=pulse.scope.organisation,
            recipients=list(people.values()),
            kind=NotificationKind.PULSE_INVITED,
            params={
                "subject": pulse.title,
                "unit": pulse.scope.name,
                "closes_on": pulse.closes_on.isoformat(),
            },
            url=selectors.answer_path(),
            unit=pulse.scope,
        )
    # Handed out only once the invitations are stored: a code in someone's mailbox always works.
    if deliver is None:
        _mail_invitations(pulse, people, tokens)
    else:
        for person_id, token in tokens.items():
            deliver(people[person_id], token)
    return len(chosen)


def _mail_invitations(pulse: Pulse, people: dict, tokens: dict[int, str]) -> None:
    link = settings.SITE_URL.rstrip("/") + selectors.answer_path()
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Tillitspuls: %(title)s") % {"title": pulse.title}
        for person_id, token in tokens.items():
            person = people[person_id]
            if not person.email:
                continue
            body = render_to_string(
                "pulse/email/invitation.txt",
                {
                    "person": person,
                    "pulse": pulse,
                    "min_group_size": pulse.min_group_size,
                    # The token rides in the fragment: browsers never send it to a server or a log.
                    "link": f"{link}#{token}",
                    "address": link,
                    "code": token_display(token),
                },
            )
            messages.append(EmailMessage(subject=subject, body=body, to=[person.email]))
    if messages:
        mailers.default.send_messages(messages)


def _answer_value(value) -> int | None:
    """1–5 or 0 ("vet inte") from an int or the text a form posts; None for anything else (3.5, True, "x")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        return None
    return number if number in ALLOWED else None


def _clean_answers(pulse: Pulse, answers) -> dict[str, int]:
    """The answers as {item code: 0..5}; a question left out (or left empty) is simply not answered.
    Anything else is refused whole, with every reason at once."""
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("The answers could not be read.")})
    if len(answers) > len(pulse.items):
        raise ValidationError(
            {
                "answers": _("This pulse asks %(n)s questions; the answer holds more.")
                % {"n": len(pulse.items)}
            }
        )
    cleaned: dict[str, int] = {}
    errors = []
    for code, value in answers.items():
        if not isinstance(code, str) or code not in pulse.items:
            errors.append(_("“%(code)s” is not a question of this pulse.") % {"code": str(code)[:40]})
            continue
        if value is None or value == "":
            continue  # an unanswered question is allowed
        number = _answer_value(value)
        if number is None:
            errors.append(
                _("Answer “%(code)s” with a whole number from 1 to 5, or 0 for “don't know”.")
                % {"code": code}
            )
            continue
        cleaned[code] = number
    if errors:
        raise ValidationError({"answers": errors})
    return cleaned


def _clean_free_text(pulse: Pulse, free_text) -> str:
    if free_text is None:
        return ""
    if not isinstance(free_text, str):
        raise ValidationError({"free_text": _("The free-text answer could not be read.")})
    free_text = clean_text(free_text)
    if free_text and not pulse.asks_free_text:
        raise ValidationError({"free_text": _("This pulse does not ask for a free-text answer.")})
    if len(free_text) > FREE_TEXT_MAX:
        raise ValidationError(
            {
                "free_text": _("Write at most %(max)s characters; this is %(n)s.")
                % {"max": FREE_TEXT_MAX, "n": len(free_text)}
            }
        )
    return free_text


def pulse_answer(*, token: str, answers: dict, free_text: str = "") -> None:
    """Store one anonymous answer. The token is the only right; it is used once.

    The answer writes exactly two things: the invitation's `used` flag, and a randomly chosen empty answer
    slot of the invitation's unit (plus, with free text, a random empty free-text slot of the pulse).
    Nothing about the person, the token or the moment is written; a refusal writes nothing at all."""
    if not isinstance(token, str) or len(token_normalise(token)) < TOKEN_LENGTH:
        raise ValidationError({"token": _("The code is not complete: it has 26 letters and digits.")})
    hashed = token_hash(token)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token_hash=hashed).first()
        if invitation is None:
            raise ValidationError(
                {"token": _("We do not recognise this code. Check the link in your e-mail.")}
            )
        # The pulse's row is the answers' lock: an answer and the close never pass each other.
        pulse = Pulse.objects.select_for_update().get(pk=invitation.pulse_id)
        if pulse.state != PulseState.OPEN or pulse.closes_on < today():
            raise ValidationError(
                {
                    "token": _("The pulse closed on %(date)s; answers are no longer taken.")
                    % {"date": date_format(pulse.closes_on)}
                }
            )
        if invitation.used:
            raise ValidationError({"token": _("This code has already been used: each code answers once.")})
        cleaned = _clean_answers(pulse, answers)
        text = _clean_free_text(pulse, free_text)
        if not cleaned and not text:
            raise ValidationError({"answers": _("Answer at least one question.")})
        if not Invitation.objects.filter(pk=invitation.pk, used=False).update(used=True):
            raise ValidationError({"token": _("This code has already been used: each code answers once.")})
        _fill_random_slot(
            Response.objects.filter(pulse_unit_id=invitation.pulse_unit_id, answers__isnull=True),
            answers=cleaned,
        )
        if text:
            _fill_random_free_text(FreeTextAnswer.objects.filter(pulse=pulse, text=""), text=text)


def _random_slot(empty):
    """The id of a uniformly chosen row of `empty`, or None."""
    count = empty.count()
    if not count:
        return None
    return empty.order_by("id").values_list("id", flat=True)[_random.randrange(count)]


def _fill_random_slot(empty, *, answers: dict) -> None:
    """Fill a random empty slot. The update repeats the emptiness test, so two answers that drew the same
    slot at once cannot overwrite each other: the second draws again."""
    for _attempt in range(50):
        slot = _random_slot(empty)
        if slot is None:
            break
        if Response.objects.filter(pk=slot, answers__isnull=True).update(answers=answers):
            return
    raise ValidationError(_("The answer could not be stored; please send it again."))


def _fill_random_free_text(empty, *, text: str) -> None:
    for _attempt in range(50):
        slot = _random_slot(empty)
        if slot is None:
            break
        if FreeTextAnswer.objects.filter(pk=slot, text="").update(text=text):
            return
    raise ValidationError(_("The answer could not be stored; please send it again."))
