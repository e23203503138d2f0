"""The report form: anonymous and confidential reports, exclusions (T-21), the receipt shown once,
anti-automation (T-15 – T-17) and hostile file names (T-07)."""

import json
import re
import time as systime
import uuid
from datetime import time

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tillit.whistle import crypto, files, proof, selectors
from tillit.whistle.enums import Mode, WhistleAction
from tillit.whistle.models import (
    Attachment,
    Exclusion,
    IdentityKeyCopy,
    Report,
    ReportKeyCopy,
    SpentProof,
    WhistleEvent,
)
from tillit.whistle.services import channels

from .test_reporter_support import (  # noqa: F401 -- fixtures
    challenge_of,
    database_dump,
    fresh_state_fixture,
    multipart,
    post_report,
    receipt_of,
    report_data,
    reporter_fixture,
    sign_in,
    solved,
    stored_files,
    submit,
    url,
    world_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def upload(name: str = "bevis.txt", content: bytes = b"innehall") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def nothing_saved():
    assert not Report.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(files.PENDING) == []
    assert stored_files(files.STORED) == []


# ------------------------------------------------------------------------------------ the form


def test_the_form_offers_anonymous_first_and_chosen_and_every_part_of_the_report(reporter, world):
    html = reporter.get(url("submit", "vissel")).content.decode()
    modes = re.findall(r'<input type="radio" name="mode" value="(\w+)"[^>]*>', html)
    assert modes == ["anonymous", "confidential"]
    assert re.search(r'<input type="radio" name="mode" value="anonymous"[^>]*checked', html)
    assert "<legend>How do you want to report?</legend>" in html
    for name in ("category", "what", "where_when", "who", "evidence", "earlier", "identity_name", "files"):
        assert f'name="{name}"' in html, name
    assert "Fill in only if you have chosen to report confidentially" in html
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="files"' in html
    assert "multiple" in html
    assert "Handläggare 0" in html
    assert "Handläggare 1" in html
    assert 'class="whistle-trap" aria-hidden="true"' in html
    assert 'name="website"' in html
    assert "<noscript>" in html
    assert "needs JavaScript" in html
    assert 'src="/static/whistle/proof.js"' in html
    assert "<script>" not in html
    assert "style=" not in html
    assert "csrfmiddlewaretoken" not in html


def test_a_channel_taking_only_confidential_reports_offers_only_that(reporter, world):
    channels.channel_update(access=world.system, channel=world.channel, accepts_anonymous=False)
    html = reporter.get(url("submit", "vissel")).content.decode()
    assert re.findall(r'name="mode" value="(\w+)"', html) == ["confidential"]
    refused = post_report(reporter, world, mode="anonymous")
    assert b'href="#id_mode_0"' in refused.content
    assert b'id="id_mode_error"' in refused.content
    assert b"Choose how you want to report" in refused.content
    assert not Report.objects.exists()


# ------------------------------------------------------------------------------------ submitting


def test_an_anonymous_report_is_stored_encrypted_and_its_receipt_shown_once(reporter, world):
    response = post_report(
        reporter, world, what="SENTINEL-WHAT-1", files=[upload("bevis.txt", b"SENTINEL-FILE")]
    )
    assert response.status_code == 200
    html = response.content.decode()
    groups = re.search(r'id="receipt">(.*?)</p>', html, re.S)[1]
    assert re.fullmatch(r"(<span>\d{4}</span> ){3}<span>\d{4}</span>", groups), groups
    assert "shown only this once" in html
    assert "No one can recover it" in html
    assert 'hreflang="en"' not in html  # no language link that would lose the receipt
    assert f'href="{url("inbox", "vissel")}"' in html
    receipt = receipt_of(response)

    report = Report.objects.get()
    assert report.mode == Mode.ANONYMOUS
    assert report.identity is None
    opened = selectors.report_open(report, world.report_key(world.handlers[0], report))
    assert opened.answers["what"] == "SENTINEL-WHAT-1"
    dump = database_dump()
    assert b"SENTINEL" not in dump
    assert receipt.encode() not in dump
    assert WhistleEvent.objects.filter(action=WhistleAction.REPORT_RECEIVED, actor=None).count() == 1


def test_a_confidential_reports_identity_is_sealed_to_the_custodian_and_not_to_the_handlers(reporter, world):
    receipt = submit(
        reporter,
        world,
        mode="confidential",
        identity_name="Vera Visselblåsare",
        identity_contact="070-123 45 67",
        identity_relation="anställd",
    )
    assert len(receipt) == 16
    report = Report.objects.get()
    assert report.mode == Mode.CONFIDENTIAL
    assert report.identity
    handler_key = world.report_key(world.handlers[0], report)
    with pytest.raises(crypto.DecryptionError):
        crypto.unlock(handler_key, bytes(report.identity))  # the report key is not the identity key
    assert not IdentityKeyCopy.objects.filter(report=report, person__in=world.handlers).exists()
    copy = IdentityKeyCopy.objects.get(report=report)
    assert copy.person == world.custodian
    identity_key = crypto.unseal(world.key(world.custodian), bytes(copy.sealed_identity_key))
    identity = json.loads(crypto.unlock(identity_key, bytes(report.identity)))
    assert identity == {"name": "Vera Visselblåsare", "contact": "070-123 45 67", "relation": "anställd"}
    assert b"Vera" not in database_dump()


def test_an_anonymous_report_keeps_no_identity_even_if_the_fields_were_filled(reporter, world):
    submit(reporter, world, mode="anonymous", identity_name="Vera Visselblåsare")
    report = Report.objects.get()
    assert report.identity is None
    assert not IdentityKeyCopy.objects.filter(report=report).exists()


def test_a_confidential_report_without_a_name_is_refused_next_to_the_field(reporter, world):
    response = post_report(reporter, world, mode="confidential", files=[upload()])
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_identity_name"' in html  # the error summary links to the field
    assert 'id="id_identity_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert "Your files were not kept" in html
    nothing_saved()


def test_a_missing_answer_is_refused_with_the_text_kept(reporter, world):
    response = post_report(reporter, world, what="", who="Chefen på enheten")
    html = response.content.decode()
    assert 'href="#id_what"' in html
    assert "Tell us what has happened" in html
    assert "Chefen på enheten" in html
    assert challenge_of(html)  # a fresh challenge to send again with
    nothing_saved()


def test_an_excluded_handler_gets_no_key_copy(reporter, world):
    first, second = world.handlers
    submit(reporter, world, excluded=[str(second.pk)])
    report = Report.objects.get()
    assert list(ReportKeyCopy.objects.filter(report=report).values_list("person", flat=True)) == [first.pk]
    assert list(Exclusion.objects.filter(report=report).values_list("person", flat=True)) == [second.pk]
    assert selectors.reports_for_handler(world.channel, second) == []


def test_excluding_every_handler_is_refused(reporter, world):
    response = post_report(reporter, world, excluded=[str(person.pk) for person in world.handlers])
    assert b"At least one handler must be able to read the report" in response.content
    nothing_saved()


def test_a_channel_that_allows_no_exclusions_shows_none_and_ignores_a_posted_one(reporter, world):
    channels.channel_update(access=world.system, channel=world.channel, reporters_may_exclude=False)
    assert b'name="excluded"' not in reporter.get(url("submit", "vissel")).content
    submit(reporter, world, excluded=[str(world.handlers[1].pk)])
    assert ReportKeyCopy.objects.count() == 2
    assert not Exclusion.objects.exists()


# ------------------------------------------------------------------------------------ T-15: proof of work


def test_a_report_without_the_proof_of_work_is_refused(reporter, world):
    response = post_report(reporter, world, pow_challenge="", pow_counter="", files=[upload()])
    assert response.status_code == 200
    assert b"needs JavaScript" in response.content
    nothing_saved()


def test_a_wrong_forged_too_weak_or_expired_proof_is_refused(reporter, world, monkeypatch):
    good = solved(reporter, world)
    challenge = good["pow_challenge"]
    wrong_counter = next(
        str(n) for n in range(10_000) if proof.leading_zero_bits(proof.digest(challenge, str(n))) < 4
    )
    forged = challenge.replace(f".{proof.challenge_bits(challenge)}:", ".0:")  # the signature no longer fits
    weak = proof.challenge_new(bits=0)
    monkeypatch.setattr(
        signing.TimestampSigner,
        "timestamp",
        lambda self: signing.b62_encode(int(systime.time()) - 2 * 3600),
    )
    expired = proof.challenge_new()
    monkeypatch.undo()
    attempts = {
        "wrong counter": (challenge, wrong_counter),
        "forged bits": (forged, proof.solve(forged, bits=0)),
        "too weak": (weak, "0"),
        "expired": (expired, proof.solve(expired)),
    }
    for name, (pow_challenge, pow_counter) in attempts.items():
        response = post_report(reporter, world, pow_challenge=pow_challenge, pow_counter=pow_counter)
        assert response.status_code == 200, name
        assert b"floods" in response.content, name  # the refusal says why
        assert b'id="receipt"' not in response.content, name
    assert (
        b"more than an hour"
        in post_report(reporter, world, pow_challenge=expired, pow_counter=proof.solve(expired)).content
    )
    nothing_saved()
    assert not SpentProof.objects.exists()


def test_a_proof_allows_exactly_one_report(reporter, world):
    proof_fields = solved(reporter, world)
    assert post_report(reporter, world, **proof_fields).status_code == 200
    again = post_report(reporter, world, **proof_fields)
    assert b"already been sent once" in again.content
    assert Report.objects.count() == 1
    assert SpentProof.objects.count() == 1


def test_the_proof_module_checks_its_own_solutions():
    challenge = proof.challenge_new(bits=8)
    counter = proof.solve(challenge)
    proof.proof_check(challenge, counter)
    assert proof.leading_zero_bits(proof.digest(challenge, counter)) >= 8
    assert proof.leading_zero_bits(b"\x00\x0f") == 12
    assert proof.leading_zero_bits(b"\x80") == 0
    for bad in [("", counter), (challenge, ""), (challenge, "x" * 21), ("x" * 201, counter)]:
        with pytest.raises(proof.ProofError):
            proof.proof_check(*bad)


# ------------------------------------------------------------------------------------ T-16: honeypot


def test_a_filled_honeypot_is_refused_and_nothing_is_kept(reporter, world):
    response = post_report(reporter, world, website="https://spam.example", files=[upload(), upload("b.txt")])
    assert response.status_code == 403
    nothing_saved()


# ------------------------------------------------------------------------------------ T-17: floods


def test_more_reports_than_the_channel_takes_an_hour_are_refused_and_the_flood_logged_once(reporter, world):
    channels.channel_update(access=world.system, channel=world.channel, reports_per_hour=2)
    world.channel.refresh_from_db()
    submit(reporter, world)
    submit(reporter, world)
    for _ in range(2):
        refused = post_report(reporter, world)
        assert refused.status_code == 429
        assert b"Nothing was saved" in refused.content
    assert Report.objects.count() == 2
    floods = WhistleEvent.objects.filter(action=WhistleAction.FLOOD_REFUSED, channel=world.channel)
    assert floods.count() == 1
    flood = floods.get()
    assert timezone.localtime(flood.at).time() == time(0)
    assert flood.actor is None


def test_a_refused_report_does_not_use_up_the_channels_hour(reporter, world):
    channels.channel_update(access=world.system, channel=world.channel, reports_per_hour=1)
    assert post_report(reporter, world, mode="confidential").status_code == 200  # refused: no name
    submit(reporter, world)
    assert Report.objects.count() == 1


def test_one_address_cannot_post_the_form_more_than_twenty_times_an_hour(reporter, world):
    for _ in range(20):
        assert post_report(reporter, world, pow_challenge="", pow_counter="").status_code == 200
    meta = {"HTTP_X_FORWARDED_FOR": "198.51.100.9", "REMOTE_ADDR": "127.0.0.1"}
    assert post_report(reporter, world, meta=meta, pow_challenge="", pow_counter="").status_code == 429
    assert (
        post_report(reporter, world, meta={"REMOTE_ADDR": "192.0.2.10"}).status_code == 200
    )  # another address
    assert Report.objects.count() == 1


def test_more_files_than_allowed_are_refused_with_413_and_nothing_kept(reporter, world, settings):
    settings.WHISTLE_MAX_FILES = 2
    response = post_report(reporter, world, files=[upload("a.txt"), upload("b.txt"), upload("c.txt")])
    assert response.status_code == 413
    assert b"at most 2 files" in response.content
    nothing_saved()


def test_a_file_over_the_size_limit_is_refused_while_streaming_and_nothing_kept(reporter, world, settings):
    settings.WHISTLE_MAX_FILE_BYTES = 1000
    response = post_report(
        reporter, world, files=[upload("small.txt", b"x" * 10), upload("big.bin", b"y" * 5000)]
    )
    assert response.status_code == 413
    nothing_saved()


# ------------------------------------------------------------------------------------ T-07: file names


HOSTILE_NAMES = [
    b"../../etc/SENTINELNAME1passwd",
    b"CON",
    b"SENTINELNAME2a\x00b.pdf",
    "SENTINELNAME3invoice\u202efdp.exe".encode(),
    "SENTINELNAME4caf\u00e9.txt".encode(),  # NFC
    "SENTINELNAME4cafe\u0301.txt".encode(),  # NFD: another name, another file
    b"SENTINELNAME5" + b"n" * 900 + b".txt",
    b'SENTINELNAME6"quoted"; filename=evil.html',
]


def test_hostile_file_names_are_stored_as_ciphertext_under_random_names(reporter, world):
    fields = report_data(world) | solved(reporter, world)
    body, content_type = multipart(
        fields, [(name, b"content %d" % index) for index, name in enumerate(HOSTILE_NAMES)]
    )
    response = reporter.generic("POST", url("submit", "vissel"), body, content_type=content_type)
    assert response.status_code == 200, response.content.decode()[:2000]
    receipt = receipt_of(response)

    on_disk = stored_files(files.STORED)
    assert len(on_disk) == len(HOSTILE_NAMES)
    assert stored_files(files.PENDING) == []
    for path in on_disk:
        assert uuid.UUID(path.name).version == 4
        assert path.parent == files.directory(files.STORED)
        assert b"content" not in path.read_bytes()
    dump = database_dump()
    assert b"SENTINELNAME" not in dump
    assert b"passwd" not in dump
    assert b"fdp.exe" not in dump

    assert sign_in(reporter, world, receipt).status_code == 303
    report = Report.objects.get()
    names = {}
    for attachment in selectors.report_attachments(report, world.report_key(world.handlers[0], report)):
        download = reporter.get(url("file", "vissel", attachment.id))
        assert download.status_code == 200
        disposition = download["Content-Disposition"]
        assert disposition.startswith("attachment; filename")
        assert "\u202e" not in disposition
        assert "\x00" not in disposition
        assert "\n" not in disposition
        assert "/" not in attachment.name
        assert "\x00" not in attachment.name
        assert "\u202e" not in attachment.name
        if not attachment.name.isascii():
            assert disposition.startswith("attachment; filename*=utf-8''")
        assert download["Content-Type"] == "application/octet-stream"
        assert "sandbox" in download["Content-Security-Policy"]
        names[attachment.name] = b"".join(download.streaming_content)
    assert names["SENTINELNAME1passwd"] == b"content 0"
    assert names["CON"] == b"content 1"
    assert names["SENTINELNAME2ab.pdf"] == b"content 2"
    assert names["SENTINELNAME3invoicefdp.exe"] == b"content 3"
    assert names["SENTINELNAME4caf\u00e9.txt"] == b"content 4"
    assert names["SENTINELNAME4cafe\u0301.txt"] == b"content 5"
    assert any(len(name) == 200 and name.startswith("SENTINELNAME5") for name in names)


def test_a_ten_kilobyte_file_name_is_refused_cleanly_and_nothing_kept(reporter, world):
    fields = report_data(world) | solved(reporter, world)
    body, content_type = multipart(fields, [(b"ok.txt", b"first"), (b"x" * 10_240 + b".pdf", b"second")])
    response = reporter.generic("POST", url("submit", "vissel"), body, content_type=content_type)
    assert response.status_code == 400
    nothing_saved()
