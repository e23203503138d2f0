"""Retention (W-12; T-19, T-29; L-10, L-14): a closed case is purged whole on its day and not before,
its files overwritten, one log line without content left; a public channel without a gallring decision
purges nothing; reopening cancels the purge; leftovers are cleared."""

import logging
import os
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from tests.factories.whistle import pending_file, report_sent, whistle_world
from tillit.core.clock import frozen_at, now
from tillit.whistle import files
from tillit.whistle.enums import Mode, Sector, WhistleAction
from tillit.whistle.models import (
    Attachment,
    Exclusion,
    IdentityKeyCopy,
    IdentityRequest,
    Message,
    Report,
    ReporterSession,
    ReportKeyCopy,
    SpentProof,
    WhistleEvent,
)
from tillit.whistle.services import cases, channels, identity, reports, retention, sessions

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SENTINEL = "SENTINEL-PURGE-7d3a"
CASE_ROWS = (Report, Message, Attachment, ReportKeyCopy, IdentityKeyCopy, Exclusion, IdentityRequest)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=STOCKHOLM)


def closed_case(world, closed_on: date, *, full: bool = False):
    """A case received a month before `closed_on`, given feedback and closed that day. `full`: a
    confidential report with a file, an excluded handler, messages both ways and an approved identity
    request, so that every kind of row a case has exists."""
    handler, key = world.handlers[0], world.key(world.handlers[0])
    with frozen_at(at(closed_on - timedelta(days=30))):
        report, receipt = report_sent(
            world,
            text=SENTINEL,
            mode=Mode.CONFIDENTIAL if full else Mode.ANONYMOUS,
            excluded=world.handlers[1:2] if full else (),
            attachments=[("SENTINEL-bilaga.pdf", SENTINEL.encode() * 100)] if full else (),
        )
        cases.case_acknowledge(report=report, handler=handler, private_key=key)
        if full:
            reports.reporter_message_send(
                report=report, body=f"{SENTINEL} svar", pending=[pending_file(b"SENTINEL-FIL-2")]
            )
            request = identity.identity_request(
                report=report, handler=handler, private_key=key, motivation=f"{SENTINEL} behövs"
            )
            identity.identity_decide(
                request=request,
                custodian=world.custodian,
                private_key=world.key(world.custodian),
                approve=True,
            )
    with frozen_at(at(closed_on)):
        cases.case_message(report=report, handler=handler, private_key=key, body="Åtgärdat.", kind="feedback")
        report = cases.case_close(report=report, handler=handler, private_key=key)
    return report, receipt


def stored_files() -> list[Path]:
    return sorted(files.directory(files.STORED).iterdir())


# --- T-29 ---------------------------------------------------------------------------------------------


def test_a_private_case_is_purged_two_years_after_closing_and_not_a_day_earlier(
    django_capture_on_commit_callbacks,
):
    world = whistle_world(sector=Sector.PRIVATE)
    closed_on = date(2029, 3, 1)
    report, _receipt = closed_case(world, closed_on, full=True)
    case_number = report.case_number
    assert report.purge_on == date(2031, 3, 1)
    assert len(stored_files()) == 2
    assert all(model.objects.exists() for model in CASE_ROWS)

    with django_capture_on_commit_callbacks(execute=True):
        early = retention.reports_purge_due(today=date(2031, 2, 28))
    assert early.purged == []
    assert Report.objects.filter(pk=report.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        result = retention.reports_purge_due(today=date(2031, 3, 1))

    assert result.purged == [case_number]
    assert result.refused == []
    assert {model.__name__: model.objects.count() for model in CASE_ROWS} == dict.fromkeys(
        (model.__name__ for model in CASE_ROWS), 0
    )
    assert stored_files() == []
    [purged] = WhistleEvent.objects.filter(action=WhistleAction.PURGED)
    assert purged.case_number == case_number
    assert purged.actor is None
    assert SENTINEL not in purged.note
    assert "7 kap." in purged.note
    assert not any(SENTINEL in event.note for event in WhistleEvent.objects.all())


def test_a_purged_case_is_gone_for_its_reporter_too():
    world = whistle_world(sector=Sector.PRIVATE)
    _report, receipt = closed_case(world, date(2029, 3, 1))
    cookie = sessions.reporter_session_start(
        signed_in=reports.reporter_sign_in(channel=world.channel, receipt=receipt)
    )

    retention.reports_purge_due(today=date(2031, 3, 1))

    assert reports.reporter_sign_in(channel=world.channel, receipt=receipt) is None
    assert sessions.reporter_session_resume(cookie) is None


def test_only_the_cases_due_are_purged_and_open_cases_never():
    world = whistle_world(sector=Sector.PRIVATE)
    due, _r = closed_case(world, date(2029, 3, 1))
    later, _r = closed_case(world, date(2029, 6, 1))
    with frozen_at(at(date(2029, 2, 1))):
        still_open, _r = report_sent(world)

    result = retention.reports_purge_due(today=date(2031, 4, 1))

    assert result.purged == [due.case_number]
    assert set(Report.objects.values_list("pk", flat=True)) == {later.pk, still_open.pk}
    assert retention.reports_purge_due(today=date(2031, 4, 1)).purged == []


def test_a_public_case_is_purged_by_its_gallring_decision(django_capture_on_commit_callbacks):
    world = whistle_world()  # gallringsbeslut KS 2026/123, five years of 365 days
    report, _receipt = closed_case(world, date(2029, 3, 1), full=True)
    assert report.purge_on == date(2029, 3, 1) + timedelta(days=5 * 365)

    assert retention.reports_purge_due(today=report.purge_on - timedelta(days=1)).purged == []
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.reports_purge_due(today=report.purge_on).purged == [report.case_number]

    [purged] = WhistleEvent.objects.filter(action=WhistleAction.PURGED)
    assert purged.note == "gallringsbeslut KS 2026/123"
    assert stored_files() == []


def test_a_public_channel_without_a_gallring_decision_purges_nothing_and_says_so(caplog):
    world = whistle_world()
    report, _receipt = closed_case(world, date(2029, 3, 1), full=True)
    channels.channel_update(access=world.system, channel=world.channel, gallringsbeslut_ref="")

    with caplog.at_level(logging.ERROR, logger="tillit.whistle.services.retention"):
        result = retention.reports_purge_due(today=date(2040, 1, 1))

    assert result.purged == []
    [refusal] = result.refused
    assert world.channel.name in refusal
    assert "1 case(s) not purged" in refusal
    assert all(model.objects.exists() for model in CASE_ROWS)
    assert len(stored_files()) == 2
    assert not WhistleEvent.objects.filter(action=WhistleAction.PURGED).exists()
    [line] = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert "no gallring decision" in line.getMessage()
    assert SENTINEL not in line.getMessage()
    assert report.case_number not in line.getMessage()

    channels.channel_update(access=world.system, channel=world.channel, gallringsbeslut_ref="KS 2030/7")
    assert retention.reports_purge_due(today=date(2040, 1, 1)).purged == [report.case_number]


def test_reopening_a_case_cancels_its_purge():
    world = whistle_world(sector=Sector.PRIVATE)
    report, _receipt = closed_case(world, date(2029, 3, 1))
    handler = world.handlers[0]
    with frozen_at(at(date(2029, 5, 1))):
        report = cases.case_reopen(report=report, handler=handler, private_key=world.key(handler))

    assert report.purge_on is None
    assert retention.reports_purge_due(today=date(2035, 1, 1)).purged == []
    assert Report.objects.filter(pk=report.pk).exists()


def test_a_purged_file_is_overwritten_with_zeros_before_it_is_unlinked(
    monkeypatch, django_capture_on_commit_callbacks
):
    world = whistle_world(sector=Sector.PRIVATE)
    closed_case(world, date(2029, 3, 1), full=True)
    sizes = {path.name: path.stat().st_size for path in stored_files()}
    seen: dict[str, bytes] = {}
    real_unlink = Path.unlink

    def unlink_watching(path, missing_ok=False):
        if path.name in sizes:
            seen[path.name] = path.read_bytes()
        return real_unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink_watching)
    with django_capture_on_commit_callbacks(execute=True):
        retention.reports_purge_due(today=date(2031, 3, 1))

    assert set(seen) == set(sizes)
    for name, content in seen.items():
        assert len(content) == sizes[name]
        assert content == b"\0" * sizes[name]


# --- T-19 and the other leftovers -------------------------------------------------------------------------


def test_an_unfinished_upload_older_than_an_hour_is_removed_and_a_fresh_one_kept():
    old, fresh = pending_file(b"SENTINEL old"), pending_file(b"SENTINEL fresh")
    old_path = files.path_of(files.PENDING, old.stored_name)
    fresh_path = files.path_of(files.PENDING, fresh.stored_name)
    an_hour_ago = time.time() - 3601
    os.utime(old_path, (an_hour_ago, an_hour_ago))

    assert retention.pending_uploads_clean() == 1

    assert not old_path.exists()
    assert fresh_path.exists()
    assert SENTINEL not in fresh_path.read_bytes().decode("latin-1")  # ciphertext only, even in pending/


def test_stored_files_are_never_taken_for_unfinished_uploads():
    world = whistle_world(sector=Sector.PRIVATE)
    report_sent(world, attachments=[("a.pdf", b"kept")])
    [stored] = stored_files()
    long_ago = time.time() - 7 * 24 * 3600
    os.utime(stored, (long_ago, long_ago))

    assert retention.pending_uploads_clean() == 0
    assert stored.exists()


def test_expired_reporter_sessions_and_spent_proofs_are_cleared_and_live_ones_kept():
    moment = now()
    ReporterSession.objects.create(token_hash="a" * 64, sealed=b"x", expires_at=moment - timedelta(seconds=1))
    live = ReporterSession.objects.create(
        token_hash="b" * 64, sealed=b"x", expires_at=moment + timedelta(minutes=5)
    )
    SpentProof.objects.create(digest="c" * 64, expires_at=moment - timedelta(seconds=1))
    kept = SpentProof.objects.create(digest="d" * 64, expires_at=moment + timedelta(minutes=5))

    assert retention.reporter_sessions_clean() == 1
    assert retention.spent_proofs_clean() == 1
    assert list(ReporterSession.objects.all()) == [live]
    assert list(SpentProof.objects.all()) == [kept]


def _sent_then_rolled_back(world):
    with transaction.atomic():
        report_sent(world, attachments=[("rolled-back.pdf", b"SENTINEL gone")])
        raise RuntimeError("rolled back after the files were moved")


def test_a_stored_file_no_attachment_names_is_overwritten_and_removed_after_an_hour(monkeypatch):
    """A rolled-back report leaves its moved files behind (their key died with the row): the hourly
    clean-up overwrites and removes them once old enough; a fresh orphan, a named file and a file that
    is not ours stay."""
    world = whistle_world(sector=Sector.PRIVATE)
    three_days_ago = now() - timedelta(days=3)
    with frozen_at(three_days_ago):
        report_sent(world, attachments=[("named.pdf", b"named")])
        [named] = stored_files()
        with pytest.raises(RuntimeError, match="rolled back"):
            _sent_then_rolled_back(world)
    [old_orphan] = [path for path in stored_files() if path != named]
    assert not Attachment.objects.filter(stored_name=old_orphan.name).exists()
    fresh = pending_file(b"fresh orphan")
    files.store(fresh)
    fresh_orphan = files.path_of(files.STORED, fresh.stored_name)
    not_ours = files.directory(files.STORED) / "README"
    not_ours.write_text("left by an administrator")
    os.utime(not_ours, (three_days_ago.timestamp(), three_days_ago.timestamp()))
    overwritten = []
    real_delete = files.secure_delete
    monkeypatch.setattr(files, "secure_delete", lambda path: overwritten.append(path) or real_delete(path))

    assert retention.orphan_files_clean() == 1

    assert overwritten == [old_orphan]
    assert not old_orphan.exists()
    assert named.exists()
    assert fresh_orphan.exists()
    assert not_ours.exists()
    assert retention.orphan_files_clean() == 0


def test_an_orphans_age_counts_from_the_end_of_the_day_it_is_dated_to():
    """A stored file shows only its day, so a file moved in at 23:50 (perhaps by a transaction still
    open) is not taken at 00:30: only an hour after its day ended."""
    evening = datetime(2031, 3, 4, 23, 50, tzinfo=STOCKHOLM)
    with frozen_at(evening):
        orphan = pending_file(b"late")
        files.store(orphan)
    path = files.path_of(files.STORED, orphan.stored_name)
    with frozen_at(datetime(2031, 3, 5, 0, 30, tzinfo=STOCKHOLM)):
        assert retention.orphan_files_clean() == 0
    assert path.exists()
    with frozen_at(datetime(2031, 3, 5, 1, 5, tzinfo=STOCKHOLM)):
        assert retention.orphan_files_clean() == 1
    assert not path.exists()
