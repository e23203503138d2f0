"""The whistleblowing channel stands apart from the rest of Tillit (T-61, T-23, issue 15's "separation").

- No relation joins a whistle model with a model of the pulse, obstacles, audit, burden, notifications,
  dialogue or follow-up apps, either way; the whistle models point outward only to the organisation and
  the person (a static check over the models' `_meta`).
- Django's admin registers no whistle model.
- A report and its handling write nothing outside the whistle tables: no audit event, no notification, no
  burden or usage row. Every other table is counted, none excluded: through the services nothing else
  changes, not even the session or task tables (the staff pages' sessions are the MFA gate's business).
- What a reporter does is logged with a date, never a moment.
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from tests.factories.whistle import report_sent, whistle_world
from tillit.core.clock import frozen_at
from tillit.whistle.enums import MessageKind, Mode, WhistleAction
from tillit.whistle.models import WhistleEvent
from tillit.whistle.services import cases, identity, reports

SEPARATE_APPS = ("pulse", "obstacles", "audit", "burden", "notifications", "dialogue", "followup")
WHISTLE = "whistle"


def whistle_models() -> list:
    return list(apps.get_app_config(WHISTLE).get_models())


def relations(model) -> list:
    """Every relation of the model, forward and reverse, hidden ones (`related_name="+"`) included."""
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if field.is_relation and field.related_model
    ]


def outward(model) -> set[str]:
    """The labels of the models this model's own columns and many-to-many fields point to."""
    return {
        field.related_model._meta.label
        for field in model._meta.get_fields()
        if field.is_relation
        and field.related_model
        and (field.concrete or field.many_to_many)
        and not field.auto_created
    }


# ------------------------------------------------------------------------------------ static checks


@pytest.mark.unit
def test_the_walk_sees_relations_and_every_separate_app():
    """The checks below would pass on an empty walk: show that it reaches what it claims to."""
    assert "chain.Organisation" in outward(apps.get_model("whistle", "Channel"))
    assert {
        model._meta.label
        for field in relations(apps.get_model("whistle", "Report"))
        for model in [field.related_model]
    } >= {
        "whistle.Channel",
        "whistle.Message",
    }
    for label in SEPARATE_APPS:
        assert list(apps.get_app_config(label).get_models()), label


@pytest.mark.unit
def test_no_whistle_model_relates_to_the_separate_apps():
    joined = [
        (model._meta.label, field.name, field.related_model._meta.label)
        for model in whistle_models()
        for field in relations(model)
        if field.related_model._meta.app_label in SEPARATE_APPS
    ]
    assert joined == []


@pytest.mark.unit
def test_no_model_of_the_separate_apps_relates_to_a_whistle_model():
    joined = [
        (model._meta.label, field.name, field.related_model._meta.label)
        for label in SEPARATE_APPS
        for model in apps.get_app_config(label).get_models()
        for field in relations(model)
        if field.related_model._meta.app_label == WHISTLE
    ]
    assert joined == []


@pytest.mark.unit
def test_whistle_models_point_outward_only_to_the_organisation_and_the_person():
    allowed = {"chain.Organisation", settings.AUTH_USER_MODEL}
    outside = {
        (model._meta.label, target)
        for model in whistle_models()
        for target in outward(model)
        if not target.startswith(f"{WHISTLE}.") and target not in allowed
    }
    assert outside == set()


@pytest.mark.unit
def test_no_model_outside_the_channel_points_into_it():
    inward = [
        (model._meta.label, target)
        for model in apps.get_models()
        if model._meta.app_label != WHISTLE
        for target in outward(model)
        if target.startswith(f"{WHISTLE}.")
    ]
    assert inward == []


@pytest.mark.unit
def test_django_admin_registers_no_whistle_model():
    registered = {model._meta.label for model in admin.site._registry}
    assert "auth.Group" in registered  # the registry is the populated one
    assert {label for label in registered if label.startswith(f"{WHISTLE}.")} == set()


# ------------------------------------------------------------------------------------ nothing written outside


def row_counts() -> dict[str, int]:
    """Rows of every table outside the channel's own."""
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith(f"{WHISTLE}_"):
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db
@pytest.mark.no_demo
def test_a_report_and_its_handling_write_nothing_outside_the_channel(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = whistle_world()
    handler, key = world.handlers[0], world.key(world.handlers[0])
    audit_table = apps.get_model("audit", "AuditEvent")._meta.db_table
    before = row_counts()
    assert audit_table in before
    assert any(table.startswith("notifications_") for table in before)
    assert any(table.startswith("burden_") for table in before)

    report, receipt = report_sent(world, mode=Mode.CONFIDENTIAL, text="Något är fel.")
    cases.case_viewed(report=report, handler=handler, private_key=key)
    cases.case_acknowledge(report=report, handler=handler, private_key=key)
    cases.case_message(report=report, handler=handler, private_key=key, body="Kan du berätta mer?")
    signed_in = reports.reporter_sign_in(channel=world.channel, receipt=receipt)
    reports.reporter_message_send(report=signed_in.report, body="Ja, det hände i mars.")
    cases.case_message(
        report=report,
        handler=handler,
        private_key=key,
        body="Vi har utrett saken.",
        kind=MessageKind.FEEDBACK,
    )
    identity.identity_request(
        report=report, handler=handler, private_key=key, motivation="Behövs för intervju."
    )
    cases.case_close(report=report, handler=handler, private_key=key)

    after = row_counts()
    assert {table: (before[table], after[table]) for table in before if after[table] != before[table]} == {}
    assert WhistleEvent.objects.filter(channel=world.channel, case_number=report.case_number).count() >= 6
    # The count sees a write outside the channel when there is one.
    get_user_model().objects.create_user("ny@vissel.test", "lösenord-som-duger-2026", full_name="Ny Person")
    assert row_counts()[get_user_model()._meta.db_table] == after[get_user_model()._meta.db_table] + 1


@pytest.mark.django_db
@pytest.mark.no_demo
def test_a_reporters_doing_is_logged_at_midnight_never_at_the_moment(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = whistle_world()
    moment = datetime(2026, 3, 10, 14, 37, 12, tzinfo=ZoneInfo(settings.TIME_ZONE))
    with frozen_at(moment):
        report, _receipt = report_sent(world)
        cases.case_viewed(report=report, handler=world.handlers[0], private_key=world.key(world.handlers[0]))
    received = WhistleEvent.objects.get(action=WhistleAction.REPORT_RECEIVED, case_number=report.case_number)
    assert received.actor is None
    assert timezone.localtime(received.at).date() == moment.date()
    assert timezone.localtime(received.at).time() == time(0)
    viewed = WhistleEvent.objects.get(action=WhistleAction.CASE_VIEWED, case_number=report.case_number)
    assert viewed.at == moment  # a staff member's doing keeps its moment: the clock was not at midnight
