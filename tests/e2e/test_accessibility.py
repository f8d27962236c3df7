"""Accessibility in a real browser: axe-core (WCAG 2.1 A/AA, tests/e2e/assets/axe.min.js) finds no critical or
serious violation on the pages that failed it, and what axe cannot judge (a button's text against its own
background, a visible keyboard focus) is checked by reading the computed styles. Last, the README's walk
("Dùng thử theo vai trò"), role by role, at 1366 px and at a phone's 360 px: every page passes axe and no page
scrolls sideways on the phone."""

import datetime

import pytest

from registry.models import Meeting, MeetingEntry, Purpose, Status, SubjectKind, VotingMethod
from tests.e2e.conftest import axe_violations, login, logout
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


@pytest.fixture
def walk_data(chi_bo, dang_bo, member, year):
    """An entry at each step a role of the walk acts on, and a recorded meeting of the đảng ủy."""
    active = RegistrationFactory(
        subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Chi bộ hướng dẫn người cao tuổi dùng dịch vụ công"
    )
    RegistrationFactory(
        subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.DRAFT,
        title="Đảng viên hướng dẫn người cao tuổi dùng dịch vụ công trực tuyến",
    )  # fmt: skip
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED, title="Dân vận khéo ở bộ phận một cửa")
    proposed = RegistrationFactory(
        subject_unit=chi_bo, year=year, status=Status.PROPOSED_KHOI, title="Đồng hành cùng người bệnh nghèo"
    )
    meeting = Meeting.objects.create(
        unit=dang_bo, body="Ban Thường vụ Đảng ủy Sở Y tế", year=year, purpose=Purpose.CONFIRM_MODEL,
        held_on=datetime.date(2025, 10, 15), place="Hội trường Sở Y tế", members_total=7, members_present=6,
        chair_name="Trần Văn Bình", secretary_name="Lê Thị Mai", voting_method=VotingMethod.SHOW_OF_HANDS,
    )  # fmt: skip
    MeetingEntry.objects.create(meeting=meeting, registration=proposed, votes_for=6, votes_against=0)
    return {"active": active, "proposed": proposed, "meeting": meeting, "dang_bo": dang_bo, "year": year}


def walk_pages(data) -> dict[str, list[str]]:
    """The pages of the walk that every role opens, and the working pages of each role."""
    active, proposed, meeting = data["active"], data["proposed"], data["meeting"]
    common = [
        "/",
        "/mo-hinh/",
        f"/mo-hinh/{active.pk}/",
        "/hop-xet/",
        f"/hop-xet/{meeting.pk}/",
        "/tong-quan/?nam=2025",
        "/bao-cao-dinh-ky/",
        f"/van-ban/ban-hanh/mau_1/?mo_hinh={active.pk}",
        "/dien-hinh/",
        "/xac-thuc/",
    ]
    ranking = "/xep-hang/?nam=2025"  # the Ban Tuyên giáo's and the Khối leaders' page only
    return {
        "bithu": [*common, "/mo-hinh/dang-ky/mau-2/"],
        "danguy": [
            *common,
            "/hop-xet/tao/",  # starts from what waits for a decision
            f"/hop-xet/tao/?unit={data['dang_bo'].pk}&purpose=confirm_model&year=2025",
        ],
        "bantuyengiao": [*common, ranking, "/tham-dinh/", f"/tham-dinh/{proposed.pk}/"],
        "danguykhoi": [*common, ranking],
        "lanhdao": [*common, ranking],
    }


def test_every_page_of_the_readme_walk_is_accessible_and_fits_a_360px_phone_for_every_role(
    page, secretary, approver, appraiser, khoi_approver, viewer, walk_data
):
    """The README's accounts are the personas here: bithu.chibo → bithu, danguy.soyte → danguy, bantuyengiao,
    danguy.khoi → danguykhoi, lanhdao.khoi → lanhdao. One browser page for the whole walk; every problem is
    collected so that one run names them all."""
    problems = []
    for username, urls in walk_pages(walk_data).items():
        login(page, username)
        for url in urls:
            for viewport in (DESKTOP, PHONE):
                page.set_viewport_size(viewport)
                response = page.goto(url)
                where = f"{username} {url} @{viewport['width']}"
                if response.status != 200:
                    problems.append(f"{where}: HTTP {response.status}")
                problems.extend(f"{where}: {v}" for v in axe_violations(page))
                if viewport is PHONE:
                    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                    if widths[0] > widths[1]:
                        problems.append(f"{where}: {widths[0]} px wide")
        page.set_viewport_size(DESKTOP)  # the phone's menu hides the logout button
        page.goto("/")
        logout(page)
    assert problems == [], "\n".join(problems)
