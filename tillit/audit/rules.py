"""The named questions of the audit log."""

from tillit.chain.access import Access


def can_read_unit_log(access: Access, unit) -> bool:
    """A unit's audit log is read by whoever reads the unit (its chain above and below)."""
    return access.can_read_audit_log(unit)
