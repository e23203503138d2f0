"""Who may do what in the indicators room: pure predicates, no query."""

from tillit.chain.access import Access


def can_change_indicators(access: Access, unit) -> bool:
    """The unit's own people choose and change its indicators, narratives and phase changes."""
    return access.can_write(unit)


def can_record_observations(access: Access, unit) -> bool:
    """The unit's own people record its data, by hand, by file or through the API."""
    return can_change_indicators(access, unit)
