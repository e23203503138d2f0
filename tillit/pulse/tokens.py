"""The answer code: 128 random bits (S-10, ASVS 11.5.1), never derived from a person or a pulse, written
as 26 base32 letters and digits. Only its SHA-256 is ever stored."""

import base64
import hashlib
import secrets

TOKEN_BYTES = 16  # 128 bits
TOKEN_LENGTH = 26  # base32 letters and digits of 128 bits


def token_new() -> str:
    """26 characters of base32 (no padding), shown in groups of four. Random, never derived from anything."""
    return base64.b32encode(secrets.token_bytes(TOKEN_BYTES)).decode().rstrip("=").lower()


def token_normalise(value: str) -> str:
    """What the person typed or the link carried, without spaces, dashes or case."""
    return "".join(ch for ch in (value or "").lower() if ch.isascii() and ch.isalnum())[:64]


def token_hash(token: str) -> str:
    return hashlib.sha256(token_normalise(token).encode()).hexdigest()


def token_display(token: str) -> str:
    return "-".join(token[i : i + 4] for i in range(0, len(token), 4))
