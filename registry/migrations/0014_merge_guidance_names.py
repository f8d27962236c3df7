# The guidance and its names (0012_guidance_names) were added beside the reorganisation history and the background
# paper jobs (merged in 0013); they touch different models, so the merge has no operations of its own.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0012_guidance_names"),
        ("registry", "0013_merge_reorganisation_and_paper_jobs"),
    ]

    operations = []
