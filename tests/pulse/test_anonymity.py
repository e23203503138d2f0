"""Anonymity that holds against a curious administrator with a copy of the database: unlinkable
participation (T-54, T-55, T-56), no token or person in the logs (T-58, T-59), a frame that re-slicing
cannot touch (T-60), and no relation to the obstacles or a whistleblowing channel (T-61)."""

import logging
import random
import uuid

import numpy as np
import pytest
from django.apps import apps
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from tests.factories.pulse import answer_all, pulse_closed, pulse_opened, pulse_world
from tillit.audit.models import AuditEvent
from tillit.chain import services as chain
from tillit.chain.selectors import access_for
from tillit.notifications.models import Notification
from tillit.pulse import selectors, services
from tillit.pulse.models import FreeTextAnswer, Invitation, Pulse, PulseCell, PulseUnit, Response
from tillit.pulse.services import answers as answers_module
from tillit.pulse.services import storage
from tillit.pulse.tokens import token_hash

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

PULSE_MODELS = list(apps.get_app_config("pulse").get_models())
PATTERN_ITEMS = ("manager_ability", "manager_benevolence", "manager_integrity", "above_ability")


def spearman(x, y) -> float:
    rx = np.argsort(np.argsort(np.asarray(x)))
    ry = np.argsort(np.argsort(np.asarray(y)))
    return float(np.corrcoef(rx, ry)[0, 1])


@pytest.fixture
def seeded(monkeypatch):
    """Every random draw of the pulse from one seed, uuid4 keys included: the order tests then give the
    same figures on every run (the design is what they test, not the luck of one draw)."""
    rng = random.Random(20261203)
    monkeypatch.setattr(answers_module, "_random", rng)
    monkeypatch.setattr(storage, "new_key", lambda: uuid.UUID(int=rng.getrandbits(128), version=4))
    return rng


# --- T-54 the schema -------------------------------------------------------------------------------


def _columns(model) -> set[str]:
    return {field.column for field in model._meta.concrete_fields}


def test_invitation_and_response_share_no_key_and_no_column_but_the_pulse_and_its_unit():
    for a, b in (
        (Invitation, Response),
        (Response, Invitation),
        (Invitation, FreeTextAnswer),
        (FreeTextAnswer, Invitation),
    ):
        assert not [field for field in a._meta.get_fields() if field.is_relation and field.related_model is b]
    assert _columns(Invitation) & _columns(Response) == {"id", "pulse_id", "pulse_unit_id"}  # group keys only
    assert _columns(Invitation) & _columns(FreeTextAnswer) == {"id", "pulse_id"}


def test_answers_have_a_uuid_key_and_no_time_person_or_token():
    for model in (Response, FreeTextAnswer, Invitation):
        assert isinstance(model._meta.pk, models.UUIDField)
        assert model._meta.pk.default is uuid.uuid4
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateField | models.TimeField), (
                model,
                field.name,
            )  # DateTime too
            assert not (
                field.is_relation
                and field.related_model is not None
                and field.related_model._meta.label
                in (
                    "accounts.User",
                    "chain.Membership",
                )
            ), (model, field.name)
            assert "token" not in field.name or field.name == "token_hash"
            assert not isinstance(field, models.AutoField | models.BigAutoField)  # no sequence to order by
        assert not model._meta.ordering


def test_invitation_used_is_a_boolean_without_a_time():
    used = Invitation._meta.get_field("used")
    assert isinstance(used, models.BooleanField)
    assert {field.name for field in Invitation._meta.concrete_fields} == {
        "id",
        "pulse",
        "pulse_unit",
        "token_hash",
        "used",
    }


# --- T-54 the order ---------------------------------------------------------------------------------


def _pattern(index: int) -> dict[str, int]:
    """A distinct answer per index (base 5 over four items), the others 3."""
    digits = [(index // 5**power) % 5 + 1 for power in range(len(PATTERN_ITEMS))]
    return dict(zip(PATTERN_ITEMS, digits, strict=True))


def _index_of(answers: dict) -> int:
    return sum((answers[code] - 1) * 5**power for power, code in enumerate(PATTERN_ITEMS))


def _orders(pulse, token_order: dict[str, int]):
    """The submission index of each answer and each used invitation as read back: by primary key, and in
    the storage's own order (raw SQL without ORDER BY)."""
    by_pk = [
        _index_of(a)
        for a in Response.objects.filter(pulse=pulse, answers__isnull=False)
        .order_by("pk")
        .values_list("answers", flat=True)
    ]
    raw = [
        _index_of(response.answers)
        for response in Response.objects.raw("SELECT * FROM pulse_response WHERE pulse_id = %s", [pulse.pk])
        if response.answers is not None
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM pulse_response WHERE pulse_id = %s", [pulse.pk])
        from django.db.models import JSONField

        decode = JSONField().from_db_value
        cursor_order = [
            _index_of(decode(value, None, connection)) for (value,) in cursor.fetchall() if value is not None
        ]
        cursor.execute(
            "SELECT token_hash FROM pulse_invitation WHERE pulse_id = %s AND used = %s", [pulse.pk, True]
        )
        invitations = [token_order[hashed] for (hashed,) in cursor.fetchall() if hashed in token_order]
    return by_pk, raw, cursor_order, invitations


def test_two_hundred_answers_read_back_in_no_order_of_their_giving(seeded):
    world = pulse_world({"A": 50, "B": 50, "C": 50, "D": 50})
    pulse, tokens = pulse_opened(world)
    order = [tokens[email] for name in "ABCD" for email in world.emails(name)]  # unit by unit: the worst case
    token_order = {token_hash(token): index for index, token in enumerate(order)}
    for index, token in enumerate(order):
        services.pulse_answer(token=token, answers=_pattern(index) | {"team_problems": 3})

    for label, got in zip(("pk", "raw", "cursor", "invitations"), _orders(pulse, token_order), strict=True):
        assert sorted(got) == list(range(200)), label
        rho = spearman(range(200), got)
        assert abs(rho) < 0.2, (label, rho)

    pulse = pulse_closed(world, pulse)
    by_pk, raw, cursor_order, _invitations = _orders(pulse, {})
    for label, got in (("pk", by_pk), ("raw", raw), ("cursor", cursor_order)):
        assert sorted(got) == list(range(200)), label
        assert abs(spearman(range(200), got)) < 0.2, label


def test_after_the_close_no_empty_slot_and_no_unused_invitation_remains():
    world = pulse_world({"Norr": 6, "Söder": 6})
    pulse, tokens = pulse_opened(world, asks_free_text=True)
    answer_all(pulse, list(tokens.values())[:7], free_text="Mer stöd")
    pulse = pulse_closed(world, pulse)
    assert not Response.objects.filter(pulse=pulse, answers__isnull=True).exists()
    assert Response.objects.filter(pulse=pulse).count() == 7
    assert not Invitation.objects.filter(pulse=pulse, used=False).exists()  # a leaked code tells nothing
    assert Invitation.objects.filter(pulse=pulse).count() == 13
    assert FreeTextAnswer.objects.filter(pulse=pulse).count() == 7


def test_after_the_close_no_hidden_row_stamp_ties_an_answer_to_its_invitation():
    """The databases' hidden columns: PostgreSQL's transaction id (xmin) on every row version, SQLite's
    rowid. Neither may tie an answer to the moment it was given once the pulse has closed."""
    world = pulse_world({"Norr": 6, "Söder": 6})
    pulse, tokens = pulse_opened(world)
    answer_all(pulse, list(tokens.values())[:8], value=3)

    def stamps(table, condition, column):
        with connection.cursor() as cursor:
            query = f"SELECT {column} FROM {table} WHERE pulse_id = %s AND {condition}"  # noqa: S608
            cursor.execute(query, [pulse.pk])
            return [stamp for (stamp,) in cursor.fetchall()]

    if connection.vendor == "postgresql":
        # While open, the answer's slot and its invitation carry the answer's transaction: the operator of
        # the live database is trusted while the pulse runs (security-requirements §3.1).
        open_answers = set(stamps("pulse_response", "answers IS NOT NULL", "xmin::text"))
        assert len(open_answers & set(stamps("pulse_invitation", "used", "xmin::text"))) == 8
        pulse = pulse_closed(world, pulse)
        answers = set(stamps("pulse_response", "TRUE", "xmin::text"))
        assert len(answers) == 1
        assert answers == set(stamps("pulse_invitation", "TRUE", "xmin::text"))  # the close's, on every row
    else:
        # SQLite updates a row in place: an answer keeps the rowid of the slot it filled, and the slots were
        # written shuffled, so the rowids of the answers are not the order they were given in.
        slots = stamps("pulse_response", "TRUE", "rowid")
        pulse = pulse_closed(world, pulse)
        kept = stamps("pulse_response", "TRUE", "rowid")
        assert len(kept) == 8
        assert set(kept) <= set(slots)


# --- T-55 tokens ------------------------------------------------------------------------------------


def test_a_person_answering_twice_is_refused_the_second_time_in_every_unit():
    world = pulse_world({"Norr": 5})
    pulse, tokens = pulse_opened(world)
    token = tokens["norr-0@pulsby.test"]
    services.pulse_answer(token=token, answers={"team_problems": 4})
    for retry in (token, token.upper(), "-".join(token[i : i + 4] for i in range(0, 26, 4))):
        with pytest.raises(Exception, match="already been used"):
            services.pulse_answer(token=retry, answers={"team_problems": 2})
    assert Response.objects.filter(pulse=pulse, answers__isnull=False).count() == 1


def test_a_token_is_not_a_function_of_the_person_or_the_pulse():
    world = pulse_world({"Norr": 5})
    first, first_tokens = pulse_opened(world, title="Ett")
    _second, second_tokens = pulse_opened(world, title="Två")
    person = world.people["Norr"][0]
    token = first_tokens[person.email]
    assert token != second_tokens[person.email]
    for guess in (str(person.pk), person.email, f"{person.pk}:{first.pk}", f"{first.pk}{person.pk}"):
        assert token_hash(guess) != token_hash(token)
    bits = np.unpackbits(
        np.frombuffer(
            b"".join(__import__("base64").b32decode(t.upper() + "======") for t in first_tokens.values()),
            dtype=np.uint8,
        )
    )
    assert 0.35 < bits.mean() < 0.65  # random bits, not a counter or an id


# --- T-56 participation ----------------------------------------------------------------------------


def test_nothing_read_about_the_pulse_differs_between_someone_who_answered_and_someone_who_did_not():
    world = pulse_world({"Norr": 6, "Söder": 6})
    pulse, tokens = pulse_opened(world, asks_free_text=True)
    answered, silent = world.people["Norr"][0], world.people["Norr"][1]
    services.pulse_answer(token=tokens[answered.email], answers={"team_problems": 4})

    def seen(person):
        access = access_for(person=person)
        return (
            [p.pk for p in selectors.open_pulses_for_person(access)],
            [p.pk for p in selectors.pulses_for(access)],
            selectors.results_for(access, pulse),
            list(selectors.free_text_for(access, pulse)),
        )

    assert seen(answered) == seen(silent)
    assert [p.pk for p in selectors.open_pulses_for_person(access_for(person=answered))] == [pulse.pk]


def test_no_pulse_table_holds_a_person_except_who_prepared_the_pulse():
    for model in PULSE_MODELS:
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model._meta.label == "accounts.User":
                assert (model, field.name) == (Pulse, "created_by")


def test_the_reminder_is_the_same_for_all_and_the_inbox_shows_no_answer():
    world = pulse_world({"Norr": 6})
    pulse, tokens = pulse_opened(world)
    services.pulse_answer(token=tokens["norr-0@pulsby.test"], answers={"team_problems": 4})
    services.pulse_remind(actor=world.manager, access=access_for(person=world.manager), pulse=pulse)
    rows = Notification.objects.filter(organisation=world.organisation, kind="pulse.reminded")
    assert rows.count() == 7
    assert len({(repr(row.params), row.url, row.unit_id, row.created_at) for row in rows}) == 1


# --- T-58, T-59 logs -------------------------------------------------------------------------------


def test_no_log_record_holds_a_token_or_ties_a_person_to_a_pulse_or_an_answer(caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    world = pulse_world({"Norr": 6, "Söder": 6})
    with CaptureQueriesContext(connection) as queries:  # the SQL itself is logged at DEBUG too
        pulse, tokens = pulse_opened(world, asks_free_text=True)
        for index, token in enumerate(tokens.values()):
            services.pulse_answer(token=token, answers={"team_problems": 1 + index % 5}, free_text="Tid")
        services.pulse_remind(actor=world.manager, access=world.system, pulse=pulse)
        pulse = pulse_closed(world, pulse)
    sql = repr([query["sql"] for query in queries.captured_queries])
    texts = [record.getMessage() + repr(record.args) for record in caplog.records]
    everything = "\n".join(texts) + sql
    for token in tokens.values():
        assert token not in everything
        assert token.upper() not in everything
    everyone = world.people["Norr"] + world.people["Söder"] + [world.manager]
    markers = [person.email for person in everyone] + [person.full_name for person in everyone]
    for record in caplog.records:
        if record.levelno >= logging.INFO:  # no person at all in what the pulse logs at INFO and above
            text = record.getMessage()
            assert not any(marker in text for marker in markers), text


# --- audit ------------------------------------------------------------------------------------------


def test_the_audit_log_of_a_whole_round_names_no_respondent_token_or_answer():
    world = pulse_world({"Norr": 6, "Söder": 6})
    pulse, tokens = pulse_opened(world, asks_free_text=True)
    for index, token in enumerate(tokens.values()):
        services.pulse_answer(
            token=token, answers={"team_problems": 1 + index % 5}, free_text=f"Hemlig {index}"
        )
    services.pulse_remind(actor=world.manager, access=world.system, pulse=pulse)
    pulse = pulse_closed(world, pulse)
    manager = access_for(person=world.manager)
    answer = selectors.free_text_for(manager, pulse, released_only=False).first()
    services.free_text_release(actor=world.manager, access=manager, answer=answer, redacted="Redigerad")
    events = AuditEvent.objects.filter(organisation=world.organisation, action__startswith="pulse.")
    assert events.count() == 5  # created, opened, reminded, closed, free text released
    dump = repr(
        list(events.values("actor_id", "target_type", "target_id", "target_label", "before", "after"))
    )
    for token in tokens.values():
        assert token not in dump
    assert "Hemlig" not in dump
    assert "Redigerad" not in dump
    assert "response" not in dump
    assert "invitation" not in dump
    assert "freetextanswer" not in dump
    assert set(events.values_list("actor_id", flat=True)) <= {world.manager.pk, None}


# --- T-60 re-slicing --------------------------------------------------------------------------------


def _frame(pulse):
    return sorted(
        PulseUnit.objects.filter(pulse=pulse).values_list(
            "unit_id", "name", "frame_path", "parent__unit_id", "depth", "invited"
        )
    )


def test_moving_renaming_or_splitting_units_after_opening_changes_neither_the_frame_nor_the_results():
    world = pulse_world(
        {"Avdelning": 0, "Norr": 7, "Söder": 6, "Väst": 8}, tree={"Norr": "Avdelning", "Söder": "Avdelning"}
    )
    pulse, tokens = pulse_opened(world)
    frame = _frame(pulse)
    # The re-slicing: Norr moved out from under Avdelning and renamed, a new 1-person unit made under
    # Söder with one of Söder's people moved into it.
    chain.unit_move(actor=None, access=world.system, unit=world.units["Norr"], new_parent=world.scope)
    chain.unit_rename(actor=None, access=world.system, unit=world.units["Norr"], name="Norr (ny)")
    solo_unit = chain.unit_create(
        access=world.system,
        organisation=world.organisation,
        parent=world.units["Söder"],
        level=world.levels[3],
        name="Ensam",
    )
    mover = world.people["Söder"][0]
    chain.membership_end(actor=None, access=world.system, membership=mover.memberships.get())
    chain.membership_create(access=world.system, person=mover, unit=solo_unit, role=world.roles["staff"])
    assert _frame(pulse) == frame

    for name in ("Norr", "Söder", "Väst"):
        for index, email in enumerate(world.emails(name)):
            services.pulse_answer(token=tokens[email], answers={"team_problems": 2 + index % 3})
    pulse = pulse_closed(world, pulse)
    assert _frame(pulse) == frame
    assert not PulseUnit.objects.filter(pulse=pulse, unit=solo_unit).exists()
    assert not PulseCell.objects.filter(pulse=pulse, pulse_unit__unit=solo_unit).exists()
    assert PulseUnit.objects.get(pulse=pulse, unit=world.units["Norr"]).name == "Norr"  # as asked
    söder = PulseUnit.objects.get(pulse=pulse, unit=world.units["Söder"])
    assert (söder.respondents_low, söder.respondents_high) in ((5, 9), (-1, -1))  # the mover counted in Söder
    assert Response.objects.filter(pulse=pulse, pulse_unit=söder).count() == 6
    # The new one-person unit's person reads nothing of the pulse that the unit could single out.
    mine = selectors.results_for(access_for(person=mover), pulse)
    assert all(result.pulse_unit.unit_id != solo_unit.pk for result in mine)


def test_a_one_person_unit_in_the_frame_never_publishes():
    world = pulse_world({"Ensam": 1, "Norr": 8, "Söder": 8})
    pulse, tokens = pulse_opened(world)
    for name in ("Ensam", "Norr", "Söder"):
        answer_all(pulse, [tokens[email] for email in world.emails(name)], value=lambda i: 2 + i % 3)
    pulse = pulse_closed(world, pulse)
    ensam = PulseUnit.objects.get(pulse=pulse, name="Ensam")
    assert not PulseCell.objects.filter(pulse_unit=ensam, published=True).exists()
    assert (ensam.respondents_low, ensam.respondents_high) == (0, 4)
    for item in pulse.items:
        shown = {
            cell.pulse_unit.name for cell in PulseCell.objects.filter(pulse=pulse, item=item, published=True)
        }
        assert shown != {"Förvaltning", "Norr", "Söder"}  # all three would give Ensam = P − N − S


# --- T-61 module separation -------------------------------------------------------------------------


def test_pulse_models_relate_only_to_the_chain_and_accounts_and_nothing_else_relates_to_them_but_a_look():
    allowed_out = {"pulse", "chain", "accounts", "auth"}
    for model in PULSE_MODELS:
        for field in model._meta.get_fields():
            if (
                field.is_relation
                and field.related_model is not None
                and (field.concrete or field.many_to_many)
            ):
                assert field.related_model._meta.app_label in allowed_out, (model, field.name)
    for model in apps.get_models():
        if model._meta.app_label == "pulse":
            continue
        for field in model._meta.get_fields():
            related = field.related_model if field.concrete and field.is_relation else None
            if related is not None and related._meta.app_label == "pulse":
                assert model._meta.label == "dialogue.JointLook", (model, field.name)


def test_no_relation_between_pulse_and_the_obstacles_or_a_whistleblowing_channel_in_either_direction():
    separated = {"obstacles", "whistle", "whistleblowing", "visselblasning"}
    for model in apps.get_models():
        label = model._meta.app_label
        for field in model._meta.get_fields():
            if not (field.is_relation and field.related_model is not None):
                continue
            other = field.related_model._meta.app_label
            assert not (label == "pulse" and other in separated), (model, field.name)
            assert not (label in separated and other == "pulse"), (model, field.name)
    pulse_tables = {model._meta.db_table for model in PULSE_MODELS}
    for model in apps.get_models():
        if model._meta.app_label in separated:
            assert model._meta.db_table not in pulse_tables
