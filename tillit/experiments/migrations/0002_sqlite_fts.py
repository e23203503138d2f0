"""SQLite only: an FTS5 index over the experiments' stemmed search text, kept by triggers.

The index reads `search_stems` of experiments_experiment (external content); the triggers keep it in step
with every insert, update and delete, including a test flush and the demo snapshot's restore.
PostgreSQL searches `search_text` with its 'swedish' configuration and needs nothing here.
"""

from django.db import migrations

CREATE = (
    "CREATE VIRTUAL TABLE experiments_experiment_fts USING fts5("
    "search_stems, content='experiments_experiment', content_rowid='id')",
    "CREATE TRIGGER experiments_experiment_fts_insert AFTER INSERT ON experiments_experiment BEGIN "
    "INSERT INTO experiments_experiment_fts(rowid, search_stems) VALUES (new.id, new.search_stems); END",
    "CREATE TRIGGER experiments_experiment_fts_delete AFTER DELETE ON experiments_experiment BEGIN "
    "INSERT INTO experiments_experiment_fts(experiments_experiment_fts, rowid, search_stems) "
    "VALUES ('delete', old.id, old.search_stems); END",
    "CREATE TRIGGER experiments_experiment_fts_update AFTER UPDATE OF search_stems ON experiments_experiment "
    "BEGIN INSERT INTO experiments_experiment_fts(experiments_experiment_fts, rowid, search_stems) "
    "VALUES ('delete', old.id, old.search_stems); "
    "INSERT INTO experiments_experiment_fts(rowid, search_stems) VALUES (new.id, new.search_stems); END",
)
DROP = (
    "DROP TRIGGER IF EXISTS experiments_experiment_fts_update",
    "DROP TRIGGER IF EXISTS experiments_experiment_fts_delete",
    "DROP TRIGGER IF EXISTS experiments_experiment_fts_insert",
    "DROP TABLE IF EXISTS experiments_experiment_fts",
)


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("experiments", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
