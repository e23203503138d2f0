"""Preparing, opening, reminding and the daily close of a pulse (tillit.pulse.services.rounds)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from tests.factories.pulse import answer_all, person_in, pulse_created, pulse_opened, pulse_world
from tillit.audit.enums import AuditAction
from tillit.audit.models import AuditEvent
from tillit.chain import services as chain
from tillit.chain.access import Access
from tillit.chain.selectors import access_for
from tillit.core.clock import frozen_at, today
from tillit.core.schedule import STOCKHOLM
from tillit.notifications.enums import NotificationKind
from tillit.notifications.models import Notification
from tillit.pulse import services
from tillit.pulse.enums import PulseState
from tillit.pulse.instrument import DEFAULT_ITEMS
from tillit.pulse.models import Invitation, Pulse, PulseCell, PulseSettings, PulseUnit, Response
from tillit.pulse.services.rounds import invitees

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def settings_set(world, k, free_text=None, *, access=None):
    return services.pulse_settings_set(
        actor=None,
        access=access or world.system,
        organisation=world.organisation,
        min_group_size=k,
        min_free_text_group_size=free_text if free_text is not None else max(10, k),
    )


# --- thresholds ------------------------------------------------------------------------------------


@pytest.mark.parametrize("k", [0, 1, 4, True, "7", 5.5, None])
def test_the_settings_refuse_a_threshold_below_five_or_not_a_whole_number(k):
    world = pulse_world({"Norr": 5})
    with pytest.raises(ValidationError) as refused:
        settings_set(world, k, 10)
    assert "min_group_size" in refused.value.message_dict
    assert not PulseSettings.objects.filter(organisation=world.organisation).exists()


@pytest.mark.parametrize(("k", "free_text"), [(5, 9), (5, 4), (12, 11)])
def test_the_settings_refuse_a_free_text_threshold_below_ten_or_below_k(k, free_text):
    world = pulse_world({"Norr": 5})
    with pytest.raises(ValidationError) as refused:
        settings_set(world, k, free_text)
    assert "min_free_text_group_size" in refused.value.message_dict


def test_the_settings_refuse_an_absurdly_high_threshold():
    world = pulse_world({"Norr": 5})
    with pytest.raises(ValidationError):
        settings_set(world, 51, 60)


def test_an_administrator_raises_the_thresholds_and_it_is_audited():
    world = pulse_world({"Norr": 5})
    administrator = person_in(world, "Förvaltning", role="administrator")
    settings_set(world, 7, 14, access=access_for(person=administrator))
    row = PulseSettings.objects.get(organisation=world.organisation)
    assert (row.min_group_size, row.min_free_text_group_size) == (7, 14)
    event = AuditEvent.objects.get(organisation=world.organisation, action=AuditAction.PULSE_SETTINGS_CHANGED)
    assert event.after == {"min_group_size": 7, "min_free_text_group_size": 14}


def test_a_manager_does_not_change_the_thresholds():
    world = pulse_world({"Norr": 5})
    with pytest.raises(PermissionDenied):
        settings_set(world, 7, access=access_for(person=world.manager))


def test_a_pulse_keeps_the_thresholds_it_was_created_with():
    world = pulse_world({"Norr": 5})
    settings_set(world, 7, 12)
    pulse = pulse_created(world)
    settings_set(world, 9, 15)
    later = pulse_created(world)
    pulse.refresh_from_db()
    assert (pulse.min_group_size, pulse.min_free_text_group_size) == (7, 12)
    assert (later.min_group_size, later.min_free_text_group_size) == (9, 15)


def test_a_pulse_without_settings_uses_the_floors():
    pulse = pulse_created(pulse_world({"Norr": 5}))
    assert (pulse.min_group_size, pulse.min_free_text_group_size) == (5, 10)


# --- preparing -------------------------------------------------------------------------------------


def test_a_pulse_is_prepared_with_the_default_instrument_and_audited():
    world = pulse_world({"Norr": 5})
    pulse = services.pulse_create(
        actor=world.manager,
        access=access_for(person=world.manager),
        scope=world.scope,
        title="  Tillitspuls   hösten 2026 ",
        closes_on=today() + timedelta(days=10),
    )
    assert pulse.title == "Tillitspuls hösten 2026"
    assert pulse.items == list(DEFAULT_ITEMS)
    assert pulse.state == PulseState.DRAFT
    assert AuditEvent.objects.filter(action=AuditAction.PULSE_CREATED, target_id=pulse.pk).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"items": ["manager_ability", "your_name"]}, "items"),
        ({"items": ["team_risk", *list(DEFAULT_ITEMS), "team_help"]}, "items"),
        ({"title": "   "}, "title"),
        ({"closes_on": "today"}, "closes_on"),
    ],
)
def test_a_pulse_with_unknown_or_too_many_items_no_title_or_a_past_end_is_refused(fields, field):
    world = pulse_world({"Norr": 5})
    if fields.get("closes_on") == "today":
        fields["closes_on"] = today()
    with pytest.raises(ValidationError) as refused:
        pulse_created(world, **fields)
    assert field in refused.value.message_dict
    assert not Pulse.objects.filter(organisation=world.organisation).exists()


def test_thirteen_items_are_refused_and_twelve_are_taken():
    world = pulse_world({"Norr": 5})
    twelve = [*DEFAULT_ITEMS[:11], "team_risk"]
    assert len(pulse_created(world, items=twelve).items) == 12
    with pytest.raises(ValidationError, match="at most 12"):
        pulse_created(world, items=[*twelve, "team_help"])


def test_staff_cannot_prepare_a_pulse():
    world = pulse_world({"Norr": 5})
    staff = access_for(person=world.people["Norr"][0])
    with pytest.raises(PermissionDenied):
        services.pulse_create(
            actor=world.people["Norr"][0],
            access=staff,
            scope=world.units["Norr"],
            title="Min egen puls",
            closes_on=today() + timedelta(days=5),
        )


def test_another_organisations_manager_cannot_prepare_open_or_close_a_pulse():
    world = pulse_world({"Norr": 5})
    other = pulse_world({"Annan": 5}, slug="pulsgrannby")
    outsider = access_for(person=other.manager)
    with pytest.raises(PermissionDenied):
        services.pulse_create(
            actor=other.manager,
            access=outsider,
            scope=world.scope,
            title="Intrång",
            closes_on=today() + timedelta(days=5),
        )
    pulse = pulse_created(world)
    with pytest.raises(PermissionDenied):
        services.pulse_open(actor=other.manager, access=outsider, pulse=pulse)
    services.pulse_open(actor=world.manager, access=world.system, pulse=pulse)
    with pytest.raises(PermissionDenied):
        services.pulse_close(actor=other.manager, access=outsider, pulse=pulse)
    with pytest.raises(PermissionDenied):
        services.pulse_remind(actor=other.manager, access=outsider, pulse=pulse)


def test_staff_cannot_open_remind_or_close_the_pulse():
    world = pulse_world({"Norr": 5})
    staff_person = world.people["Norr"][0]
    staff = access_for(person=staff_person)
    pulse = pulse_created(world)
    with pytest.raises(PermissionDenied):
        services.pulse_open(actor=staff_person, access=staff, pulse=pulse)
    services.pulse_open(actor=world.manager, access=access_for(person=world.manager), pulse=pulse)
    with pytest.raises(PermissionDenied):
        services.pulse_remind(actor=staff_person, access=staff, pulse=pulse)
    with pytest.raises(PermissionDenied):
        services.pulse_close(actor=staff_person, access=staff, pulse=pulse)
    assert Pulse.objects.get(pk=pulse.pk).state == PulseState.OPEN


def test_a_draft_changes_and_an_open_pulse_does_not():
    world = pulse_world({"Norr": 5})
    pulse = pulse_created(world)
    manager = access_for(person=world.manager)
    changed = services.pulse_update(
        actor=world.manager,
        access=manager,
        pulse=pulse,
        title="Ny titel",
        closes_on=today() + timedelta(days=20),
        items=["team_risk", "team_help"],
        asks_free_text=True,
    )
    assert (changed.title, changed.items, changed.asks_free_text) == (
        "Ny titel",
        ["team_risk", "team_help"],
        True,
    )
    services.pulse_open(actor=world.manager, access=manager, pulse=pulse)
    with pytest.raises(ValidationError, match="already open"):
        services.pulse_update(
            actor=world.manager,
            access=manager,
            pulse=pulse,
            title="Annan",
            closes_on=today() + timedelta(days=20),
            items=["team_risk"],
        )
    assert Pulse.objects.get(pk=pulse.pk).items == ["team_risk", "team_help"]


# --- opening: the frame ----------------------------------------------------------------------------


def test_opening_freezes_the_frame_of_the_scopes_open_units():
    world = pulse_world(
        {"Avdelning": 2, "Norr": 5, "Söder": 6}, tree={"Norr": "Avdelning", "Söder": "Avdelning"}
    )
    pulse, _tokens = pulse_opened(world)
    frame = {row.name: row for row in PulseUnit.objects.filter(pulse=pulse)}
    assert set(frame) == {"Förvaltning", "Avdelning", "Norr", "Söder"}
    assert frame["Förvaltning"].parent is None
    assert frame["Förvaltning"].depth == 0
    assert frame["Norr"].parent == frame["Avdelning"]
    assert frame["Norr"].depth == 2
    assert frame["Norr"].frame_path == world.units["Norr"].path  # as the chain stood at opening
    assert {name: row.invited for name, row in frame.items()} == {
        "Förvaltning": 1,
        "Avdelning": 2,
        "Norr": 5,
        "Söder": 6,
    }
    assert pulse.invited == 14
    assert AuditEvent.objects.filter(action=AuditAction.PULSE_OPENED, target_id=pulse.pk).exists()


def test_units_closed_before_opening_are_not_in_the_frame_nor_their_people_invited():
    world = pulse_world({"Norr": 5, "Nedlagd": 2})
    closed_people = world.people["Nedlagd"]
    chain.unit_close(actor=None, access=world.system, unit=world.units["Nedlagd"])
    pulse, tokens = pulse_opened(world)
    assert not PulseUnit.objects.filter(pulse=pulse, name="Nedlagd").exists()
    assert not {person.email for person in closed_people} & set(tokens)
    assert pulse.invited == 6


def test_a_person_in_two_units_of_the_frame_is_invited_once_in_the_deepest():
    world = pulse_world({"Avdelning": 3, "Norr": 5}, tree={"Norr": "Avdelning"})
    both = world.people["Avdelning"][0]
    chain.membership_create(
        access=world.system, person=both, unit=world.units["Norr"], role=world.roles["manager"]
    )
    pulse, tokens = pulse_opened(world)
    assert list(tokens).count(both.email) == 1
    norr = PulseUnit.objects.get(pulse=pulse, name="Norr")
    assert invitees(pulse)[both.pk] == norr.pk
    assert norr.invited == 6
    assert PulseUnit.objects.get(pulse=pulse, name="Avdelning").invited == 2
    assert pulse.invited == Invitation.objects.filter(pulse=pulse).count() == 9


def test_inactive_people_and_ended_roles_are_not_invited():
    world = pulse_world({"Norr": 7})
    gone, left = world.people["Norr"][:2]
    gone.is_active = False
    gone.save()
    chain.membership_end(actor=None, access=world.system, membership=left.memberships.get())
    pulse, tokens = pulse_opened(world)
    assert gone.email not in tokens
    assert left.email not in tokens
    assert pulse.invited == 6


def test_a_pulse_that_would_ask_fewer_than_k_people_is_not_opened():
    world = pulse_world({"Norr": 3})  # 3 and the manager
    pulse = pulse_created(world)
    with pytest.raises(ValidationError, match="Fewer than 5"):
        services.pulse_open(actor=world.manager, access=world.system, pulse=pulse)
    assert Pulse.objects.get(pk=pulse.pk).state == PulseState.DRAFT
    assert not PulseUnit.objects.filter(pulse=pulse).exists()


def test_a_pulse_opens_once_and_not_after_its_last_day():
    world = pulse_world({"Norr": 5})
    pulse = pulse_created(world, closes_on=today() + timedelta(days=2))
    with (
        frozen_at(timezone.now() + timedelta(days=3)),
        pytest.raises(ValidationError, match="close after today"),
    ):
        services.pulse_open(actor=world.manager, access=world.system, pulse=pulse)
    services.pulse_open(actor=world.manager, access=world.system, pulse=pulse)
    with pytest.raises(ValidationError, match="already open"):
        services.pulse_open(actor=world.manager, access=world.system, pulse=pulse)
    assert PulseUnit.objects.filter(pulse=pulse).count() == 2


def test_opening_queues_the_invitations_for_the_worker_with_the_pulses_id_only(
    django_capture_on_commit_callbacks,
):
    from django_tasks_db.models import DBTaskResult

    world = pulse_world({"Norr": 5})
    pulse = pulse_created(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.pulse_open(actor=world.manager, access=world.system, pulse=pulse)
    [queued] = DBTaskResult.objects.filter(task_path="tillit.pulse.tasks.pulse_send_invitations")
    assert queued.args_kwargs == {"args": [], "kwargs": {"pulse_id": pulse.pk}}
    assert not Invitation.objects.filter(
        pulse=pulse
    ).exists()  # made by the worker, whose memory alone holds the tokens


# --- reminding -------------------------------------------------------------------------------------


def _participation(pulse):
    return (
        sorted(Invitation.objects.filter(pulse=pulse).values_list("id", "token_hash", "used")),
        sorted(map(str, Response.objects.filter(pulse=pulse).values_list("id", "answers"))),
    )


def test_a_reminder_goes_to_everyone_invited_and_writes_nothing_about_anyone():
    world = pulse_world({"Norr": 5, "Söder": 6})
    pulse, tokens = pulse_opened(world)
    answer_all(pulse, list(tokens.values())[:4])
    before = _participation(pulse)
    reminded = services.pulse_remind(
        actor=world.manager, access=access_for(person=world.manager), pulse=pulse
    )
    notified = set(
        Notification.objects.filter(
            organisation=world.organisation, kind=NotificationKind.PULSE_REMINDED
        ).values_list("person__email", flat=True)
    )
    invited = set(
        Notification.objects.filter(
            organisation=world.organisation, kind=NotificationKind.PULSE_INVITED
        ).values_list("person__email", flat=True)
    )
    assert reminded == 12
    assert notified == set(tokens) == invited  # answered or not: the same people, everyone
    assert _participation(pulse) == before


def test_the_reminder_goes_to_those_invited_not_to_someone_who_joined_afterwards_without_a_code():
    world = pulse_world({"Norr": 5, "Söder": 5})
    pulse, tokens = pulse_opened(world)
    newcomer = person_in(world, "Norr")
    reminded = services.pulse_remind(actor=world.manager, access=world.system, pulse=pulse)
    notified = set(
        Notification.objects.filter(
            organisation=world.organisation, kind=NotificationKind.PULSE_REMINDED
        ).values_list("person__email", flat=True)
    )
    assert newcomer.email not in notified
    assert reminded == len(tokens) == 11
    assert notified == set(tokens)  # everyone invited, the manager who sends it too (also asked)


def test_only_an_open_pulse_is_reminded_of():
    world = pulse_world({"Norr": 5})
    pulse = pulse_created(world)
    with pytest.raises(ValidationError, match="open pulse"):
        services.pulse_remind(actor=world.manager, access=world.system, pulse=pulse)


# --- the daily close -------------------------------------------------------------------------------


def test_the_daily_close_closes_only_pulses_past_their_last_day():
    world = pulse_world({"Norr": 6})
    ends_soon, _tokens = pulse_opened(world, title="Kort", closes_on=today() + timedelta(days=3))
    ends_later, _tokens = pulse_opened(world, title="Lång", closes_on=today() + timedelta(days=10))
    draft = pulse_created(world, title="Utkast", closes_on=today() + timedelta(days=2))
    with frozen_at(timezone.now() + timedelta(days=3)):  # the last day itself: still open
        assert services.pulses_close_due() == 0
    with frozen_at(timezone.now() + timedelta(days=4)):
        assert services.pulses_close_due() == 1
    states = dict(Pulse.objects.filter(organisation=world.organisation).values_list("title", "state"))
    assert states == {"Kort": PulseState.CLOSED, "Lång": PulseState.OPEN, "Utkast": PulseState.DRAFT}
    assert PulseCell.objects.filter(pulse=ends_soon).exists()
    assert not PulseCell.objects.filter(pulse__in=[ends_later, draft]).exists()
    with frozen_at(timezone.now() + timedelta(days=4)):
        assert services.pulses_close_due() == 0  # closed once


def test_the_daily_close_is_queued_once_at_half_past_midnight_and_queues_itself_again():
    from django_tasks_db.models import DBTaskResult

    path = "tillit.pulse.tasks.pulses_close"
    call_command("pulses_close_due", stdout=StringIO())
    call_command("pulses_close_due", stdout=StringIO())  # already queued: nothing more
    [queued] = DBTaskResult.objects.filter(task_path=path, status="READY")
    assert timezone.localtime(queued.run_after, STOCKHOLM).strftime("%H:%M") == "00:30"
    out = StringIO()
    call_command("pulses_close_due", "--now", stdout=out)
    assert "trust pulse(s) closed" in out.getvalue()
    assert DBTaskResult.objects.filter(task_path=path, status="READY").count() == 1


def test_a_pulse_the_daily_close_cannot_close_does_not_stop_the_others(monkeypatch):
    from tillit.pulse.services import results

    world = pulse_world({"Norr": 6})
    first, _tokens = pulse_opened(world, title="Först", closes_on=today() + timedelta(days=1))
    second, _tokens = pulse_opened(world, title="Sedan", closes_on=today() + timedelta(days=1))
    real = results._results_freeze

    def failing(pulse, answered):
        if pulse.pk == first.pk:
            raise RuntimeError("disk full")
        return real(pulse, answered)

    monkeypatch.setattr(results, "_results_freeze", failing)
    with frozen_at(timezone.now() + timedelta(days=2)):
        assert services.pulses_close_due() == 1
    assert Pulse.objects.get(pk=first.pk).state == PulseState.OPEN  # rolled back whole, tried again tomorrow
    assert Pulse.objects.get(pk=second.pk).state == PulseState.CLOSED


def test_the_system_closes_a_pulse_without_an_actor():
    world = pulse_world({"Norr": 6})
    pulse, _tokens = pulse_opened(world)
    closed = services.pulse_close(actor=None, access=Access.system(world.organisation.pk), pulse=pulse)
    assert closed.state == PulseState.CLOSED
