from django.db import migrations

# A search over a whole Khối ("dan van kheo") matched the pg_trgm index over every registration of the table
# (24,822 candidates at 400,000 rows), then ANDed that bitmap with the 80,000 entries of the Khối's index. One GIN
# index over (khoi_id, search_text) finds the Khối's matches alone (btree_gin gives GIN the equality on khoi_id). Only
# on PostgreSQL; SQLite keeps scanning. ``within_q`` compares khoi_id with a bigint so that the planner may use it.
INDEX = "registry_reg_khoi_search_trgm_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # btree_gin, like pg_trgm, is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_registration USING gin (khoi_id, search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0012_ranking_rows"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
