"""What changed between two lists of register entries: added, removed and changed matters.

Pure: works on anything with the entry's fields (stored entries or rows of a file). Entries are paired
by their number (Nr), or by the matter's text when the number is blank.
"""

from dataclasses import dataclass, field

from tillit.delegation.imports import CONTENT_FIELDS


@dataclass(frozen=True)
class ChangedEntry:
    before: object
    after: object
    fields: tuple[str, ...]  # the names of the fields that differ


@dataclass
class EntriesDiff:
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list[ChangedEntry] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)


def entry_key(entry) -> str:
    code = (entry.code or "").strip().casefold()
    return f"nr:{code}" if code else "matter:" + " ".join(entry.matter.split()).casefold()


def entries_diff(before, after) -> EntriesDiff:
    diff = EntriesDiff()
    earlier: dict[str, list] = {}
    for entry in before:
        earlier.setdefault(entry_key(entry), []).append(entry)
    for entry in after:
        matches = earlier.get(entry_key(entry))
        if not matches:
            diff.added.append(entry)
            continue
        previous = matches.pop(0)
        fields = tuple(name for name in CONTENT_FIELDS if getattr(previous, name) != getattr(entry, name))
        if fields:
            diff.changed.append(ChangedEntry(before=previous, after=entry, fields=fields))
    for remaining in earlier.values():
        diff.removed.extend(remaining)
    return diff
