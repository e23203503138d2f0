"""Who may do what with joint looks: named predicates, pure and cheap, asked by services, views and
templates alike."""

from tillit.chain.access import Access


def can_open_look(access: Access, unit) -> bool:
    """Either side opens a look by hand: the unit's own people, or a level above that manages it."""
    return access.can_write(unit) or access.can_manage(unit)


def can_take_part_in_look(access: Access, look) -> bool:
    """The unit's own people and the levels above that manage it write in a look; others read it."""
    return can_open_look(access, look.unit) or (
        look.upper_unit_id is not None and access.can_write(look.upper_unit)
    )
