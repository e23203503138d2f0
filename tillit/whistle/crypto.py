"""The whistleblowing channel's cryptography: libsodium through PyNaCl, nothing home-made.

Pure: bytes in, bytes out, no Django (an import-linter contract keeps it so). The design follows
GlobaLeaks (docs/whistle.md explains it; ../shared/docs/security-requirements.md §1.5 is the source):

- every person with a role in a channel (handler, custodian, escrow holder) has an X25519 keypair whose
  private key is wrapped twice: under Argon2id of their key passphrase, and under a random recovery key;
- every report has its own keypair; its private key is sealed to each authorised handler's public key and
  kept for the reporter under a key derived from the receipt;
- text is sealed to a public key (`seal`), or locked under a symmetric key (`lock`);
- files are streamed through SecretBox in chunks whose nonces carry a counter and a last-chunk flag, so
  that a reordered, truncated or extended file fails to open.

Every blob starts with a version prefix (`v1:`) so that the scheme can change without guessing.
"""

import base64
import hashlib
import hmac
import secrets
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import nacl.exceptions
import nacl.pwhash
import nacl.utils
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

VERSION = b"v1:"
KEY_BYTES = SecretBox.KEY_SIZE  # 32
SALT_BYTES = nacl.pwhash.argon2id.SALTBYTES  # 16
RECEIPT_DIGITS = 16
RECEIPT_MAX_INPUT = 32  # longer input is refused before Argon2 runs (T-11)
RECOVERY_KEY_BYTES = 32


class DecryptionError(Exception):
    """A blob failed to open: wrong key, tampered bytes, truncation, or an unknown version."""


@dataclass(frozen=True)
class KdfCost:
    """Argon2id's cost. ASVS 5.0 appendix C (OWASP): at least m = 19 MiB with t = 2, p = 1."""

    opslimit: int
    memlimit: int  # bytes


# libsodium's "interactive" level: t = 2, m = 64 MiB (p = 1). Above the ASVS floor; about 0.1 s a call.
PRODUCTION_KDF = KdfCost(opslimit=2, memlimit=64 * 1024 * 1024)
ASVS_MIN_MEMLIMIT = 19 * 1024 * 1024
ASVS_MIN_OPSLIMIT = 2


def meets_asvs(cost: KdfCost) -> bool:
    return cost.memlimit >= ASVS_MIN_MEMLIMIT and cost.opslimit >= ASVS_MIN_OPSLIMIT


# ------------------------------------------------------------------------------------ primitives


def _versioned(raw: bytes) -> bytes:
    return VERSION + raw


def _unversioned(blob: bytes) -> bytes:
    blob = bytes(blob)
    if not blob.startswith(VERSION):
        raise DecryptionError("unknown version")
    return blob[len(VERSION) :]


def new_key() -> bytes:
    return nacl.utils.random(KEY_BYTES)


def new_salt() -> bytes:
    return nacl.utils.random(SALT_BYTES)


def new_keypair() -> tuple[bytes, bytes]:
    """(public key, private key), 32 bytes each."""
    private = PrivateKey.generate()
    return bytes(private.public_key), bytes(private)


def derive_key(secret: str | bytes, salt: bytes, cost: KdfCost, size: int = KEY_BYTES) -> bytes:
    """Argon2id (libsodium's crypto_pwhash) of a passphrase or receipt."""
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    return nacl.pwhash.argon2id.kdf(size, secret, salt, opslimit=cost.opslimit, memlimit=cost.memlimit)


def seal(public_key: bytes, plaintext: bytes) -> bytes:
    """Encrypt to a public key: only its private key opens it (X25519 + XSalsa20-Poly1305)."""
    return _versioned(SealedBox(PublicKey(bytes(public_key))).encrypt(plaintext))


def unseal(private_key: bytes, blob: bytes) -> bytes:
    try:
        return SealedBox(PrivateKey(bytes(private_key))).decrypt(_unversioned(blob))
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as error:
        raise DecryptionError("cannot unseal") from error


def lock(key: bytes, plaintext: bytes) -> bytes:
    """Encrypt under a symmetric key (XSalsa20-Poly1305, random nonce)."""
    return _versioned(SecretBox(bytes(key)).encrypt(plaintext))


def unlock(key: bytes, blob: bytes) -> bytes:
    try:
        return SecretBox(bytes(key)).decrypt(_unversioned(blob))
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as error:
        raise DecryptionError("cannot unlock") from error


def public_key_of(private_key: bytes) -> bytes:
    return bytes(PrivateKey(bytes(private_key)).public_key)


# ------------------------------------------------------------------------------------ keyrings


@dataclass(frozen=True)
class Keyring:
    """What is stored for a person's keypair; none of it opens without the passphrase or recovery key."""

    public_key: bytes
    passphrase_salt: bytes
    by_passphrase: bytes  # the private key locked under Argon2id(passphrase)
    by_recovery: bytes  # the private key locked under the recovery key
    recovery_sealed: bytes  # the recovery key sealed to the person's own public key (to show it again)


def recovery_key_text(recovery_key: bytes) -> str:
    """A recovery key as groups of base32 that a person can print or write down."""
    text = base64.b32encode(recovery_key).decode("ascii").rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def recovery_key_from_text(text: str) -> bytes | None:
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(compact) > 80:
        return None
    try:
        raw = base64.b32decode(compact + "=" * (-len(compact) % 8))
    except (ValueError, base64.binascii.Error):
        return None
    return raw if len(raw) == RECOVERY_KEY_BYTES else None


def keyring_new(passphrase: str, cost: KdfCost) -> tuple[Keyring, bytes, bytes]:
    """A new keyring: (what to store, the private key, the recovery key to show once)."""
    public, private = new_keypair()
    recovery = nacl.utils.random(RECOVERY_KEY_BYTES)
    salt = new_salt()
    keyring = Keyring(
        public_key=public,
        passphrase_salt=salt,
        by_passphrase=lock(derive_key(passphrase, salt, cost), private),
        by_recovery=lock(recovery, private),
        recovery_sealed=seal(public, recovery),
    )
    return keyring, private, recovery


def keyring_open(keyring: Keyring, passphrase: str, cost: KdfCost) -> bytes:
    """The private key, or DecryptionError for a wrong passphrase."""
    return unlock(derive_key(passphrase, keyring.passphrase_salt, cost), keyring.by_passphrase)


def keyring_open_with_recovery(keyring: Keyring, recovery_key: bytes) -> bytes:
    return unlock(recovery_key, keyring.by_recovery)


def keyring_rewrap(keyring: Keyring, private_key: bytes, new_passphrase: str, cost: KdfCost) -> Keyring:
    """The same keypair under a new passphrase; the old passphrase no longer opens it."""
    salt = new_salt()
    return Keyring(
        public_key=keyring.public_key,
        passphrase_salt=salt,
        by_passphrase=lock(derive_key(new_passphrase, salt, cost), private_key),
        by_recovery=keyring.by_recovery,
        recovery_sealed=keyring.recovery_sealed,
    )


# ------------------------------------------------------------------------------------ receipts


def receipt_new() -> str:
    """Sixteen digits from the operating system's CSPRNG (`secrets`), the first may be 0."""
    return "".join(secrets.choice("0123456789") for _ in range(RECEIPT_DIGITS))


def receipt_display(receipt: str) -> str:
    return " ".join(receipt[i : i + 4] for i in range(0, RECEIPT_DIGITS, 4))


def receipt_normalise(text: str) -> str | None:
    """Sixteen ASCII digits, spaces and dashes allowed between them; anything else is None (no Argon2).

    Only ASCII 0-9 count: `str.isdigit` would accept Arabic-Indic or full-width digits (T-11).
    """
    if not isinstance(text, str) or len(text) > RECEIPT_MAX_INPUT:
        return None
    compact = text.replace(" ", "").replace("-", "")
    if len(compact) != RECEIPT_DIGITS or not all("0" <= ch <= "9" for ch in compact):
        return None
    return compact


@dataclass(frozen=True)
class ReceiptSecrets:
    lookup: str  # stored: an Argon2id-encoded string, deterministic per tenant so a receipt can be found
    key: bytes  # never stored: locks the reporter's copy of the report key


def receipt_secrets(receipt: str, tenant_salt: bytes, pepper: bytes, cost: KdfCost) -> ReceiptSecrets:
    """One Argon2id call gives both the stored lookup value and the reporter's key.

    The salt is per tenant, not per receipt (a documented deviation from ASVS 6.5.2): a receipt must be
    found by its hash. The server's pepper is mixed into the salt, so a database dump alone cannot even
    start a search. The two halves of Argon2's 64-byte output are independent: the stored half says
    nothing about the key half. The lookup is written in Argon2's encoded form to say what it is, but
    without its salt field: the salt is made from the pepper, and written beside the hash it would let a
    dump alone test guesses. It holds half of a 64-byte output, so `argon2id.verify` would not accept it
    anyway: only an exact match finds it.
    """
    salt = hmac.new(pepper, b"tillit-whistle-receipt:" + tenant_salt, hashlib.sha256).digest()[:SALT_BYTES]
    output = derive_key(receipt, salt, cost, size=2 * KEY_BYTES)
    lookup = "$argon2id$v=19$m={m},t={t},p=1${hash}".format(
        m=cost.memlimit // 1024,
        t=cost.opslimit,
        hash=base64.b64encode(output[:KEY_BYTES]).decode().rstrip("="),
    )
    return ReceiptSecrets(lookup=lookup, key=output[KEY_BYTES:])


# ------------------------------------------------------------------------------------ files

CHUNK_BYTES = 64 * 1024
NONCE_PREFIX_BYTES = 16  # + 8 bytes of counter = SecretBox's 24-byte nonce
_LAST_CHUNK_FLAG = 1 << 63
_LENGTH = struct.Struct(">I")


class FileEncryptor:
    """Encrypts a stream chunk by chunk; the caller writes what `header`, `chunk` and `finish` return.

    Layout: `v1:` + 16-byte nonce prefix, then for each chunk a 4-byte length and the SecretBox
    ciphertext (without its nonce). The nonce of chunk i is prefix + i; the last chunk's counter has its
    top bit set, so a file cut at a chunk boundary has no last chunk and fails to open.
    """

    def __init__(self, key: bytes):
        self._box = SecretBox(bytes(key))
        self._prefix = nacl.utils.random(NONCE_PREFIX_BYTES)
        self._counter = 0
        self._pending = b""
        self.plaintext_size = 0

    def header(self) -> bytes:
        return VERSION + self._prefix

    def _encrypt(self, data: bytes, *, last: bool) -> bytes:
        counter = self._counter | (_LAST_CHUNK_FLAG if last else 0)
        nonce = self._prefix + struct.pack(">Q", counter)
        self._counter += 1
        ciphertext = self._box.encrypt(data, nonce).ciphertext
        return _LENGTH.pack(len(ciphertext)) + ciphertext

    def chunk(self, data: bytes) -> bytes:
        """Buffer `data`; return the complete chunks it finishes (the last one waits for `finish`)."""
        self.plaintext_size += len(data)
        self._pending += data
        out = []
        while len(self._pending) > CHUNK_BYTES:
            out.append(self._encrypt(self._pending[:CHUNK_BYTES], last=False))
            self._pending = self._pending[CHUNK_BYTES:]
        return b"".join(out)

    def finish(self) -> bytes:
        final = self._encrypt(self._pending, last=True)
        self._pending = b""
        return final


def encrypt_file(key: bytes, chunks: Iterable[bytes]) -> Iterator[bytes]:
    encryptor = FileEncryptor(key)
    yield encryptor.header()
    for data in chunks:
        out = encryptor.chunk(data)
        if out:
            yield out
    yield encryptor.finish()


def decrypt_file(key: bytes, stream) -> Iterator[bytes]:
    """Plaintext chunks from a file object written by `FileEncryptor`; DecryptionError on any tampering.

    Chunks are authenticated one by one, so a reader may have streamed earlier chunks before a later one
    fails: callers that must not act on partial content read to the end first.
    """
    header = stream.read(len(VERSION) + NONCE_PREFIX_BYTES)
    if len(header) != len(VERSION) + NONCE_PREFIX_BYTES or not header.startswith(VERSION):
        raise DecryptionError("not an encrypted file")
    prefix = header[len(VERSION) :]
    try:
        box = SecretBox(bytes(key))
    except (ValueError, TypeError) as error:
        raise DecryptionError("not a key") from error
    counter = 0
    while True:
        length_bytes = stream.read(_LENGTH.size)
        if len(length_bytes) != _LENGTH.size:
            raise DecryptionError("truncated: no last chunk")
        (length,) = _LENGTH.unpack(length_bytes)
        if length > CHUNK_BYTES + SecretBox.MACBYTES:
            raise DecryptionError("chunk too long")
        ciphertext = stream.read(length)
        if len(ciphertext) != length:
            raise DecryptionError("truncated chunk")
        for last in (False, True):
            nonce = prefix + struct.pack(">Q", counter | (_LAST_CHUNK_FLAG if last else 0))
            try:
                plaintext = box.decrypt(ciphertext, nonce)
            except nacl.exceptions.CryptoError:
                continue
            break
        else:
            raise DecryptionError("chunk failed authentication")
        counter += 1
        yield plaintext
        if last:
            if stream.read(1):
                raise DecryptionError("data after the last chunk")
            return
