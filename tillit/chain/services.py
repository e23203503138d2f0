"""Writes to the steering chain. Every state change is checked, done in one transaction and audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record
from tillit.chain import rules, selectors
from tillit.chain.access import Access
from tillit.chain.models import Level, Membership, Organisation, Role, Unit, UnitPathCopy
from tillit.core.clock import now
from tillit.core.permissions import require
from tillit.core.rows import locked
from tillit.followup.services import analysis_schedule_for_unit


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Enter a name.")})
    if len(name) > 200:
        raise ValidationError({"name": _("The name can be at most 200 characters.")})
    return name


@transaction.atomic
def organisation_create(*, name: str, slug: str) -> Organisation:
    organisation = Organisation.objects.create(name=_clean_name(name), slug=slug)
    audit_record(
        actor=None,
        organisation=organisation,
        action=AuditAction.ORGANISATION_CREATED,
        target=organisation,
        after={"name": organisation.name, "slug": slug},
    )
    return organisation


@transaction.atomic
def level_create(*, actor=None, access: Access, organisation: Organisation, name: str, rank: int) -> Level:
    """Add a level name (e.g. "Sektion") to the organisation's chain."""
    require(rules.can_administer(access, organisation.pk))
    name = _clean_name(name)
    if selectors.level_name_taken(organisation_id=organisation.pk, name=name):
        raise ValidationError({"name": _("The organisation already has a level with this name.")})
    if not 0 <= rank <= 50:
        raise ValidationError({"rank": _("Choose a rank between 0 (the top) and 50.")})
    level = Level.objects.create(organisation=organisation, name=name, rank=rank)
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.LEVEL_CREATED,
        target=level,
        after={"name": level.name, "rank": rank},
    )
    return level


@transaction.atomic
def role_create(
    *,
    actor=None,
    organisation: Organisation,
    name: str,
    description: str = "",
    can_write: bool = False,
    can_manage: bool = False,
    can_administer: bool = False,
    can_audit: bool = False,
    access: Access,
) -> Role:
    require(rules.can_administer(access, organisation.pk))
    if selectors.role_name_taken(organisation_id=organisation.pk, name=" ".join(name.split())):
        raise ValidationError({"name": _("The organisation already has a role with this name.")})
    role = Role.objects.create(
        organisation=organisation,
        name=_clean_name(name),
        description=description,
        can_write=can_write,
        can_manage=can_manage,
        can_administer=can_administer,
        can_audit=can_audit,
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.ROLE_CREATED,
        target=role,
        after={"name": role.name, "capabilities": role.capability_codes},
    )
    return role


@transaction.atomic
def unit_create(
    *,
    actor=None,
    access: Access,
    organisation: Organisation,
    parent: Unit | None,
    level: Level,
    name: str,
) -> Unit:
    """Create a unit under `parent` (or a root when parent is None: administrators and setup only)."""
    require(rules.can_create_unit(access, organisation_id=organisation.pk, parent=parent))
    if parent is not None and (parent.organisation_id != organisation.pk or parent.closed_at is not None):
        raise ValidationError({"parent": _("A new unit must be placed under an open unit.")})
    if level.organisation_id != organisation.pk:
        raise ValidationError({"level": _("Choose one of the organisation's levels.")})
    unit = Unit.objects.create(
        organisation=organisation,
        parent=parent,
        level=level,
        name=_clean_name(name),
        depth=parent.depth + 1 if parent else 0,
        path="",
    )
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    audit_record(
        actor=actor,
        organisation=organisation,
        unit=unit,
        action=AuditAction.UNIT_CREATED,
        target=unit,
        after={"name": unit.name, "level": level.name, "parent": parent.name if parent else None},
    )
    return unit


@transaction.atomic
def unit_rename(*, actor, access: Access, unit: Unit, name: str, level: Level | None = None) -> Unit:
    require(rules.can_manage_unit(access, unit))
    before = {"name": unit.name, "level": unit.level.name}
    unit.name = _clean_name(name)
    if level is not None:
        if level.organisation_id != unit.organisation_id:
            raise ValidationError({"level": _("Choose one of the organisation's levels.")})
        unit.level = level
    unit.save(update_fields=["name", "level"])
    audit_record(
        actor=actor,
        organisation=unit.organisation,
        unit=unit,
        action=AuditAction.UNIT_RENAMED,
        target=unit,
        before=before,
        after={"name": unit.name, "level": unit.level.name},
    )
    return unit


@transaction.atomic
def unit_move(*, actor, access: Access, unit: Unit, new_parent: Unit) -> Unit:
    """Move a unit and its whole subtree under another unit of the same organisation."""
    require(rules.can_move_unit(access, unit, new_parent))
    unit = locked(Unit.objects, pk=unit.pk)
    if unit.parent_id is None:  # checked first: every other unit is below the top
        raise ValidationError({"new_parent": _("The top of the chain cannot be moved.")})
    if new_parent.organisation_id != unit.organisation_id:
        raise ValidationError({"new_parent": _("Choose a unit in the same organisation.")})
    if new_parent.path.startswith(unit.path):
        raise ValidationError(
            {"new_parent": _("A unit cannot be moved under itself or under one of its own sub-units.")}
        )
    if new_parent.closed_at is not None:
        raise ValidationError({"new_parent": _("A unit cannot be moved under a closed unit.")})
    old_parent = unit.parent
    old_path, new_path = unit.path, f"{new_parent.path}{unit.pk}/"
    depth_change = new_parent.depth + 1 - unit.depth
    # One UPDATE rewrites the prefix of the whole subtree (the unit included), and one per model that
    # keeps a copy of the path, so that every list of both branches is true when the transaction ends.
    Unit.objects.filter(organisation_id=unit.organisation_id, path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    for copy in UnitPathCopy.models():
        copy.objects.filter(organisation_id=unit.organisation_id, unit_path__startswith=old_path).update(
            unit_path=Concat(Value(new_path), Substr("unit_path", len(old_path) + 1))
        )
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    audit_record(
        actor=actor,
        organisation=unit.organisation,
        unit=unit,
        action=AuditAction.UNIT_MOVED,
        target=unit,
        before={"parent": old_parent.name},
        after={"parent": new_parent.name},
    )
    # The stored analysis carries each unit's path, and an agreement binds only with the current parent.
    analysis_schedule_for_unit(unit=unit, with_sub_units=True)
    return unit


@transaction.atomic
def unit_close(*, actor, access: Access, unit: Unit) -> Unit:
    """Close a unit. Its history (memberships, audit log) is kept; its open roles end."""
    require(rules.can_manage_unit(access, unit))
    if unit.parent_id is None:
        raise ValidationError(_("The top of the chain cannot be closed."))
    if unit.closed_at is not None:
        raise ValidationError(_("The unit is already closed."))
    if selectors.unit_children(unit=unit).exists():
        raise ValidationError(_("Close or move the unit's open sub-units first."))
    moment = now()
    ended = list(selectors.unit_active_memberships(unit=unit))
    for membership in ended:
        _membership_end(actor=actor, membership=membership, when=moment)
    unit.closed_at = moment
    unit.save(update_fields=["closed_at"])
    audit_record(
        actor=actor,
        organisation=unit.organisation,
        unit=unit,
        action=AuditAction.UNIT_CLOSED,
        target=unit,
        before={"closed": False},
        after={"closed": True, "roles_ended": len(ended)},
    )
    return unit


@transaction.atomic
def membership_create(
    *, actor=None, access: Access, person, unit: Unit, role: Role, title: str = ""
) -> Membership:
    """Give a person a role in a unit."""
    require(rules.can_give_role(access, unit, role))
    if not (person.organisation_id == unit.organisation_id == role.organisation_id):
        raise ValidationError(_("The person, the unit and the role must belong to the same organisation."))
    if unit.closed_at is not None:
        raise ValidationError({"unit": _("Roles cannot be given in a closed unit.")})
    if selectors.has_open_role(person=person, unit=unit, role=role):
        raise ValidationError({"role": _("The person already has this role in this unit.")})
    membership = Membership.objects.create(
        organisation_id=unit.organisation_id, person=person, unit=unit, role=role, title=title.strip()
    )
    audit_record(
        actor=actor,
        organisation=unit.organisation,
        unit=unit,
        action=AuditAction.MEMBERSHIP_CREATED,
        target=membership,
        after={"person": person.full_name, "role": role.name, "title": membership.title},
    )
    return membership


def _membership_end(*, actor, membership: Membership, when) -> None:
    membership.ended_at = when
    membership.save(update_fields=["ended_at"])
    audit_record(
        actor=actor,
        organisation=membership.unit.organisation,
        unit=membership.unit,
        action=AuditAction.MEMBERSHIP_ENDED,
        target=membership,
        before={"person": membership.person.full_name, "role": membership.role.name, "active": True},
        after={"active": False},
    )


@transaction.atomic
def membership_end(*, actor, access: Access, membership: Membership) -> Membership:
    require(rules.can_manage_unit(access, membership.unit))
    if membership.ended_at is not None:
        raise ValidationError(_("The role has already ended."))
    _membership_end(actor=actor, membership=membership, when=now())
    return membership


@transaction.atomic
def level_rename(*, actor, access: Access, level: Level, name: str) -> Level:
    require(rules.can_administer(access, level.organisation_id))
    before = {"name": level.name}
    level.name = _clean_name(name)
    if selectors.level_name_taken(organisation_id=level.organisation_id, name=level.name, other_than=level):
        raise ValidationError({"name": _("The organisation already has a level with this name.")})
    level.save(update_fields=["name"])
    audit_record(
        actor=actor,
        organisation=level.organisation,
        action=AuditAction.LEVEL_RENAMED,
        target=level,
        before=before,
        after={"name": level.name},
    )
    return level
