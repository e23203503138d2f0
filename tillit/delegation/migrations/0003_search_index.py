"""The full-text index behind "vem kan besluta om …?".

SQLite: an FTS5 table of the entries in force, holding their text stemmed in Python (snowballstemmer's
Swedish stemmer); the services keep it in step when a version is adopted. PostgreSQL: a GIN index on the
entries' 'swedish' text search vector; the expression must equal `SEARCH_VECTOR` in selectors.py, or the
index is not used.
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS delegation_entry_fts USING fts5("
    "matter, matter_group, delegate, legal_basis, note, tokenize = 'unicode61 remove_diacritics 0')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS delegation_entry_fts"

POSTGRES_CREATE = """
CREATE INDEX IF NOT EXISTS delegation_entry_search ON delegation_delegationentry USING gin ((
    setweight(to_tsvector('swedish'::regconfig, coalesce(matter, '')), 'A')
    || setweight(to_tsvector('swedish'::regconfig, coalesce(matter_group, '')), 'B')
    || setweight(to_tsvector('swedish'::regconfig, coalesce(delegate, '') || ' ' || coalesce(legal_basis, '')), 'C')
    || setweight(to_tsvector('swedish'::regconfig, coalesce(note, '')), 'D')
))
"""
POSTGRES_DROP = "DROP INDEX IF EXISTS delegation_entry_search"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("delegation", "0002_register_import")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
