"""The named questions of the steering chain: who may read, manage, write in and administer what.

`Access` holds the data (the person's memberships, computed once per request); these predicates are the
questions that services, views, templates (through booleans from views) and the API ask. Pure and cheap:
no query.
"""

from tillit.chain.access import Access


def can_read_unit(access: Access, unit) -> bool:
    """The unit is in the person's chain (their own units, below them or above them)."""
    return access.can_read(unit)


def can_manage_unit(access: Access, unit) -> bool:
    """The person manages the unit or a unit above it (or administers the organisation)."""
    return access.can_manage(unit)


def can_write_in_unit(access: Access, unit) -> bool:
    """The person is one of the unit's own people with a role that writes (or manages) there."""
    return access.can_write(unit)


def can_change_unit(access: Access, unit) -> bool:
    """The person may change what belongs to the unit: they write there and the unit is open."""
    return access.can_write(unit) and unit.closed_at is None


def can_administer(access: Access, organisation_id: int | None) -> bool:
    """The person administers this organisation (its levels, roles and top units); Tillit itself does."""
    if access.is_system:
        return access.organisation_id is None or access.organisation_id == organisation_id
    return access.administers and organisation_id is not None and access.organisation_id == organisation_id


def can_give_privileged_roles(access: Access, organisation_id: int | None) -> bool:
    """Roles that administer or audit are given only by administrators."""
    return can_administer(access, organisation_id)


def can_create_unit(access: Access, *, organisation_id: int, parent) -> bool:
    """A sub-unit is created by a manager of its parent; a top unit only by an administrator."""
    if parent is None:
        return can_administer(access, organisation_id)
    return access.can_manage(parent)


def can_move_unit(access: Access, unit, new_parent) -> bool:
    """A unit moves between two places that the person both manages."""
    return access.can_manage(unit) and access.can_manage(new_parent)


def can_give_role(access: Access, unit, role) -> bool:
    """A manager of the unit gives roles there; an administrator also the roles that administer or audit."""
    if not access.can_manage(unit):
        return False
    return not (role.can_administer or role.can_audit) or can_give_privileged_roles(
        access, unit.organisation_id
    )
