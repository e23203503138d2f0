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


class ErrorOut(Schema):
    detail: str


class PurposeOut(Schema):
    unit_id: int
    version: int
    statement: str
    serves: str
    valued: str
    written_at: datetime
    authors: list[str]
