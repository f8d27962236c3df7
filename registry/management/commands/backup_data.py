"""``manage.py backup_data <file.zip>``: one .zip holding the registry and accounts as JSON plus every media file.

The JSON is ``dumpdata`` of the ``registry`` app and the users and groups of ``auth``, with natural foreign keys
(users by username, permissions by app and codename) so it loads into any freshly migrated database. Content types,
permissions, sessions and admin logs are left out: ``migrate`` recreates the first two, the others are disposable.
Restore it with ``manage.py restore_data``.
"""

import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

DATA_NAME = "data.json"
MEDIA_PREFIX = "media/"
DUMPED = ["registry", "auth.user", "auth.group"]


class Command(BaseCommand):
    help = "Sao lưu dữ liệu (JSON) và các tệp đã tải lên vào một tệp .zip."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .zip sẽ tạo.")

    def handle(self, *args, file, **options):
        target = Path(file)
        if target.suffix.lower() != ".zip":
            raise CommandError("Tệp sao lưu phải có đuôi .zip.")
        data = io.StringIO()
        call_command("dumpdata", *DUMPED, natural_foreign=True, indent=1, stdout=data)
        media_root = Path(settings.MEDIA_ROOT)
        count = 0
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(DATA_NAME, data.getvalue().encode("utf-8"))
            if media_root.is_dir():
                for path in sorted(p for p in media_root.rglob("*") if p.is_file()):
                    archive.write(path, MEDIA_PREFIX + path.relative_to(media_root).as_posix())
                    count += 1
        self.stdout.write(self.style.SUCCESS(f"Đã sao lưu dữ liệu và {count} tệp vào {target}."))
