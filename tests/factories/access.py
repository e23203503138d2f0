"""An Access built by hand for the pure rules tests (no database): a person of organisation 10 by default."""

from tillit.chain.access import Access


def access_of(
    *, member=(), manage=(), write=(), organisation_id=10, administers=False, audits=False
) -> Access:
    return Access(
        person_id=7,
        organisation_id=organisation_id,
        member_paths=tuple(member),
        manage_paths=tuple(manage),
        write_unit_ids=frozenset(write),
        administers=administers,
        audits=audits,
    )
