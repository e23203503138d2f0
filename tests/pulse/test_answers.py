"""The invitations and the anonymous answer (tillit.pulse.services.answers): tokens (T-55), what an answer
writes, and every refusal, which writes nothing."""

import base64
import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories.pulse import TOKEN_IN_LINK, pulse_opened, pulse_world
from tillit.core.clock import frozen_at, today
from tillit.notifications.enums import NotificationKind
from tillit.notifications.models import Notification
from tillit.pulse import services
from tillit.pulse.models import FreeTextAnswer, Invitation, Pulse, PulseUnit, Response
from tillit.pulse.services.answers import FREE_TEXT_MAX

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


@pytest.fixture
def opened():
    world = pulse_world({"Norr": 5, "Söder": 6})
    pulse, tokens = pulse_opened(world, asks_free_text=True)
    return world, pulse, tokens


def stored(pulse):
    """Everything an answer could have written, to compare before and after a refusal."""
    return (
        sorted(Invitation.objects.filter(pulse=pulse).values_list("id", "used")),
        sorted(map(str, Response.objects.filter(pulse=pulse).values_list("id", "answers"))),
        sorted(FreeTextAnswer.objects.filter(pulse=pulse).values_list("id", "text")),
    )


# --- invitations and tokens ------------------------------------------------------------------------


def test_every_invited_person_gets_one_e_mail_with_a_code_of_128_random_bits(opened):
    _world, pulse, tokens = opened
    assert len(tokens) == pulse.invited == 12
    assert len(set(tokens.values())) == 12
    for token in tokens.values():
        assert len(token) == 26
        raw = base64.b32decode(token.upper() + "======")
        assert len(raw) == 16  # 128 bits


def test_only_the_codes_hash_is_stored_and_no_column_holds_a_code(opened):
    _world, pulse, tokens = opened
    hashes = set(Invitation.objects.filter(pulse=pulse).values_list("token_hash", flat=True))
    assert hashes == {hashlib.sha256(token.encode()).hexdigest() for token in tokens.values()}
    dump = repr(
        [
            list(model.objects.values())
            for model in (Invitation, Response, FreeTextAnswer, PulseUnit, Pulse, Notification)
        ]
    )
    assert not any(token in dump for token in tokens.values())


def test_a_code_is_not_derived_from_the_person_two_pulses_give_the_same_person_different_codes():
    world = pulse_world({"Norr": 5})
    _first, first_tokens = pulse_opened(world, title="Våren")
    _second, second_tokens = pulse_opened(world, title="Hösten")
    assert set(first_tokens) == set(second_tokens)
    for email, token in first_tokens.items():
        assert second_tokens[email] != token
    assert not set(first_tokens.values()) & set(second_tokens.values())


def test_the_invitation_link_carries_the_code_in_the_fragment_only():
    world = pulse_world({"Norr": 5})
    pulse = services.pulse_create(
        actor=world.manager,
        access=world.system,
        scope=world.scope,
        title="Tillitspuls",
        closes_on=today() + timedelta(days=7),
    )
    services.pulse_open(actor=world.manager, access=world.system, pulse=pulse)
    mail.outbox.clear()
    services.pulse_invitations_send(pulse_id=pulse.pk)
    message = mail.outbox[0]
    token = TOKEN_IN_LINK.search(message.body).group(1)
    assert f"/puls/svara/#{token}" in message.body
    assert f"?{token}" not in message.body
    assert f"/{token}" not in message.body
    assert token not in message.subject


def test_invitations_are_made_once_and_each_invitee_is_told_in_the_inbox(opened):
    world, pulse, tokens = opened
    assert services.pulse_invitations_send(pulse_id=pulse.pk) == 0
    assert Invitation.objects.filter(pulse=pulse).count() == 12
    assert Response.objects.filter(pulse=pulse, answers__isnull=True).count() == 12  # the empty slots
    assert FreeTextAnswer.objects.filter(pulse=pulse, text="").count() == 12
    told = Notification.objects.filter(organisation=world.organisation, kind=NotificationKind.PULSE_INVITED)
    assert set(told.values_list("person__email", flat=True)) == set(tokens)


def test_a_delivery_callback_replaces_the_e_mail():
    world = pulse_world({"Norr": 5})
    pulse = services.pulse_create(
        actor=world.manager,
        access=world.system,
        scope=world.scope,
        title="P",
        closes_on=today() + timedelta(days=7),
    )
    services.pulse_open(actor=world.manager, access=world.system, pulse=pulse)
    mail.outbox.clear()
    delivered = {}
    count = services.pulse_invitations_send(
        pulse_id=pulse.pk, deliver=lambda person, token: delivered.__setitem__(person.email, token)
    )
    assert count == len(delivered) == 6
    assert not mail.outbox
    services.pulse_answer(token=delivered["norr-0@pulsby.test"], answers={"team_problems": 4})


# --- answering -------------------------------------------------------------------------------------


def test_an_answer_marks_the_code_used_and_fills_one_empty_slot_of_its_unit(opened):
    _world, pulse, tokens = opened
    before = stored(pulse)
    services.pulse_answer(
        token=tokens["norr-0@pulsby.test"], answers={"team_problems": 4, "manager_ability": 0}
    )
    invitations, _responses, texts = stored(pulse)
    assert sum(used for _id, used in invitations) == 1
    filled = Response.objects.filter(pulse=pulse, answers__isnull=False)
    assert list(filled.values_list("answers", flat=True)) == [{"team_problems": 4, "manager_ability": 0}]
    assert filled.get().pulse_unit.name == "Norr"
    assert Response.objects.filter(pulse=pulse).count() == 12  # filled in place, none added
    assert texts == before[2]


def test_a_code_answers_once(opened):
    _world, pulse, tokens = opened
    token = tokens["norr-1@pulsby.test"]
    services.pulse_answer(token=token, answers={"team_problems": 4})
    before = stored(pulse)
    with pytest.raises(ValidationError, match="already been used"):
        services.pulse_answer(token=token, answers={"team_problems": 1})
    assert stored(pulse) == before


def test_the_code_may_be_typed_in_groups_and_capitals(opened):
    _world, pulse, tokens = opened
    token = tokens["norr-2@pulsby.test"]
    typed = " " + "-".join(token[i : i + 4] for i in range(0, 26, 4)).upper() + " "
    services.pulse_answer(token=typed, answers={"team_problems": "5"})
    assert Response.objects.filter(pulse=pulse, answers={"team_problems": 5}).exists()


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "not complete"),
        ("abcd-efgh", "not complete"),
        (None, "not complete"),
        ("a" * 26, "do not recognise"),
        ("b" * 40, "do not recognise"),
    ],
)
def test_an_unknown_or_incomplete_code_is_refused(opened, token, message):
    _world, pulse, _tokens = opened
    before = stored(pulse)
    with pytest.raises(ValidationError, match=message):
        services.pulse_answer(token=token, answers={"team_problems": 3})
    assert stored(pulse) == before


@pytest.mark.parametrize(
    "answers",
    [
        {"your_name": 3},  # not a question of the pulse
        {"team_problems": 3, "principle_long_term": 4},  # in the bank, not in this pulse
        {"team_problems": 6},
        {"team_problems": -1},
        {"team_problems": 3.5},
        {"team_problems": 3.0},
        {"team_problems": True},
        {"team_problems": False},
        {"team_problems": "tre"},
        {"team_problems": [3]},
        {"team_problems": {"value": 3}},
        {},  # nothing answered
        {"team_problems": None, "team_mistakes": ""},  # nothing answered either
        ["team_problems", 3],
        "team_problems=3",
    ],
)
def test_bad_answers_are_refused_whole_and_the_code_stays_unused(opened, answers):
    _world, pulse, tokens = opened
    token = tokens["söder-0@pulsby.test"]
    before = stored(pulse)
    with pytest.raises(ValidationError) as refused:
        services.pulse_answer(token=token, answers=answers)
    assert refused.value.messages  # a message people can read
    assert stored(pulse) == before
    services.pulse_answer(token=token, answers={"team_problems": 3})  # the code still works


def test_more_answers_than_the_pulse_has_questions_are_refused(opened):
    _world, _pulse, tokens = opened
    answers = {f"q{i}": 3 for i in range(100)}
    with pytest.raises(ValidationError, match="asks 12 questions"):
        services.pulse_answer(token=tokens["söder-1@pulsby.test"], answers=answers)


def test_unanswered_questions_are_left_out_and_dont_know_is_kept(opened):
    _world, pulse, tokens = opened
    services.pulse_answer(
        token=tokens["söder-2@pulsby.test"],
        answers={"team_problems": 0, "team_mistakes": None, "manager_ability": "2"},
    )
    assert Response.objects.filter(pulse=pulse, answers={"team_problems": 0, "manager_ability": 2}).exists()


def test_free_text_is_stored_apart_from_the_answers_in_a_random_slot_of_the_pulse(opened):
    _world, pulse, tokens = opened
    services.pulse_answer(
        token=tokens["söder-3@pulsby.test"],
        answers={"team_problems": 4},
        free_text="  Mer tid att prata.  \n",
    )
    assert list(
        FreeTextAnswer.objects.filter(pulse=pulse).exclude(text="").values_list("text", flat=True)
    ) == ["Mer tid att prata."]
    assert not any(
        field.name == "pulse_unit" for field in FreeTextAnswer._meta.fields
    )  # never per unit (S-02)


def test_free_text_alone_is_an_answer(opened):
    _world, pulse, tokens = opened
    services.pulse_answer(token=tokens["söder-4@pulsby.test"], answers={}, free_text="Lyssna mer.")
    assert Response.objects.filter(pulse=pulse, answers={}).count() == 1


def test_free_text_over_2000_characters_is_refused_and_nothing_is_stored(opened):
    _world, pulse, tokens = opened
    before = stored(pulse)
    with pytest.raises(ValidationError, match="at most 2000"):
        services.pulse_answer(
            token=tokens["söder-5@pulsby.test"],
            answers={"team_problems": 4},
            free_text="x" * (FREE_TEXT_MAX + 1),
        )
    assert stored(pulse) == before
    services.pulse_answer(
        token=tokens["söder-5@pulsby.test"], answers={"team_problems": 4}, free_text="x" * FREE_TEXT_MAX
    )


def test_free_text_to_a_pulse_that_does_not_ask_for_it_is_refused():
    world = pulse_world({"Norr": 5})
    pulse, tokens = pulse_opened(world)
    before = stored(pulse)
    with pytest.raises(ValidationError, match="does not ask"):
        services.pulse_answer(
            token=tokens["norr-0@pulsby.test"], answers={"team_problems": 4}, free_text="Hej"
        )
    assert stored(pulse) == before
    services.pulse_answer(token=tokens["norr-0@pulsby.test"], answers={"team_problems": 4}, free_text="   ")


def test_an_answer_after_the_last_day_is_refused_even_before_the_daily_close(opened):
    _world, pulse, tokens = opened
    before = stored(pulse)
    with frozen_at(timezone.now() + timedelta(days=15)), pytest.raises(ValidationError, match="closed on"):
        services.pulse_answer(token=tokens["norr-3@pulsby.test"], answers={"team_problems": 4})
    assert stored(pulse) == before


def test_two_answers_that_draw_the_same_slot_do_not_overwrite_each_other(opened, monkeypatch):
    from tillit.pulse.services import answers as module

    _world, pulse, tokens = opened
    monkeypatch.setattr(module._random, "randrange", lambda count: 0)  # always the first empty slot
    services.pulse_answer(token=tokens["norr-0@pulsby.test"], answers={"team_problems": 1})
    services.pulse_answer(token=tokens["norr-1@pulsby.test"], answers={"team_problems": 2})
    assert sorted(
        Response.objects.filter(pulse=pulse, answers__isnull=False).values_list(
            "answers__team_problems", flat=True
        )
    ) == [1, 2]
