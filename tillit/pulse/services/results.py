"""Closing a pulse and what follows: the frozen results, sharing them upward, the redacted free text, and
a joint look about what the pulse tells.

Results are computed once, at close, with the disclosure rules of `tillit.analysis.disclosure` (k per
cell, differencing, homogeneity, banded counts) and stored as `PulseCell` rows. Nothing recomputes them:
an answer after the close is refused, and a unit moved or split later does not re-slice them (S-05, S-09).
"""

import numpy as np
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from tillit.analysis import disclosure
from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_change, snapshot
from tillit.chain.access import Access
from tillit.chain.selectors import unit_people
from tillit.core.clock import now
from tillit.core.permissions import require
from tillit.core.rows import locked
from tillit.core.tasks import enqueue_on_commit
from tillit.core.text import clean_text
from tillit.dialogue.services import joint_look_open
from tillit.notifications.enums import NotificationKind
from tillit.notifications.services import notification_send
from tillit.pulse import rules
from tillit.pulse.enums import PulseState
from tillit.pulse.instrument import SCALE
from tillit.pulse.models import FreeTextAnswer, Invitation, Pulse, PulseCell, PulseUnit, Response
from tillit.pulse.selectors import enough_for_free_text
from tillit.pulse.services.storage import rows_insert, values_set


def _own_counts(frame: list[PulseUnit], items: list[str], answered: list[tuple[int, dict]]):
    """Per frame unit: the answers given there (not below), per item and option, and the respondents.
    "Vet inte" (0) makes a respondent but no part of an item's n or mean."""
    index = {row.pk: i for i, row in enumerate(frame)}
    item_index = {code: j for j, code in enumerate(items)}
    options = len(SCALE)
    respondents = np.bincount(
        np.fromiter((index[unit_id] for unit_id, _answers in answered), dtype=np.int64, count=len(answered)),
        minlength=len(frame),
    )
    flat = [
        (index[unit_id] * len(items) + item_index[code]) * options + value - 1
        for unit_id, answers in answered
        for code, value in answers.items()
        if value in SCALE and code in item_index
    ]
    counts = np.bincount(np.array(flat, dtype=np.int64), minlength=len(frame) * len(items) * options)
    return counts.reshape(len(frame), len(items), options), respondents


def _results_freeze(pulse: Pulse, answered: list[tuple[int, dict]]) -> None:
    """Compute the results once, with the disclosure rules, and store them: bands on the frame units and
    one `PulseCell` per unit and item (a suppressed cell says nothing but that it is suppressed)."""
    frame = list(PulseUnit.objects.filter(pulse=pulse).order_by("depth", "frame_path"))
    if not frame:
        return
    position = {row.pk: i for i, row in enumerate(frame)}
    parent = np.array([position[row.parent_id] if row.parent_id else -1 for row in frame], dtype=np.int64)
    items = list(pulse.items)
    counts, respondents = _own_counts(frame, items, answered)
    k = pulse.min_group_size

    people = disclosure.subtree_sums(parent, respondents)
    invited = disclosure.subtree_sums(parent, np.array([row.invited for row in frame], dtype=np.int64))
    invited = np.maximum(invited, people)  # a unit's count is never below its answers
    shown = disclosure.publishable(parent, people, k)
    low, high = disclosure.bands(people, k, published=shown)
    rate_low, rate_high = disclosure.rate_bands(people, invited, k, published=shown)

    table = disclosure.cell_table(parent, counts, k)
    published = table.published
    distribution = table.distribution_shown
    answers_low, answers_high = disclosure.bands(table.n, k, published=published)

    cells = []
    for i, row in enumerate(frame):
        for j, code in enumerate(items):
            if not published[i, j]:
                cells.append((pulse.pk, row.pk, code, False, None, None, None, None))
                continue
            shares = None
            if distribution[i, j]:
                total = int(table.n[i, j])
                shares = [round(100 * int(c) / total) for c in table.totals[i, j]]
            mean = round(float(table.means[i, j]), 2)
            cells.append(
                (pulse.pk, row.pk, code, True, mean, shares, int(answers_low[i, j]), int(answers_high[i, j]))
            )
    bands = {
        row.pk: (int(low[i]), int(high[i]), int(rate_low[i]), int(rate_high[i]))
        for i, row in enumerate(frame)
    }
    values_set(PulseUnit, bands, "respondents_low", "respondents_high", "rate_low", "rate_high")
    rows_insert(
        PulseCell,
        ("pulse", "pulse_unit", "item", "published", "mean", "distribution", "answers_low", "answers_high"),
        cells,
    )


def _participation_forget(pulse: Pulse) -> None:
    """Leave nothing of the open weeks that a copy of the database could order or match: the empty answer
    and free-text slots go, every invitation reads used (not even a leaked code tells whether its person
    answered), and every remaining row is written once more in this one transaction, so that on
    PostgreSQL all of them carry the close's transaction id instead of the one of the answer that filled
    them (the answer's slot and its invitation shared one). The rows keep their random keys and places:
    a slot was filled where it lay (PostgreSQL keeps room for that, see migration 0001)."""
    Response.objects.filter(pulse=pulse, answers__isnull=True).delete()
    Response.objects.filter(pulse=pulse).update(answers=F("answers"))
    FreeTextAnswer.objects.filter(pulse=pulse, text="").delete()
    FreeTextAnswer.objects.filter(pulse=pulse).update(text=F("text"))
    Invitation.objects.filter(pulse=pulse).update(used=True)


def pulse_close(*, actor, access: Access, pulse: Pulse) -> Pulse:
    """Close the pulse and publish its frozen results, once; no answer is taken afterwards (S-05)."""
    require(
        rules.can_manage_pulse(access, pulse),
        _("Only the managers of this part of the chain close its pulse."),
    )
    with transaction.atomic():
        pulse = locked(Pulse.objects.select_related("scope__organisation"), pk=pulse.pk)
        if pulse.state == PulseState.CLOSED:
            raise ValidationError(
                _("The pulse is already closed; its results were published once and stay as they are.")
            )
        if pulse.state != PulseState.OPEN:
            raise ValidationError(_("Only an open pulse can be closed; open it first."))
        with audit_change(
            actor=actor,
            action=AuditAction.PULSE_CLOSED,
            target=pulse,
            unit=pulse.scope,
            organisation=pulse.scope.organisation,
            state=lambda: snapshot(pulse, "state", "closed_at"),
        ):
            pulse.state = PulseState.CLOSED
            pulse.closed_at = now()
            pulse.save(update_fields=["state", "closed_at"])
            answered = list(
                Response.objects.filter(pulse=pulse, answers__isnull=False)
                .values_list("pulse_unit_id", "answers")
                .iterator(chunk_size=5000)
            )
            _results_freeze(pulse, answered)
            _participation_forget(pulse)
        from tillit.pulse.tasks import pulse_notify_published  # the task module imports the services

        enqueue_on_commit(pulse_notify_published, pulse_id=pulse.pk, actor_id=actor.pk if actor else None)
    return pulse


def pulse_published_notify(*, pulse_id: int, actor_id: int | None = None) -> int:
    """Tell the people of the frame's units that the results are published (the task after the close: tens
    of thousands of inbox rows are no part of the close itself). Returns how many were told."""
    pulse = Pulse.objects.select_related("scope__organisation").get(pk=pulse_id)
    if pulse.state != PulseState.CLOSED:
        return 0
    frame_units = list(PulseUnit.objects.filter(pulse=pulse).values_list("unit_id", flat=True))
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    with transaction.atomic():
        told = notification_send(
            organisation=pulse.scope.organisation,
            recipients=unit_people(unit_ids=frame_units),
            kind=NotificationKind.PULSE_PUBLISHED,
            params={"subject": pulse.title, "unit": pulse.scope.name},
            url=pulse.get_absolute_url(),
            unit=pulse.scope,
            actor=actor,
        )
    return len(told)


def pulse_results_share(*, actor, access: Access, pulse_unit: PulseUnit, shared: bool) -> PulseUnit:
    """The unit shows (or stops showing) its results of this round to the levels above it."""
    require(
        rules.can_share_results(access, pulse_unit),
        _("Only the unit's own people decide whether the levels above see its pulse."),
    )
    with transaction.atomic():
        pulse_unit = locked(PulseUnit.objects.select_related("unit__organisation", "pulse"), pk=pulse_unit.pk)
        if pulse_unit.pulse.state != PulseState.CLOSED:
            raise ValidationError(_("Results are shared once the pulse has closed."))
        with audit_change(
            actor=actor,
            action=AuditAction.PULSE_SHARED,
            target=pulse_unit.pulse,
            unit=pulse_unit.unit,
            organisation=pulse_unit.unit.organisation,
            state=lambda: snapshot(pulse_unit, "shared_upward", unit=pulse_unit.unit.name),
        ):
            pulse_unit.shared_upward = shared
            pulse_unit.save(update_fields=["shared_upward"])
    return pulse_unit


def free_text_release(*, actor, access: Access, answer: FreeTextAnswer, redacted: str) -> FreeTextAnswer:
    """Release a free-text answer in the words someone has redacted (names, places, anything that points
    at a person removed). Only for a closed pulse answered by enough people (S-02)."""
    require(
        rules.can_release_free_text(access, answer.pulse), _("Only the pulse's managers release free text.")
    )
    redacted = clean_text(redacted or "")
    if not redacted:
        raise ValidationError({"redacted": _("Write the answer as it may be shown, or leave it unreleased.")})
    with transaction.atomic():
        answer = locked(FreeTextAnswer.objects.select_related("pulse__scope__organisation"), pk=answer.pk)
        pulse = answer.pulse
        if pulse.state != PulseState.CLOSED:
            raise ValidationError(_("Free text is released after the pulse has closed."))
        if not answer.text:
            raise ValidationError(_("This is no one's answer: there is nothing to release."))
        if not enough_for_free_text(pulse):
            raise ValidationError(
                _("Fewer than %(k)s people answered the pulse: its free text stays unshown.")
                % {"k": pulse.min_free_text_group_size}
            )
        with audit_change(
            actor=actor,
            action=AuditAction.PULSE_FREE_TEXT_RELEASED,
            target=pulse,
            unit=pulse.scope,
            organisation=pulse.scope.organisation,
            state=lambda: {"released": answer.released},  # never the text itself in the log
        ):
            answer.redacted = redacted
            answer.released = True
            answer.save(update_fields=["redacted", "released"])
    return answer


def pulse_look_open(*, actor, access: Access, pulse_unit: PulseUnit, subject: str = ""):
    """Open a joint look with the level above about what the pulse tells ("Vad säger pulsen oss?"): the
    unit's own choice, so its results are shared with the level above it as well."""
    require(
        rules.can_share_results(access, pulse_unit), _("The unit's own people open a look about its pulse.")
    )
    with transaction.atomic():
        if not pulse_unit.shared_upward:
            pulse_unit = pulse_results_share(actor=actor, access=access, pulse_unit=pulse_unit, shared=True)
        return joint_look_open(
            actor=actor,
            access=access,
            unit=pulse_unit.unit,
            subject=subject
            or _("What does the pulse tell us? (%(title)s)") % {"title": pulse_unit.pulse.title},
            pulse=pulse_unit.pulse,
        )
