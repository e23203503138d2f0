"""The audit log: append-only in the database itself, readable by the unit and the chain above it."""

import re

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from tests.conftest import person
from tillit.audit.models import AuditEvent
from tillit.audit.views import EVENTS_PER_PAGE
from tillit.chain import services
from tillit.chain.selectors import access_for

pytestmark = pytest.mark.integration


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_updating_an_audit_event_is_refused_by_the_database(db, home_care_north):
    event = AuditEvent.objects.filter(unit=home_care_north, action="unit.created").get()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(target_label="Ändrad i efterhand")

    event.refresh_from_db()
    assert event.target_label == "Hemtjänst Norr"


def test_saving_a_changed_audit_event_is_refused_by_the_database(db, home_care_north):
    event = AuditEvent.objects.filter(unit=home_care_north, action="unit.created").get()
    event.after = {"name": "Något annat"}

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.save()

    event.refresh_from_db()
    assert event.after == {"name": "Hemtjänst Norr", "level": "Arbetslag", "parent": "Hemtjänsten"}


def test_deleting_an_audit_event_is_refused_on_postgresql_and_possible_only_on_sqlite(db, home_care_north):
    """PostgreSQL refuses DELETE row by row. SQLite has no TRUNCATE, so its trigger leaves DELETE
    to Django's flush (the tests and `loaddemo --reset` use it): there the row can be deleted."""
    events = AuditEvent.objects.filter(unit=home_care_north, action="unit.created")
    assert events.count() == 1

    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            events.delete()
        assert events.count() == 1
    else:
        assert connection.vendor == "sqlite"
        deleted, _by_model = events.delete()
        assert (deleted, events.count()) == (1, 0)


def test_every_service_write_appends_events_and_never_changes_old_ones(db, same_unit, home_care_north):
    before = list(AuditEvent.objects.order_by("id").values())

    services.unit_rename(
        actor=same_unit, access=access_for(person=same_unit), unit=home_care_north, name="Hemtjänst Nord"
    )

    after = list(AuditEvent.objects.order_by("id").values())
    assert after[: len(before)] == before
    assert [event["action"] for event in after[len(before) :]] == ["unit.renamed"]


def test_unit_audit_log_shows_who_did_what_with_before_and_after(english, same_unit, home_care_north):
    services.unit_rename(
        actor=same_unit, access=access_for(person=same_unit), unit=home_care_north, name="Hemtjänst Nord"
    )
    english.force_login(person("aino.korhonen@exempelby.se"))
    # The demo's unit has its creation, roles, purposes, follow-up data and agreements in the log.
    total = AuditEvent.objects.filter(unit=home_care_north).count()
    last_page = -(-total // EVENTS_PER_PAGE)

    response = english.get(f"/units/{home_care_north.pk}/audit-log/")
    oldest_page = english.get(f"/units/{home_care_north.pk}/audit-log/", {"page": last_page})

    body = response.content.decode()
    assert response.status_code == 200
    rows = re.findall(r"<tr[^>]*>\s*<td><time.*?</tr>", body, flags=re.DOTALL)
    oldest_rows = re.findall(r"<tr[^>]*>\s*<td><time.*?</tr>", oldest_page.content.decode(), flags=re.DOTALL)
    # Newest first, a page at a time.
    assert total > 10
    assert len(rows) == min(total, EVENTS_PER_PAGE)
    newest = rows[0]
    assert "Johan Nyström" in newest
    assert "Unit renamed: Hemtjänst Nord" in newest
    assert "<dt>name</dt><dd>Hemtjänst Norr</dd>" in newest
    assert "<dt>name</dt><dd>Hemtjänst Nord</dd>" in newest
    assert "Unit created: Hemtjänst Norr" in oldest_rows[-1]
    assert "the system" in oldest_rows[-1]


def test_unit_audit_log_is_readable_from_above_but_not_from_another_branch(
    client, politician, other_branch, home_care_north
):
    client.force_login(politician)
    from_above = client.get(f"/units/{home_care_north.pk}/audit-log/")
    client.force_login(other_branch)
    from_beside = client.get(f"/units/{home_care_north.pk}/audit-log/")

    assert from_above.status_code == 200
    assert from_beside.status_code == 404


def test_htmx_request_for_older_changes_returns_only_the_rows(client, administrator, home_care_north):
    access = access_for(person=administrator)
    given_by_the_demo = AuditEvent.objects.filter(unit=home_care_north).count()
    for number in range(EVENTS_PER_PAGE + 5):
        services.unit_rename(
            actor=administrator, access=access, unit=home_care_north, name=f"Hemtjänst Norr {number}"
        )
    client.force_login(administrator)
    url = f"/units/{home_care_north.pk}/audit-log/"

    full_page = client.get(url)
    rows_only = client.get(url, {"page": 2}, headers={"HX-Request": "true"})

    full = full_page.content.decode()
    partial = rows_only.content.decode()
    assert full.lstrip().startswith("<!DOCTYPE html>")
    assert full.count("<time ") == EVENTS_PER_PAGE
    assert 'hx-get="?page=2"' in full
    assert rows_only.status_code == 200
    assert "<html" not in partial
    assert "<table" not in partial
    assert partial.lstrip().startswith("<tr")
    # 55 renames after the demo's events (its creation, roles, purposes, follow-up data, agreements)
    after_the_first_page = given_by_the_demo + EVENTS_PER_PAGE + 5 - EVENTS_PER_PAGE
    assert partial.count("<time ") == min(after_the_first_page, EVENTS_PER_PAGE)
    assert ('hx-get="?page=3"' in partial) == (after_the_first_page > EVENTS_PER_PAGE)
