# The ranking's rows and the search index (0012_ranking_rows, 0013_khoi_search_index) were added beside the
# reorganisation, the paper jobs, the choices' stamp and the guidance (0012–0016); they touch their own table and an
# index, so the merge has no operations of its own.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0013_khoi_search_index"),
        ("registry", "0016_guidance_deadlines_criteria"),
    ]

    operations = []
