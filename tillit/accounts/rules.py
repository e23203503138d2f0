"""The named questions about people: who invites whom, and who holds which API token."""

from tillit.chain.access import Access


def can_invite_person(access: Access, unit) -> bool:
    """A manager of the unit invites new people into it."""
    return access.can_manage(unit)


def can_create_api_token(person) -> bool:
    """A token reads an organisation's data: only people of an organisation hold one."""
    return person.organisation_id is not None


def can_revoke_api_token(person, token) -> bool:
    """A token is revoked only by the person it belongs to."""
    return token.person_id == person.pk
