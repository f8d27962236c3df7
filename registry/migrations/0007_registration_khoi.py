"""Registrations carry the Đảng bộ Khối above their unit (``Registration.khoi``), so that a Khối-wide list or count
reads one indexed column instead of joining the Khối's units on a path prefix."""

import django.db.models.deletion
from django.db import migrations, models

STEPLEN = 4  # Unit.steplen: the root's path is the first step of every path below it


def fill_khoi(apps, schema_editor):
    # One UPDATE, whatever the number of rows (a million at national scale); the same SQL on SQLite and PostgreSQL.
    if schema_editor.connection.vendor == "postgresql":
        # Checked now rather than at commit: ALTER TABLE (the NOT NULL below) refuses pending deferred checks.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute(
        "UPDATE registry_registration SET khoi_id = ("
        " SELECT root.id FROM registry_unit owner JOIN registry_unit root"
        f" ON root.path = SUBSTR(owner.path, 1, {STEPLEN})"
        " WHERE owner.id = registry_registration.unit_id)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_list_order_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="khoi",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.unit",
                verbose_name="Đảng bộ Khối",
            ),
        ),
        migrations.RunPython(fill_khoi, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registration",
            name="khoi",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.unit",
                verbose_name="Đảng bộ Khối",
            ),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["khoi", "-created_at", "-id"], name="registry_reg_khoi_newest_idx"),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["khoi", "year", "status"], name="registry_reg_khoi_year_idx"),
        ),
    ]
