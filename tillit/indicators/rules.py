"""Who may do what in the indicators room: pure predicates, no query."""

from tillit.chain.access import Access


def can_change_indicators(access: Access, unit) -> bool:
    """The unit's own people choose and change its indicators, data, narratives and phase changes."""
    return access.can_write(unit)


def can_edit_indicator(access: Access, indicator) -> bool:
    """A followed indicator is changed, and its data recorded, by its unit's people; a retired one keeps
    its data as it is."""
    return can_change_indicators(access, indicator.unit) and indicator.retired_at is None


def can_record_observations(access: Access, indicator) -> bool:
    """Values are recorded (by hand, by file, through the API) where the indicator may be edited."""
    return can_edit_indicator(access, indicator)
