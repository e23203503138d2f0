"""The channel's oversight pages through Django's test client: who reaches which page (T-23), identity
requests decided by a custodian (T-32), key escrow set up and used (T-22, T-30), roles and the last
handler (T-22), settings and opening, the log and its filter (T-45), and the log's append-only table (T-30).

Texts are asserted in English (the language cookie), so the tests hold whatever the Swedish catalogue says.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tests.factories.whistle import keyring_of, report_sent, signed_in_client, whistle_world
from tillit.core.clock import frozen_at, now
from tillit.whistle.enums import IdentityRequestState, Mode, Role, Sector, WhistleAction
from tillit.whistle.models import Channel, ChannelRole, IdentityRequest, Keyring, WhistleEvent
from tillit.whistle.services import cases, channels, identity, keys
from tillit.whistle.views import common

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """Sign-in passwords hashed cheaply: these tests are about the channel, not the password hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


SENTINELS = ("SENTINEL-REPORT-9f3", "SENTINEL-MESSAGE-9f3", "SENTINEL-MOTIVE-9f3", "SENTINEL-NAME-9f3")


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def staff(person) -> Client:
    return signed_in_client(english(Client()), person)


def unlocked(world, person) -> Client:
    """A staff client whose key is unlocked in its session, as the unlock page leaves it."""
    client = staff(person)
    session = client.session
    request, response = type("Request", (), {"session": session})(), HttpResponse()
    common.key_store(request, response, world.key(person))
    session.save()
    client.cookies[common.KEY_COOKIE] = response.cookies[common.KEY_COOKIE].value
    return client


def url(name: str, channel, *args) -> str:
    return reverse(f"whistle:{name}", args=[channel.slug, *args])


def events(channel, action) -> list[WhistleEvent]:
    return list(WhistleEvent.objects.filter(channel=channel, action=action))


def text(response) -> str:
    return response.content.decode()


# ------------------------------------------------------------------------------------ who reaches what


@pytest.fixture
def worlds():
    """Two organisations, each with its own channel under the same name."""
    world = whistle_world(slug="vissel")
    other = whistle_world(slug="grann")
    channels.channel_update(access=other.system, channel=other.channel, name=world.channel.name)
    return world, other


@pytest.fixture
def world():
    return whistle_world()


PAGES = ("identity-requests", "escrow", "settings", "roles", "log")
EXPECTED = {
    "identity-requests": {"custodian": 200},
    "escrow": {"escrow": 200},
    "settings": {"administrator": 200, "handler": 403, "custodian": 403, "escrow": 403},
    "roles": {"administrator": 200, "handler": 403, "custodian": 403, "escrow": 403},
    "log": {"administrator": 200, "handler": 200, "custodian": 200, "escrow": 200},
}


def cast(world, other) -> dict:
    return {
        "custodian": world.custodian,
        "escrow": world.escrow,
        "administrator": world.administrator,
        "handler": world.handlers[0],
        "bystander": world.bystander,
        "outsider": world.outsider,
        "superuser of the organisation": get_user_model().objects.create_superuser(
            "root@vissel.test",
            "ett-långt-lösenord-2026",
            full_name="Rut Root",
            organisation=world.organisation,
        ),
        "platform operator": get_user_model().objects.create_superuser(
            "drift@tillit.test", "ett-långt-lösenord-2026", full_name="Dag Drift"
        ),
        "other custodian": other.custodian,
        "other escrow": other.escrow,
        "other administrator": other.administrator,
        "other handler": other.handlers[0],
    }


@pytest.mark.parametrize("page_name", PAGES)
def test_each_page_answers_only_the_roles_it_is_for(worlds, page_name):
    world, other = worlds
    people = cast(world, other)
    seen = {
        name: staff(person).get(url(page_name, world.channel)).status_code for name, person in people.items()
    }
    assert seen == {name: EXPECTED[page_name].get(name, 404) for name in people}
    # The same people are let into their own channel, of the same name, as its roles say.
    mirrored = {
        name: staff(getattr(other, name)).get(url(page_name, other.channel)).status_code
        for name in ("custodian", "escrow", "administrator")
    }
    assert mirrored == {name: EXPECTED[page_name].get(name, 404) for name in mirrored}


def test_deciding_an_identity_request_is_for_the_channels_custodian_only(worlds):
    world, other = worlds
    report, _receipt = report_sent(world, mode=Mode.CONFIDENTIAL)
    handler = world.handlers[0]
    item = identity.identity_request(
        report=report, handler=handler, private_key=world.key(handler), motivation="x"
    )
    for owner, person in ((world, handler), (world, world.escrow), (other, other.custodian)):
        client = unlocked(owner, person)
        assert (
            client.post(url("identity-decide", world.channel, item.pk), {"decision": "approve"}).status_code
            == 404
        )
    assert staff(world.administrator).post(url("identity-decide", world.channel, item.pk)).status_code == 404
    assert staff(world.custodian).get(url("identity-decide", world.channel, item.pk)).status_code == 405
    item.refresh_from_db()
    assert item.state == IdentityRequestState.PENDING


def test_pages_need_a_signed_in_person(world):
    for page_name in PAGES:
        response = english(Client()).get(url(page_name, world.channel))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_another_organisations_people_and_log_never_show(worlds):
    world, other = worlds
    stranger = other.bystander
    stranger.full_name = "Gustav Grannsson"
    stranger.save()
    channels.role_grant(access=other.system, channel=other.channel, person=stranger, role=Role.HANDLER)
    admin = staff(world.administrator)
    for page_name in ("roles", "log", "settings"):
        assert "Grannsson" not in text(admin.get(url(page_name, world.channel)))
    assert "Grannsson" not in text(admin.get(url("roles", world.channel), {"q": "Grann"}))
    assert "Grannsson" in text(staff(other.administrator).get(url("log", other.channel)))
    refused = admin.post(
        url("roles", world.channel),
        {"action": "grant", "grant-person": stranger.pk, "grant-role": Role.HANDLER},
    )
    assert refused.status_code == 400
    assert not ChannelRole.objects.filter(channel=world.channel, person=stranger).exists()


# ------------------------------------------------------------------------------------ identity requests


@pytest.fixture
def asked():
    """A confidential report whose handler asked to see the identity."""
    world = whistle_world()
    report, _receipt = report_sent(
        world,
        mode=Mode.CONFIDENTIAL,
        text=SENTINELS[0],
        identity={"name": SENTINELS[3], "contact": "", "relation": ""},
    )
    handler = world.handlers[0]
    item = identity.identity_request(
        report=report, handler=handler, private_key=world.key(handler), motivation=SENTINELS[2]
    )
    return world, report, handler, item


def test_custodian_reads_the_motivation_but_never_the_identity_or_the_report(asked):
    world, report, handler, _item = asked
    page = text(unlocked(world, world.custodian).get(url("identity-requests", world.channel)))
    assert report.case_number in page
    assert handler.full_name in page
    assert SENTINELS[2] in page
    assert SENTINELS[0] not in page
    assert SENTINELS[3] not in page


def test_locked_custodian_sees_no_motivation_and_is_sent_to_unlock(asked):
    world, _report, _handler, item = asked
    client = staff(world.custodian)
    page = text(client.get(url("identity-requests", world.channel)))
    assert SENTINELS[2] not in page
    assert "Unlock my keys" in page
    response = client.post(url("identity-decide", world.channel, item.pk), {"decision": "approve"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("whistle:unlock"))
    item.refresh_from_db()
    assert item.state == IdentityRequestState.PENDING


def test_approval_through_the_page_lets_the_handler_read_the_identity(asked):
    world, report, handler, item = asked
    with pytest.raises(PermissionDenied):
        identity.identity_read(report=report, person=handler, private_key=world.key(handler))
    client = unlocked(world, world.custodian)
    response = client.post(url("identity-decide", world.channel, item.pk), {"decision": "approve"})
    assert response.status_code == 302
    assert response["Location"] == url("identity-requests", world.channel)
    item.refresh_from_db()
    assert (item.state, item.decided_by) == (IdentityRequestState.APPROVED, world.custodian)
    assert (
        identity.identity_read(report=report, person=handler, private_key=world.key(handler))["name"]
        == SENTINELS[3]
    )
    assert [event.actor for event in events(world.channel, WhistleAction.IDENTITY_APPROVED)] == [
        world.custodian
    ]
    assert "Approved by" in text(client.get(url("identity-requests", world.channel)))


def test_denial_through_the_page_keeps_the_identity_sealed_and_is_logged(asked):
    world, report, handler, item = asked
    client = unlocked(world, world.custodian)
    client.post(url("identity-decide", world.channel, item.pk), {"decision": "deny"})
    item.refresh_from_db()
    assert item.state == IdentityRequestState.DENIED
    denied = events(world.channel, WhistleAction.IDENTITY_DENIED)
    assert [(event.actor, event.case_number) for event in denied] == [(world.custodian, report.case_number)]
    with pytest.raises(PermissionDenied):
        identity.identity_read(report=report, person=handler, private_key=world.key(handler))
    again = client.post(url("identity-decide", world.channel, item.pk), {"decision": "approve"}, follow=True)
    assert "already decided" in text(again)
    assert not events(world.channel, WhistleAction.IDENTITY_APPROVED)


def test_a_decision_other_than_approve_or_deny_changes_nothing(asked):
    world, _report, _handler, item = asked
    unlocked(world, world.custodian).post(
        url("identity-decide", world.channel, item.pk), {"decision": "' OR 1=1--"}
    )
    item.refresh_from_db()
    assert item.state == IdentityRequestState.PENDING


def database_holding(needle: str) -> list[str]:
    """The tables where `needle` stands in the clear, in any column of any row (a dump, in effect)."""
    raw, found = needle.encode("utf-8"), []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names
            for row in cursor.fetchall():
                if any(
                    (isinstance(value, str) and needle in value)
                    or (isinstance(value, bytes | bytearray | memoryview) and raw in bytes(value))
                    for value in row
                ):
                    found.append(table)
                    break
    return found


def test_the_motivation_identity_and_report_are_ciphertext_in_the_database(asked):
    world, _report, _handler, _item = asked
    assert database_holding(world.channel.name) == ["whistle_channel"]  # the search finds clear text
    for sentinel in (SENTINELS[0], SENTINELS[2], SENTINELS[3]):
        assert database_holding(sentinel) == []
    assert IdentityRequest.objects.get().motivation


# ------------------------------------------------------------------------------------ escrow


def test_escrow_is_set_up_through_the_page(world):
    channel = channels.channel_create(
        access=world.system, organisation=world.organisation, slug="vissel-ny", name="Ny kanal"
    )
    channels.role_grant(access=world.system, channel=channel, person=world.escrow, role=Role.ESCROW)
    client = unlocked(world, world.escrow)
    assert "Set up key escrow" in text(client.get(url("escrow", channel)))
    assert (
        staff(world.escrow)
        .post(url("escrow", channel), {"action": "set_up"})["Location"]
        .startswith(reverse("whistle:unlock"))
    )
    channel.refresh_from_db()
    assert not channel.escrow_public_key
    response = client.post(url("escrow", channel), {"action": "set_up"})
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.escrow_public_key
    assert [event.actor for event in events(channel, WhistleAction.ESCROW_SET_UP)] == [world.escrow]
    assert "Restore a person's keys" in text(client.get(url("escrow", channel)))


def test_an_escrow_holder_without_a_copy_of_the_escrow_key_is_told_why(world):
    late = world.bystander
    channels.role_grant(access=world.system, channel=world.channel, person=late, role=Role.ESCROW)
    assert "Create your own keys first" in text(staff(late).get(url("escrow", world.channel)))
    keyring_of(world, late)
    page = text(unlocked(world, late).get(url("escrow", world.channel)))
    assert "it is not sealed to you" in page
    assert "Restore the keys" not in page


def test_escrow_restores_lost_keys_with_a_one_time_passphrase_shown_once(world):
    lost = world.handlers[1]
    client = unlocked(world, world.escrow)
    form = {"action": "restore", "restore-person": lost.pk, "restore-reason": "Lost both, met in person"}
    refused = client.post(url("escrow", world.channel), form)  # without the confirmation
    assert refused.status_code == 400
    assert not events(world.channel, WhistleAction.ESCROW_USED)
    response = client.post(url("escrow", world.channel), {**form, "restore-confirm": "on"})
    assert response.status_code == 200
    one_time = response.context["one_time"]
    assert one_time in text(response)
    assert response["Cache-Control"] == "no-store"
    assert keys.keyring_unlock(person=lost, passphrase=one_time) == world.key(lost)
    assert Keyring.objects.get(person=lost).must_change_passphrase
    used = events(world.channel, WhistleAction.ESCROW_USED)
    assert [event.actor for event in used] == [world.escrow]
    assert lost.full_name in used[0].note
    assert "met in person" in used[0].note
    assert one_time not in text(client.get(url("escrow", world.channel)))
    assert one_time not in text(client.get(url("log", world.channel)))


def test_escrow_gives_a_case_nobody_can_open_to_a_new_handler_without_showing_it(world):
    report, _receipt = report_sent(world, text=SENTINELS[0])
    newcomer = world.bystander
    channels.role_grant(access=world.system, channel=world.channel, person=newcomer, role=Role.HANDLER)
    keyring_of(world, newcomer)
    for handler in world.handlers:
        channels.role_revoke(access=world.system, channel=world.channel, person=handler, role=Role.HANDLER)
    client = unlocked(world, world.escrow)
    page = text(client.get(url("escrow", world.channel)))
    assert f"{report.case_number} (no handler has the case)" in page
    form = {
        "action": "grant",
        "grant-report": report.pk,
        "grant-handler": newcomer.pk,
        "grant-reason": "Both left",
    }
    assert client.post(url("escrow", world.channel), form).status_code == 400  # not confirmed
    response = client.post(url("escrow", world.channel), {**form, "grant-confirm": "on"}, follow=True)
    assert response.status_code == 200
    assert SENTINELS[0] not in text(response)
    assert world.report_key(newcomer, report)
    used = events(world.channel, WhistleAction.ESCROW_USED)
    assert [(event.actor, event.case_number) for event in used] == [(world.escrow, report.case_number)]
    assert "Both left" in used[0].note


def test_escrow_refuses_a_case_of_another_channel(worlds):
    world, other = worlds
    theirs, _receipt = report_sent(other)
    client = unlocked(world, world.escrow)
    form = {"action": "grant", "grant-report": theirs.pk, "grant-handler": world.handlers[0].pk}
    response = client.post(url("escrow", world.channel), {**form, "grant-reason": "x", "grant-confirm": "on"})
    assert response.status_code == 400
    assert not events(world.channel, WhistleAction.ESCROW_USED)
    assert not events(other.channel, WhistleAction.ESCROW_USED)


# ------------------------------------------------------------------------------------ roles


def test_the_last_handler_of_a_public_channel_without_escrow_keeps_the_role(world):
    channel = channels.channel_create(
        access=world.system,
        organisation=world.organisation,
        slug="vissel-ny",
        name="Ny kanal",
        sector=Sector.PUBLIC,
    )
    role = channels.role_grant(
        access=world.system, channel=channel, person=world.handlers[0], role=Role.HANDLER
    )
    client = staff(world.administrator)
    response = client.post(url("roles", channel), {"action": "revoke", "revoke-role": role.pk})
    assert response.status_code == 400
    assert "last handler" in text(response)
    assert ChannelRole.objects.filter(pk=role.pk).exists()
    assert not events(channel, WhistleAction.ROLE_REVOKED)
    # With escrow (the world's own channel), a handler can go.
    theirs = ChannelRole.objects.get(channel=world.channel, person=world.handlers[1], role=Role.HANDLER)
    assert (
        client.post(url("roles", world.channel), {"action": "revoke", "revoke-role": theirs.pk}).status_code
        == 302
    )
    assert not ChannelRole.objects.filter(pk=theirs.pk).exists()


def test_roles_list_shows_keys_created_never_key_material_and_grants_an_external_firm(world):
    client = staff(world.administrator)
    page = text(client.get(url("roles", world.channel)))
    assert world.custodian.full_name in page
    assert "Keys created" in page
    public = Keyring.objects.get(person=world.custodian).public_key
    assert bytes(public).hex() not in page
    assert "Not yet" not in page
    assert "Bo Kollega" in text(client.get(url("roles", world.channel), {"q": "kollega"}))
    assert "Bo Kollega" not in text(client.get(url("roles", world.channel), {"q": "Handläggare"}))
    response = client.post(
        url("roles", world.channel),
        {
            "action": "grant",
            "grant-person": world.bystander.pk,
            "grant-role": Role.HANDLER,
            "grant-shown_name": "Advokatbyrån Lag & Rätt",
            "grant-external_provider": "Advokatbyrån Lag & Rätt AB",
        },
    )
    assert response.status_code == 302
    granted = ChannelRole.objects.get(channel=world.channel, person=world.bystander)
    assert (granted.shown_name, granted.external_provider) == (
        "Advokatbyrån Lag & Rätt",
        "Advokatbyrån Lag & Rätt AB",
    )
    assert "Not yet" in text(client.get(url("roles", world.channel)))
    assert events(world.channel, WhistleAction.ROLE_GRANTED)[0].actor == world.administrator


# ------------------------------------------------------------------------------------ settings


def test_settings_are_saved_and_logged(world):
    client = staff(world.administrator)
    form = dict(client.get(url("settings", world.channel)).context["form"].initial.items())
    form.update(
        action="save",
        name="Visselblåsning Vissel kommun",
        categories="Mutor\n\n  Arbetsmiljö  \n",
        employees_at_year_start="120",
        reports_per_hour="12",
        gallringsfrist_days=str(form["gallringsfrist_days"]),
    )
    form = {name: value for name, value in form.items() if value not in (None, False)}
    response = client.post(url("settings", world.channel), form)
    assert response.status_code == 302
    channel = Channel.objects.get(pk=world.channel.pk)
    assert (channel.name, channel.categories, channel.employees_at_year_start, channel.reports_per_hour) == (
        "Visselblåsning Vissel kommun",
        ["Mutor", "Arbetsmiljö"],
        120,
        12,
    )
    logged = events(channel, WhistleAction.CHANNEL_CHANGED)[0]
    assert logged.actor == world.administrator
    assert logged.note == "categories, employees_at_year_start, name, reports_per_hour"
    page = text(client.get(url("settings", channel)))
    assert "mandatory" in page
    assert f"://{settings.WHISTLE_HOSTS[0]}/{channel.slug}/" in page
    invalid = client.post(url("settings", channel), {**form, "reports_per_hour": "0"})
    assert invalid.status_code == 400
    assert Channel.objects.get(pk=channel.pk).reports_per_hour == 12


def test_a_channel_opens_only_when_complete(world):
    channel = channels.channel_create(
        access=world.system,
        organisation=world.organisation,
        slug="vissel-ny",
        name="Ny kanal",
        employees_at_year_start=80,
    )
    admin = staff(world.administrator)
    page = text(admin.get(url("settings", channel)))
    assert "The organisation must have an open channel" in page  # >= 50 workers and not open
    refused = admin.post(url("settings", channel), {"action": "open"})
    assert refused.status_code == 400
    assert "a handler who has created keys" in text(refused)
    assert not Channel.objects.get(pk=channel.pk).is_open
    # Complete it through the pages: roles, the information page, the gallring decision, escrow.
    for person, role in (
        (world.handlers[0], Role.HANDLER),
        (world.custodian, Role.CUSTODIAN),
        (world.escrow, Role.ESCROW),
    ):
        admin.post(url("roles", channel), {"action": "grant", "grant-person": person.pk, "grant-role": role})
    form = admin.get(url("settings", channel)).context["form"].initial
    form = {name: value for name, value in form.items() if value not in (None, False)}
    form.update(
        action="save",
        categories="\n".join(form["categories"]),
        procedure="Vi bekräftar inom sju dagar.",
        external_channels="Arbetsmiljöverket",
        gallringsbeslut_ref="KS 2026/9",
        gallringsfrist_days="1825",
    )
    assert admin.post(url("settings", channel), form).status_code == 302
    assert channels.channel_missing(Channel.objects.get(pk=channel.pk)) != []  # escrow is still missing
    unlocked(world, world.escrow).post(url("escrow", channel), {"action": "set_up"})
    assert "everything it needs to open" in text(admin.get(url("settings", channel)))
    assert admin.post(url("settings", channel), {"action": "open"}).status_code == 302
    assert Channel.objects.get(pk=channel.pk).is_open
    assert "The organisation must have an open channel" not in text(admin.get(url("settings", channel)))


# ------------------------------------------------------------------------------------ no content for admins


def test_an_administrator_sees_no_content_on_any_page_they_reach(asked):
    world, report, handler, _item = asked
    handler_key = world.key(handler)
    cases.case_acknowledge(report=report, handler=handler, private_key=handler_key)
    cases.case_message(report=report, handler=handler, private_key=handler_key, body=SENTINELS[1])
    client = staff(world.administrator)
    reached = 0
    for page_name in PAGES:
        for query in ({}, {"case": report.case_number}, {"q": "a"}):
            response = client.get(url(page_name, world.channel), query)
            reached += response.status_code == 200
            assert response.status_code in (200, 404)
            for sentinel in SENTINELS:
                assert sentinel not in text(response), (page_name, query, sentinel)
    assert reached == 9  # settings, roles and log, three ways each
    # The handlers' pages, from the dashboard to the case itself, give an administrator nothing either.
    elsewhere = [
        reverse("whistle:dashboard"),
        url("channel", world.channel),
        url("case", world.channel, report.pk),
        url("case-registration", world.channel, report.pk),
    ]
    for address in elsewhere:
        response = client.get(address)
        assert response.status_code in (200, 403, 404), address
        for sentinel in SENTINELS:
            assert sentinel not in text(response), (address, sentinel)


# ------------------------------------------------------------------------------------ the log


def test_the_log_shows_who_what_which_case_and_dates_a_reporters_doing_only_to_the_day(world):
    moment = datetime(2026, 3, 10, 14, 37, tzinfo=ZoneInfo(settings.TIME_ZONE))
    with frozen_at(moment):
        report, _receipt = report_sent(world)
        cases.case_viewed(report=report, handler=world.handlers[0], private_key=world.key(world.handlers[0]))
    response = staff(world.handlers[1]).get(url("log", world.channel))
    rows = {row["event"].action: row for row in response.context["rows"]}
    received, viewed = rows[WhistleAction.REPORT_RECEIVED], rows[WhistleAction.CASE_VIEWED]
    assert (received["who"], received["date_only"]) == ("The reporter", True)
    assert (viewed["who"], viewed["date_only"]) == (world.handlers[0].full_name, False)
    page = text(response)
    assert '<time datetime="2026-03-10">2026-03-10</time>' in page
    assert "2026-03-10 14:37" in page
    assert "00:00" not in page
    assert "Report received" in page
    assert report.case_number in page


def test_an_excluded_or_unassigned_handler_finds_no_trace_of_the_case_in_the_log(world):
    """W-07, T-20, T-21: the case a reporter excluded a handler from (often the one it concerns) is not
    listed anywhere for them, nor is a case they were never given; the overseers still see both."""
    excluded_from, _receipt = report_sent(world, excluded=[world.handlers[1]])
    cases.case_viewed(
        report=excluded_from, handler=world.handlers[0], private_key=world.key(world.handlers[0])
    )
    late = get_user_model().objects.create_user(
        "late@vissel.test",
        "ett-långt-lösenord-2026",
        full_name="Sen Handläggare",
        organisation=world.organisation,
    )
    channels.role_grant(access=world.system, channel=world.channel, person=late, role=Role.HANDLER)
    keyring_of(world, late)
    held_by_all, _receipt = report_sent(world)

    def listed(client, **query) -> set[str]:
        rows = client.get(url("log", world.channel), query).context["rows"]
        return {row["event"].case_number for row in rows}

    for person in (world.handlers[1], late):
        client = staff(person)
        shown = listed(client)
        assert excluded_from.case_number not in shown
        assert {held_by_all.case_number, ""} <= shown  # their cases and the channel's own lines
        assert listed(client, case=excluded_from.case_number) == set()
    for person in (world.handlers[0], world.custodian, world.escrow, world.administrator):
        assert excluded_from.case_number in listed(staff(person))


def test_the_log_pages_by_fifty_newest_first(world):
    WhistleEvent.objects.bulk_create(
        WhistleEvent(
            organisation_id=world.organisation.pk,
            channel=world.channel,
            action=WhistleAction.CASE_VIEWED,
            actor=world.handlers[0],
            note=f"line {number}",
            at=now(),
        )
        for number in range(60)
    )
    total = WhistleEvent.objects.filter(channel=world.channel).count()
    client = staff(world.administrator)
    first = client.get(url("log", world.channel)).context["rows"]
    second = client.get(url("log", world.channel), {"page": "2"}).context["rows"]
    assert (len(first), len(second)) == (50, total - 50)
    assert first[0]["event"].note == "line 59"
    shown = [row["event"].pk for row in first + second]
    assert shown == list(
        WhistleEvent.objects.filter(channel=world.channel).order_by("-at", "-id").values_list("pk", flat=True)
    )
    assert client.get(url("log", world.channel), {"page": "x' OR 1=1"}).status_code == 200


def test_the_log_filters_by_case_number(world):
    first, _receipt = report_sent(world)
    second, _receipt = report_sent(world)
    client = staff(world.custodian)
    for typed in (first.case_number, f"  vb {first.year}-{first.number}  "):
        rows = client.get(url("log", world.channel), {"case": typed}).context["rows"]
        assert rows
        assert {row["event"].case_number for row in rows} == {first.case_number}
    assert second.case_number in text(client.get(url("log", world.channel)))


@pytest.mark.parametrize(
    "typed",
    ["' OR 1=1--", "__", "VB 2026-0001' OR '1'='1", "case_number__contains", "%", "VB 2026-%", "\r\nVB"],
)
def test_a_bad_case_number_is_refused_in_words_and_lists_nothing(world, typed):
    report_sent(world)
    response = staff(world.administrator).get(url("log", world.channel), {"case": typed})
    assert response.status_code == 400
    assert response.context["rows"] == []
    assert "Write a case number as VB" in text(response)


def test_unknown_lookup_parameters_are_ignored_not_applied(world):
    report_sent(world)
    client = staff(world.administrator)
    everything = len(client.get(url("log", world.channel)).context["rows"])
    for name in ("case__icontains", "case_number__startswith", "channel", "channel__organisation"):
        response = client.get(url("log", world.channel), {name: "1"})
        assert response.status_code == 200
        assert len(response.context["rows"]) == everything


def test_the_log_table_cannot_be_changed(world):
    event = WhistleEvent.objects.filter(channel=world.channel).first()
    table = connection.ops.quote_name(WhistleEvent._meta.db_table)
    with pytest.raises(DatabaseError), transaction.atomic():
        WhistleEvent.objects.filter(pk=event.pk).update(note="forged")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET note = %s WHERE id = %s", ["forged", event.pk])  # noqa: S608
    if connection.vendor == "postgresql":  # SQLite keeps DELETE for Django's flush (migration 0002)
        with pytest.raises(DatabaseError), transaction.atomic():
            WhistleEvent.objects.filter(pk=event.pk).delete()
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [event.pk])  # noqa: S608
    event.refresh_from_db()
    assert event.note != "forged"
