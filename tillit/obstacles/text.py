"""Word matching for routing: a light Swedish stemmer, enough to tell which decision an obstacle is about.

Used only to suggest and to auto-match when the raiser answers "Vet inte"; the raiser can always pick.
"""

import re

STOPWORDS = frozenset(
    """
    och att det som en ett för med till den har inte på är av om vi ni de jag du han hon man kan ska
    skall när så men eller från vid sin sitt sina våra vår vårt era er ert där här hur vad vem vilka
    vilken vilket mitt under över upp ut in nya ny nytt mer mest alla allt inga ingen inget får måste
    blir bli efter innan utan kr kronor också bara än då detta dessa denna
    """.split()  # noqa: SIM905 -- a readable word list
)
# Longest first: the first that leaves a stem of three letters or more is stripped.
SUFFIXES = (
    "heterna", "hetens", "arnas", "ernas", "ornas", "andet", "arens", "heten", "ande", "ende", "arna",
    "erna", "orna", "aren", "ades", "ning", "ing", "ast", "het", "ade", "are", "ens", "ern", "ets", "na",
    "en", "ar", "er", "or", "et", "ad", "at", "as", "es", "a", "e", "s",
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def stem(word: str) -> str:
    word = word.casefold()
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def stems(text: str) -> set[str]:
    """The stems of the meaningful words in a text (stopwords and words under three letters dropped)."""
    return {
        stem(word)
        for word in _WORD.findall(text or "")
        if len(word) >= 3 and word.casefold() not in STOPWORDS
    }


def shared_stems(a: str, b: str) -> int:
    return len(stems(a) & stems(b))
