"""Search speed on SQLite (PostgreSQL needs neither).

- A narrow index over what filters, facets and ordering read of each document (id, type, year,
  visibility): the documents' own rows hold the synopsis, so a lookup by id reads big pages and
  overflow chains; this index is dense. Search names it with ``INDEXED BY`` (the planner
  prefers the rowid).
- The full-text table's ``rank`` is bm25 with the column weights (titles, tags, studios, body),
  so ``ORDER BY rank`` is one configured rule.

Raw SQL, not ``Meta.indexes``: an ``AlterField`` on ``SearchDocument`` remakes the table on
SQLite (see ``0002``); the index goes with it and has to be recreated, like the triggers.
"""

from django.db import migrations

COVER = "discovery_searchdocument_search_cover"
SCHEDULED = "discovery_searchdocument_scheduled"
# Both databases: documents not yet visible, counted by every unfiltered search.
BOTH_UP = [
    f"CREATE INDEX IF NOT EXISTS {SCHEDULED} ON discovery_searchdocument (visible_from)"
    " WHERE visible_from IS NOT NULL"
]
BOTH_DOWN = [f"DROP INDEX IF EXISTS {SCHEDULED}"]
UP = [
    f"CREATE INDEX IF NOT EXISTS {COVER} ON discovery_searchdocument"
    " (id, anime_type, year, visible_from)",
    "INSERT INTO discovery_search_fts(discovery_search_fts, rank)"
    " VALUES ('rank', 'bm25(10.0, 4.0, 2.0, 1.0)')",
]
DOWN = [
    "INSERT INTO discovery_search_fts(discovery_search_fts, rank) VALUES ('rank', 'bm25()')",
    f"DROP INDEX IF EXISTS {COVER}",
]


def _run(statements, vendors=("sqlite",)):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor in vendors:
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("discovery", "0007_search_titles")]

    operations = [
        migrations.RunPython(_run(UP), _run(DOWN)),
        migrations.RunPython(
            _run(BOTH_UP, ("sqlite", "postgresql")), _run(BOTH_DOWN, ("sqlite", "postgresql"))
        ),
    ]
