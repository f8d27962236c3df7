"""The dashboard and the periodic report in the browser: a viewer reads the charts and tables and drills into a
unit; a unit's approver writes the 6-month report and downloads its PDF and .xlsx."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from registry.models import PeriodicReport, ReportPeriod, Status, SubjectKind
from tests.e2e.conftest import issue_on_page, login
from tests.factories import RegistrationFactory


def _data(chi_bo, agency, other_chi_bo, year):
    sent = datetime.datetime(2025, 2, 10, 9, 0, tzinfo=timezone.get_current_timezone())
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, submitted_at=sent)
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED, submitted_at=sent)
    RegistrationFactory(
        subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year, status=Status.SUBMITTED, submitted_at=sent
    )
    RegistrationFactory(subject_unit=other_chi_bo, year=year, status=Status.ACTIVE, submitted_at=sent)


def test_viewer_reads_charts_and_tables_and_drills_into_a_unit(
    page, viewer, chi_bo, agency, other_chi_bo, dang_bo, year
):
    _data(chi_bo, agency, other_chi_bo, year)
    login(page, "lanhdao")
    page.goto("/tong-quan/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tổng quan năm 2025")
    expect(page.locator("#bieu-do-trang-thai[data-chart-ready='1']")).to_have_count(1)
    expect(page.locator("canvas[data-chart-ready='1']")).to_have_count(5)
    status_table = page.get_by_role("table", name="Số mô hình theo trạng thái")
    expect(status_table.get_by_role("row", name="Đang thực hiện")).to_contain_text("2")
    expect(page.locator("#tong-so")).to_have_text("4")
    units = page.locator("#bang-don-vi")
    expect(units.get_by_role("row", name="Đảng bộ Sở Y tế")).to_contain_text("3")

    units.get_by_role("link", name="Đảng bộ Sở Y tế").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đảng bộ Sở Y tế")
    expect(page.locator("#tong-so")).to_have_text("3")
    expect(page.locator("#bang-don-vi").get_by_role("link", name="Chi bộ Phòng Nghiệp vụ Y")).to_be_visible()
    expect(page.get_by_text("Đảng bộ Sở Tài chính", exact=True)).to_have_count(0)


def test_approver_writes_the_half_year_report_and_downloads_it(page, approver, chi_bo, agency, other_chi_bo, year):
    _data(chi_bo, agency, other_chi_bo, year)
    login(page, "danguy")
    page.goto("/bao-cao-dinh-ky/?nam=2025&ky=half_year")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("6 tháng đầu năm 2025")
    page.get_by_label("I. Công tác lãnh đạo, chỉ đạo").fill("Đảng ủy ban hành Kế hoạch số 15-KH/ĐU.")
    page.get_by_label("III. Hạn chế, nguyên nhân").fill("Một số chi bộ đăng ký chậm.")
    page.get_by_label("IV. Phương hướng, nhiệm vụ thời gian tới").fill("Nhân rộng mô hình tiêu biểu.")
    page.get_by_role("button", name="Lưu nội dung báo cáo").click()
    expect(page.get_by_text("Đã lưu nội dung báo cáo.")).to_be_visible()
    report = PeriodicReport.objects.get(period=ReportPeriod.HALF_YEAR)
    assert report.leadership == "Đảng ủy ban hành Kế hoạch số 15-KH/ĐU."

    page.get_by_role("link", name="Tải PDF").click()  # not issued yet: its issue page, dated by the report's due day
    issue_on_page(page, signer="Nguyễn Văn An")
    with page.expect_download() as pdf_info:
        page.locator("#tai-van-ban").click()
    assert pdf_info.value.suggested_filename == "bao-cao-6-thang-2025-dang-bo-so-y-te.pdf"
    page.goto("/bao-cao-dinh-ky/?nam=2025&ky=half_year")
    with page.expect_download() as xlsx_info:
        page.get_by_role("link", name="Tải Excel (.xlsx)").click()
    assert xlsx_info.value.suggested_filename == "bao-cao-6-thang-2025-dang-bo-so-y-te.xlsx"


def test_on_a_phone_the_viewer_pages_through_child_units_and_drills_into_one(
    page, viewer, chi_bo, agency, other_chi_bo, dang_bo, year, monkeypatch
):
    monkeypatch.setattr("registry.dashboard.CHILDREN_PAGE_SIZE", 1)  # two child units: one a page
    _data(chi_bo, agency, other_chi_bo, year)
    page.set_viewport_size({"width": 360, "height": 780})
    login(page, "lanhdao")
    page.goto("/tong-quan/")
    units = page.locator("#bang-don-vi")
    expect(units.get_by_role("link", name="Đảng bộ Sở Tài chính")).to_be_visible()
    expect(units).to_contain_text("Đơn vị thứ 1–1 trong 2 đơn vị trực thuộc")

    page.get_by_role("link", name="Sau ›").click()
    expect(units.get_by_role("link", name="Đảng bộ Sở Y tế")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path="/tmp/h17rank_dashboard_360.png", full_page=True)

    units.get_by_role("link", name="Đảng bộ Sở Y tế").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đảng bộ Sở Y tế")
    expect(page.locator("#tong-so")).to_have_text("3")
