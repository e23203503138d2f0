"""Word matching for routing: shared Swedish stems, enough to tell which decision an obstacle is about.

Used only to suggest and to auto-match when the raiser answers "Vet inte"; the raiser can always pick.
"""

from tillit.core.fulltext import stem, words

STOPWORDS = frozenset(
    """
    och att det som en ett för med till den har inte på är av om vi ni de jag du han hon man kan ska
    skall när så men eller från vid sin sitt sina våra vår vårt era er ert där här hur vad vem vilka
    vilken vilket mitt under över upp ut in nya ny nytt mer mest alla allt inga ingen inget får måste
    blir bli efter innan utan kr kronor också bara än då detta dessa denna
    """.split()  # noqa: SIM905 -- a readable word list
)


def stems(text: str) -> set[str]:
    """The stems of the meaningful words in a text (stopwords and words under three letters dropped)."""
    return {stem(word) for word in words(text) if len(word) >= 3 and word.isalpha() and word not in STOPWORDS}


def shared_stems(a: str, b: str) -> int:
    return len(stems(a) & stems(b))
