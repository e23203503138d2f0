"""JSON API of the delegation register, mounted at /api/v1/ by tillit.api.api.

A delegationsordning is a public document within the organisation: every signed-in person reads every
register of their own organisation; another organisation's register answers 404.
"""

from datetime import date

from ninja import Router, Schema

from tillit.delegation import selectors

router = Router(tags=["delegation"])


class VersionSummaryOut(Schema):
    id: int
    number: int
    adopted_on: date | None
    decision: str
    in_force: bool
    entries: int


class RegisterOut(Schema):
    id: int
    name: str
    unit_id: int
    unit_name: str
    in_force: VersionSummaryOut | None


class EntryOut(Schema):
    id: int
    code: str
    matter_group: str
    matter: str
    delegate: str
    role_id: int | None
    legal_basis: str
    redelegation_allowed: bool
    reporting: str
    substitute: str
    note: str


class RegisterDetailOut(RegisterOut):
    versions: list[VersionSummaryOut]
    in_force_entries: list[EntryOut]


class HolderOut(Schema):
    person_id: int
    name: str
    title: str
    unit_id: int
    unit_name: str


class SearchHitOut(EntryOut):
    register_id: int
    register_name: str
    version_id: int
    version_number: int
    decision: str
    holders: list[HolderOut]


def _version_summary(version, entries: int) -> VersionSummaryOut:
    return VersionSummaryOut(
        id=version.pk,
        number=version.number,
        adopted_on=version.adopted_on,
        decision=version.decision,
        in_force=version.in_force,
        entries=entries,
    )


def _entry_out(entry) -> dict:
    return {
        "id": entry.pk,
        "code": entry.code,
        "matter_group": entry.matter_group,
        "matter": entry.matter,
        "delegate": entry.delegate,
        "role_id": entry.role_id,
        "legal_basis": entry.legal_basis,
        "redelegation_allowed": entry.redelegation_allowed,
        "reporting": entry.reporting,
        "substitute": entry.substitute,
        "note": entry.note,
    }


@router.get(
    "/delegation/registers",
    response=list[RegisterOut],
    summary="The organisation's delegation registers, each with its version in force",
)
def delegation_registers(request):
    return [
        RegisterOut(
            id=register.pk,
            name=register.name,
            unit_id=register.unit_id,
            unit_name=register.unit.name,
            in_force=_version_summary(register.in_force_version, register.in_force_version.entry_count)
            if register.in_force_version
            else None,
        )
        for register in selectors.register_list(organisation_id=request.access.organisation_id)
    ]


@router.get(
    "/delegation/registers/{register_id}",
    response=RegisterDetailOut,
    summary="One delegation register: its versions and the entries of the version in force",
)
def delegation_register(request, register_id: int):
    register = selectors.register_get_readable(access=request.access, register_id=register_id)
    versions = selectors.register_versions(register=register)
    in_force = next((version for version in versions if version.in_force), None)
    entries = selectors.version_entries(version=in_force) if in_force else []
    return RegisterDetailOut(
        id=register.pk,
        name=register.name,
        unit_id=register.unit_id,
        unit_name=register.unit.name,
        in_force=_version_summary(in_force, in_force.entry_count) if in_force else None,
        versions=[_version_summary(version, version.entry_count) for version in versions],
        in_force_entries=[EntryOut(**_entry_out(entry)) for entry in entries],
    )


@router.get(
    "/delegation/search",
    response=list[SearchHitOut],
    summary="Who may decide about …? Entries in force that match the question, best first, with holders",
)
def delegation_search(request, q: str = "", limit: int = 10):
    entries = selectors.entries_search(
        organisation_id=request.access.organisation_id,
        query=q[:200],
        limit=max(1, min(limit, 50)),
        person=request.auth,
    )
    holders_of = selectors.entries_holders(entries=entries, person=request.auth)
    return [
        SearchHitOut(
            **_entry_out(entry),
            register_id=entry.version.register_id,
            register_name=entry.version.register.name,
            version_id=entry.version_id,
            version_number=entry.version.number,
            decision=entry.version.decision,
            holders=[
                HolderOut(
                    person_id=membership.person_id,
                    name=membership.person.full_name,
                    title=membership.title or membership.role.name,
                    unit_id=membership.unit_id,
                    unit_name=membership.unit.name,
                )
                for membership in holders_of[entry.pk]
            ],
        )
        for entry in entries
    ]
