"""``backup_data`` / ``restore_data``: a round trip through one .zip loses no row, no tree path and no file byte."""

import io
import shutil
import unicodedata
import zipfile

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from registry import documents
from registry.models import Attachment, Document, Meeting, Registration, Status, StatusChange, Unit
from tests.factories import RegistrationFactory
from tests.papers import issue_registration_form
from tests.test_meetings import make_meeting

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n" + bytes(range(256))
TITLE = unicodedata.normalize("NFC", "Dân vận khéo: “nghe dân nói, nói dân hiểu” – Tiếng Việt đủ dấu ỹ ỵ ừ")
MODELS = (Unit, Registration, Attachment, Document, Meeting, StatusChange, get_user_model())


def run(command, *args, **options) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def data(chi_bo, dang_bo, year, secretary, approver):
    active = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title=TITLE)
    attachment = Attachment.objects.create(
        registration=active, file=SimpleUploadedFile("minh-chung.pdf", PDF), original_name="minh chứng.pdf",
        content_type="application/pdf", size=len(PDF),
    )  # fmt: skip
    document = issue_registration_form(active, secretary)
    meeting = make_meeting(approver, dang_bo, year, entries=[(active, 6, 0)])
    return {"active": active, "attachment": attachment, "document": document, "meeting": meeting}


def snapshot() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


# Flushing needs its own transactions: inside a test's transaction PostgreSQL refuses TRUNCATE while deferred
# foreign-key checks are pending. reference_data re-seeds the lĩnh vực and criteria the flush removes.
@pytest.mark.django_db(transaction=True)
def test_round_trip_loses_nothing(reference_data, data, tmp_path):
    archive = tmp_path / "sao-luu.zip"
    counts = snapshot()
    paths = dict(Unit.objects.values_list("code", "path"))
    document = Document.objects.get(pk=data["document"].pk)
    attachment_name = data["attachment"].file.name
    password = get_user_model().objects.get(username="bithu").password
    issued_bytes = documents.pdf_bytes(document)

    # The evidence file and the issued document's stored PDF.
    assert "Đã sao lưu dữ liệu và 2 tệp" in run("backup_data", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert Unit.objects.count() == 0

    assert "Đã khôi phục dữ liệu và 2 tệp" in run("restore_data", str(archive))
    assert snapshot() == counts
    assert dict(Unit.objects.values_list("code", "path")) == paths
    assert Registration.objects.get(pk=data["active"].pk).title == TITLE
    restored = Document.objects.get(pk=document.pk)
    assert restored.snapshot == document.snapshot
    assert restored.verification_code == document.verification_code
    assert documents.pdf_bytes(restored) == issued_bytes
    attachment = Attachment.objects.get(pk=data["attachment"].pk)
    assert attachment.file.name == attachment_name
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF
    assert get_user_model().objects.get(username="bithu").password == password
    assert Unit.objects.get_tree().count() == counts["Unit"]  # treebeard reads the restored paths


def test_the_archive_holds_the_json_and_no_content_types(data, tmp_path):
    archive = tmp_path / "sao-luu.zip"
    run("backup_data", str(archive))
    with zipfile.ZipFile(archive) as zf:
        text = zf.read("data.json").decode()
        assert any(name.startswith("media/attachments/") or name.startswith("media/") for name in zf.namelist())
    assert '"contenttypes.contenttype"' not in text
    assert '"sessions.session"' not in text
    assert '"admin.logentry"' not in text
    assert TITLE in text


def test_restore_into_a_database_with_data_is_refused_without_force(data, tmp_path):
    archive = tmp_path / "sao-luu.zip"
    run("backup_data", str(archive))
    with pytest.raises(CommandError, match="Cơ sở dữ liệu đã có dữ liệu; chỉ khôi phục vào cơ sở dữ liệu trống"):
        run("restore_data", str(archive))


@pytest.mark.django_db(transaction=True)
def test_restore_with_force_replaces_the_data(reference_data, data, tmp_path):
    archive = tmp_path / "sao-luu.zip"
    run("backup_data", str(archive))
    Registration.objects.filter(pk=data["active"].pk).update(title="Đã sửa sau sao lưu")
    run("restore_data", str(archive), force=True)
    assert Registration.objects.get(pk=data["active"].pk).title == TITLE


def test_a_file_that_is_not_a_zip_is_refused_in_vietnamese(db, tmp_path):
    bad = tmp_path / "hong.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="Tệp sao lưu không phải tệp .zip hợp lệ."):
        run("restore_data", str(bad))


def test_a_member_escaping_media_root_is_refused(db, tmp_path):
    bad = tmp_path / "doc.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("data.json", "[]")
        zf.writestr("media/../../ngoai.txt", "x")
    with pytest.raises(CommandError, match="Tệp sao lưu chứa đường dẫn không hợp lệ"):
        run("restore_data", str(bad))
