"""The stored tsvector and GIN index that serve Chinese search on PostgreSQL (see catalogue/search.py).

search_vector is a column PostgreSQL generates from search_document on every
write (Django never writes it and the model does not declare it), and the
GIN index sits on it. An index on the expression search_document::tsvector
alone was measured slower: every row a query touches was cast from text again
to recheck the phrase and to rank it (~15 µs a row; 85–480 ms on 100,000 rows
against 12–55 ms with the stored column; `manage.py bench_search`).

PostgreSQL only: SQLite searches with icontains and has no tsvector.
"""

from django.db import migrations

INDEX = "catalogue_item_search_gin"
TABLE = "catalogue_catalogueitem"


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector "
        "GENERATED ALWAYS AS (search_document::tsvector) STORED"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING gin (search_vector)")


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(add_column, drop_column)]
