"""Titles get rows of their own (``SearchTitle``) under each database's trigram index, for
typo-tolerant title search in SQL: an FTS5 table with the ``trigram`` tokenizer kept in step by
triggers (SQLite), or ``pg_trgm`` with a GIN index (PostgreSQL). Existing anime documents' titles
are copied in, so search needs no reindex after this migration.

Search no longer keeps an in-memory copy of the index, so the token that told processes to
rebuild it goes (``SearchIndexState`` and the trigger of ``0005`` that renewed it).
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

from kansou.catalog.text import normalize_title

UP = {
    "sqlite": [
        """CREATE VIRTUAL TABLE discovery_search_trigram USING fts5(
            key, content='discovery_searchtitle', content_rowid='id', tokenize='trigram'
        )""",
        """CREATE TRIGGER discovery_search_trigram_ai AFTER INSERT ON discovery_searchtitle BEGIN
            INSERT INTO discovery_search_trigram(rowid, key) VALUES (new.id, new.key);
        END""",
        """CREATE TRIGGER discovery_search_trigram_ad AFTER DELETE ON discovery_searchtitle BEGIN
            INSERT INTO discovery_search_trigram(discovery_search_trigram, rowid, key)
            VALUES ('delete', old.id, old.key);
        END""",
        """CREATE TRIGGER discovery_search_trigram_au AFTER UPDATE ON discovery_searchtitle BEGIN
            INSERT INTO discovery_search_trigram(discovery_search_trigram, rowid, key)
            VALUES ('delete', old.id, old.key);
            INSERT INTO discovery_search_trigram(rowid, key) VALUES (new.id, new.key);
        END""",
        """CREATE VIRTUAL TABLE discovery_search_trigram_vocab
        USING fts5vocab(discovery_search_trigram, row)""",
    ],
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        """CREATE INDEX discovery_searchtitle_key_trgm ON discovery_searchtitle
        USING GIN (key gin_trgm_ops)""",
    ],
}
DOWN = {
    "sqlite": [
        "DROP TABLE IF EXISTS discovery_search_trigram_vocab",
        "DROP TRIGGER IF EXISTS discovery_search_trigram_au",
        "DROP TRIGGER IF EXISTS discovery_search_trigram_ad",
        "DROP TRIGGER IF EXISTS discovery_search_trigram_ai",
        "DROP TABLE IF EXISTS discovery_search_trigram",
    ],
    "postgresql": ["DROP INDEX IF EXISTS discovery_searchtitle_key_trgm"],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def copy_titles(apps, schema_editor):
    SearchDocument = apps.get_model("discovery", "SearchDocument")
    SearchTitle = apps.get_model("discovery", "SearchTitle")
    rows = []
    for pk, titles in SearchDocument.objects.filter(kind="anime").values_list("pk", "titles"):
        keys = {normalize_title(text): text for text in reversed(titles.splitlines())}
        rows += [SearchTitle(document_id=pk, text=t, key=k) for k, t in keys.items() if k]
    SearchTitle.objects.bulk_create(rows, batch_size=2000)


ANALYZE = {"postgresql": ["ANALYZE discovery_searchtitle", "ANALYZE discovery_searchdocument"]}
TOKEN = importlib.import_module("kansou.discovery.migrations.0005_search_document_review_fk")


class Migration(migrations.Migration):
    dependencies = [("discovery", "0006_anime_pairs")]

    operations = [
        migrations.CreateModel(
            name="SearchTitle",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.CharField(max_length=500)),
                ("key", models.CharField(max_length=500)),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_titles",
                        to="discovery.searchdocument",
                    ),
                ),
            ],
        ),
        migrations.RunPython(_run(UP), _run(DOWN)),
        migrations.RunPython(copy_titles, migrations.RunPython.noop),
        # Fresh statistics: without them PostgreSQL plans the first searches badly (300–500 ms).
        migrations.RunPython(_run(ANALYZE), migrations.RunPython.noop),
        migrations.RunPython(_run(TOKEN.TOKEN_DOWN), _run(TOKEN.TOKEN_UP)),
        migrations.DeleteModel(name="SearchIndexState"),
    ]
