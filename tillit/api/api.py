"""The JSON API at /api/v1/: tenant-scoped reads of the steering chain.

Authentication: a personal API token (`Authorization: Bearer tlt_…`) or the browser session.
Everything a person can read here, they can also read in the pages, and nothing more.
"""

from django.http import Http404
from ninja import NinjaAPI

from tillit.agreements import api as agreements_api
from tillit.agreements.selectors import purpose_summary
from tillit.api.auth import PersonalTokenAuth, SessionAuth
from tillit.api.errors import install_error_handlers
from tillit.api.schemas import MembershipOut, MeOut, PurposeOut, RoleOut, UnitDetailOut, UnitOut
from tillit.burden import api as burden_api
from tillit.chain import selectors
from tillit.chain.models import Membership, Role, Unit
from tillit.delegation import api as delegation_api
from tillit.dialogue import api as dialogue_api
from tillit.experiments import api as experiments_api
from tillit.followup import api as followup_api
from tillit.indicators import api as indicators_api
from tillit.notifications import api as notifications_api
from tillit.obstacles import api as obstacles_api
from tillit.pulse import api as pulse_api

api = NinjaAPI(
    title="Tillit API",
    version="1",
    description="Read the steering chain of your organisation: units, roles and the chain above a unit.",
    auth=[PersonalTokenAuth(), SessionAuth()],
    docs_url=None,  # the interactive docs load assets from a CDN; the schema is at /api/v1/openapi.json
    urls_namespace="api",
)
install_error_handlers(api)


def _unit_out(unit: Unit) -> UnitOut:
    return UnitOut(
        id=unit.pk,
        name=unit.name,
        level=unit.level.name,
        parent_id=unit.parent_id,
        depth=unit.depth,
        path=[int(part) for part in unit.path.strip("/").split("/")],
        closed_at=unit.closed_at,
    )


def _role_out(role: Role) -> RoleOut:
    return RoleOut(
        id=role.pk, name=role.name, description=role.description, capabilities=role.capability_codes
    )


def _membership_out(membership: Membership) -> MembershipOut:
    return MembershipOut(
        id=membership.pk,
        person_id=membership.person_id,
        person_name=membership.person.full_name,
        unit_id=membership.unit_id,
        role=_role_out(membership.role),
        title=membership.title,
        started_at=membership.started_at,
        ended_at=membership.ended_at,
    )


@api.get("/me", response=MeOut, summary="The signed-in person and their roles")
def me(request):
    person = request.auth
    memberships = selectors.my_memberships(person=person)
    return MeOut(
        id=person.pk,
        full_name=person.full_name,
        email=person.email,
        organisation=person.organisation.name if person.organisation else "",
        memberships=[_membership_out(m) for m in memberships],
    )


@api.get("/units", response=list[UnitOut], summary="Units you can read, in chain order")
def unit_list(request, include_closed: bool = False):
    units = selectors.unit_list_readable(access=request.access).order_by("path")
    if not include_closed:
        units = units.filter(closed_at__isnull=True)
    return [_unit_out(unit) for unit in units]


@api.get("/units/{unit_id}", response={200: UnitDetailOut}, summary="One unit with the chain above it")
def unit_detail(request, unit_id: int):
    unit = selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    return UnitDetailOut(
        **_unit_out(unit).model_dump(),
        chain=[_unit_out(u) for u in selectors.unit_chain(unit=unit)],
        children=[_unit_out(u) for u in selectors.unit_children(unit=unit, include_closed=True)],
    )


@api.get("/units/{unit_id}/chain", response=list[UnitOut], summary="The chain above a unit, top first")
def unit_chain(request, unit_id: int):
    unit = selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    return [_unit_out(u) for u in [*selectors.unit_chain(unit=unit), unit]]


@api.get("/units/{unit_id}/roles", response=list[MembershipOut], summary="People and their roles in a unit")
def unit_roles(request, unit_id: int):
    unit = selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    return [_membership_out(m) for m in selectors.unit_active_memberships(unit=unit)]


@api.get("/roles", response=list[RoleOut], summary="The roles your organisation has defined")
def role_list(request):
    organisation = request.auth.organisation
    if organisation is None:
        raise Http404
    return [_role_out(role) for role in selectors.role_list(organisation=organisation)]


@api.get(
    "/units/{unit_id}/purpose",
    response=PurposeOut | None,
    summary="The unit's current purpose (null when not yet written)",
)
def unit_purpose(request, unit_id: int):
    unit = selectors.unit_get_readable(access=request.access, unit_id=unit_id)
    purpose, authors = purpose_summary(unit=unit)
    if purpose is None:
        return None
    return PurposeOut(
        unit_id=unit.pk,
        version=purpose.version,
        statement=purpose.statement,
        serves=purpose.serves,
        valued=purpose.valued,
        written_at=purpose.created_at,
        authors=[author.full_name for author in authors],
    )


# Each room's endpoints live beside its code; every router inherits the API's authentication.
api.add_router("", agreements_api.router)
api.add_router("", indicators_api.router)
api.add_router("", followup_api.router)
api.add_router("", dialogue_api.router)
api.add_router("", obstacles_api.router)
api.add_router("", delegation_api.router)
api.add_router("", experiments_api.router)
api.add_router("", burden_api.router)
api.add_router("", notifications_api.router)
api.add_router("", pulse_api.router)  # its answer operation alone needs no sign-in: the code is the right
