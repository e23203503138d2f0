"""Reads of the steering chain. Every function is scoped to one organisation."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from tillit.chain import rules
from tillit.chain.access import NO_ACCESS, Access
from tillit.chain.models import Level, Membership, Organisation, Role, Unit


def access_for(*, person) -> Access:
    """Compute a person's capabilities from their active memberships (one query)."""
    if person is None or not person.is_authenticated or person.organisation_id is None:
        return NO_ACCESS
    memberships = list(
        Membership.objects.filter(
            person=person, organisation_id=person.organisation_id, ended_at__isnull=True
        ).select_related("unit", "role")
    )
    open_memberships = [m for m in memberships if m.unit.closed_at is None]
    return Access(
        person_id=person.pk,
        organisation_id=person.organisation_id,
        member_paths=tuple(sorted({m.unit.path for m in open_memberships})),
        manage_paths=tuple(sorted({m.unit.path for m in open_memberships if m.role.can_manage})),
        write_unit_ids=frozenset(
            m.unit_id for m in open_memberships if m.role.can_write or m.role.can_manage
        ),
        administers=any(m.role.can_administer for m in open_memberships),
        audits=any(m.role.can_audit for m in open_memberships),
    )


def unit_list_readable(*, access: Access) -> QuerySet[Unit]:
    return Unit.objects.filter(access.readable_units_filter()).select_related("level")


def unit_get_readable(*, access: Access, unit_id: int) -> Unit:
    """The unit, if this person may read it; otherwise 404 (never 403: no inference across the chain)."""
    unit = (
        Unit.objects.filter(pk=unit_id, organisation_id=access.organisation_id)
        .select_related("level", "parent", "organisation")
        .first()
    )
    if unit is None or not access.can_read(unit):
        raise Http404
    return unit


def unit_chain(*, unit: Unit) -> list[Unit]:
    """The units above this one, from the top of the chain down to the parent."""
    ancestors = Unit.objects.filter(pk__in=unit.ancestor_ids, organisation_id=unit.organisation_id)
    return sorted(ancestors.select_related("level"), key=lambda ancestor: ancestor.depth)


def unit_chains(*, units) -> dict[int, list[Unit]]:
    """The chain above each of these units (as `unit_chain`), by unit id: one query for all of them."""
    units = list(units)
    wanted = {ancestor_id for unit in units for ancestor_id in unit.ancestor_ids}
    if not wanted:
        return {unit.pk: [] for unit in units}
    found = {
        ancestor.pk: ancestor
        for ancestor in Unit.objects.filter(
            pk__in=wanted, organisation_id=units[0].organisation_id
        ).select_related("level")
    }
    return {
        unit.pk: sorted(
            (found[pk] for pk in unit.ancestor_ids if pk in found), key=lambda ancestor: ancestor.depth
        )
        for unit in units
    }


def unit_children(*, unit: Unit, include_closed: bool = False) -> QuerySet[Unit]:
    children = unit.children.select_related("level").order_by("name")
    return children if include_closed else children.filter(closed_at__isnull=True)


def unit_active_memberships(*, unit: Unit) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(unit=unit, organisation_id=unit.organisation_id, ended_at__isnull=True)
        .select_related("person", "role")
        .order_by("-role__can_manage", "role__name", "person__full_name")
    )


def unit_descendants(*, unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(organisation_id=unit.organisation_id, path__startswith=unit.path).exclude(
        pk=unit.pk
    )


@dataclass
class TreeNode:
    unit: Unit
    readable: bool
    children: list["TreeNode"] = field(default_factory=list)


def organisation_tree(*, access: Access, include_closed: bool = False) -> list[TreeNode]:
    """The whole organisation's chain as a tree (one query). Units outside the person's chain are
    shown by name only: the organisation chart is public, what happens inside a unit is not."""
    units = Unit.objects.filter(organisation_id=access.organisation_id).select_related("level")
    if not include_closed:
        units = units.filter(closed_at__isnull=True)
    nodes: dict[int, TreeNode] = {}
    roots: list[TreeNode] = []
    for unit in units.order_by("depth", "name"):
        node = TreeNode(unit=unit, readable=access.can_read(unit))
        nodes[unit.pk] = node
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


def person_get_readable(*, access: Access, person_id: int):
    """A person in the same organisation who shares a readable unit with the viewer, else 404."""
    person = get_user_model().objects.filter(pk=person_id, organisation_id=access.organisation_id).first()
    if person is None:
        raise Http404
    if person.pk == access.person_id:
        return person
    readable = unit_list_readable(access=access)
    if not Membership.objects.filter(person=person, unit__in=readable).exists():
        raise Http404
    return person


def person_memberships_readable(*, access: Access, person) -> QuerySet[Membership]:
    """The person's roles, limited to units the viewer may read."""
    return (
        Membership.objects.filter(person=person, organisation_id=access.organisation_id)
        .filter(unit__in=unit_list_readable(access=access))
        .select_related("unit", "unit__level", "role")
        .order_by("ended_at", "unit__path")
    )


def my_memberships(*, person) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(
            person=person, organisation_id=person.organisation_id, ended_at__isnull=True
        )
        .select_related("unit", "unit__level", "role")
        .prefetch_related(
            Prefetch(
                "unit__children",
                queryset=Unit.objects.filter(closed_at__isnull=True).select_related("level").order_by("name"),
            )
        )
        .order_by("unit__path")
    )


def level_list(*, organisation: Organisation) -> QuerySet[Level]:
    return Level.objects.filter(organisation=organisation).order_by("rank", "name")


def level_name_taken(*, organisation_id: int, name: str, other_than: Level | None = None) -> bool:
    """Whether another level of the organisation has this name."""
    levels = Level.objects.filter(organisation_id=organisation_id, name=name)
    return levels.exclude(pk=other_than.pk).exists() if other_than is not None else levels.exists()


def role_name_taken(*, organisation_id: int, name: str) -> bool:
    return Role.objects.filter(organisation_id=organisation_id, name=name).exists()


def has_open_role(*, person, unit: Unit, role: Role) -> bool:
    """Whether the person already has this role in this unit (not ended)."""
    return Membership.objects.filter(person=person, unit=unit, role=role, ended_at__isnull=True).exists()


def role_list(*, organisation: Organisation) -> QuerySet[Role]:
    return Role.objects.filter(organisation=organisation).order_by("name")


def role_choices(*, access: Access, organisation: Organisation) -> QuerySet[Role]:
    """The roles this person may give: those that administer or audit only for administrators."""
    roles = role_list(organisation=organisation)
    if rules.can_give_privileged_roles(access, organisation.pk):
        return roles
    return roles.filter(can_administer=False, can_audit=False)


def role_people_choices(*, access: Access, unit: Unit):
    """The active people this person may give a role in `unit`: everyone in the organisation for an
    administrator, else the people of the units this person reads."""
    people = get_user_model().objects.filter(organisation_id=unit.organisation_id, is_active=True)
    if not rules.can_give_privileged_roles(access, unit.organisation_id):
        people = people.filter(memberships__unit__in=unit_list_readable(access=access)).distinct()
    return people.order_by("full_name")


def membership_get(*, access: Access, membership_id: int) -> Membership:
    """A membership of the person's organisation (with its unit, person and role), else 404."""
    membership = (
        Membership.objects.select_related("unit", "person", "role")
        .filter(pk=membership_id, organisation_id=access.organisation_id)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def level_get(*, access: Access, level_id: int) -> Level:
    """A level of the person's organisation, else 404 (for everyone, administrators included)."""
    level = Level.objects.filter(pk=level_id, organisation_id=access.organisation_id).first()
    if level is None:
        raise Http404
    return level


def unit_move_targets(*, access: Access, unit: Unit) -> QuerySet[Unit]:
    """Open units this unit could be moved under: managed by the person, not the unit or its subtree."""
    targets = Unit.objects.filter(organisation_id=unit.organisation_id, closed_at__isnull=True).exclude(
        path__startswith=unit.path
    )
    if not rules.can_administer(access, unit.organisation_id):
        managed = None
        for path in access.manage_paths:
            clause = targets.filter(path__startswith=path)
            managed = clause if managed is None else managed | clause
        targets = managed if managed is not None else targets.none()
    return targets.select_related("level").order_by("path")


def unit_people(*, unit_ids, managers_only: bool = False) -> list:
    """The active people with a role in these units that lets them write there (or manage, if asked):
    who a notification about a unit's work goes to. One query."""
    capability = Q(memberships__role__can_manage=True)
    if not managers_only:
        capability |= Q(memberships__role__can_write=True)
    people = get_user_model().objects.filter(
        capability,
        memberships__unit_id__in=[unit_id for unit_id in unit_ids if unit_id],
        memberships__ended_at__isnull=True,
        is_active=True,
    )
    return list(people.distinct().order_by("full_name"))
