"""Pages of the trust pulse (Tillitspuls). Thin: check access, call a selector or a service, render.

`answer` is the anonymous answer page; `rounds` the list and a round's preparation; `results` a closed
round's results and free text; `history` a unit's run charts over the rounds."""

from tillit.pulse.views.answer import answer
from tillit.pulse.views.history import unit_history
from tillit.pulse.views.results import free_text, free_text_release, look_open, pulse_detail, results_share
from tillit.pulse.views.rounds import (
    pulse_close,
    pulse_create,
    pulse_edit,
    pulse_list,
    pulse_open,
    pulse_remind,
    pulse_settings,
)

__all__ = [
    "answer",
    "free_text",
    "free_text_release",
    "look_open",
    "pulse_close",
    "pulse_create",
    "pulse_detail",
    "pulse_edit",
    "pulse_list",
    "pulse_open",
    "pulse_remind",
    "pulse_settings",
    "results_share",
    "unit_history",
]
