"""The named questions of the reporting-burden register: who registers, reads and answers what."""

from tillit.chain.access import Access


def can_read_requirement(access: Access, requirement) -> bool:
    """A requirement is read in its unit's chain and in the chain of the unit that asks for it."""
    return access.can_read(requirement.unit) or (
        requirement.requester_unit is not None and access.can_read(requirement.requester_unit)
    )


def can_register_requirements(access: Access, unit) -> bool:
    """The unit's own people register (and change, end, propose to remove) its reporting requirements,
    and ask for data on its behalf, while the unit is open."""
    return access.can_write(unit) and unit.closed_at is None


def can_answer_requests_to(access: Access, unit) -> bool:
    """Proposals to remove a report are answered in Tillit by the managers of the unit that asks for it."""
    return access.can_manage(unit)


def can_answer_removal(access: Access, proposal) -> bool:
    """A chain requester's managers answer in Tillit; for an external requester, the unit records the
    answer it received."""
    requirement = proposal.requirement
    if requirement.requester_unit_id is not None:
        return can_answer_requests_to(access, requirement.requester_unit)
    return access.can_write(requirement.unit)


def can_read_data_request(access: Access, data_request) -> bool:
    """A data request is read by the asking unit's chain and the support function's."""
    return access.can_read(data_request.unit) or access.can_read(data_request.to_unit)


def can_answer_data_request(access: Access, data_request) -> bool:
    """The support function's own people answer (or decline)."""
    return access.can_write(data_request.to_unit)
