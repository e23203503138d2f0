"""Closing a pulse and what follows: the frozen results, sharing them upward, the redacted free text, and
a joint look about what the pulse tells.

Results are computed once, at close, with the disclosure rules of `tillit.analysis.disclosure` (k per
cell, differencing, homogeneity, banded counts) and stored as `PulseCell` rows. Nothing recomputes them:
an answer after the close is refused, and a unit moved or split later does not re-slice them (S-05, S-09).
"""

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.analysis import disclosure
from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_change, snapshot
from tillit.chain.access import Access
from tillit.chain.selectors import unit_people
from tillit.core.clock import now
from tillit.core.permissions import require
from tillit.core.rows import locked
from tillit.core.text import clean_text
from tillit.dialogue.services import joint_look_open
from tillit.notifications.enums import NotificationKind
from tillit.notifications.services import notification_send
from tillit.pulse import rules
from tillit.pulse.enums import PulseState
from tillit.pulse.instrument import SCALE
from tillit.pulse.models import FreeTextAnswer, Pulse, PulseCell, PulseUnit, Response


def _own_counts(pulse: Pulse, frame: list[PulseUnit]):
    """Per frame unit: the answers given there (not below), per item and option, and the respondents."""
    index = {row.pk: i for i, row in enumerate(frame)}
    items = {code: j for j, code in enumerate(pulse.items)}
    counts = np.zeros((len(frame), len(items), len(SCALE)), dtype=np.int64)
    respondents = np.zeros(len(frame), dtype=np.int64)
    rows = Response.objects.filter(pulse=pulse, answers__isnull=False).values_list("pulse_unit_id", "answers")
    for unit_id, answers in rows.iterator(chunk_size=5000):
        node = index[unit_id]
        respondents[node] += 1
        for code, value in answers.items():
            if value and code in items:  # 0 is "vet inte": a respondent, but no part of a mean
                counts[node, items[code], value - 1] += 1
    return counts, respondents


def _results_freeze(pulse: Pulse) -> None:
    frame = list(PulseUnit.objects.filter(pulse=pulse).order_by("depth", "frame_path"))
    position = {row.pk: i for i, row in enumerate(frame)}
    parent = np.array([position[row.parent_id] if row.parent_id else -1 for row in frame], dtype=np.int64)
    counts, respondents = _own_counts(pulse, frame)
    k = pulse.min_group_size
    table = disclosure.cell_table(parent, counts, k)
    people = disclosure.subtree_sums(parent, respondents)
    invited = disclosure.subtree_sums(parent, np.array([row.invited for row in frame], dtype=np.int64))
    shown = disclosure.publishable(parent, people, k)
    low, high = disclosure.bands(np.where(shown, people, 0), k)
    rate_low, rate_high = disclosure.rate_bands(np.where(shown, people, 0), invited, k)
    cells = []
    for i, row in enumerate(frame):
        if shown[i]:
            row.respondents_low, row.respondents_high = int(low[i]), int(high[i])
            row.rate_low, row.rate_high = int(rate_low[i]), int(rate_high[i])
        for j, code in enumerate(pulse.items):
            published = bool(table.published[i, j])
            cell = PulseCell(pulse=pulse, pulse_unit=row, item=code, published=published)
            if published:
                cell.mean = round(float(table.means[i, j]), 2)
                item_low, item_high = disclosure.bands(np.array([table.n[i, j]]), k)
                cell.answers_low, cell.answers_high = int(item_low[0]), int(item_high[0])
                if table.distribution_shown[i, j]:
                    total = int(table.n[i, j])
                    cell.distribution = [round(100 * int(c) / total) for c in table.totals[i, j]]
            cells.append(cell)
    PulseUnit.objects.bulk_update(
        frame, ["respondents_low", "respondents_high", "rate_low", "rate_high"], batch_size=2000
    )
    PulseCell.objects.bulk_create(cells, batch_size=2000)


def pulse_close(*, actor, access: Access, pulse: Pulse) -> Pulse:
    """Close the pulse and publish its frozen results; no answer is taken afterwards."""
    require(
        rules.can_manage_pulse(access, pulse),
        _("Only the managers of this part of the chain close its pulse."),
    )
    with transaction.atomic():
        pulse = locked(Pulse.objects.select_related("scope__organisation"), pk=pulse.pk)
        if pulse.state != PulseState.OPEN:
            raise ValidationError(_("Only an open pulse can be closed; results are published once."))
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
            _results_freeze(pulse)
        frame_units = list(PulseUnit.objects.filter(pulse=pulse).values_list("unit_id", flat=True))
        notification_send(
            organisation=pulse.scope.organisation,
            recipients=unit_people(unit_ids=frame_units),
            kind=NotificationKind.PULSE_PUBLISHED,
            params={"subject": pulse.title, "unit": pulse.scope.name},
            url=pulse.get_absolute_url(),
            unit=pulse.scope,
            actor=actor,
        )
    return pulse


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


def enough_for_free_text(pulse: Pulse) -> bool:
    answered = Response.objects.filter(pulse=pulse, answers__isnull=False).count()
    return answered >= pulse.min_free_text_group_size


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
