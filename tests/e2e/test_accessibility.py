"""Accessibility in a real browser: axe-core (WCAG 2.1 A/AA, tests/e2e/assets/axe.min.js) finds no critical or
serious violation on the pages that failed it, and what axe cannot judge (a button's text against its own
background, a visible keyboard focus) is checked by reading the computed styles."""

from registry.models import Status
from tests.e2e.conftest import axe_violations, login
from tests.factories import RegistrationFactory

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}


def test_signed_in_home_page_has_no_serious_violation(page, approver, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED)  # a row of the approver's inbox
    login(page, "danguy")
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto("/")
        assert axe_violations(page) == []


def test_meeting_form_labels_each_vote_input_with_its_entry(page, approver, chi_bo, dang_bo, year):
    reg = RegistrationFactory(
        subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Dân vận khéo ở bộ phận một cửa"
    )
    login(page, "danguy")
    page.goto(f"/hop-xet/tao/?unit={dang_bo.pk}&purpose=confirm_model&year=2025")
    page.get_by_label("Số phiếu đồng ý: Dân vận khéo ở bộ phận một cửa").fill("6")
    page.get_by_label("Số phiếu không đồng ý: Dân vận khéo ở bộ phận một cửa").fill("1")
    assert page.locator(f"input[name=votes_for_{reg.pk}]").input_value() == "6"
    assert axe_violations(page) == []


def test_scoring_form_save_draft_button_text_stands_out_from_its_background(page, appraiser, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.PROPOSED_KHOI)
    login(page, "bantuyengiao")
    page.goto(f"/tham-dinh/{reg.pk}/")
    button = page.get_by_role("button", name="Lưu nháp")
    colour, background = button.evaluate("b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]")
    assert colour == "rgb(13, 110, 253)"  # Bootstrap's primary blue, 4.5:1 on white
    assert background == "rgba(0, 0, 0, 0)"  # transparent: the white card shows through
    assert axe_violations(page) == []


def test_keyboard_focus_on_a_navbar_link_is_outlined(page, secretary):
    login(page, "bithu")
    page.set_viewport_size(DESKTOP)
    page.goto("/mo-hinh/")
    page.locator(".portal-navbar .navbar-brand").focus()
    page.keyboard.press("Tab")  # moves to "Việc cần làm", the first link of the menu
    focused = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.textContent.trim(), s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    assert focused[0].startswith("Việc cần làm")
    assert focused[1:] == ["solid", "3px", "rgb(255, 255, 255)"]
