"""The named questions of the trust pulse: who prepares a pulse, who reads which results.

Results belong to the unit they are about. A unit's own people read its results (for a unit with units
below it, the results of its whole part of the chain); the levels above read them only when the unit has
shared them (`PulseUnit.shared_upward`). Administrators prepare pulses but read no unshared result either:
the pulse is the staff's voice, not a control instrument.

For a unit with units below it, the questions about the work group and the nearest manager
(`UNIT_INTERNAL`) add up several managers' units: its own managers read only the questions that look up
the chain (what our units say about us, our support, the politicians), never the sum of how their units
see their own managers, which a large unit below would all but give away one by one (`can_read_item`).
"""

from tillit.chain.access import Access
from tillit.pulse.enums import PulseState, Relation

UNIT_INTERNAL = frozenset({Relation.TEAM, Relation.NEAREST_MANAGER})


def _in_organisation(access: Access, pulse) -> bool:
    if access.is_system:
        return access.organisation_id is None or access.organisation_id == pulse.organisation_id
    return access.organisation_id == pulse.organisation_id


def can_prepare_pulses_for(access: Access, unit) -> bool:
    """The managers of a part of the chain (and administrators) prepare, open and close its pulses."""
    return unit.closed_at is None and access.can_manage(unit)


def can_manage_pulse(access: Access, pulse) -> bool:
    return _in_organisation(access, pulse) and access.can_manage(pulse.scope)


def can_change_pulse_settings(access: Access, organisation) -> bool:
    return access.is_system or (access.administers and access.organisation_id == organisation.pk)


def can_see_pulse(access: Access, pulse) -> bool:
    """The pulse itself (title, items, state, banded response rate of the whole) is read in its chain."""
    return _in_organisation(access, pulse) and access.can_read(pulse.scope)


def is_member_of(access: Access, pulse_unit) -> bool:
    """One of the unit's own people, or of a unit below it: the unit's results are their own."""
    if access.is_system:
        return True
    return any(own.startswith(pulse_unit.unit.path) for own in access.member_paths)


def can_read_results(access: Access, pulse_unit) -> bool:
    """The unit's own results, or results the unit shared with the levels above it."""
    pulse = pulse_unit.pulse
    if not _in_organisation(access, pulse) or pulse.state != PulseState.CLOSED:
        return False
    if is_member_of(access, pulse_unit):
        return True
    return pulse_unit.shared_upward and any(
        pulse_unit.unit.path.startswith(own) for own in access.member_paths
    )


def can_read_item(access: Access, pulse_unit, item, *, has_units_below: bool) -> bool:
    """Of a unit's results that one reads, the question `item`: every question of a unit without units
    below it; of a unit with units below it, the questions about the work group and the nearest manager
    only for the people of the units below (never for the managers above them, shared or not)."""
    if access.is_system or not has_units_below or item.relation not in UNIT_INTERNAL:
        return True
    path = pulse_unit.unit.path
    return any(own.startswith(path) and own != path for own in access.member_paths)


def can_share_results(access: Access, pulse_unit) -> bool:
    """The unit decides: its own people who may write in it (its manager, in practice)."""
    return _in_organisation(access, pulse_unit.pulse) and access.can_write(pulse_unit.unit)


def can_release_free_text(access: Access, pulse) -> bool:
    return can_manage_pulse(access, pulse)
