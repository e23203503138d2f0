"""Writes of the delegation register: registers, uploaded files and the versions they adopt.

A register is changed only by adopting a new version from a file (upload → preview → apply), all or
nothing. Who may: the organisation's administrator or a person who manages the register's unit.
Adopting a version also keeps the SQLite full-text index in step (PostgreSQL indexes the table itself).
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record
from tillit.chain.access import Access
from tillit.chain.models import Role
from tillit.core.text import clean_line
from tillit.delegation import text
from tillit.delegation.diff import EntriesDiff, entries_diff
from tillit.delegation.imports import EntryRow, LineProblem, entry_content, parse_register_file
from tillit.delegation.models import (
    DelegationEntry,
    DelegationEntrySearch,
    DelegationRegister,
    RegisterImport,
    RegisterVersion,
)
from tillit.delegation.selectors import register_version_in_force
from tillit.indicators.imports import MAX_FILE_BYTES


def can_manage_register(access: Access | None, register_or_unit) -> bool:
    """`access` None is the system itself (the demo, management commands)."""
    unit = getattr(register_or_unit, "unit", register_or_unit)
    return access is None or access.can_manage(unit)


def _require_manage(access: Access | None, unit) -> None:
    if not can_manage_register(access, unit):
        raise PermissionDenied


@transaction.atomic
def register_create(*, actor, access: Access | None, unit, name: str = "") -> DelegationRegister:
    _require_manage(access, unit)
    if unit.closed_at is not None:
        raise ValidationError(_("The unit is closed."))
    if DelegationRegister.objects.filter(unit=unit).exists():
        raise ValidationError({"unit": _("The unit already has a delegation register.")})
    name = clean_line(name) or _("Delegation register of %(unit)s") % {"unit": unit.name}
    register = DelegationRegister.objects.create(organisation_id=unit.organisation_id, unit=unit, name=name)
    audit_record(
        actor=actor,
        organisation=unit.organisation,
        action=AuditAction.DELEGATION_REGISTER_CREATED,
        target=register,
        unit=unit,
        after={"name": register.name},
    )
    return register


@transaction.atomic
def register_import_create(
    *, actor, access: Access | None, register: DelegationRegister, filename: str, content: bytes
) -> RegisterImport:
    _require_manage(access, register.unit)
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)d MB. Split it into smaller files.")
            % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    return RegisterImport.objects.create(
        organisation_id=register.organisation_id,
        register=register,
        filename=clean_line(filename)[:255] or "import.csv",
        content=content,
        uploaded_by=actor,
    )


@dataclass
class ImportPreview:
    rows: list[EntryRow] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    in_force: RegisterVersion | None = None
    diff: EntriesDiff = field(default_factory=EntriesDiff)
    # Delegates that name one of the organisation's roles (casefolded name → role).
    roles: dict[str, Role] = field(default_factory=dict)

    @property
    def can_apply(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def equals_in_force(self) -> bool:
        """The file says exactly what the version in force says, in the same order."""
        if self.in_force is None:
            return False
        return [row.content() for row in self.rows] == [
            entry_content(entry) for entry in self.in_force.entries.all()
        ]

    @property
    def unmatched_delegates(self) -> list[str]:
        seen: dict[str, str] = {}
        for row in self.rows:
            seen.setdefault(row.delegate.casefold(), row.delegate)
        return [name for key, name in seen.items() if key not in self.roles]


def _roles_by_name(organisation_id: int) -> dict[str, Role]:
    return {role.name.casefold(): role for role in Role.objects.filter(organisation_id=organisation_id)}


def register_import_preview(*, register_import: RegisterImport) -> ImportPreview:
    parsed = parse_register_file(filename=register_import.filename, content=bytes(register_import.content))
    in_force = register_version_in_force(register=register_import.register)
    preview = ImportPreview(rows=parsed.rows, problems=parsed.problems, in_force=in_force)
    if preview.can_apply:
        roles = _roles_by_name(register_import.organisation_id)
        preview.roles = {
            row.delegate.casefold(): roles[row.delegate.casefold()]
            for row in parsed.rows
            if row.delegate.casefold() in roles
        }
        preview.diff = entries_diff(list(in_force.entries.all()) if in_force else [], parsed.rows)
    return preview


def _search_texts_write(entries: list[DelegationEntry]) -> None:
    """SQLite only: the entries' stemmed text, which the FTS5 index follows by its triggers."""
    if connection.vendor != "sqlite":
        return
    DelegationEntrySearch.objects.bulk_create(
        [
            DelegationEntrySearch(
                entry=entry,
                matter=text.indexed_text(entry.matter),
                other=text.indexed_text(
                    " ".join(
                        (
                            entry.matter_group,
                            entry.delegate,
                            entry.legal_basis,
                            entry.reporting,
                            entry.substitute,
                            entry.note,
                        )
                    )
                ),
            )
            for entry in entries
        ],
        batch_size=500,
    )


def search_texts_rebuild() -> int:
    """SQLite only: write the stemmed text of every entry again (after a change of the stemming)."""
    if connection.vendor != "sqlite":
        return 0
    with transaction.atomic():
        DelegationEntrySearch.objects.all().delete()
        entries = list(DelegationEntry.objects.all())
        _search_texts_write(entries)
    return len(entries)


@transaction.atomic
def register_import_apply(
    *,
    actor,
    access: Access | None,
    register_import: RegisterImport,
    decision: str,
    adopted_on: date,
) -> RegisterVersion | None:
    """Adopt the file as the register's new version in force, all or nothing. None when the file says
    exactly what the version in force says: nothing is adopted then."""
    register = (
        DelegationRegister.objects.select_for_update()
        .select_related("unit__organisation")
        .get(pk=register_import.register_id)
    )
    _require_manage(access, register.unit)
    register_import = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
    if register_import.applied_at is not None:
        raise ValidationError(_("This file has already been applied. Upload it again to apply it anew."))
    decision = clean_line(decision)
    if not decision:
        raise ValidationError({"decision": _("Write the decision that adopted the register.")})
    if adopted_on is None:
        raise ValidationError({"adopted_on": _("Write the date the register was adopted.")})
    preview = register_import_preview(register_import=register_import)
    if preview.problems:
        raise ValidationError([f"{problem.line}: {problem.message}" for problem in preview.problems])
    if not preview.rows:
        raise ValidationError(_("The file has no matters."))
    register_import.applied_at = timezone.now()
    if preview.equals_in_force:
        register_import.save(update_fields=["applied_at"])
        return None
    previous = preview.in_force
    if previous is not None:
        previous_count = previous.entries.count()
        previous.in_force = False
        previous.save(update_fields=["in_force"])
    number = (register.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = RegisterVersion.objects.create(
        organisation_id=register.organisation_id,
        register=register,
        number=number,
        adopted_on=adopted_on,
        decision=decision[:200],
        source_name=register_import.filename,
        in_force=True,
        created_by=actor,
    )
    entries = DelegationEntry.objects.bulk_create(
        [
            DelegationEntry(
                organisation_id=register.organisation_id,
                version=version,
                position=position,
                role=preview.roles.get(row.delegate.casefold()),
                **dict(
                    zip(
                        (
                            "code",
                            "matter_group",
                            "matter",
                            "delegate",
                            "legal_basis",
                            "redelegation_allowed",
                            "reporting",
                            "substitute",
                            "note",
                        ),
                        row.content(),
                        strict=True,
                    )
                ),
            )
            for position, row in enumerate(preview.rows, start=1)
        ]
    )
    if entries and entries[0].pk is None:  # a database that does not return ids from a bulk insert
        entries = list(version.entries.all())
    _search_texts_write(entries)
    register_import.version = version
    register_import.save(update_fields=["applied_at", "version"])
    audit_record(
        actor=actor,
        organisation=register.unit.organisation,
        action=AuditAction.DELEGATION_VERSION_ADOPTED,
        target=version,
        unit=register.unit,
        before={"number": previous.number, "entries": previous_count} if previous else None,
        after={
            "number": version.number,
            "entries": len(entries),
            "decision": version.decision,
            "adopted_on": adopted_on.isoformat(),
            "added": len(preview.diff.added),
            "removed": len(preview.diff.removed),
            "changed": len(preview.diff.changed),
        },
    )
    return version


def register_file_adopt(
    *,
    actor,
    access: Access | None,
    register: DelegationRegister,
    filename: str,
    content: bytes,
    decision: str,
    adopted_on: date,
) -> RegisterVersion | None:
    """Upload and apply in one step (the demo, scripts); the same checks as the pages."""
    with transaction.atomic():
        register_import = register_import_create(
            actor=actor, access=access, register=register, filename=filename, content=content
        )
        return register_import_apply(
            actor=actor,
            access=access,
            register_import=register_import,
            decision=decision,
            adopted_on=adopted_on,
        )
