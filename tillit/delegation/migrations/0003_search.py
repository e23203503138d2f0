"""The full-text index behind "vem kan besluta om …?".

SQLite: `DelegationEntrySearch` holds each entry's text stemmed in Python (snowballstemmer's Swedish
stemmer); an external-content FTS5 table indexes it, kept in step by triggers on that table, so rows that
arrive or go any way (the services, a restore, a test database's flush) keep the index right.
PostgreSQL: a GIN index on the entries' 'swedish' text search vector; the expression must equal
`SEARCH_VECTOR` in selectors.py, or the index is not used.
"""

import django.db.models.deletion
from django.db import migrations, models

CONTENT = "delegation_delegationentrysearch"
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE delegation_entry_fts USING fts5(matter, other, "
    f"content='{CONTENT}', content_rowid='entry_id', tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER delegation_entry_fts_insert AFTER INSERT ON {CONTENT} BEGIN "
    "INSERT INTO delegation_entry_fts(rowid, matter, other) VALUES (new.entry_id, new.matter, new.other); END",
    f"CREATE TRIGGER delegation_entry_fts_delete AFTER DELETE ON {CONTENT} BEGIN "
    "INSERT INTO delegation_entry_fts(delegation_entry_fts, rowid, matter, other) "
    "VALUES ('delete', old.entry_id, old.matter, old.other); END",
    f"CREATE TRIGGER delegation_entry_fts_update AFTER UPDATE ON {CONTENT} BEGIN "
    "INSERT INTO delegation_entry_fts(delegation_entry_fts, rowid, matter, other) "
    "VALUES ('delete', old.entry_id, old.matter, old.other); "
    "INSERT INTO delegation_entry_fts(rowid, matter, other) VALUES (new.entry_id, new.matter, new.other); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS delegation_entry_fts_insert",
    "DROP TRIGGER IF EXISTS delegation_entry_fts_delete",
    "DROP TRIGGER IF EXISTS delegation_entry_fts_update",
    "DROP TABLE IF EXISTS delegation_entry_fts",
]
POSTGRES_CREATE = [
    """CREATE INDEX delegation_entry_search ON delegation_delegationentry USING gin ((
    setweight(to_tsvector('swedish'::regconfig, coalesce(matter, '')), 'A')
    || setweight(to_tsvector('swedish'::regconfig, coalesce(matter_group, '')), 'B')
    || setweight(to_tsvector('swedish'::regconfig, coalesce(delegate, '') || ' ' || coalesce(legal_basis, '')), 'C')
    || setweight(to_tsvector('swedish'::regconfig, coalesce(note, '')), 'D')
))"""
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS delegation_entry_search"]


def _run(schema_editor, statements: dict) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def create(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})


def drop(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    dependencies = [("delegation", "0002_register_import")]

    operations = [
        migrations.CreateModel(
            name="DelegationEntrySearch",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search",
                        serialize=False,
                        to="delegation.delegationentry",
                    ),
                ),
                ("matter", models.TextField(blank=True)),
                ("other", models.TextField(blank=True)),
            ],
            options={
                "verbose_name": "delegation entry search text",
                "verbose_name_plural": "delegation entry search texts",
            },
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
