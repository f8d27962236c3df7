"""``manage.py restore_data <file.zip>``: load a ``backup_data`` archive into an empty, migrated database.

The database must hold no unit, user or registration (the reference data seeded by the migrations may be there: the
backup carries the same rows and overwrites them). ``--force`` empties the database first. Media files are written
back under MEDIA_ROOT; a member whose path would leave MEDIA_ROOT is refused.
"""

import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registry.management.commands.backup_data import DATA_NAME, MEDIA_PREFIX
from registry.models import Registration, Unit


def database_is_empty() -> bool:
    return not (Unit.objects.exists() or Registration.objects.exists() or get_user_model().objects.exists())


class Command(BaseCommand):
    help = "Khôi phục dữ liệu và tệp đã tải lên từ tệp .zip do backup_data tạo, vào một cơ sở dữ liệu trống."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .zip do backup_data tạo.")
        parser.add_argument(
            "--force", action="store_true", help="Xóa toàn bộ dữ liệu hiện có trước khi khôi phục (không hỏi lại)."
        )

    def handle(self, *args, file, force=False, **options):
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"Không tìm thấy tệp sao lưu {source}.")
        try:
            archive = zipfile.ZipFile(source)
        except zipfile.BadZipFile:
            raise CommandError("Tệp sao lưu không phải tệp .zip hợp lệ.") from None
        with archive:
            if DATA_NAME not in archive.namelist():
                raise CommandError(f"Tệp sao lưu thiếu {DATA_NAME}.")
            if not database_is_empty():
                if not force:
                    raise CommandError(
                        "Cơ sở dữ liệu đã có dữ liệu; chỉ khôi phục vào cơ sở dữ liệu trống "
                        "(hoặc dùng --force để xóa hết)."
                    )
                call_command("flush", interactive=False, verbosity=0)
            media = self._media_members(archive)
            with tempfile.TemporaryDirectory() as tmp:
                data_path = Path(tmp) / DATA_NAME
                data_path.write_bytes(archive.read(DATA_NAME))
                with transaction.atomic():
                    call_command("loaddata", str(data_path), verbosity=0)
            for name, target in media:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
        self.stdout.write(self.style.SUCCESS(f"Đã khôi phục dữ liệu và {len(media)} tệp từ {source}."))

    def _media_members(self, archive: zipfile.ZipFile) -> list[tuple[str, Path]]:
        """Each media member with the path it is written to; refuses one that would land outside MEDIA_ROOT."""
        root = Path(settings.MEDIA_ROOT).resolve()
        members = []
        for name in archive.namelist():
            if not name.startswith(MEDIA_PREFIX) or name.endswith("/"):
                continue
            target = (root / name[len(MEDIA_PREFIX) :]).resolve()
            if not target.is_relative_to(root):
                raise CommandError(f"Tệp sao lưu chứa đường dẫn không hợp lệ: {name}.")
            members.append((name, target))
        return members
