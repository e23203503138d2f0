"""The learning archive's query on SQLite (PostgreSQL stems with its 'swedish' configuration).

The indexed text and the query are stemmed alike (tillit.core.fulltext), so "kontinuiteten" finds
"kontinuitet".
"""

from tillit.core.fulltext import stems

__all__ = ["fts5_query", "stemmed", "stems"]


def stemmed(text: str) -> str:
    """The text as a space-separated line of stems, for the FTS5 index."""
    return " ".join(stems(text))


def fts5_query(text: str) -> str:
    """A safe FTS5 MATCH expression: every stem must occur, each quoted (no query syntax reaches FTS5);
    a stem also matches as a prefix, so "fallrisk" and "fall" meet halfway ("fall*")."""
    return " ".join(f'"{stem}"*' for stem in dict.fromkeys(stems(text)))
