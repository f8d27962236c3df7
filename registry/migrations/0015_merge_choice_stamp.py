# The stamp of cached choices (0012_choice_stamp) was added beside the other 0012 migrations (merged in 0013 and
# 0014); it touches its own model only, so the merge has no operations of its own.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0012_choice_stamp"),
        ("registry", "0014_merge_guidance_names"),
    ]

    operations = []
