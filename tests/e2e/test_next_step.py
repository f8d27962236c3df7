"""Every role finds its next step from its home page ("Việc cần làm") by visible labels only, at 1366 px and on a
360 px phone: the work queue names what waits, its link lands on the page where it is done, and both pages pass
axe-core (no critical or serious WCAG 2.1 A/AA violation) without scrolling sideways on the phone."""

import pytest
from playwright.sync_api import expect

from registry import workflow
from registry.models import Status, SubjectKind
from tests.appraisal_utils import propose
from tests.e2e.conftest import axe_violations, login
from tests.factories import RegistrationFactory

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "360px"])


def _checked(page) -> list[str]:
    """axe's blocking violations and a sideways scroll on the phone, as readable lines."""
    problems = [f"{page.url}: {v}" for v in axe_violations(page)]
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width > inner:
        problems.append(f"{page.url}: {width} px wide at {inner} px")
    return problems


def _home(page, username, viewport):
    page.set_viewport_size(viewport)
    login(page, username)
    page.goto("/")
    expect(page.get_by_role("heading", name="Việc cần làm", exact=True)).to_be_visible()
    return _checked(page)


def _queue(page, title):
    return page.get_by_role("region", name=title, exact=True)


@VIEWPORTS
def test_secretary_finds_the_returned_entry_and_its_reason_and_can_send_it_again(
    page, secretary, approver, chi_bo, year, viewport
):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, title="Chi bộ gần dân")
    workflow.apply(reg, "submit", actor=secretary)
    workflow.apply(reg, "return", actor=approver, reason="Thiếu kế hoạch chi tiết.")
    problems = _home(page, "bithu", viewport)

    queue = _queue(page, "Đăng ký, cập nhật hồ sơ")
    expect(queue.get_by_text("Hồ sơ bị trả lại, cần bổ sung rồi gửi lại")).to_be_visible()
    expect(queue.get_by_text("Lý do trả lại: Thiếu kế hoạch chi tiết.")).to_be_visible()
    queue.get_by_role("link", name="Chi bộ gần dân").click()

    expect(page.get_by_role("button", name="Gửi đăng ký", exact=True)).to_be_visible()
    assert problems + _checked(page) == []


@VIEWPORTS
def test_approver_finds_an_entry_to_receive_and_the_meeting_for_a_running_one(
    page, approver, chi_bo, member, year, viewport
):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED, title="Dân vận khéo ở một cửa")
    RegistrationFactory(
        subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.ACTIVE,
        title="Đảng viên hướng dẫn người cao tuổi",
    )  # fmt: skip
    problems = _home(page, "danguy", viewport)

    queue = _queue(page, "Tiếp nhận, họp xét, đề nghị")
    queue.get_by_role("link", name="Dân vận khéo ở một cửa").click()
    expect(page.get_by_role("button", name="Tiếp nhận", exact=True)).to_be_visible()
    problems += _checked(page)

    page.go_back()
    _queue(page, "Tiếp nhận, họp xét, đề nghị").get_by_role("link", name="Lập cuộc họp xét").first.click()
    waiting = page.get_by_role("region", name="Đang chờ họp xét (năm 2025 và trước)")
    expect(waiting.get_by_text("Đơn vị xét: Chi bộ Phòng Nghiệp vụ Y (Tập thể cấp ủy chi bộ)")).to_be_visible()
    problems += _checked(page)
    chi_bo_item = waiting.get_by_role("listitem").filter(has_text="Đơn vị xét: Chi bộ Phòng Nghiệp vụ Y")
    chi_bo_item.get_by_role("link", name="Lập cuộc họp").click()

    expect(page.get_by_label("Đảng viên hướng dẫn người cao tuổi", exact=True)).to_be_visible()
    expect(page.get_by_label("Tập thể xét")).to_have_value("Tập thể cấp ủy chi bộ")
    assert problems + _checked(page) == []


@VIEWPORTS
def test_appraiser_finds_the_proposal_to_score(page, appraiser, dang_bo, chi_bo, year, viewport):
    propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Đồng hành cùng người bệnh nghèo")
    problems = _home(page, "bantuyengiao", viewport)

    queue = _queue(page, "Thẩm định hồ sơ đề nghị (Ban Tuyên giáo)")
    expect(queue.get_by_text("Hồ sơ đề nghị chờ bạn chấm điểm")).to_be_visible()
    queue.get_by_role("link", name="Đồng hành cùng người bệnh nghèo").click()

    expect(page.get_by_role("button", name="Lưu nháp")).to_be_visible()
    assert problems + _checked(page) == []


def test_appraisers_menu_item_opens_the_list_to_score(page, appraiser, dang_bo, chi_bo, year):
    propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Đồng hành cùng người bệnh nghèo")
    page.set_viewport_size(DESKTOP)
    login(page, "bantuyengiao")

    page.get_by_role("button", name="Rà soát, xác nhận").click()
    page.get_by_role("link", name="Thẩm định, xếp hạng").click()

    row = page.get_by_role("row", name="Đồng hành cùng người bệnh nghèo")
    expect(row.get_by_role("link", name="Chấm điểm")).to_be_visible()


@VIEWPORTS
def test_khoi_committee_finds_the_appraised_entry_for_its_meeting(page, khoi_approver, chi_bo, year, viewport):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED, title="Tủ thuốc nhân đạo")
    problems = _home(page, "danguykhoi", viewport)

    _queue(page, "Ban Thường vụ Đảng ủy Khối").get_by_role("link", name="Lập cuộc họp Ban Thường vụ").click()

    expect(page.get_by_label("Tủ thuốc nhân đạo", exact=True)).to_be_visible()
    expect(page.get_by_label("Tập thể xét")).to_have_value("Ban Thường vụ Đảng ủy Khối")
    assert problems + _checked(page) == []


@VIEWPORTS
def test_leader_finds_the_entries_by_status_from_the_home_page(page, viewer, chi_bo, year, viewport):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Tủ thuốc nhân đạo")
    problems = _home(page, "lanhdao", viewport)

    page.get_by_role("table").get_by_role("link", name="Đang thực hiện").click()

    expect(page.get_by_role("link", name="Tủ thuốc nhân đạo")).to_be_visible()
    assert problems + _checked(page) == []


@VIEWPORTS
def test_choosing_a_unit_that_cannot_decide_says_which_unit_can_beside_the_field(
    page, approver, dang_bo, member, year, viewport
):
    RegistrationFactory(
        subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.ACTIVE,
        title="Đảng viên hướng dẫn người cao tuổi",
    )  # fmt: skip
    page.set_viewport_size(viewport)
    login(page, "danguy")
    page.goto("/hop-xet/tao/")

    page.get_by_label("Đơn vị xét").select_option(str(dang_bo.pk))
    page.get_by_role("button", name="Hiển thị danh sách xét").click()

    unit = page.get_by_label("Đơn vị xét")
    expect(unit).to_have_attribute("aria-invalid", "true")
    message = page.get_by_text("“Đảng viên hướng dẫn người cao tuổi” do Chi bộ Phòng Nghiệp vụ Y xét")
    expect(message).to_be_in_viewport()
    assert _checked(page) == []
