"""Reads of stored analysis results."""


def unit_followup_summary(*, unit) -> dict:
    """What the unit page shows about follow-up (filled in by the follow-up work)."""
    return {}
