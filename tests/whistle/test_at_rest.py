"""What a database dump and the files directory hold, with the server's secrets beside them (T-12, T-18,
T-23): no plaintext, no receipt, no key that opens anything without a passphrase or a receipt."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from tests.factories.whistle import decrypted_file, report_sent, whistle_world
from tillit.core.clock import frozen_at
from tillit.whistle import crypto, files, selectors
from tillit.whistle.enums import Mode
from tillit.whistle.models import Attachment, Keyring, Report, ReporterSession
from tillit.whistle.services import cases, identity, reports, sessions

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
STOCKHOLM = ZoneInfo("Europe/Stockholm")

SENTINELS = (
    "SENTINEL-TEXT-7f3a",
    "SENTINEL-NAME-91bc",
    "SENTINEL-FILE-CONTENT-22de",
    "SENTINEL-FILENAME-5a0e",
)


def database_dump() -> str:
    """Every row of every table, as text (bytes as hex and as latin-1, so a plaintext run shows either way)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our own table names
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        raw = bytes(value)
                        parts.append(raw.hex())
                        parts.append(raw.decode("latin-1"))
                    else:
                        parts.append(str(value))
    return "\n".join(parts)


def files_dump(directory) -> bytes:
    return b"".join(path.read_bytes() for path in directory.rglob("*") if path.is_file())


def _full_case(world):
    report, receipt = report_sent(
        world,
        text=SENTINELS[0],
        mode=Mode.CONFIDENTIAL,
        identity={"name": SENTINELS[1], "contact": "", "relation": ""},
        attachments=[(f"{SENTINELS[3]}.pdf", SENTINELS[2].encode() * 1000)],
    )
    handler = world.handlers[0]
    cases.case_acknowledge(
        report=report, handler=handler, private_key=world.key(handler), body=SENTINELS[0] + "-ack"
    )
    reports.reporter_message_send(report=report, body=SENTINELS[0] + "-reply")
    return report, receipt


def test_no_plaintext_in_the_database_or_the_files_before_and_after_a_handler_reads(whistle_files):
    world = whistle_world()
    report, _receipt = _full_case(world)
    for stage in ("before", "after"):
        dump, stored = database_dump(), files_dump(whistle_files)
        for sentinel in SENTINELS:
            assert sentinel not in dump, (stage, sentinel)
            assert sentinel.encode() not in stored, (stage, sentinel)
            assert sentinel.encode().hex() not in dump, (stage, sentinel)
        handler = world.handlers[0]
        key = cases.case_viewed(report=report, handler=handler, private_key=world.key(handler))
        attachment = report.attachments.get()
        assert selectors.report_open(report, key).answers["what"] == SENTINELS[0]
        assert SENTINELS[2].encode() in decrypted_file(world, handler, report, attachment.pk)


def test_no_issued_receipt_is_in_the_dump_and_the_stored_lookup_is_argon2id():
    world = whistle_world()
    receipts = [report_sent(world, text=f"rapport {index}")[1] for index in range(5)]
    dump = database_dump()
    runs = set(re.findall(r"\d{16}", dump))
    for receipt in receipts:
        assert receipt not in runs
        assert crypto.receipt_display(receipt) not in dump
    assert all(
        lookup.startswith("$argon2id$v=19$")
        for lookup in Report.objects.values_list("receipt_lookup", flat=True)
    )


def test_a_dump_with_the_server_secrets_opens_no_report_without_a_passphrase_or_receipt():
    """Everything the server has, tried as keys: the secret key, the pepper, every stored public key and
    salt. None opens a report's content or a keyring."""
    from django.conf import settings

    from tillit.whistle.services.common import receipt_pepper

    world = whistle_world()
    report, _receipt = _full_case(world)
    candidates = [settings.SECRET_KEY.encode()[:32].ljust(32, b"\0"), receipt_pepper()[:32].ljust(32, b"\0")]
    for keyring in Keyring.objects.all():
        candidates += [bytes(keyring.public_key), bytes(keyring.passphrase_salt).ljust(32, b"\0")]
    candidates += [bytes(report.public_key), bytes(world.channel.receipt_salt).ljust(32, b"\0")]
    for candidate in candidates:
        with pytest.raises(crypto.DecryptionError):
            crypto.unseal(candidate, bytes(report.content))
        with pytest.raises(crypto.DecryptionError):
            crypto.unlock(candidate, bytes(report.reporter_key))
        for keyring in Keyring.objects.all():
            with pytest.raises(crypto.DecryptionError):
                crypto.unlock(candidate, bytes(keyring.by_passphrase))


def test_the_identity_does_not_open_with_the_report_key_only_through_a_custodian():
    world = whistle_world()
    report, _receipt = report_sent(world, mode=Mode.CONFIDENTIAL)
    handler = world.handlers[0]
    report_key = world.report_key(handler, report)
    with pytest.raises(crypto.DecryptionError):
        crypto.unseal(report_key, bytes(report.identity))
    with pytest.raises(crypto.DecryptionError):
        crypto.unlock(report_key[:32], bytes(report.identity))
    request = identity.identity_request(
        report=report, handler=handler, private_key=world.key(handler), motivation="Behöver höra vittnet."
    )
    identity.identity_decide(
        request=request, custodian=world.custodian, private_key=world.key(world.custodian), approve=True
    )
    assert (
        identity.identity_read(report=report, person=handler, private_key=world.key(handler))["name"]
        == "Vera Visselblåsare"
    )


@pytest.mark.parametrize("where", ["last chunk", "cut short"])
def test_a_file_tampered_with_on_disk_hands_out_no_plaintext_at_all(where):
    """T-24: the download's reader authenticates the whole file before the first byte goes out; chunk
    by chunk, a file changed or cut at its end would have streamed its first chunks."""
    world = whistle_world()
    content = b"SENTINEL-FIRST-CHUNK " * (3 * crypto.CHUNK_BYTES // 20)
    report, _receipt = report_sent(world, attachments=[("stor.bin", content)])
    attachment = Attachment.objects.get(report=report)
    path = files.path_of(files.STORED, attachment.stored_name)
    data = bytearray(path.read_bytes())
    if where == "last chunk":
        data[-1] ^= 0x01
    else:
        del data[-100:]
    path.write_bytes(bytes(data))
    handed_out = []

    def download():
        _meta, chunks = selectors.attachment_read(
            report, str(attachment.pk), world.report_key(world.handlers[0], report)
        )
        handed_out.extend(chunks)

    with pytest.raises(crypto.DecryptionError):
        download()
    assert handed_out == []


def test_a_reporter_session_row_dates_the_visit_no_closer_than_the_hour():
    """The row's expiry is the only plaintext time of a reporter's visit: rounded up to the full hour.
    The idle limit itself (20 minutes) is kept to the second inside the locked blob."""
    world = whistle_world()
    _report, receipt = report_sent(world)
    signed_in = reports.reporter_sign_in(channel=world.channel, receipt=receipt)
    visit = datetime(2026, 3, 10, 14, 37, 12, 345678, tzinfo=STOCKHOLM)  # 13:37 UTC
    with frozen_at(visit):
        cookie = sessions.reporter_session_start(signed_in=signed_in)
    assert ReporterSession.objects.get().expires_at == datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
    with frozen_at(visit + timedelta(minutes=19)):
        assert sessions.reporter_session_resume(cookie) is not None
    assert ReporterSession.objects.get().expires_at == datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    with frozen_at(visit + timedelta(minutes=19 + 21)):  # before the row's hour, after the idle time
        assert sessions.reporter_session_resume(cookie) is None
    assert not ReporterSession.objects.exists()


def test_a_stored_file_on_disk_is_dated_to_the_day_not_the_moment():
    """The media directory must not time a report either: `ls -l` shows midnight of the day received,
    and the hourly clean-up gives the hour's files one change time (its own) instead of each upload's."""
    world = whistle_world()
    with frozen_at(datetime(2026, 3, 10, 14, 37, 12, tzinfo=STOCKHOLM)):
        report, _receipt = report_sent(world, attachments=[("bevis.pdf", b"innehall")])
        stored = files.path_of(files.STORED, Attachment.objects.get(report=report).stored_name)
        midnight = datetime(2026, 3, 10, tzinfo=STOCKHOLM).timestamp()
        assert (stored.stat().st_mtime, stored.stat().st_atime) == (midnight, midnight)
        assert files.stored_times_blur() == 1
        assert stored.stat().st_mtime == midnight
        assert stored.parent.stat().st_mtime == midnight
        assert files.stored_times_blur() == 0  # touched once, not again every hour
