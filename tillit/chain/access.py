"""What a person may do where in the chain, computed once per request from their memberships.

Visibility follows the chain in both directions: a person reads their own units, everything below
them, and the chain above them. Managing flows downward from a unit where the person manages.
Administrators and auditors read the whole organisation. Nothing ever crosses the organisation.

Every service takes an `Access`; there is no `None` that skips the checks. Work that no person does
(the task worker, the demo loader, migrations of data) passes `Access.system()`, which is explicit in
the code and in review.
"""

from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Access:
    person_id: int | None
    organisation_id: int | None
    member_paths: tuple[str, ...]
    manage_paths: tuple[str, ...]
    write_unit_ids: frozenset[int]
    administers: bool
    audits: bool
    is_system: bool = False  # Tillit itself (tasks, the demo loader): every unit, no person

    @classmethod
    def system(cls, organisation_id: int | None = None) -> "Access":
        return cls(
            person_id=None,
            organisation_id=organisation_id,
            member_paths=(),
            manage_paths=(),
            write_unit_ids=frozenset(),
            administers=False,
            audits=False,
            is_system=True,
        )

    def _in_organisation(self, unit) -> bool:
        if self.is_system:
            return self.organisation_id is None or unit.organisation_id == self.organisation_id
        return unit.organisation_id == self.organisation_id

    @property
    def reads_whole_organisation(self) -> bool:
        return self.administers or self.audits

    def can_read(self, unit) -> bool:
        if not self._in_organisation(unit):
            return False
        if self.is_system or self.reads_whole_organisation:
            return True
        return any(unit.path.startswith(path) or path.startswith(unit.path) for path in self.member_paths)

    def can_manage(self, unit) -> bool:
        if not self._in_organisation(unit):
            return False
        return (
            self.is_system
            or self.administers
            or any(unit.path.startswith(path) for path in self.manage_paths)
        )

    def can_write(self, unit) -> bool:
        if not self._in_organisation(unit):
            return False
        return self.is_system or unit.pk in self.write_unit_ids

    def can_read_audit_log(self, unit) -> bool:
        return self.can_read(unit)

    def readable_units_filter(self, *, path: str = "path", unit_id: str = "pk") -> Q:
        """A filter for Unit querysets: the units this person may read.

        For rows about a unit that carry its path (e.g. a stored analysis), `path` and `unit_id` name the
        row's fields holding its unit's path and id; the row's own `organisation_id` is filtered on."""
        if self.is_system and self.organisation_id is None:
            return Q()
        if self.organisation_id is None:
            return Q(pk__in=[])
        in_organisation = Q(organisation_id=self.organisation_id)
        if self.is_system or self.reads_whole_organisation:
            return in_organisation
        ancestor_ids = {int(part) for own in self.member_paths for part in own.strip("/").split("/") if part}
        chain = Q(**{f"{unit_id}__in": ancestor_ids})
        for own in self.member_paths:
            chain |= Q(**{f"{path}__startswith": own})
        return in_organisation & chain

    def subtree_filter(self, unit, *, path: str = "unit_path", unit_id: str = "unit_id") -> Q:
        """A filter for rows about units in `unit`'s sub-tree that this person may read (visibility
        follows the chain): `path` and `unit_id` name the row's fields holding its unit's path and id."""
        in_subtree = Q(organisation_id=unit.organisation_id, **{f"{path}__startswith": unit.path})
        if (
            self.is_system
            or self.reads_whole_organisation
            or any(unit.path.startswith(own) for own in self.member_paths)
        ):
            return in_subtree  # the unit is one's own or below it: the whole sub-tree is readable
        return in_subtree & self.readable_units_filter(path=path, unit_id=unit_id)

    def viewer_unit(self, unit) -> int | None:
        """The unit a view of `unit` counts for (the burden's usage): the viewed unit for its own people,
        else the viewer's own unit in the chain above it (the deepest one). Never the person; no query."""
        if self.is_system or self.organisation_id != unit.organisation_id:
            return None
        if unit.pk in self.write_unit_ids or any(path.endswith(f"/{unit.pk}/") for path in self.member_paths):
            return unit.pk
        above = [path for path in self.member_paths if unit.path.startswith(path)]
        if not above:
            return None
        return int(max(above, key=len).strip("/").split("/")[-1])


NO_ACCESS = Access(
    person_id=None,
    organisation_id=None,
    member_paths=(),
    manage_paths=(),
    write_unit_ids=frozenset(),
    administers=False,
    audits=False,
)
