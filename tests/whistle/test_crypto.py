import base64
import io
import random
import re
import secrets

import pytest

from tillit.whistle import crypto

pytestmark = pytest.mark.unit

CHEAP = crypto.KdfCost(opslimit=1, memlimit=8192 * 8)
SENTINEL = b"SENTINEL-abc123"
HEADER_BYTES = len(crypto.VERSION) + crypto.NONCE_PREFIX_BYTES
RECEIPT = "0123456789012345"


def flipped(blob: bytes, index: int, mask: int = 0x01) -> bytes:
    changed = bytearray(blob)
    changed[index] ^= mask
    return bytes(changed)


def encrypted_file(key: bytes, payload: bytes, piece: int = 10_000) -> bytes:
    pieces = (payload[i : i + piece] for i in range(0, len(payload), piece))
    return b"".join(crypto.encrypt_file(key, pieces))


def decrypted_file(key: bytes, data: bytes) -> bytes:
    return b"".join(crypto.decrypt_file(key, io.BytesIO(data)))


class RecordingStream(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.requested: list[int] = []

    def read(self, size=-1):
        self.requested.append(size)
        return super().read(size)


def chunk_spans(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each chunk record (4-byte length + ciphertext) after the header."""
    spans, offset = [], HEADER_BYTES
    while offset < len(data):
        end = offset + 4 + int.from_bytes(data[offset : offset + 4], "big")
        spans.append((offset, end))
        offset = end
    return spans


@pytest.fixture(scope="module")
def file_key() -> bytes:
    return crypto.new_key()


@pytest.fixture(scope="module")
def payload() -> bytes:
    return secrets.token_bytes(3 * crypto.CHUNK_BYTES + 100)


@pytest.fixture(scope="module")
def ciphertext(file_key, payload) -> bytes:
    return encrypted_file(file_key, payload)


@pytest.fixture(scope="module")
def keyring():
    return crypto.keyring_new("correct horse battery staple", CHEAP)


# ------------------------------------------------------------------------------ KDF cost (T-25)


def test_production_kdf_meets_asvs_and_cheaper_costs_do_not():
    assert crypto.meets_asvs(crypto.PRODUCTION_KDF)
    assert crypto.meets_asvs(crypto.KdfCost(opslimit=2, memlimit=19 * 1024 * 1024))
    assert not crypto.meets_asvs(crypto.KdfCost(opslimit=2, memlimit=19 * 1024 * 1024 - 1))
    assert not crypto.meets_asvs(crypto.KdfCost(opslimit=1, memlimit=64 * 1024 * 1024))
    assert not crypto.meets_asvs(CHEAP)


def test_production_kdf_is_accepted_by_libsodium():
    key = crypto.derive_key("passphrase", crypto.new_salt(), crypto.PRODUCTION_KDF)
    assert len(key) == crypto.KEY_BYTES


def test_every_blob_starts_with_the_version(keyring):
    stored, _private, _recovery = keyring
    public, _ = crypto.new_keypair()
    assert crypto.seal(public, b"x").startswith(crypto.VERSION)
    assert crypto.lock(crypto.new_key(), b"x").startswith(crypto.VERSION)
    assert crypto.FileEncryptor(crypto.new_key()).header().startswith(crypto.VERSION)
    assert encrypted_file(crypto.new_key(), b"x").startswith(crypto.VERSION)
    for blob in (stored.by_passphrase, stored.by_recovery, stored.recovery_sealed):
        assert blob.startswith(crypto.VERSION)


# ------------------------------------------------------------------------------ receipts (T-09, T-11, T-12)


def test_receipts_are_sixteen_ascii_digits_with_uniform_digit_frequencies():
    receipts = [crypto.receipt_new() for _ in range(100_000)]
    assert all(len(r) == 16 and r.isascii() and r.isdigit() for r in receipts)
    counts = [0] * 10
    for receipt in receipts:
        for digit in receipt:
            counts[ord(digit) - ord("0")] += 1
    expected = 16 * len(receipts) / 10
    chi_squared = sum((count - expected) ** 2 / expected for count in counts)
    assert chi_squared <= 27.88  # 9 degrees of freedom, p = 0.001
    assert any(r.startswith("0") for r in receipts)


def test_receipts_come_from_secrets_not_random(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("receipts must not use the random module")

    for name in ("choice", "choices", "randint", "randrange", "random", "getrandbits", "sample", "shuffle"):
        monkeypatch.setattr(random, name, refuse)
    assert re.fullmatch(r"[0-9]{16}", crypto.receipt_new())

    monkeypatch.setattr(secrets, "choice", lambda sequence: "7")
    assert crypto.receipt_new() == "7" * 16


def test_receipt_display_groups_four_by_four():
    assert crypto.receipt_display("1234567890123456") == "1234 5678 9012 3456"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1" * 10_000,
        "12345678\x0090123456",
        "1234567890123\x00456",
        "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦",
        "１２３４５６７８９０１２３４５６",
        "12345678🔑90123456",
        "1234567890١٢٣٤٥٦",
        "' OR 1=1--",
        "*)(uid=*",
        "123456789012345",
        "12345678901234567",
        " " * 17 + "1234567890123456",
        "1234\t5678\t9012\t3456",
        None,
        1234567890123456,
        b"1234567890123456",
    ],
)
def test_malformed_receipts_are_refused(text):
    assert crypto.receipt_normalise(text) is None


@pytest.mark.parametrize("text", ["1234567890123456", "1234 5678 9012 3456", "1234-5678-9012-3456"])
def test_well_formed_receipts_are_normalised_to_sixteen_digits(text):
    assert crypto.receipt_normalise(text) == "1234567890123456"


def test_receipt_lookup_is_an_argon2id_string_that_hides_the_receipt():
    result = crypto.receipt_secrets(RECEIPT, b"tenant-salt", b"pepper", CHEAP)
    assert result.lookup.startswith("$argon2id$v=19$")
    assert f"m={CHEAP.memlimit // 1024},t={CHEAP.opslimit},p=1$" in result.lookup
    assert RECEIPT not in result.lookup
    assert crypto.receipt_display(RECEIPT) not in result.lookup


def test_the_stored_lookup_alone_cannot_confirm_a_guessed_receipt():
    """The pepper is the point: a dump holding the lookup, the tenant's salt and the cost, even with the
    right receipt guessed, must not be able to recompute the lookup (no peppered salt written in it)."""
    result = crypto.receipt_secrets(RECEIPT, b"tenant-salt", b"pepper", CHEAP)
    fields = result.lookup.split("$")
    stored_hash = fields[-1]
    for candidate in fields[1:-1]:
        try:
            salt = base64.b64decode(candidate + "=" * (-len(candidate) % 4), validate=True)
        except ValueError:
            continue
        if len(salt) != crypto.SALT_BYTES:
            continue
        guess = crypto.derive_key(RECEIPT, salt, CHEAP, size=2 * crypto.KEY_BYTES)[: crypto.KEY_BYTES]
        assert base64.b64encode(guess).decode().rstrip("=") != stored_hash


def test_receipt_secrets_are_deterministic_per_tenant_and_pepper():
    result = crypto.receipt_secrets(RECEIPT, b"tenant-salt", b"pepper", CHEAP)
    assert crypto.receipt_secrets(RECEIPT, b"tenant-salt", b"pepper", CHEAP) == result
    for other in (
        crypto.receipt_secrets(RECEIPT, b"other-tenant", b"pepper", CHEAP),
        crypto.receipt_secrets(RECEIPT, b"tenant-salt", b"other-pepper", CHEAP),
        crypto.receipt_secrets("1111111111111111", b"tenant-salt", b"pepper", CHEAP),
    ):
        assert other.lookup != result.lookup
        assert other.key != result.key


def test_receipt_key_is_separate_from_the_lookup_and_opens_what_it_locked():
    result = crypto.receipt_secrets(RECEIPT, b"tenant-salt", b"pepper", CHEAP)
    encoded_hash = result.lookup.rsplit("$", 1)[1]
    stored = base64.b64decode(encoded_hash + "=" * (-len(encoded_hash) % 4))
    assert len(result.key) == crypto.KEY_BYTES == len(stored)
    assert result.key != stored
    assert result.key not in result.lookup.encode()
    assert crypto.unlock(result.key, crypto.lock(result.key, SENTINEL)) == SENTINEL


# ------------------------------------------------------------------------------ keyrings (T-22)


def test_keyring_opens_with_the_right_passphrase_only(keyring):
    stored, private, _recovery = keyring
    assert crypto.keyring_open(stored, "correct horse battery staple", CHEAP) == private
    assert crypto.public_key_of(private) == stored.public_key
    with pytest.raises(crypto.DecryptionError):
        crypto.keyring_open(stored, "correct horse battery stapler", CHEAP)


def test_keyring_opens_with_the_right_recovery_key_only_and_shows_it_again_to_its_owner(keyring):
    stored, private, recovery = keyring
    assert crypto.keyring_open_with_recovery(stored, recovery) == private
    with pytest.raises(crypto.DecryptionError):
        crypto.keyring_open_with_recovery(stored, crypto.new_key())
    assert crypto.unseal(private, stored.recovery_sealed) == recovery


def test_keyring_stores_neither_private_key_nor_recovery_key_in_clear(keyring):
    stored, private, recovery = keyring
    stored_bytes = b"".join(
        (
            stored.public_key,
            stored.passphrase_salt,
            stored.by_passphrase,
            stored.by_recovery,
            stored.recovery_sealed,
        )
    )
    assert private not in stored_bytes
    assert recovery not in stored_bytes


def test_rewrapped_keyring_refuses_the_old_passphrase_and_keeps_recovery(keyring):
    stored, private, recovery = keyring
    rewrapped = crypto.keyring_rewrap(stored, private, "a new passphrase", CHEAP)
    assert rewrapped.public_key == stored.public_key
    assert crypto.keyring_open(rewrapped, "a new passphrase", CHEAP) == private
    with pytest.raises(crypto.DecryptionError):
        crypto.keyring_open(rewrapped, "correct horse battery staple", CHEAP)
    assert crypto.keyring_open_with_recovery(rewrapped, recovery) == private


def test_recovery_key_text_round_trips_leniently(keyring):
    _stored, _private, recovery = keyring
    text = crypto.recovery_key_text(recovery)
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{1,4})+", text)
    assert crypto.recovery_key_from_text(text) == recovery
    assert crypto.recovery_key_from_text(text.lower()) == recovery
    assert crypto.recovery_key_from_text(text.replace("-", "")) == recovery
    assert crypto.recovery_key_from_text(f"  {text.replace('-', ' ')}\n") == recovery


@pytest.mark.parametrize(
    "text", ["", "garbage", "1111-1111", "ABCD-EFGH", "Ä" * 52, "A" * 81, "A" * 10_000, "ABCD" * 13 + "A"]
)
def test_recovery_key_from_garbage_is_none(text):
    assert crypto.recovery_key_from_text(text) is None


# ------------------------------------------------------------------------------ seal and lock (T-18, T-24)


def test_seal_opens_only_with_the_matching_private_key():
    public, private = crypto.new_keypair()
    _other_public, other_private = crypto.new_keypair()
    blob = crypto.seal(public, SENTINEL)
    assert crypto.unseal(private, blob) == SENTINEL
    with pytest.raises(crypto.DecryptionError):
        crypto.unseal(other_private, blob)


def test_lock_opens_only_with_the_same_key():
    key = crypto.new_key()
    blob = crypto.lock(key, SENTINEL)
    assert crypto.unlock(key, blob) == SENTINEL
    with pytest.raises(crypto.DecryptionError):
        crypto.unlock(crypto.new_key(), blob)


def test_sentinel_never_appears_in_ciphertext(file_key):
    public, _ = crypto.new_keypair()
    assert SENTINEL not in crypto.seal(public, SENTINEL)
    assert SENTINEL not in crypto.lock(crypto.new_key(), SENTINEL)
    assert SENTINEL not in encrypted_file(file_key, SENTINEL * 10_000, piece=4096)


def test_same_plaintext_encrypts_differently_each_time():
    public, _ = crypto.new_keypair()
    key = crypto.new_key()
    assert crypto.seal(public, SENTINEL) != crypto.seal(public, SENTINEL)
    assert crypto.lock(key, SENTINEL) != crypto.lock(key, SENTINEL)
    assert encrypted_file(key, SENTINEL) != encrypted_file(key, SENTINEL)


@pytest.mark.parametrize("mask", [0x01, 0x80, 0xFF])
def test_any_flipped_byte_of_a_sealed_blob_is_refused(mask):
    public, private = crypto.new_keypair()
    blob = crypto.seal(public, SENTINEL)
    for index in range(len(blob)):
        with pytest.raises(crypto.DecryptionError):
            crypto.unseal(private, flipped(blob, index, mask))


@pytest.mark.parametrize("mask", [0x01, 0x80, 0xFF])
def test_any_flipped_byte_of_a_locked_blob_is_refused(mask):
    key = crypto.new_key()
    blob = crypto.lock(key, SENTINEL)
    for index in range(len(blob)):
        with pytest.raises(crypto.DecryptionError):
            crypto.unlock(key, flipped(blob, index, mask))


def test_keys_of_the_wrong_size_are_refused():
    public, _ = crypto.new_keypair()
    sealed, locked = crypto.seal(public, SENTINEL), crypto.lock(crypto.new_key(), SENTINEL)
    for bad_key in (b"", b"short", bytes(33)):
        with pytest.raises(crypto.DecryptionError):
            crypto.unseal(bad_key, sealed)
        with pytest.raises(crypto.DecryptionError):
            crypto.unlock(bad_key, locked)


def test_wrong_version_short_or_truncated_blobs_are_refused():
    public, private = crypto.new_keypair()
    key = crypto.new_key()
    sealed, locked = crypto.seal(public, SENTINEL), crypto.lock(key, SENTINEL)
    for opener, secret, blob in ((crypto.unseal, private, sealed), (crypto.unlock, key, locked)):
        for bad in (b"v2:" + blob[3:], blob[3:], b"", crypto.VERSION, blob[:-1], blob + b"\x00"):
            with pytest.raises(crypto.DecryptionError):
                opener(secret, bad)


# ------------------------------------------------------------------------------ files (T-24)


@pytest.mark.parametrize(
    "size",
    [0, 1, crypto.CHUNK_BYTES - 1, crypto.CHUNK_BYTES, 2 * crypto.CHUNK_BYTES, 3 * crypto.CHUNK_BYTES + 100],
)
def test_file_round_trips(file_key, size):
    data = secrets.token_bytes(size)
    assert decrypted_file(file_key, encrypted_file(file_key, data)) == data


def test_file_round_trips_whatever_the_input_pieces(file_key, payload):
    for piece in (1000, crypto.CHUNK_BYTES, crypto.CHUNK_BYTES + 1, len(payload)):
        assert decrypted_file(file_key, encrypted_file(file_key, payload, piece)) == payload
    assert decrypted_file(file_key, b"".join(crypto.encrypt_file(file_key, []))) == b""


def test_file_encryptor_counts_the_plaintext(file_key, payload):
    encryptor = crypto.FileEncryptor(file_key)
    for i in range(0, len(payload), 7777):
        encryptor.chunk(payload[i : i + 7777])
    encryptor.finish()
    assert encryptor.plaintext_size == len(payload)


def test_file_with_a_flipped_byte_is_refused(file_key, ciphertext):
    spans = chunk_spans(ciphertext)
    assert len(spans) == 4
    (middle, middle_end), last = spans[1], spans[-1][0]
    positions = [
        *range(HEADER_BYTES),
        middle,
        middle + 3,
        middle + 4,
        (middle + middle_end) // 2,
        middle_end - 1,
    ]
    positions += [last + 3, last + 10, len(ciphertext) - 1]
    for index in positions:
        with pytest.raises(crypto.DecryptionError):
            decrypted_file(file_key, flipped(ciphertext, index))


def test_truncated_file_is_refused(file_key, ciphertext):
    spans = chunk_spans(ciphertext)
    cuts = [0, 2, HEADER_BYTES - 1, HEADER_BYTES, HEADER_BYTES + 2, *(start for start, _ in spans)]
    cuts += [spans[-1][0] + 2, spans[-1][0] + 20, len(ciphertext) - 1, spans[1][1] - 1]
    for cut in cuts:
        with pytest.raises(crypto.DecryptionError):
            decrypted_file(file_key, ciphertext[:cut])


def test_file_with_bytes_after_the_last_chunk_is_refused(file_key, ciphertext):
    for extra in (b"\x00", b"garbage", ciphertext[HEADER_BYTES:]):
        with pytest.raises(crypto.DecryptionError):
            decrypted_file(file_key, ciphertext + extra)


def test_file_with_reordered_chunks_is_refused(file_key, ciphertext):
    (a0, a1), (b0, b1) = chunk_spans(ciphertext)[1:3]
    swapped = ciphertext[:a0] + ciphertext[b0:b1] + ciphertext[a0:a1] + ciphertext[b1:]
    assert len(swapped) == len(ciphertext)
    with pytest.raises(crypto.DecryptionError):
        decrypted_file(file_key, swapped)


def test_file_with_a_chunk_from_another_file_under_the_same_key_is_refused(file_key, payload, ciphertext):
    other = encrypted_file(file_key, payload)
    start, end = chunk_spans(ciphertext)[1]
    with pytest.raises(crypto.DecryptionError):
        decrypted_file(file_key, ciphertext[:start] + other[start:end] + ciphertext[end:])


def test_file_with_an_oversized_chunk_length_is_refused(file_key, ciphertext):
    start = chunk_spans(ciphertext)[0][0]
    forged = ciphertext[:start] + (2**32 - 1).to_bytes(4, "big") + ciphertext[start + 4 :]
    stream = RecordingStream(forged)
    with pytest.raises(crypto.DecryptionError):
        b"".join(crypto.decrypt_file(file_key, stream))
    assert 0 < max(stream.requested) <= crypto.CHUNK_BYTES + 16


def test_file_with_a_wrong_key_or_version_is_refused(file_key, ciphertext):
    with pytest.raises(crypto.DecryptionError):
        decrypted_file(crypto.new_key(), ciphertext)
    with pytest.raises(crypto.DecryptionError):
        decrypted_file(file_key, b"v2:" + ciphertext[3:])
