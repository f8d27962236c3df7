"""The meeting form on a desktop: related fields share a line instead of leaving most of the page empty."""

from registry.models import Status
from tests.e2e.conftest import login
from tests.factories import RegistrationFactory


def top_of(page, label: str) -> float:
    return page.get_by_label(label, exact=True).bounding_box()["y"]


def test_meeting_form_uses_the_page_width_on_a_desktop(page, approver, chi_bo, dang_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    login(page, "danguy")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/hop-xet/tao/?unit={dang_bo.pk}&purpose=confirm_model&year=2025")
    assert top_of(page, "Tập thể xét*") == top_of(page, "Địa điểm*")
    assert top_of(page, "Ngày họp*") == top_of(page, "Tổng số thành viên*") == top_of(page, "Số thành viên có mặt*")
    assert top_of(page, "Chủ trì*") == top_of(page, "Thư ký*") == top_of(page, "Vắng và lý do")
    form = page.locator("#form-cuoc-hop").bounding_box()
    assert page.get_by_label("Địa điểm*", exact=True).bounding_box()["x"] > form["x"] + form["width"] / 2
