"""Public pages (verification, showcase) show nothing private and never fail; scan upload and publishing by persona."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from registry.models import Attachment, Document, Registration, Status, StatusChange, SubjectKind, YearlyReview
from registry.papers import registrations as pdf_context
from registry.views import public
from tests.factories import RegistrationFactory, UserFactory
from tests.papers import issue_registration_form
from tests.pdf.utils import pdf_text

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
TITLE = "Dân vận khéo: nghe dân nói, nói dân hiểu"
NOT_FOUND = "Không tìm thấy văn bản có mã này."
LOCKED = "Văn bản đã khóa (đã có bản ký, đóng dấu); không thể tải lên bản khác."
# Private details of the fixtures: the person's phone, birth date and party join date; the lead's phone.
PRIVATE = ["0912345678", "0987654321", "17/05/1985", "1985-05-17", "03/03/2010"]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def attach(reg, name: str, content: bytes, content_type: str) -> Attachment:
    return Attachment.objects.create(
        registration=reg, file=SimpleUploadedFile(name, content), original_name=name, content_type=content_type,
        size=len(content),
    )  # fmt: skip


def _fresh(reg):
    return Registration.objects.select_related(*pdf_context.REGISTRATION_RELATED).get(pk=reg.pk)


@pytest.fixture
def individual(member, year):
    """A public Khối exemplar of a party member, with a return in its history and two files."""
    reg = RegistrationFactory(
        subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, title=TITLE,
        status=Status.EXEMPLAR_KHOI, is_public=True,
    )  # fmt: skip
    StatusChange.objects.create(
        registration=reg, action="return", from_status=Status.SUBMITTED, to_status=Status.RETURNED,
        actor=UserFactory(username="ghinhan"),
        reason="Lý do trả lại bí mật: thiếu chữ ký.",
    )  # fmt: skip
    YearlyReview.objects.create(registration=reg, year=year, results="Giải quyết 1.200 hồ sơ đúng hạn.")
    attach(reg, "bien-ban-noi-bo.pdf", PDF, "application/pdf")
    attach(reg, "anh-hoat-dong-rieng.png", PNG, "image/png")
    return reg


@pytest.fixture
def draft(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, title="Bản nháp chưa gửi của chi bộ")


@pytest.fixture
def collective(chi_bo, year):
    return RegistrationFactory(
        subject_unit=chi_bo, year=year, title="Một cửa thân thiện", status=Status.EXEMPLAR_BASE, is_public=False
    )


@pytest.fixture
def document(collective, secretary):
    return issue_registration_form(collective, secretary, number="12-ĐK/CB")


# --- Verification ------------------------------------------------------------------------------------------------


def test_known_code_confirms_the_document_to_anyone(client, document, chi_bo):
    response = client.get(reverse("registry:document-verify", args=[document.verification_code]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Văn bản hợp lệ" in text
    for fact in (
        "CHI BỘ PHÒNG NGHIỆP VỤ Y",
        "Mẫu 1 – Bản đăng ký mô hình của tổ chức đảng",
        "12-ĐK/CB",
        "Một cửa thân thiện",
    ):
        assert fact in text
    assert document.issued_on.strftime("%d/%m/%Y") in text
    assert "Chưa có bản đã ký, đóng dấu trên hệ thống." in text
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_verification_page_shows_no_snapshot_content_or_private_details(client, member, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, title=TITLE)
    doc = issue_registration_form(reg)
    text = client.get(reverse("registry:document-verify", args=[doc.verification_code])).content.decode()
    assert "Văn bản hợp lệ" in text
    for private in [*PRIVATE, reg.situation, reg.content, reg.objectives, "Trần Văn Bình", "Chuyên viên"]:
        assert private not in text


def test_code_typed_in_lower_case_with_spaces_is_found(client, document):
    code = document.verification_code.lower()
    response = client.get(reverse("registry:document-verify", args=[f"{code[:5]} {code[5:]}"]))
    assert response.status_code == 200 and "Văn bản hợp lệ" in response.content.decode()


def test_locked_document_says_its_signed_scan_is_on_file(client, document):
    Document.objects.filter(pk=document.pk).update(locked_at="2025-04-03T08:00:00+07:00")
    text = client.get(reverse("registry:document-verify", args=[document.verification_code])).content.decode()
    assert "Đã lưu bản đã ký, đóng dấu (văn bản đã khóa, không thể sửa nội dung) từ ngày 03/04/2025." in text


def test_altered_code_says_no_such_document_with_404(client, document):
    code = document.verification_code
    changed = code[:-1] + ("A" if code[-1] != "A" else "B")
    response = client.get(reverse("registry:document-verify", args=[changed]))
    assert response.status_code == 404
    text = response.content.decode()
    assert NOT_FOUND in text and "Văn bản hợp lệ" not in text


@pytest.mark.parametrize(
    "path",
    [
        "/xac-thuc/KHONGCOMA2/",
        "/xac-thuc/%3Cscript%3Ealert(1)%3C%3Bscript%3E/",
        "/xac-thuc/ABC'%20OR%201=1--/",
        "/xac-thuc/%00%FF%FE/",
        "/xac-thuc/" + "A" * 1000 + "/",
        "/xac-thuc/%C4%90%E1%BA%A2NG/",
    ],
)
def test_odd_or_overlong_codes_get_the_same_404_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


def test_code_with_a_slash_gets_the_404_page_from_the_view(rf, db):
    # The URL pattern <str:code> stops at "/"; the view itself answers such a code like any other unknown one.
    response = public.document_verify(rf.get("/xac-thuc/x/"), code="<script>/x")
    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


def test_lookup_form_redirects_a_typed_code_to_its_page(client, db):
    response = client.get(reverse("registry:verify-lookup"), {"code": " abcde fghjk "})
    assert response.status_code == 302
    assert response["Location"] == "/xac-thuc/ABCDEFGHJK/"


def test_lookup_form_explains_a_malformed_code(client, db):
    response = client.get(reverse("registry:verify-lookup"), {"code": "xyz"})
    assert response.status_code == 200
    assert "Mã xác thực gồm 10 ký tự chữ và số, in ở cuối văn bản (ví dụ: ABCD234EFG)." in response.content.decode()


def test_lookup_form_is_public(client, db):
    response = client.get(reverse("registry:verify-lookup"))
    assert response.status_code == 200 and "Mã xác thực" in response.content.decode()


# --- Showcase ----------------------------------------------------------------------------------------------------


def test_gallery_lists_public_exemplars_only(client, individual, collective, draft):
    response = client.get(reverse("registry:showcase-list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "nghe dân nói, nói dân hiểu" in text
    assert "Một cửa thân thiện" not in text  # an exemplar its unit did not publish
    assert "Bản nháp chưa gửi của chi bộ" not in text
    photo = individual.attachments.get(content_type="image/png")
    assert reverse("registry:showcase-photo", args=[individual.pk, photo.pk]) in text


def test_gallery_finds_an_entry_searched_without_diacritics(client, individual):
    text = client.get(reverse("registry:showcase-list"), {"q": "nghe dan noi"}).content.decode()
    assert "nghe dân nói, nói dân hiểu" in text
    text = client.get(reverse("registry:showcase-list"), {"q": "khong co gi"}).content.decode()
    assert "Không có điển hình nào phù hợp với tìm kiếm." in text


@pytest.mark.parametrize(
    "params",
    [
        {"nam": "abc"},
        {"nam": "1999"},
        {"don_vi": "999999"},
        {"don_vi": "x' or 1=1"},
        {"linh_vuc": "khong-co"},
        {"page": "zzz"},
        {"page": "99999"},
        {"q": "x" * 1000},
        {"q": "\x00"},
    ],
)
def test_gallery_survives_bad_filter_values(client, individual, params):
    response = client.get(reverse("registry:showcase-list"), params)
    assert response.status_code == 200


def test_gallery_paginates_twelve_a_page(client, chi_bo, year):
    for i in range(13):
        RegistrationFactory(
            subject_unit=chi_bo, year=year, title=f"Điển hình số {i:02d}", status=Status.EXEMPLAR_BASE, is_public=True
        )
    first = client.get(reverse("registry:showcase-list")).content.decode()
    second = client.get(reverse("registry:showcase-list"), {"page": 2}).content.decode()
    assert first.count('class="card h-100"') == 12
    assert second.count('class="card h-100"') == 1
    assert "13 điển hình" in first


def test_entry_page_shows_summary_results_and_photos(client, individual):
    response = client.get(reverse("registry:showcase-detail", args=[individual.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    for fact in (TITLE, "Nguyễn Thị Hoa, Chuyên viên", "Điển hình cấp Đảng bộ Khối", individual.unit.name,
                   individual.field.name, individual.situation, individual.objectives, individual.content,
                   individual.expected_results, "Giải quyết 1.200 hồ sơ đúng hạn."):  # fmt: skip
        assert fact in text
    photo = individual.attachments.get(content_type="image/png")
    assert reverse("registry:showcase-photo", args=[individual.pk, photo.pk]) in text


def test_entry_page_shows_nothing_private(client, individual):
    text = client.get(reverse("registry:showcase-detail", args=[individual.pk])).content.decode()
    for private in [*PRIVATE, "Trần Văn Bình", "Lý do trả lại bí mật", "bien-ban-noi-bo.pdf",
                    "anh-hoat-dong-rieng.png", "Bí thư chi bộ", "Nơi sinh", "Đăng xuất"]:  # fmt: skip
        assert private not in text
    document = individual.attachments.get(content_type="application/pdf")
    assert reverse("registry:showcase-photo", args=[individual.pk, document.pk]) not in text


@pytest.mark.parametrize("changes", [{"is_public": False}, {"status": Status.ACTIVE}])
def test_unpublished_entry_is_a_vietnamese_404(client, individual, changes):
    Registration.objects.filter(pk=individual.pk).update(**changes)
    response = client.get(reverse("registry:showcase-detail", args=[individual.pk]))
    assert response.status_code == 404
    text = response.content.decode()
    assert "Không tìm thấy điển hình này, hoặc điển hình chưa được công khai." in text
    assert TITLE not in text


def test_unknown_entry_is_a_404(client, db):
    assert client.get(reverse("registry:showcase-detail", args=[987654])).status_code == 404


def test_photo_of_a_public_entry_is_served_inline(client, individual):
    photo = individual.attachments.get(content_type="image/png")
    response = client.get(reverse("registry:showcase-photo", args=[individual.pk, photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "anh-hoat-dong-rieng" not in response.get("Content-Disposition", "")
    assert b"".join(response.streaming_content) == PNG


def test_a_file_that_is_not_an_image_is_never_served(client, individual):
    document = individual.attachments.get(content_type="application/pdf")
    assert client.get(reverse("registry:showcase-photo", args=[individual.pk, document.pk])).status_code == 404


def test_photo_of_an_unpublished_entry_is_a_404(client, individual):
    photo = individual.attachments.get(content_type="image/png")
    Registration.objects.filter(pk=individual.pk).update(is_public=False)
    assert client.get(reverse("registry:showcase-photo", args=[individual.pk, photo.pk])).status_code == 404


# --- Scan upload -------------------------------------------------------------------------------------------------


def post_scan(client, document, name="scan.pdf", content=PDF):
    url = reverse("registry:document-scan-upload", args=[document.pk])
    return client.post(url, {"scan": SimpleUploadedFile(name, content)})


def test_secretary_uploads_the_signed_scan_and_the_document_locks(client, secretary, document, collective):
    client.force_login(secretary)
    response = post_scan(client, document)
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:registration-detail", args=[collective.pk]) + "#van-ban"
    stored = Document.objects.get(pk=document.pk)
    assert stored.is_locked and stored.scan
    assert messages_of(response) == [f"Đã lưu bản đã ký của {stored}; văn bản đã được khóa."]


def test_second_scan_upload_is_refused_with_a_message(client, secretary, document):
    client.force_login(secretary)
    post_scan(client, document)
    first = Document.objects.get(pk=document.pk)
    response = post_scan(client, document, "scan2.png", PNG)
    assert messages_of(response)[-1] == LOCKED
    again = Document.objects.get(pk=document.pk)
    assert (again.scan.name, again.locked_at) == (first.scan.name, first.locked_at)


def test_scan_of_a_wrong_type_is_refused_with_a_message(client, secretary, document):
    client.force_login(secretary)
    response = post_scan(client, document, "scan.docx", b"PK\x03\x04" + b"\x00" * 50)
    assert messages_of(response) == ["Bản đã ký chỉ nhận tệp PDF, JPEG hoặc PNG (tối đa 10 MB)."]
    assert not Document.objects.get(pk=document.pk).is_locked


def test_post_without_a_file_asks_for_one(client, secretary, document):
    client.force_login(secretary)
    response = client.post(reverse("registry:document-scan-upload", args=[document.pk]))
    assert messages_of(response) == ["Vui lòng chọn tệp bản đã ký để tải lên."]


def test_outsider_gets_404_uploading_a_scan_by_url(client, outsider, document):
    client.force_login(outsider)
    assert post_scan(client, document).status_code == 404
    assert not Document.objects.get(pk=document.pk).is_locked


def test_viewer_is_forbidden_to_upload_a_scan(client, viewer, document):
    client.force_login(viewer)
    assert post_scan(client, document).status_code == 403
    assert not Document.objects.get(pk=document.pk).is_locked


def test_anonymous_scan_upload_goes_to_login(client, document):
    response = post_scan(client, document)
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert not Document.objects.get(pk=document.pk).is_locked


def test_scan_upload_by_get_is_not_allowed(client, secretary, document):
    client.force_login(secretary)
    assert client.get(reverse("registry:document-scan-upload", args=[document.pk])).status_code == 405


def test_reprint_of_a_locked_document_is_its_snapshot(client, secretary, document, collective):
    client.force_login(secretary)
    post_scan(client, document)
    Registration.objects.filter(pk=collective.pk).update(title="Tên sửa lại sau khi đã ký")
    response = client.get(reverse("registry:document-pdf", args=[document.pk]))
    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content) if response.streaming else response.content)
    assert "Một cửa thân thiện" in text and "Tên sửa lại sau khi đã ký" not in text
    assert Document.objects.get(pk=document.pk).subject == "Một cửa thân thiện"


# --- Publishing --------------------------------------------------------------------------------------------------


def publish(client, reg, value="1"):
    return client.post(reverse("registry:registration-publish", args=[reg.pk]), {"is_public": value})


def test_secretary_of_the_unit_publishes_an_exemplar(client, secretary, collective):
    client.force_login(secretary)
    response = publish(client, collective)
    assert response.status_code == 302 and response["Location"] == collective.get_absolute_url()
    assert Registration.objects.get(pk=collective.pk).is_public is True
    assert messages_of(response) == ["Đã công khai điển hình trên trang giới thiệu."]
    assert client.get(reverse("registry:showcase-detail", args=[collective.pk])).status_code == 200


def test_secretary_takes_an_exemplar_off_the_showcase(client, secretary, collective):
    Registration.objects.filter(pk=collective.pk).update(is_public=True)
    client.force_login(secretary)
    response = publish(client, collective, "0")
    assert Registration.objects.get(pk=collective.pk).is_public is False
    assert messages_of(response) == ["Đã thôi công khai điển hình; trang giới thiệu không còn hiển thị."]


def test_outsider_gets_404_publishing_by_url(client, outsider, collective):
    client.force_login(outsider)
    assert publish(client, collective).status_code == 404
    assert Registration.objects.get(pk=collective.pk).is_public is False


def test_viewer_is_forbidden_to_publish(client, viewer, collective):
    client.force_login(viewer)
    assert publish(client, collective).status_code == 403
    assert Registration.objects.get(pk=collective.pk).is_public is False


def test_an_entry_that_is_not_an_exemplar_is_not_published(client, secretary, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    client.force_login(secretary)
    response = publish(client, reg)
    assert messages_of(response) == [
        "Chỉ điển hình “Dân vận khéo” đã được xác nhận mới được công khai trên trang giới thiệu."
    ]
    assert Registration.objects.get(pk=reg.pk).is_public is False


@pytest.mark.parametrize("data", [{}, {"is_public": "yes"}])
def test_publish_with_a_bad_value_explains(client, secretary, collective, data):
    client.force_login(secretary)
    response = client.post(reverse("registry:registration-publish", args=[collective.pk]), data)
    assert response.status_code == 302
    assert len(messages_of(response)) == 1
    assert Registration.objects.get(pk=collective.pk).is_public is False


def test_anonymous_publish_goes_to_login(client, collective):
    response = publish(client, collective)
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


# --- The controls on the registration page -----------------------------------------------------------------------


def render_controls(user, reg) -> str:
    request = RequestFactory().get(reg.get_absolute_url())
    request.user = user
    template = Template("{% load public_tags %}{% public_controls registration %}")
    return template.render(Context({"request": request, "registration": reg}))


def test_secretary_sees_the_publish_toggle_and_the_scan_upload(secretary, collective, document):
    html = render_controls(secretary, collective)
    assert reverse("registry:registration-publish", args=[collective.pk]) in html
    assert "Công khai" in html
    assert reverse("registry:document-scan-upload", args=[document.pk]) in html
    assert "Tải bản đã ký" in html


def test_viewer_sees_neither_control(viewer, collective, document):
    html = render_controls(viewer, collective)
    assert reverse("registry:registration-publish", args=[collective.pk]) not in html
    assert reverse("registry:document-scan-upload", args=[document.pk]) not in html


def test_locked_document_offers_no_upload(secretary, collective, document):
    Document.objects.filter(pk=document.pk).update(locked_at="2025-04-03T08:00:00+07:00")
    html = render_controls(secretary, collective)
    assert reverse("registry:document-scan-upload", args=[document.pk]) not in html
    assert "Đã khóa 03/04/2025" in html
