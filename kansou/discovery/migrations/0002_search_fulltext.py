"""The full-text index over ``SearchDocument``: FTS5 on SQLite, a generated tsvector on PostgreSQL.

SQLite: an external-content FTS5 table (the text lives once, in ``discovery_searchdocument``),
kept in step by triggers, so every ORM write to documents updates the index. Porter stemming
over unicode61 with diacritics removed; prefix indexes for 2 and 3 characters keep prefix
queries cheap. PostgreSQL: a stored generated ``tsvector`` (titles A, tags B, studios C, body D)
with a GIN index. Other databases get no full-text index (search falls back to titles only).

A later migration that alters ``SearchDocument`` on SQLite remakes the table, which drops these
triggers: recreate them after it and run ``kansou search reindex``.
"""

from django.db import migrations

SQLITE_UP = [
    """CREATE VIRTUAL TABLE discovery_search_fts USING fts5(
        titles, tags, studios, body,
        content='discovery_searchdocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2', prefix='2 3'
    )""",
    """CREATE TRIGGER discovery_search_fts_ai AFTER INSERT ON discovery_searchdocument BEGIN
        INSERT INTO discovery_search_fts(rowid, titles, tags, studios, body)
        VALUES (new.id, new.titles, new.tags, new.studios, new.body);
    END""",
    """CREATE TRIGGER discovery_search_fts_ad AFTER DELETE ON discovery_searchdocument BEGIN
        INSERT INTO discovery_search_fts(discovery_search_fts, rowid, titles, tags, studios, body)
        VALUES ('delete', old.id, old.titles, old.tags, old.studios, old.body);
    END""",
    """CREATE TRIGGER discovery_search_fts_au AFTER UPDATE ON discovery_searchdocument BEGIN
        INSERT INTO discovery_search_fts(discovery_search_fts, rowid, titles, tags, studios, body)
        VALUES ('delete', old.id, old.titles, old.tags, old.studios, old.body);
        INSERT INTO discovery_search_fts(rowid, titles, tags, studios, body)
        VALUES (new.id, new.titles, new.tags, new.studios, new.body);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS discovery_search_fts_au",
    "DROP TRIGGER IF EXISTS discovery_search_fts_ad",
    "DROP TRIGGER IF EXISTS discovery_search_fts_ai",
    "DROP TABLE IF EXISTS discovery_search_fts",
]
POSTGRES_UP = [
    """ALTER TABLE discovery_searchdocument ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(titles, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(tags, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(studios, '')), 'C')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'D')
    ) STORED""",
    """CREATE INDEX discovery_search_vector_gin ON discovery_searchdocument
    USING GIN (search_vector)""",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS discovery_search_vector_gin",
    "ALTER TABLE discovery_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("discovery", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
