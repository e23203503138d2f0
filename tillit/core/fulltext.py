"""Swedish words for full-text search, shared by every search in Tillit (the delegation register, the
learning archive, obstacle routing).

Pure Python, no database. SQLite has no Swedish stemmer, so indexed texts and questions are both stemmed
here with snowballstemmer: the same Snowball algorithm as PostgreSQL's 'swedish' configuration, so the
two databases agree on what a word's stem is.
"""

import re
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"\w+", re.UNICODE)

# Swedish words too common to tell texts apart: left out of indexes and queries.
STOP_WORDS = frozenset(
    [
        "att",
        "av",
        "de",
        "den",
        "det",
        "eller",
        "en",
        "ett",
        "från",
        "för",
        "hos",
        "i",
        "inom",
        "med",
        "och",
        "om",
        "på",
        "som",
        "till",
        "under",
        "vid",
        "är",
        "över",
    ]
)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("swedish")


def words(text: str) -> list[str]:
    return [word.casefold() for word in _WORD.findall(text or "")]


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Texts use few distinct words, so the (pure Python) stemmer runs once per word."""
    return _stemmer().stemWord(word.casefold())


def stems(text: str) -> list[str]:
    return [stem(word) for word in words(text)]


def query_stem(word: str) -> str:
    """A question word's stem, stemmed once more. Snowball takes one ending per pass, so the stem of an
    inflected form can be longer than the base form's ("skolskjutsen" → "skolskjuts", but "skolskjuts" →
    "skolskjut"); as a prefix, the second stem finds both."""
    return stem(stem(word))
