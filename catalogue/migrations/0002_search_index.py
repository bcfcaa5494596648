"""The GIN index that serves Chinese search on PostgreSQL (see catalogue/search.py).

It is an expression index on search_document::tsvector, which SQLite has no
use for, so it is created only on PostgreSQL.
"""

from django.db import migrations

INDEX = "catalogue_item_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalogue_catalogueitem "
            "USING gin ((search_document::tsvector))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
