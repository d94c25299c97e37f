"""A review's search document becomes a foreign key with CASCADE, and deleting one renews the
index token.

Before, ``SearchDocument.review_id`` was a plain number: a review deleted in the admin (or by
any queryset delete) kept its title and URL in search. Now:

1. documents of reviews that no longer exist are deleted (the key could not be added over them);
2. ``review_id`` becomes ``review``, a one-to-one key to ``reviews.Review`` (same column), with
   ``on_delete=CASCADE``: Django deletes the document with its review;
3. a trigger on document deletion renews ``SearchIndexState.token``, so every process rebuilds
   its in-memory copy (``search_snapshot``) and stops showing the review at once.

On SQLite, step 2 remakes the documents table, which drops the full-text triggers of ``0002``:
they are made again and the FTS5 index rebuilt from the table.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

FULLTEXT = importlib.import_module("kansou.discovery.migrations.0002_search_fulltext")
FTS_TRIGGERS = [sql for sql in FULLTEXT.SQLITE_UP if sql.startswith("CREATE TRIGGER")]
FTS_TRIGGERS_DOWN = [sql for sql in FULLTEXT.SQLITE_DOWN if "TRIGGER" in sql]

TOKEN_UP = {
    "sqlite": [
        """CREATE TRIGGER discovery_search_token_ad AFTER DELETE ON discovery_searchdocument
        WHEN old.review_id IS NOT NULL BEGIN
            INSERT OR REPLACE INTO discovery_searchindexstate (id, token) VALUES (1, random());
        END""",
    ],
    "postgresql": [
        """CREATE FUNCTION discovery_search_token_renew() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO discovery_searchindexstate (id, token)
            VALUES (1, floor(random() * 4611686018427387904)::bigint)
            ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
            RETURN NULL;
        END $$""",
        """CREATE TRIGGER discovery_search_token_ad AFTER DELETE ON discovery_searchdocument
        FOR EACH ROW WHEN (OLD.review_id IS NOT NULL)
        EXECUTE FUNCTION discovery_search_token_renew()""",
    ],
}
TOKEN_DOWN = {
    "sqlite": ["DROP TRIGGER IF EXISTS discovery_search_token_ad"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS discovery_search_token_ad ON discovery_searchdocument",
        "DROP FUNCTION IF EXISTS discovery_search_token_renew()",
    ],
}


def _execute(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def delete_orphans(apps, schema_editor):
    SearchDocument = apps.get_model("discovery", "SearchDocument")
    Review = apps.get_model("reviews", "Review")
    orphans = SearchDocument.objects.filter(review_id__isnull=False).exclude(
        review_id__in=Review.objects.values("pk")
    )
    orphans.delete()  # their SearchTag rows go with them (CASCADE)


def fulltext_triggers_again(apps, schema_editor):
    """The remade table lost the FTS5 triggers (SQLite): make them again, rebuild the index."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in FTS_TRIGGERS_DOWN + FTS_TRIGGERS:
            schema_editor.execute(statement)
        schema_editor.execute(
            "INSERT INTO discovery_search_fts(discovery_search_fts) VALUES ('rebuild')"
        )


def token_triggers(apps, schema_editor):
    _execute(schema_editor, TOKEN_UP)


def token_triggers_down(apps, schema_editor):
    _execute(schema_editor, TOKEN_DOWN)


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0004_search_visible_from"),
        ("reviews", "0002_review_import_id"),
    ]

    operations = [
        # Going back remakes the table again: this step's reverse restores the FTS5 triggers.
        migrations.RunPython(delete_orphans, fulltext_triggers_again),
        # Rename in the state only: the column stays ``review_id``.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="searchdocument",
                    name="review_id",
                    field=models.BigIntegerField(null=True, unique=True, db_column="review_id"),
                ),
                migrations.RenameField(
                    model_name="searchdocument", old_name="review_id", new_name="review"
                ),
            ]
        ),
        migrations.AlterField(
            model_name="searchdocument",
            name="review",
            field=models.OneToOneField(
                help_text="For reviews: the review (deleting it deletes the document).",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="reviews.review",
            ),
        ),
        migrations.RunPython(fulltext_triggers_again, migrations.RunPython.noop),
        migrations.RunPython(token_triggers, token_triggers_down),
    ]
