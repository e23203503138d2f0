"""Who may do what with the delegation register: pure predicates, no query."""

from tillit.chain.access import Access


def can_manage_register(access: Access, register_or_unit) -> bool:
    """The organisation's administrator, or a person who manages the register's unit, creates the
    register and adopts its versions."""
    unit = getattr(register_or_unit, "unit", register_or_unit)
    return access.can_manage(unit)


def can_create_register(access: Access) -> bool:
    """Whether the person manages any unit that could get a register (the button on the list)."""
    return access.organisation_id is not None and (access.administers or bool(access.manage_paths))
