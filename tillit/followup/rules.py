"""Who may do what in follow-up: named predicates, pure and cheap, asked by services and views alike."""

from tillit.chain.access import Access


def can_analyse_unit(access: Access, unit) -> bool:
    """The unit's own people recompute its analysis on demand (the chain above reads it)."""
    return access.can_write(unit)
