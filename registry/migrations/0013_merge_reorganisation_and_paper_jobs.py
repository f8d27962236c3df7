# Two branches each added a 0012 migration: the reorganisation history and the background paper jobs.
# They touch different models, so the merge has no operations of its own.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0012_background_paper_jobs"),
        ("registry", "0012_reorganisation_history"),
    ]

    operations = []
