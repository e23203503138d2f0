"""Keep the correction history of observations append-only in the database itself.

A correction is never rewritten: both SQLite and PostgreSQL refuse an UPDATE of a row. Deleting stays
possible, because an observation's history goes with it when its organisation is removed (and Django's
`flush`, which the tests and `loaddemo --reset` use, deletes rows).
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER observation_change_no_update BEFORE UPDATE ON indicators_observationchange
       BEGIN SELECT RAISE(ABORT, 'the correction history is append-only'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER observation_change_no_update;"]

POSTGRESQL = [
    """CREATE FUNCTION observation_change_refuse_update() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the correction history is append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER observation_change_no_update BEFORE UPDATE ON indicators_observationchange
       FOR EACH ROW EXECUTE FUNCTION observation_change_refuse_update();""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER observation_change_no_update ON indicators_observationchange;",
    "DROP FUNCTION observation_change_refuse_update();",
]


def forwards(apps, schema_editor):
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_observation_import")]

    operations = [migrations.RunPython(forwards, backwards)]
