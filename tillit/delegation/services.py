"""Writes of the delegation register: registers, uploaded files and the versions they adopt.

A register is changed only by adopting a new version from a file (upload → preview → apply), all or
nothing. Who may: the organisation's administrator or a person who manages the register's unit.
Adopting a version also keeps the SQLite full-text index in step (PostgreSQL indexes the table itself).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.audit.enums import AuditAction
from tillit.audit.services import audit_record
from tillit.chain.access import Access
from tillit.core.imports import MAX_FILE_BYTES, ApplyRefusals, too_large_message, upload_apply
from tillit.core.permissions import require
from tillit.core.rows import locked
from tillit.core.text import clean_line
from tillit.delegation import rules, text
from tillit.delegation.models import (
    DelegationEntry,
    DelegationEntrySearch,
    DelegationRegister,
    RegisterImport,
    RegisterVersion,
)
from tillit.delegation.selectors import register_import_preview


@transaction.atomic
def register_create(*, actor, access: Access, unit, name: str = "") -> DelegationRegister:
    require(rules.can_manage_register(access, unit))
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
    *, actor, access: Access, register: DelegationRegister, filename: str, content: bytes
) -> RegisterImport:
    require(rules.can_manage_register(access, register.unit))
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(too_large_message())
    return RegisterImport.objects.create(
        organisation_id=register.organisation_id,
        register=register,
        filename=clean_line(filename)[:255] or "import.csv",
        content=content,
        uploaded_by=actor,
    )


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


REFUSALS = ApplyRefusals(
    applied=gettext_lazy("This file has already been applied. Upload it again to apply it anew."),
    empty=gettext_lazy("The file has no matters."),
    line=lambda problem: f"{problem.line}: {problem.message}",
)


@transaction.atomic
def register_import_apply(
    *,
    actor,
    access: Access,
    register_import: RegisterImport,
    decision: str,
    adopted_on: date,
) -> RegisterVersion | None:
    """Adopt the file as the register's new version in force, all or nothing. None when the file says
    exactly what the version in force says: nothing is adopted then."""
    register = locked(
        DelegationRegister.objects.select_related("unit__organisation"), pk=register_import.register_id
    )
    require(rules.can_manage_register(access, register.unit))
    register_import = locked(RegisterImport.objects, pk=register_import.pk)
    decision = clean_line(decision)

    def check_decision() -> None:
        if not decision:
            raise ValidationError({"decision": _("Write the decision that adopted the register.")})
        if adopted_on is None:
            raise ValidationError({"adopted_on": _("Write the date the register was adopted.")})

    return upload_apply(
        upload=register_import,
        before_check=check_decision,
        preview_of=lambda: register_import_preview(register_import=register_import),
        apply=lambda preview: _version_adopt(
            actor=actor,
            register=register,
            register_import=register_import,
            preview=preview,
            decision=decision,
            adopted_on=adopted_on,
        ),
        refusals=REFUSALS,
    )


def _version_adopt(
    *, actor, register, register_import, preview, decision: str, adopted_on: date
) -> RegisterVersion | None:
    """The apply step of a register file: the checked rows become the version in force."""
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
    access: Access,
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
