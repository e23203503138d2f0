"""Swedish stemming for the archive's search on SQLite (PostgreSQL stems with its 'swedish' config).

Both the indexed text and the query go through `stems`, so "kontinuiteten" finds "kontinuitet".
"""

import re
from functools import cache

import snowballstemmer

WORD = re.compile(r"\w+", re.UNICODE)


@cache
def _stemmer():
    return snowballstemmer.stemmer("swedish")


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def stems(text: str) -> list[str]:
    return _stemmer().stemWords(words(text))


def stemmed(text: str) -> str:
    """The text as a space-separated line of stems, for the FTS5 index."""
    return " ".join(stems(text))


def fts5_query(text: str) -> str:
    """A safe FTS5 MATCH expression: every stem must occur, each quoted (no query syntax reaches FTS5);
    a stem also matches as a prefix, so "fallrisk" and "fall" meet halfway ("fall*")."""
    return " ".join(f'"{stem}"*' for stem in dict.fromkeys(stems(text)))
