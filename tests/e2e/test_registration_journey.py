"""The first journey users live in (issue 3): a chi bộ secretary registers a Mẫu 2, the approver returns it with a
reason, the secretary fixes and resubmits, the approver receives it, the list finds it without diacritics and the
PDF downloads with the model's name in it."""

import io
import subprocess

from PIL import Image
from playwright.sync_api import expect

from registry.models import Registration, Status
from tests.e2e.conftest import issue_on_page, login, logout

TITLE = "Dân vận khéo: nghe dân nói, nói dân hiểu"


def photo_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (164, 22, 26)).save(buffer, "PNG")
    return buffer.getvalue()


def fill_mau_2(page, member) -> None:
    page.get_by_label("Đảng viên đăng ký").select_option(str(member.pk))
    page.get_by_label("Tên mô hình").fill(TITLE)
    page.get_by_label("Lĩnh vực").select_option(label="Xây dựng Đảng và hệ thống chính trị")
    page.get_by_label("Địa chỉ thực hiện").fill("Phường Phan Đình Phùng, thành phố Thái Nguyên")
    page.get_by_label("Thực trạng, lý do, sự cần thiết").fill("Người dân còn phải đi lại nhiều lần khi làm thủ tục.")
    page.get_by_label("Mục tiêu").fill("Giảm thời gian giải quyết thủ tục cho người dân.")
    page.get_by_label("Nội dung, giải pháp, cách thức thực hiện").fill("Hướng dẫn tận tình, tiếp nhận trực tuyến.")
    page.get_by_label("Địa bàn, đối tượng tác động hoặc thụ hưởng").fill("Người dân đến làm thủ tục.")
    page.get_by_label("Lực lượng thực hiện và phối hợp").fill("Công đoàn, Đoàn Thanh niên.")
    page.get_by_label("Thực hiện từ ngày").fill("01/03/2025")
    page.get_by_label("Đến ngày").fill("31/12/2025")
    page.get_by_label("Kết quả, sản phẩm dự kiến").fill("Không có hồ sơ trễ hạn.")
    page.get_by_label("Người phụ trách", exact=True).fill("Nguyễn Thị Hoa")


def act(page, action_label: str, reason: str | None = None) -> None:
    if reason is not None:
        page.get_by_label(f"Lý do “{action_label}”").fill(reason)
    page.get_by_role("button", name=action_label, exact=True).click()


def test_mau_2_is_registered_returned_fixed_received_found_and_printed(
    page, secretary, approver, member, year, tmp_path
):
    login(page, "bithu")
    page.goto("/mo-hinh/dang-ky/mau-2/")
    fill_mau_2(page, member)
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    reg = Registration.objects.get(title=TITLE)
    assert reg.status == Status.DRAFT

    page.get_by_label("Tệp minh chứng").set_input_files(
        {"name": "anh-hoat-dong.png", "mimeType": "image/png", "buffer": photo_png()}
    )
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator("img.attachment-thumb")).to_have_count(1)

    act(page, "Gửi đăng ký")
    expect(page.get_by_text("Đã gửi, chờ tiếp nhận").first).to_be_visible()
    logout(page)

    login(page, "danguy")
    page.goto(reg.get_absolute_url())
    act(page, "Trả lại", reason="Bổ sung chỉ tiêu đánh giá cụ thể.")
    expect(page.get_by_text("Trả lại để bổ sung").first).to_be_visible()
    logout(page)

    login(page, "bithu")
    page.goto(reg.get_absolute_url())
    expect(page.get_by_text("Bổ sung chỉ tiêu đánh giá cụ thể.").first).to_be_visible()
    page.get_by_role("link", name="Sửa").click()
    page.get_by_label("Chỉ tiêu đánh giá").fill("100% hồ sơ đúng hạn; 95% người dân hài lòng.")
    page.get_by_role("button", name="Lưu nháp").click()
    act(page, "Gửi đăng ký")
    expect(page.get_by_text("Đã gửi, chờ tiếp nhận").first).to_be_visible()
    logout(page)

    login(page, "danguy")
    page.goto(reg.get_absolute_url())
    act(page, "Tiếp nhận")
    expect(page.get_by_text("Đang thực hiện").first).to_be_visible()
    reg.refresh_from_db()
    assert reg.status == Status.ACTIVE
    assert [c.action for c in reg.status_changes.order_by("at", "pk")] == ["submit", "return", "submit", "receive"]

    page.goto("/mo-hinh/")
    page.get_by_label("Tìm kiếm").fill("dan van kheo nghe dan noi")
    page.get_by_label("Tìm kiếm").press("Enter")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()

    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="In PDF").click()  # not issued yet: its issue page
    issue_on_page(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải PDF đã ban hành").click()
    pdf_path = tmp_path / "mau-2.pdf"
    download_info.value.save_as(pdf_path)
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    assert "BẢN ĐĂNG KÝ" in text
    assert "nghe dân nói, nói dân hiểu" in text
