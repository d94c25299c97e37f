"""Titles under each database's trigram index, for the one title matcher (``catalog.lookup``):
an FTS5 table with the ``trigram`` tokenizer over ``AnimeTitle.normalized``, kept in step by
triggers, plus an ``fts5vocab`` table that counts titles per trigram (SQLite); ``pg_trgm`` with a
GIN index (PostgreSQL). Existing titles are indexed by the migration itself.
"""

from django.db import migrations

FTS = "catalog_title_trigram"
UP = {
    "sqlite": [
        f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
            normalized, content='catalog_animetitle', content_rowid='id', tokenize='trigram'
        )""",
        f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON catalog_animetitle BEGIN
            INSERT INTO {FTS}(rowid, normalized) VALUES (new.id, new.normalized);
        END""",
        f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON catalog_animetitle BEGIN
            INSERT INTO {FTS}({FTS}, rowid, normalized) VALUES ('delete', old.id, old.normalized);
        END""",
        f"""CREATE TRIGGER {FTS}_au AFTER UPDATE OF normalized ON catalog_animetitle BEGIN
            INSERT INTO {FTS}({FTS}, rowid, normalized) VALUES ('delete', old.id, old.normalized);
            INSERT INTO {FTS}(rowid, normalized) VALUES (new.id, new.normalized);
        END""",
        f"CREATE VIRTUAL TABLE {FTS}_vocab USING fts5vocab({FTS}, row)",
        f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
    ],
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX catalog_animetitle_normalized_trgm ON catalog_animetitle"
        " USING GIN (normalized gin_trgm_ops)",
        "ANALYZE catalog_animetitle",
    ],
}
DOWN = {
    "sqlite": [
        f"DROP TABLE IF EXISTS {FTS}_vocab",
        f"DROP TRIGGER IF EXISTS {FTS}_au",
        f"DROP TRIGGER IF EXISTS {FTS}_ad",
        f"DROP TRIGGER IF EXISTS {FTS}_ai",
        f"DROP TABLE IF EXISTS {FTS}",
    ],
    "postgresql": ["DROP INDEX IF EXISTS catalog_animetitle_normalized_trgm"],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_correction")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
