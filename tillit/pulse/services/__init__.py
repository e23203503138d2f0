"""Writes of the trust pulse: preparing and opening a round (`rounds`), the anonymous answer (`answers`),
and the frozen results (`results`)."""

from tillit.pulse.services.answers import pulse_answer, pulse_invitations_send, token_normalise
from tillit.pulse.services.results import (
    free_text_release,
    pulse_close,
    pulse_look_open,
    pulse_published_notify,
    pulse_results_share,
)
from tillit.pulse.services.rounds import (
    pulse_close_schedule,
    pulse_create,
    pulse_open,
    pulse_remind,
    pulse_settings_for,
    pulse_settings_set,
    pulse_update,
    pulses_close_due,
)

__all__ = [
    "free_text_release",
    "pulse_answer",
    "pulse_close",
    "pulse_close_schedule",
    "pulse_create",
    "pulse_invitations_send",
    "pulse_look_open",
    "pulse_open",
    "pulse_published_notify",
    "pulse_remind",
    "pulse_results_share",
    "pulse_settings_for",
    "pulse_settings_set",
    "pulse_update",
    "pulses_close_due",
    "token_normalise",
]
