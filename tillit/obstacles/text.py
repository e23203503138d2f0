"""Word matching for routing: shared Swedish stems, enough to tell which decision an obstacle is about.

Used only to suggest and to auto-match when the raiser answers "Vet inte"; the raiser can always pick.
"""

from tillit.core.fulltext import STOP_WORDS, stem, words

# Besides the common words, those an obstacle's text is full of without telling its subject.
STOPWORDS = STOP_WORDS | frozenset(
    [
        "alla",
        "allt",
        "bara",
        "bli",
        "blir",
        "denna",
        "dessa",
        "detta",
        "du",
        "där",
        "då",
        "efter",
        "er",
        "era",
        "ert",
        "får",
        "han",
        "har",
        "hon",
        "hur",
        "här",
        "in",
        "inga",
        "ingen",
        "inget",
        "innan",
        "inte",
        "jag",
        "kan",
        "kr",
        "kronor",
        "man",
        "men",
        "mer",
        "mest",
        "mitt",
        "måste",
        "ni",
        "ny",
        "nya",
        "nytt",
        "när",
        "också",
        "sin",
        "sina",
        "sitt",
        "ska",
        "skall",
        "så",
        "upp",
        "ut",
        "utan",
        "vad",
        "vem",
        "vi",
        "vilka",
        "vilken",
        "vilket",
        "vår",
        "våra",
        "vårt",
        "än",
    ]
)


def stems(text: str) -> set[str]:
    """The stems of the meaningful words in a text (stopwords and words under three letters dropped)."""
    return {stem(word) for word in words(text) if len(word) >= 3 and word.isalpha() and word not in STOPWORDS}


def shared_stems(a: str, b: str) -> int:
    return len(stems(a) & stems(b))
