"""Putting the demo back after a test emptied the database: the same rows, much faster than loading."""

import time

import pytest
from django.core.management.color import no_style
from django.db import connection

from tests.demo.test_demo import snapshot
from tillit.chain import services as chain
from tillit.chain.access import Access
from tillit.chain.models import Organisation, Unit
from tillit.demo import snapshot as demo_snapshot

pytestmark = pytest.mark.integration

KEPT_BY_FLUSH = {"django_content_type", "auth_permission"}  # flush empties them and migrate fills them again


def empty_the_database():
    """What a browser test's flush does to the demo, inside this test's transaction (rolled back after)."""
    tables = [
        table
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
        if table not in KEPT_BY_FLUSH
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # check this transaction's writes now: TRUNCATE needs it
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_an_emptied_database_gets_the_same_demo_back_quickly(db, monkeypatch):
    monkeypatch.setattr(demo_snapshot, "_snapshot", None)
    loaded = {slug: snapshot(slug) for slug in ("exempelby", "grannby")}
    empty_the_database()
    started = time.perf_counter()
    first = demo_snapshot.demo_load_cached()  # no copy yet in this process: a real load, then a copy
    load_seconds = time.perf_counter() - started
    empty_the_database()
    assert not Organisation.objects.exists()

    started = time.perf_counter()
    again = demo_snapshot.demo_load_cached()
    restore_seconds = time.perf_counter() - started

    assert {slug: snapshot(slug) for slug in ("exempelby", "grannby")} == loaded
    assert again == first
    assert Organisation.objects.get(slug="exempelby").pk == first.organisation.pk
    assert restore_seconds < load_seconds / 3
    # The ids go on after the copy's: new rows can be written.
    exempelby = Organisation.objects.get(slug="exempelby")
    root = Unit.objects.get(organisation=exempelby, parent=None)
    new = chain.unit_create(
        access=Access.system(), organisation=exempelby, parent=root, level=root.level, name="Ny nämnd"
    )
    assert new.pk > max(Unit.objects.exclude(pk=new.pk).values_list("pk", flat=True))
    print(f"demo: loaded in {load_seconds:.2f} s, put back in {restore_seconds:.2f} s")  # noqa: T201


def test_the_copy_is_not_used_while_the_demo_is_there(db):
    with pytest.raises(ValueError, match="already exist"):
        demo_snapshot.demo_load_cached()
