"""A structured diff between two versions of a trust agreement, section by section.

The purpose is compared word by word (difflib); the lists (mandate items, boundaries, support promises)
item by item, each item `added`, `removed`, `changed` (with a word diff of its text) or `unchanged`.
An indicator boundary whose values changed is one changed item, matched by its indicator.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from django.utils import formats
from django.utils.translation import gettext as _

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
UNCHANGED = "unchanged"
EQUAL = "equal"

_TOKENS = re.compile(r"\s+|\S+\s*")


@dataclass(frozen=True)
class Segment:
    kind: str  # EQUAL, ADDED or REMOVED
    text: str


@dataclass
class TextDiff:
    segments: list[Segment]

    @property
    def changed(self) -> bool:
        return any(segment.kind != EQUAL for segment in self.segments)


@dataclass
class ItemChange:
    kind: str  # ADDED, REMOVED, CHANGED or UNCHANGED
    old: object | None
    new: object | None
    old_text: str
    new_text: str
    text: TextDiff  # the word diff from old_text to new_text

    @property
    def item(self):
        return self.new if self.new is not None else self.old


@dataclass
class VersionDiff:
    old: object
    new: object
    purpose: TextDiff
    old_review_date: date | None
    new_review_date: date | None
    mandate_items: list[ItemChange] = field(default_factory=list)
    boundaries: list[ItemChange] = field(default_factory=list)
    support_promises: list[ItemChange] = field(default_factory=list)

    @property
    def review_date_changed(self) -> bool:
        return self.old_review_date != self.new_review_date

    @property
    def changed(self) -> bool:
        lists = (self.mandate_items, self.boundaries, self.support_promises)
        return (
            self.purpose.changed
            or self.review_date_changed
            or any(change.kind != UNCHANGED for changes in lists for change in changes)
        )

    def counts(self, section: str) -> dict[str, int]:
        counts = {ADDED: 0, REMOVED: 0, CHANGED: 0}
        for change in getattr(self, section):
            if change.kind in counts:
                counts[change.kind] += 1
        return counts


def word_diff(old: str, new: str) -> TextDiff:
    """Word by word: runs of equal, removed and added text (whitespace kept, so text reads as written)."""
    old_tokens = _TOKENS.findall(old or "")
    new_tokens = _TOKENS.findall(new or "")
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    segments: list[Segment] = []

    def add(kind: str, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if segments and segments[-1].kind == kind:
            segments[-1] = Segment(kind, segments[-1].text + text)
        else:
            segments.append(Segment(kind, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add(EQUAL, old_tokens[i1:i2])
        else:
            add(REMOVED, old_tokens[i1:i2])
            add(ADDED, new_tokens[j1:j2])
    return TextDiff(segments)


def number_text(value: float) -> str:
    """A value as people write it in the active language: 12,5 in Swedish, 12.5 in English."""
    return f"{value:.10g}".replace(".", formats.get_format("DECIMAL_SEPARATOR"))


def boundary_text(boundary) -> str:
    """A boundary in words, e.g. "Fall per 1000 besöksdagar: off-limits above 12,5"."""
    if boundary.indicator_id is None:
        return boundary.description
    parts = []
    if boundary.low is not None:
        parts.append(_("off-limits below %(value)s") % {"value": number_text(boundary.low)})
    if boundary.high is not None:
        parts.append(_("off-limits above %(value)s") % {"value": number_text(boundary.high)})
    text = f"{boundary.indicator.name}: {', '.join(parts)}"
    if boundary.description:
        text += f". {boundary.description}"
    return text


def promise_text(promise) -> str:
    if promise.response_working_days is None:
        return promise.text
    return _("%(text)s (answer within %(days)d working days)") % {
        "text": promise.text,
        "days": promise.response_working_days,
    }


def list_diff(old_items, new_items, *, text, identity=None) -> list[ItemChange]:
    """Item by item, in the new version's order (removed items where they stood). Items with the same
    `identity` (e.g. the indicator of a boundary) are one changed item rather than a removal and an
    addition."""
    old_items, new_items = list(old_items), list(new_items)
    old_texts = [text(item) for item in old_items]
    new_texts = [text(item) for item in new_items]
    matcher = SequenceMatcher(None, old_texts, new_texts, autojunk=False)
    changes: list[ItemChange] = []

    def change(kind, old_index, new_index) -> ItemChange:
        old_item = old_items[old_index] if old_index is not None else None
        new_item = new_items[new_index] if new_index is not None else None
        old_text = old_texts[old_index] if old_index is not None else ""
        new_text = new_texts[new_index] if new_index is not None else ""
        return ItemChange(kind, old_item, new_item, old_text, new_text, word_diff(old_text, new_text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes += [change(UNCHANGED, i, j) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
            continue
        olds, news = list(range(i1, i2)), list(range(j1, j2))
        if tag == "replace":
            # Reworded items pair up by position; items with an identity pair up by it below.
            def free(items, indexes):
                return [i for i in indexes if identity is None or identity(items[i]) is None]

            pairs = list(zip(free(old_items, olds), free(new_items, news), strict=False))
            changes += [change(CHANGED, i, j) for i, j in pairs]
            olds = [i for i in olds if i not in {i for i, _j in pairs}]
            news = [j for j in news if j not in {j for _i, j in pairs}]
        changes += [change(REMOVED, i, None) for i in olds]
        changes += [change(ADDED, None, j) for j in news]
    if identity is not None:
        changes = _pair_by_identity(changes, identity, change, old_items, new_items)
    return sorted(changes, key=lambda c: _position(c, old_items, new_items))


def _position(item_change: ItemChange, old_items: list, new_items: list) -> float:
    """Sort key: the new version's order; a removed item just before where it stood in the old one."""
    if item_change.new is not None:
        return new_items.index(item_change.new)
    return old_items.index(item_change.old) - 0.5


def _pair_by_identity(changes, identity, change, old_items, new_items):
    removed = {}
    for item_change in changes:
        if item_change.kind == REMOVED:
            key = identity(item_change.old)
            if key is not None:
                removed.setdefault(key, item_change)
    paired_removals = set()
    result = []
    for item_change in changes:
        if item_change.kind == ADDED:
            key = identity(item_change.new)
            match = removed.get(key) if key is not None else None
            if match is not None and id(match) not in paired_removals:
                paired_removals.add(id(match))
                result.append(change(CHANGED, old_items.index(match.old), new_items.index(item_change.new)))
                continue
        result.append(item_change)
    return [c for c in result if id(c) not in paired_removals]


def version_diff(old, new) -> VersionDiff:
    """The changes from version `old` to version `new` (both with their lists prefetched)."""
    return VersionDiff(
        old=old,
        new=new,
        purpose=word_diff(old.purpose, new.purpose),
        old_review_date=old.review_date,
        new_review_date=new.review_date,
        mandate_items=list_diff(
            old.mandate_items.all(), new.mandate_items.all(), text=lambda item: item.text
        ),
        boundaries=list_diff(
            old.boundaries.all(),
            new.boundaries.all(),
            text=boundary_text,
            identity=lambda boundary: boundary.indicator_id,
        ),
        support_promises=list_diff(old.support_promises.all(), new.support_promises.all(), text=promise_text),
    )
