"""The demo's whistleblowing channel: Exempelby kommun's public channel, its four people with keys and
two-factor sign-in, and five cases whose legal clocks always show the same picture."""

from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.contrib.auth.hashers import check_password

from tests.factories.demo import person
from tillit.core.clock import today
from tillit.demo.generate import DEMO_PASSWORD
from tillit.demo.whistle_data import (
    CHANNEL_NAME,
    DEMO_KEY_PASSPHRASE,
    DEMO_TOTP_SECRET,
    GALLRINGSFRIST_DAYS,
    PEOPLE,
)
from tillit.whistle import clocks, selectors
from tillit.whistle.enums import (
    Author,
    IdentityRequestState,
    MessageKind,
    Origin,
    Role,
    Sector,
    State,
    TranscriptState,
)
from tillit.whistle.models import Channel, EscrowCopy, Exclusion, IdentityRequest, Report, ReportKeyCopy
from tillit.whistle.services import channels, keys

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
GRETA, TOMAS = "greta.wikstrom@exempelby.se", "tomas.oberg@visslan.example"


def channel() -> Channel:
    return Channel.objects.get(slug="exempelby")


def demo_reports() -> list[Report]:
    return list(Report.objects.filter(channel=channel()).order_by("number"))


def test_exempelby_has_an_open_public_channel_that_can_keep_its_promises(db):
    found = channel()

    assert found.name == CHANNEL_NAME
    assert found.organisation.slug == "exempelby"
    assert found.sector == Sector.PUBLIC
    assert found.is_open
    assert found.escrow_public_key
    assert found.gallringsbeslut_ref
    assert found.gallringsfrist_days == GALLRINGSFRIST_DAYS
    assert channels.channel_missing(found) == []


def test_the_channel_has_two_handlers_one_external_a_custodian_and_an_escrow_holder(db):
    roles = {(role.person.email, role.role): role for role in channel().roles.select_related("person")}

    assert set(roles) == {
        (GRETA, Role.HANDLER),
        (TOMAS, Role.HANDLER),
        ("birgitta.falk@exempelby.se", Role.CUSTODIAN),
        ("rolf.dahl@exempelby.se", Role.ESCROW),
    }
    external = roles[(TOMAS, Role.HANDLER)]
    assert external.shown_name == "Extern handläggare – Visslan Juridik AB"
    assert external.external_provider == "Visslan Juridik AB"
    assert roles[("rolf.dahl@exempelby.se", Role.ESCROW)].sealed_escrow_key


@pytest.mark.parametrize("spec", PEOPLE, ids=lambda spec: spec.email)
def test_each_of_the_four_signs_in_with_the_demo_password_and_the_demo_totp_and_unlocks_their_keys(db, spec):
    someone = person(spec.email)
    authenticator = Authenticator.objects.get(user=someone, type=Authenticator.Type.TOTP)
    counters = list(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counters[len(counters) // 2]))

    assert check_password(DEMO_PASSWORD, someone.password)
    assert TOTP(authenticator).validate_code(code)
    assert not TOTP(authenticator).validate_code(code)  # a code works once
    private_key = keys.keyring_unlock(person=someone, passphrase=DEMO_KEY_PASSPHRASE)
    keyring = keys.keyring_for(someone)
    assert EscrowCopy.objects.filter(channel=channel(), keyring=keyring).exists()
    assert len(private_key) == 32
    assert not someone.memberships.exists()  # a role in the channel only, nothing in the chain


def test_five_cases_in_five_states(db):
    day = today()
    closed, overdue, oral, talking, new = demo_reports()

    assert (new.state, new.acknowledged_on, new.ack_waived) == (State.RECEIVED, None, False)
    assert new.received_on < day <= clocks.ack_due(new.received_on)  # within its seven days

    assert talking.state == State.ACKNOWLEDGED
    assert talking.identity
    authors = set(talking.messages.values_list("author", flat=True))
    assert authors == {Author.HANDLER, Author.REPORTER}
    assert talking.attachments.filter(author=Author.REPORTER).count() == 1
    [request] = IdentityRequest.objects.filter(report=talking)
    assert request.state == IdentityRequestState.PENDING

    assert oral.origin == Origin.ORAL
    assert oral.transcript_state == TranscriptState.APPROVED
    assert oral.receipt_must_change is False  # the reporter changed the receipt a handler had seen
    assert oral.attachments.filter(is_transcript=True).count() == 1

    assert overdue.state == State.ACKNOWLEDGED
    assert overdue.feedback_on is None
    assert clocks.feedback_due(overdue.received_on, overdue.acknowledged_on) < day
    assert set(Exclusion.objects.filter(report=overdue).values_list("person__email", flat=True)) == {GRETA}

    assert closed.state == State.CLOSED
    assert closed.messages.filter(kind=MessageKind.FEEDBACK).exists()
    assert closed.purge_on > day
    assert (closed.purge_on - closed.closed_on).days == GALLRINGSFRIST_DAYS

    assert not Report.objects.filter(channel=channel(), handlers_notified=False).exists()


def test_the_excluded_handler_holds_no_key_copy_of_that_case(db):
    _closed, overdue, *_rest = demo_reports()

    holders = set(ReportKeyCopy.objects.filter(report=overdue).values_list("person__email", flat=True))
    assert holders == {TOMAS}


@pytest.mark.parametrize("email", [GRETA, TOMAS])
def test_a_handler_opens_every_case_they_hold_with_the_demo_passphrase(db, email):
    handler = person(email)
    private_key = keys.keyring_unlock(person=handler, passphrase=DEMO_KEY_PASSPHRASE)
    held = selectors.reports_for_handler(channel(), handler)

    assert len(held) == (5 if email == TOMAS else 4)
    for report in held:
        report_key = keys.report_key_for(person=handler, private_key=private_key, report=report)
        opened = selectors.report_open(report, report_key)
        assert opened.category in report.channel.categories
        assert opened.answers["what"]
        for message in selectors.messages_open(report, report_key):
            assert message.body or message.attachments
        for attachment in report.attachments.all():
            meta, chunks = selectors.attachment_read(report, str(attachment.pk), report_key)
            assert meta.name.endswith(".txt")
            assert len(b"".join(chunks)) == meta.size > 0


def test_the_loader_gives_the_logins_the_two_factor_secret_and_the_key_passphrase_to_print(
    db, settings, tmp_path
):
    settings.WHISTLE_FILES_DIR = tmp_path  # this second load's files go with the test
    from django.contrib.auth import get_user_model

    from tillit.chain import services as chain
    from tillit.demo.whistle_data import whistle_load

    # Step the loaded channel and its people aside (addresses are unique), then load a second one.
    Channel.objects.update(slug="first-exempelby")
    for spec in PEOPLE:
        get_user_model().objects.filter(email=spec.email).update(email=f"first-{spec.email}")
    organisation = chain.organisation_create(name="Andra Exempelby", slug="andra-exempelby")

    loaded = whistle_load(organisation=organisation, password_hash=person(f"first-{GRETA}").password)
    notes = "\n".join(loaded.notes)

    assert [email for email, _name, _description in loaded.logins] == [spec.email for spec in PEOPLE]
    assert loaded.people == 4
    assert DEMO_TOTP_SECRET in notes
    assert DEMO_KEY_PASSPHRASE in notes
    assert Report.objects.filter(channel=loaded.channel).count() == 5


def test_make_demo_serves_the_reporter_host_and_prints_its_addresses_and_the_demo_secrets():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert "WHISTLE_PORT ?= 8001" in makefile
    assert "whistle_schedule" in makefile
    assert "http://$(HOST):$(WHISTLE_PORT)/exempelby/" in makefile
    assert "http://visselblasning.localhost:$(PORT)/exempelby/" in makefile
    for secret in (DEMO_TOTP_SECRET, DEMO_KEY_PASSPHRASE):
        assert secret in makefile
        assert secret in readme


def gunicorn_config(monkeypatch):
    import importlib.util

    monkeypatch.setenv("WHISTLE_HOSTS", "visselblasning.localhost,127.0.0.1:8001")
    spec = importlib.util.spec_from_file_location(
        "tillit_gunicorn_conf", ROOT / "config" / "gunicorn.conf.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def access_lines(module, host: str) -> list[str]:
    import datetime
    import io
    import logging

    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", module.access_log_format)
    logger = module.ReporterSilentLogger(config)
    stream = io.StringIO()
    logger.access_log.handlers = [logging.StreamHandler(stream)]
    response = type("Response", (), {"status": "200 OK", "sent": 42, "headers": []})()
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/exempelby/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/exempelby/",
        "QUERY_STRING": "",
        "REMOTE_ADDR": "203.0.113.77",
        "HTTP_USER_AGENT": "SENTINEL-UA",
        "HTTP_REFERER": "http://sentinel.example/",
        "HTTP_HOST": host,
    }
    logger.access(response, [], environ, datetime.timedelta(milliseconds=12))
    return stream.getvalue().splitlines()


@pytest.mark.parametrize(
    "host", ["127.0.0.1:8001", "visselblasning.localhost:8000", "VISSELBLASNING.localhost"]
)
def test_gunicorn_writes_no_access_line_for_a_reporter_host(monkeypatch, host):
    assert access_lines(gunicorn_config(monkeypatch), host) == []


def test_gunicorn_logs_staff_requests_without_the_clients_address_or_browser(monkeypatch):
    module = gunicorn_config(monkeypatch)
    [line] = access_lines(module, "127.0.0.1:8000")

    assert '"GET /exempelby/ HTTP/1.1" 200 42' in line
    assert "203.0.113.77" not in line
    assert "SENTINEL" not in line
    assert "%(h)s" not in module.access_log_format
    assert "%(a)s" not in module.access_log_format
    assert module.logger_class is module.ReporterSilentLogger


def test_gunicorn_hides_the_address_in_its_warnings_about_malformed_requests(monkeypatch):
    module = gunicorn_config(monkeypatch)
    assert (
        module.ReporterSilentLogger._scrub("Invalid request from ip=198.51.100.9: Invalid HTTP method")
        == "Invalid request from ip=-: Invalid HTTP method"
    )
    assert (
        module.ReporterSilentLogger._scrub("Invalid request from ip=::1: x") == "Invalid request from ip=-: x"
    )
