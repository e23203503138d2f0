"""Reads of the delegation register.

A delegationsordning is a public document: everyone signed in to the organisation reads every register
of it; nothing crosses the organisation.
"""

from dataclasses import dataclass, field
from itertools import groupby

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tillit.chain.access import Access
from tillit.chain.models import Membership, Role, Unit
from tillit.core.imports import LineProblem
from tillit.delegation import text
from tillit.delegation.diff import EntriesDiff, entries_diff
from tillit.delegation.imports import EntryRow, entry_content, parse_register_file
from tillit.delegation.models import DelegationEntry, DelegationRegister, RegisterImport, RegisterVersion

FTS_TABLE = "delegation_entry_fts"
# The expression of the GIN index of migration 0003: the query must repeat it exactly to use the index.
SEARCH_VECTOR = (
    "setweight(to_tsvector('swedish'::regconfig, coalesce(e.matter, '')), 'A')"
    " || setweight(to_tsvector('swedish'::regconfig, coalesce(e.matter_group, '')), 'B')"
    " || setweight(to_tsvector('swedish'::regconfig, coalesce(e.delegate, '') || ' ' || coalesce(e.legal_basis, '')), 'C')"
    " || setweight(to_tsvector('swedish'::regconfig, coalesce(e.note, '')), 'D')"
)
# SQLite's bm25 weights per column: the matter, the rest of the entry.
BM25_WEIGHTS = "10.0, 1.0"


def entries_in_force(*, organisation_id: int) -> QuerySet[DelegationEntry]:
    return DelegationEntry.objects.filter(organisation_id=organisation_id, version__in_force=True)


def register_list(*, organisation_id: int | None) -> list[DelegationRegister]:
    registers = list(
        DelegationRegister.objects.filter(organisation_id=organisation_id)
        .select_related("unit")
        .order_by("unit__path", "name")
    )
    in_force = {
        version.register_id: version
        for version in RegisterVersion.objects.filter(register__in=registers, in_force=True).annotate(
            entry_count=Count("entries")
        )
    }
    for register in registers:
        register.in_force_version = in_force.get(register.pk)
    return registers


def register_get_readable(*, access: Access, register_id: int) -> DelegationRegister:
    register = (
        DelegationRegister.objects.filter(pk=register_id, organisation_id=access.organisation_id)
        .select_related("unit__organisation")
        .first()
    )
    if register is None:
        raise Http404
    return register


def register_version_in_force(*, register: DelegationRegister) -> RegisterVersion | None:
    return register.versions.filter(in_force=True).select_related("created_by").first()


def register_versions(*, register: DelegationRegister) -> list[RegisterVersion]:
    return list(
        register.versions.select_related("created_by")
        .annotate(entry_count=Count("entries"))
        .order_by("-number")
    )


def register_version_get_readable(*, access: Access, version_id: int) -> RegisterVersion:
    version = (
        RegisterVersion.objects.filter(pk=version_id, organisation_id=access.organisation_id)
        .select_related("register__unit", "created_by")
        .first()
    )
    if version is None:
        raise Http404
    return version


def version_entries(*, version: RegisterVersion) -> list[DelegationEntry]:
    return list(version.entries.select_related("role").order_by("position"))


@dataclass(frozen=True)
class EntryGroup:
    name: str
    entries: list[DelegationEntry]


def entries_grouped(entries) -> list[EntryGroup]:
    """Consecutive entries of the same group, in the register's order (a group may come back later)."""
    return [EntryGroup(name, list(items)) for name, items in groupby(entries, key=lambda e: e.matter_group)]


def version_previous(*, version: RegisterVersion) -> RegisterVersion | None:
    return (
        RegisterVersion.objects.filter(register_id=version.register_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )


def version_changes(*, version: RegisterVersion) -> EntriesDiff | None:
    """What changed from the version before; None for the first version."""
    previous = version_previous(version=version)
    if previous is None:
        return None
    return entries_diff(version_entries(version=previous), version_entries(version=version))


def register_import_get_readable(*, access: Access, import_id: int) -> RegisterImport:
    found = (
        RegisterImport.objects.filter(pk=import_id, organisation_id=access.organisation_id)
        .select_related("register__unit__organisation", "uploaded_by", "version")
        .first()
    )
    if found is None:
        raise Http404
    return found


def register_imports_recent(*, register: DelegationRegister, limit: int = 5) -> QuerySet[RegisterImport]:
    return register.imports.select_related("uploaded_by", "version").defer("content")[:limit]


# --- "Vem kan besluta om …?" ---------------------------------------------------------------------------


def _search_ids_sqlite(*, organisation_id: int, query: str, limit: int) -> list[int]:
    match = text.sqlite_match(query)
    if not match:
        return []
    sql = (
        f"SELECT e.id FROM {FTS_TABLE}"  # noqa: S608 -- constant table names
        f" JOIN delegation_delegationentry e ON e.id = {FTS_TABLE}.rowid"
        " JOIN delegation_registerversion v ON v.id = e.version_id"
        f" WHERE {FTS_TABLE} MATCH %s AND e.organisation_id = %s AND v.in_force"
        f" ORDER BY bm25({FTS_TABLE}, {BM25_WEIGHTS}), e.position, e.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, organisation_id, limit])
        return [row[0] for row in cursor.fetchall()]


def _search_ids_postgresql(*, organisation_id: int, query: str, limit: int) -> list[int]:
    tsquery = text.postgres_tsquery(query)
    if not tsquery:
        return []
    sql = (
        "SELECT e.id FROM delegation_delegationentry e"  # noqa: S608 -- a constant expression
        " JOIN delegation_registerversion v ON v.id = e.version_id,"
        " to_tsquery('swedish'::regconfig, %s) q"
        f" WHERE e.organisation_id = %s AND v.in_force AND ({SEARCH_VECTOR}) @@ q"
        f" ORDER BY ts_rank({SEARCH_VECTOR}, q) DESC, e.position, e.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [tsquery, organisation_id, limit])
        return [row[0] for row in cursor.fetchall()]


def _search_ids_fallback(*, organisation_id: int, query: str, limit: int) -> list[int]:
    words = text.query_words(query)
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(matter__icontains=word) | Q(matter_group__icontains=word) | Q(delegate__icontains=word)
    return list(
        entries_in_force(organisation_id=organisation_id).filter(match).values_list("pk", flat=True)[:limit]
    )


def _own_chain_paths(person, organisation_id: int) -> list[str]:
    if person is None:
        return []
    return list(
        Membership.objects.filter(
            person=person, organisation_id=organisation_id, ended_at__isnull=True
        ).values_list("unit__path", flat=True)
    )


def entries_search(
    *, organisation_id: int, query: str, limit: int = 10, person=None
) -> list[DelegationEntry]:
    """Entries in force that answer "vem kan besluta om <query>?", best match first.

    Full text with Swedish stemming: SQLite's FTS5 (stemmed by snowballstemmer, ranked by bm25) or
    PostgreSQL's 'swedish' configuration (ranked by ts_rank). Question words are left out. With
    `person`, of two equally good matters the one of a register in the person's own chain (their nämnd)
    comes first."""
    if organisation_id is None:
        return []
    search = {"sqlite": _search_ids_sqlite, "postgresql": _search_ids_postgresql}.get(
        connection.vendor, _search_ids_fallback
    )
    # The database ranks a wider set; the best of it is re-ranked below.
    ids = search(organisation_id=organisation_id, query=query, limit=max(limit * 5, 50))
    found = DelegationEntry.objects.filter(pk__in=ids, organisation_id=organisation_id).select_related(
        "version__register__unit", "version__created_by", "role"
    )
    by_id = {entry.pk: entry for entry in found}
    ranked = [by_id[pk] for pk in ids if pk in by_id]
    stems = [text.query_stem(word) for word in text.query_words(query)]

    def words_named(entry) -> int:
        matter = text.indexed_text(entry.matter).split()
        return sum(1 for stem in stems if any(word.startswith(stem) for word in matter))

    order = {entry.pk: position for position, entry in enumerate(ranked)}
    own_paths = _own_chain_paths(person, organisation_id)

    def elsewhere(entry) -> bool:
        register_path = entry.version.register.unit.path
        return not any(path.startswith(register_path) for path in own_paths)

    # The matter that names most words of the question answers it best, the shortest (most exact) first,
    # then the one of the asker's own nämnd; the database's ranking (which weighs the whole entry's
    # length, notes included) decides the rest.
    def key(entry):
        named = words_named(entry)
        if named:
            return (-named, len(entry.matter), elsewhere(entry), order[entry.pk])
        return (0, 0, False, order[entry.pk])

    ranked.sort(key=key)
    return ranked[:limit]


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def entries_holders(
    *, entries: list[DelegationEntry], person=None, near_unit: Unit | None = None
) -> dict[int, list[Membership]]:
    """Per entry, the active memberships that hold its delegate function: the entry's role, or a role or
    title of the delegate's name (case-insensitive, Unicode-folded in Python: SQLite's comparison only
    folds ASCII), within the register's unit and below it. The asker's own chain (their units and those
    above, or `near_unit`'s chain, nearest first) comes first, then the rest in tree order. Four queries
    for any number of entries."""
    result: dict[int, list[Membership]] = {entry.pk: [] for entry in entries}
    entries = [entry for entry in entries if _folded(entry.delegate)]
    if not entries:
        return result
    organisation_id = entries[0].organisation_id
    in_subtrees = Q()
    for path in {entry.version.register.unit.path for entry in entries}:
        in_subtrees |= Q(unit__path__startswith=path)
    memberships = Membership.objects.filter(
        in_subtrees, organisation_id=organisation_id, ended_at__isnull=True, unit__closed_at__isnull=True
    )
    delegates = {_folded(entry.delegate) for entry in entries}
    role_names = {
        role.pk: _folded(role.name)
        for role in Role.objects.filter(organisation_id=organisation_id)
        if _folded(role.name) in delegates
    }
    role_ids = set(role_names) | {entry.role_id for entry in entries if entry.role_id}
    titles = {
        title
        for title in memberships.exclude(title="").values_list("title", flat=True).distinct()
        if _folded(title) in delegates
    }
    if not role_ids and not titles:
        return result
    holders = list(
        memberships.filter(Q(role_id__in=role_ids) | Q(title__in=titles)).select_related(
            "person", "unit", "role"
        )
    )
    own_paths = _own_chain_paths(person, organisation_id) if person is not None else []
    if near_unit is not None:
        own_paths.append(near_unit.path)

    def key(membership):
        if any(own.startswith(membership.unit.path) for own in own_paths):
            return (0, -membership.unit.depth, membership.unit.path, membership.person.full_name)
        return (1, 0, membership.unit.path, membership.person.full_name)

    holders.sort(key=key)
    for entry in entries:
        delegate, path = _folded(entry.delegate), entry.version.register.unit.path
        seen: set[tuple[int, int]] = set()
        for membership in holders:
            holds = membership.role_id == entry.role_id or role_names.get(membership.role_id) == delegate
            holds = holds or _folded(membership.title) == delegate
            if not holds or not membership.unit.path.startswith(path):
                continue
            if (membership.person_id, membership.unit_id) not in seen:
                seen.add((membership.person_id, membership.unit_id))
                result[entry.pk].append(membership)
    return result


def entry_holders(*, entry: DelegationEntry, person) -> list[Membership]:
    """The holders of one entry's delegate function, the asker's own chain first (see entries_holders)."""
    return entries_holders(entries=[entry], person=person)[entry.pk]


def register_unit_choices(*, access: Access) -> QuerySet:
    """Open units the person may give a register: those they manage (every unit for an administrator)
    that have none yet, top of the chain first."""

    units = Unit.objects.filter(organisation_id=access.organisation_id, closed_at__isnull=True).exclude(
        delegation_registers__isnull=False
    )
    if not access.administers:
        managed = Q(pk__in=[])
        for path in access.manage_paths:
            managed |= Q(path__startswith=path)
        units = units.filter(managed)
    return units.order_by("depth", "path")


# --- The preview of an uploaded file ----------------------------------------------------------------


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
