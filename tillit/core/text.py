"""Cleaning of text people type, shared by the services of every room."""


def clean_line(value: str) -> str:
    """One line: runs of whitespace, line breaks included, become one space; the ends are trimmed."""
    return " ".join((value or "").split())


def clean_text(value: str) -> str:
    """Keep the person's paragraphs; trim only the ends and trailing spaces of lines."""
    return "\n".join(line.rstrip() for line in (value or "").strip().splitlines())
