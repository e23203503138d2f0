"""Words for the register's full-text search: Swedish stemming and the words a question adds.

Pure Python, no database. SQLite has no Swedish stemmer, so the indexed text and the question are both
stemmed here with snowballstemmer (the same Snowball algorithm PostgreSQL's 'swedish' configuration
uses); PostgreSQL stems by itself and gets the question's words unstemmed.
"""

import re
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"\w+", re.UNICODE)

# Words that make a question a question ("vem kan besluta om …?") and carry no subject.
QUESTION_WORDS = frozenset(
    [
        "vem",
        "vilka",
        "vilken",
        "vilket",
        "vad",
        "hur",
        "var",
        "när",
        "varför",
        "kan",
        "får",
        "ska",
        "skall",
        "måste",
        "bör",
        "besluta",
        "beslutar",
        "beslut",
        "beslutet",
        "fatta",
        "fattar",
        "bestämma",
        "bestämmer",
        "ta",
        "tar",
        "om",
        "till",
        "i",
        "av",
        "för",
        "och",
        "med",
        "en",
        "ett",
        "den",
        "det",
        "de",
        "på",
        "som",
        "att",
        "är",
        "jag",
        "vi",
        "man",
        "eller",
        "från",
        "vid",
        "inom",
        "under",
        "över",
        "hos",
        "mig",
        "oss",
        "min",
        "mitt",
        "who",
        "can",
        "may",
        "decide",
        "decides",
        "about",
        "on",
        "of",
        "for",
        "the",
        "a",
        "an",
        "to",
        "in",
        "and",
        "or",
    ]
)
# Words too common in the register to tell its entries apart; left out of the index and the question.
STOP_WORDS = frozenset(
    [
        "om",
        "till",
        "i",
        "av",
        "för",
        "och",
        "med",
        "en",
        "ett",
        "den",
        "det",
        "de",
        "på",
        "som",
        "att",
        "är",
        "eller",
        "från",
        "vid",
        "inom",
        "under",
        "över",
        "hos",
    ]
)
MAX_TERMS = 12


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("swedish")


def words(text: str) -> list[str]:
    return [word.casefold() for word in _WORD.findall(text or "")]


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A register uses few distinct words, so the (pure Python) stemmer runs once per word."""
    return _stemmer().stemWord(word.casefold())


def _is_question_word(word: str) -> bool:
    return word in QUESTION_WORDS or stem(word) in _QUESTION_STEMS


_QUESTION_STEMS = frozenset(stem(word) for word in QUESTION_WORDS if len(word) > 3)


def query_stem(word: str) -> str:
    """A question word's stem, stemmed once more. Snowball takes one ending per pass, so the stem of an
    inflected form can be longer than the base form's ("skolskjutsen" → "skolskjuts", but "skolskjuts" →
    "skolskjut"); as a prefix, the second stem finds both."""
    return stem(stem(word))


def indexed_text(text: str) -> str:
    """The text as the SQLite index holds it: stemmed words, separated by spaces."""
    return " ".join(stem(word) for word in words(text) if word not in STOP_WORDS)


def query_words(query: str) -> list[str]:
    """The question's subject words, in order, without the question words and repeats."""
    found: list[str] = []
    for word in words(query):
        if _is_question_word(word) or word in found:
            continue
        found.append(word)
    return found[:MAX_TERMS]


def sqlite_match(query: str) -> str:
    """An FTS5 MATCH expression: any of the stemmed words, longer ones also as a prefix (Swedish
    compounds and endings: "skolskjuts" finds "skolskjutsen", "hemtjänst" finds "hemtjänstinsatser")."""
    terms = []
    for word in query_words(query):
        stemmed = query_stem(word)
        # Stems are \w+ only, so quoting is all the escaping FTS5 needs.
        terms.append(f'"{stemmed}"*' if len(stemmed) >= 4 else f'"{stemmed}"')
    return " OR ".join(terms)


def postgres_tsquery(query: str) -> str:
    """A to_tsquery('swedish', …) text: any of the words, longer ones also as a prefix. PostgreSQL
    stems each word again with the same algorithm, which leaves a stem as it is or shortens it."""
    terms = []
    for word in query_words(query):
        stemmed = query_stem(word)
        terms.append(f"{stemmed}:*" if len(stemmed) >= 4 else stemmed)
    return " | ".join(terms)
