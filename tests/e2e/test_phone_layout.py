"""On a 360 px phone the lists keep their essential columns (the name, with what identifies it underneath, and the
status) and fit the screen; on a desktop every column is back."""

from playwright.sync_api import expect

from registry.models import Status
from tests.e2e.conftest import login
from tests.factories import RegistrationFactory

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
TITLE = "Dân vận khéo trong tiếp nhận, giải quyết thủ tục hành chính cho người dân"


def fits(page, selector: str) -> bool:
    return page.evaluate(
        "s => { const t = document.querySelector(s); return t.scrollWidth <= t.parentElement.clientWidth"
        " && document.documentElement.scrollWidth <= window.innerWidth; }",
        selector,
    )


def test_entries_list_on_a_phone_shows_name_subject_and_status_without_scrolling_sideways(page, approver, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.PROPOSED_KHOI, title=TITLE)
    login(page, "danguy")
    page.set_viewport_size(PHONE)
    page.goto("/mo-hinh/")
    table = page.locator("#bang-mo-hinh")
    expect(table.get_by_role("columnheader")).to_have_text(["Tên mô hình", "Trạng thái"])
    row = table.locator("tbody tr").first
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text("Chi bộ Phòng Nghiệp vụ Y · 2025")
    expect(row).to_contain_text("Đề nghị điển hình cấp Đảng bộ Khối")
    assert fits(page, "#bang-mo-hinh")

    page.set_viewport_size(DESKTOP)
    expect(table.get_by_role("columnheader")).to_have_count(8)


def test_home_tables_fit_a_phone_for_the_approver(page, approver, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED, title=TITLE)
    login(page, "danguy")
    page.set_viewport_size(PHONE)
    page.goto("/")
    waiting = page.locator("#cho-tiep-nhan table")
    expect(waiting.get_by_role("columnheader")).to_have_text(["Tên mô hình", "Ngày gửi", "Nộp muộn"])
    expect(waiting.locator("tbody tr").first).to_contain_text(TITLE)
    assert fits(page, "#cho-tiep-nhan table")
