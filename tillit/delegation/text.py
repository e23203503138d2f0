"""Words for the register's full-text search: the words a question adds, and the index's text.

Stemming is tillit.core.fulltext's; PostgreSQL stems by itself and gets the question's stems as prefixes.
"""

from tillit.core.fulltext import STOP_WORDS, query_stem, stem, words

# Words that make a question a question ("vem kan besluta om …?") and carry no subject.
QUESTION_WORDS = STOP_WORDS | frozenset(
    [
        "a",
        "about",
        "an",
        "and",
        "beslut",
        "besluta",
        "beslutar",
        "beslutet",
        "bestämma",
        "bestämmer",
        "bör",
        "can",
        "decide",
        "decides",
        "fatta",
        "fattar",
        "for",
        "får",
        "hur",
        "in",
        "jag",
        "kan",
        "man",
        "may",
        "mig",
        "min",
        "mitt",
        "måste",
        "när",
        "of",
        "on",
        "or",
        "oss",
        "ska",
        "skall",
        "ta",
        "tar",
        "the",
        "to",
        "vad",
        "var",
        "varför",
        "vem",
        "vi",
        "vilka",
        "vilken",
        "vilket",
        "who",
    ]
)
MAX_TERMS = 12


def _is_question_word(word: str) -> bool:
    return word in QUESTION_WORDS or stem(word) in _QUESTION_STEMS


_QUESTION_STEMS = frozenset(stem(word) for word in QUESTION_WORDS if len(word) > 3)


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
