"""A unit's pulse over the rounds: one run chart per question."""

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tillit.analysis import Chart, Direction, analyse_series
from tillit.chain import selectors as chain_selectors
from tillit.charts.spc import ChartSeries, class_label, spc_chart
from tillit.dialogue import selectors as dialogue_selectors
from tillit.pulse import selectors
from tillit.pulse.enums import PulseState
from tillit.pulse.instrument import BY_CODE

# The Anhøj rules of a run chart (longest run, crossings) can first tell a signal from routine variation
# with about ten useful points; with fewer the page says so instead of reading signals into the rounds.
RUN_CHART_MIN_ROUNDS = 10


# ------------------------------------------------------------------------------ a unit over rounds


@dataclass
class ItemHistory:
    code: str
    text: str
    reversed: bool
    rounds: int
    chart: object | None
    status: str


def _round_period(pulse) -> date:
    return pulse.closes_on.replace(day=1)


def _look_notes(access, unit, pulses) -> list[tuple[date, str]]:
    """Joint looks opened from one of these rounds about the unit, at their round, with their outcome."""
    by_pulse = {pulse.pk: pulse for pulse in pulses}
    notes = []
    for look in dialogue_selectors.looks_in_subtree(access=access, unit=unit):
        if look.unit_id != unit.pk or look.pulse_id not in by_pulse:
            continue
        if look.is_open:
            text = _("Joint look “%(subject)s”: open") % {"subject": look.subject}
        else:
            text = _("Joint look “%(subject)s”: %(outcome)s. %(summary)s") % {
                "subject": look.subject,
                "outcome": look.get_outcome_display(),
                "summary": look.summary,
            }
        notes.append((_round_period(by_pulse[look.pulse_id]), text.strip()))
    notes.sort(key=lambda note: note[0])
    return notes


def _history_chart(item, points, notes):
    values = [
        point.cell.mean if point.cell is not None and point.cell.published else None for point in points
    ]
    numbers = np.array([np.nan if value is None else value for value in values], dtype=np.float64)
    if not np.isfinite(numbers).any():
        return None, ""
    result = analyse_series(
        numbers, chart=Chart.RUN, direction=Direction.DOWN if item.reversed else Direction.UP
    )
    periods = [_round_period(point.pulse) for point in points]
    chart = spc_chart(
        series=ChartSeries.from_result(periods=periods, frequency="month", result=result),
        title=item.text(support_referent=points[-1].pulse.support_referent),
        unit_label=_("mean, 1–5"),
        annotations=[note for note in notes if note[0] in periods],
        chart_id=f"pulse-item-{item.code}",
        decimals=1,
    )
    rounds = int(np.isfinite(numbers).sum())
    if rounds < RUN_CHART_MIN_ROUNDS:
        status = ngettext(
            "%(rounds)s round with a result so far. The run chart's rules need at least %(min)s before they "
            "can tell a signal from routine variation, so none is claimed: read the points as they are.",
            "%(rounds)s rounds with a result so far. The run chart's rules need at least %(min)s before they "
            "can tell a signal from routine variation, so none is claimed: read the points as they are.",
            rounds,
        ) % {"rounds": rounds, "min": RUN_CHART_MIN_ROUNDS}
    else:
        latest = int(result.latest)
        code = int(result.point_class[latest]) if latest >= 0 else 0
        names = {0: "common", 1: "improvement", 2: "concern", 3: "special"}
        status = _("The latest round: %(class)s.") % {"class": class_label(names.get(code, "common"))}
    return chart, status


@login_required
def unit_history(request, unit_id: int):
    access = request.access
    unit = chain_selectors.unit_get_readable(access=access, unit_id=unit_id)
    rounds = sorted(
        (
            pulse
            for pulse in selectors.pulses_for(access)
            if pulse.state == PulseState.CLOSED and unit.path.startswith(pulse.scope.path)
        ),
        key=lambda pulse: (pulse.closes_on, pulse.pk),
    )
    notes = _look_notes(access, unit, rounds)
    histories = []
    for code, points in selectors.unit_histories(access, unit).items():
        item = BY_CODE[code]
        chart, status = _history_chart(item, points, notes)
        histories.append(
            ItemHistory(
                code=code,
                text=item.text(support_referent=points[-1].pulse.support_referent),
                reversed=item.reversed,
                rounds=len(points),
                chart=chart,
                status=status,
            )
        )
    return render(
        request,
        "pulse/unit_history.html",
        {
            "unit": unit,
            "chain": chain_selectors.unit_chain(unit=unit),
            "histories": histories,
            "notes": notes,
            "min_rounds": RUN_CHART_MIN_ROUNDS,
        },
    )
