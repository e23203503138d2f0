from datetime import datetime

from ninja import Schema


class UnitOut(Schema):
    id: int
    name: str
    level: str
    parent_id: int | None
    depth: int
    path: list[int]
    closed_at: datetime | None


class UnitDetailOut(UnitOut):
    chain: list[UnitOut]
    children: list[UnitOut]


class RoleOut(Schema):
    id: int
    name: str
    description: str
    capabilities: list[str]


class MembershipOut(Schema):
    id: int
    person_id: int
    person_name: str
    unit_id: int
    role: RoleOut
    title: str
    started_at: datetime
    ended_at: datetime | None


class MeOut(Schema):
    id: int
    full_name: str
    email: str
    organisation: str
    memberships: list[MembershipOut]


class DetailOut(Schema):
    """Every refusal of the API (404, 403, 422): what went wrong, in the caller's language."""

    detail: str


class ProblemOut(Schema):
    row: int
    message: str


class ProblemsOut(DetailOut):
    """The all-or-nothing bulk write's refusal (422): every problem with its row, counted from 0."""

    problems: list[ProblemOut]


class PurposeOut(Schema):
    unit_id: int
    version: int
    statement: str
    serves: str
    valued: str
    written_at: datetime
    authors: list[str]
