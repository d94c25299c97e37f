"""Title matching moves to the catalog (``catalog.lookup``, over ``AnimeTitle`` and the trigram
index of ``catalog`` migration ``0003``), so search's own copy of every title goes:
``SearchTitle``, its FTS5 ``trigram`` table and triggers (SQLite) or GIN index (PostgreSQL).
"""

import importlib

from django.db import migrations

TITLES = importlib.import_module("kansou.discovery.migrations.0007_search_titles")


class Migration(migrations.Migration):
    dependencies = [("discovery", "0009_model_versions"), ("catalog", "0003_title_trigrams")]

    operations = [
        migrations.RunPython(TITLES._run(TITLES.DOWN), TITLES._run(TITLES.UP)),
        migrations.DeleteModel(name="SearchTitle"),
    ]
