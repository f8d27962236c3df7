"""The rest of the chain (issue 4) in the browser: a received model is confirmed by the đảng ủy's meeting, made a
grassroots exemplar, proposed to the Khối, appraised and ranked by the Ban Tuyên giáo, and confirmed a Khối exemplar
by the Ban Thường vụ; each step's PDF downloads and carries the model's name."""

import subprocess

from django.utils import timezone
from playwright.sync_api import expect

from registry.models import Criterion, Registration, Status
from tests.e2e.conftest import issue_on_page, login, logout
from tests.factories import RegistrationFactory, YearFactory

TITLE = "Dân vận khéo trong tiếp công dân"


def pdf_text_of_download(page, click, tmp_path, name: str) -> str:
    with page.expect_download() as download_info:
        click()
    path = tmp_path / name
    download_info.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def hold_meeting(page, *, unit, purpose: str, year, reg, members: int, votes_for: int, number: str) -> None:
    """Prepare a meeting for ``reg`` with the given votes, record it, then issue its decision as ``number`` and its
    minutes without a number (the văn thư writes it by hand); back on the meeting's page."""
    page.goto(f"/hop-xet/tao/?unit={unit.pk}&purpose={purpose}&year={year.year}")
    page.get_by_label("Ngày họp").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_label("Địa điểm").fill("Phòng họp tầng 2")
    page.get_by_label("Tổng số thành viên").fill(str(members))
    page.get_by_label("Số thành viên có mặt").fill(str(members))
    page.get_by_label("Chủ trì").fill("Nguyễn Văn Chủ")
    page.get_by_label("Thư ký").fill("Lê Thị Thư")
    page.get_by_label("Giơ tay").check()
    page.locator(f"#xet-{reg.pk}").check()
    page.locator(f"input[name=votes_for_{reg.pk}]").fill(str(votes_for))
    page.locator(f"input[name=votes_against_{reg.pk}]").fill(str(members - votes_for))
    page.get_by_role("button", name="Lưu cuộc họp").click()
    meeting_url = page.url
    page.get_by_role("button", name="Ghi kết quả").click()
    expect(page.locator("[data-recorded]")).to_be_visible()
    decision, minutes = page.locator("[data-issue-link]").nth(1), page.locator("[data-issue-link]").nth(0)
    minutes_link, decision_link = minutes.get_attribute("href"), decision.get_attribute("href")
    page.goto(decision_link)
    issue_on_page(page, number=number, signer="Nguyễn Văn Chủ")
    page.goto(minutes_link)
    issue_on_page(page)
    page.goto(meeting_url)


def status_of(reg) -> str:
    return Registration.objects.get(pk=reg.pk).status


def test_model_goes_from_received_to_khoi_exemplar_with_every_form_printed(
    page, approver, appraiser, khoi_approver, chi_bo, dang_bo, khoi, tmp_path
):
    year = YearFactory(year=timezone.localdate().year)
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, title=TITLE, status=Status.ACTIVE)
    assert reg.receiving_unit == dang_bo

    # 1. The đảng ủy's meeting confirms the model (Mẫu 5a, 5b).
    login(page, "danguy")
    hold_meeting(page, unit=dang_bo, purpose="confirm_model", year=year, reg=reg, members=9, votes_for=8,
                 number="12-QĐ/ĐU")  # fmt: skip
    assert status_of(reg) == Status.CONFIRMED
    decision = pdf_text_of_download(page, lambda: page.locator("#in-quyet-dinh").click(), tmp_path, "5b.pdf")
    assert "QUYẾT ĐỊNH" in decision and TITLE in decision
    minutes = pdf_text_of_download(page, lambda: page.locator("#in-bien-ban").click(), tmp_path, "5a.pdf")
    assert "BIÊN BẢN" in minutes and TITLE in minutes

    # 2. The same committee confirms it a grassroots exemplar (Mẫu 6a, 6b).
    hold_meeting(page, unit=dang_bo, purpose="confirm_exemplar_base", year=year, reg=reg, members=9, votes_for=7,
                 number="13-QĐ/ĐU")  # fmt: skip
    assert status_of(reg) == Status.EXEMPLAR_BASE

    # 3. It proposes the exemplar to the Khối (Mẫu 6b list).
    page.goto(f"/de-nghi-khoi/tao/?unit={dang_bo.pk}&year={year.year}")
    page.locator(f"#chon-{reg.pk}").check()
    page.get_by_role("button", name="Lưu danh sách").click()
    page.get_by_role("button", name="Gửi Đảng ủy Khối").click()
    page.get_by_role("link", name="Ban hành Mẫu 6b").click()
    issue_on_page(page, number="14", signer="Nguyễn Văn Chủ")
    assert status_of(reg) == Status.PROPOSED_KHOI
    listing = pdf_text_of_download(page, lambda: page.locator("#tai-van-ban").click(), tmp_path, "6b.pdf")
    assert "DANH SÁCH" in listing and TITLE in listing
    logout(page)

    # 4. The Ban Tuyên giáo scores it, submits and closes the appraisal; the ranking lists it (Mẫu 7a).
    login(page, "bantuyengiao")
    page.goto(reg.get_absolute_url())
    page.locator("#cham-diem-tham-dinh").click()
    page.get_by_label("Đầy đủ").check()
    for criterion in Criterion.objects.filter(group="collective"):
        page.locator(f"input[name=met_{criterion.pk}][value='1']").check()
        page.locator(f"input[name=score_{criterion.pk}]").fill(str(criterion.max_score - 2))
    page.get_by_label("Nhận xét").fill("Mô hình có tính lan tỏa, cách làm sáng tạo.")
    page.get_by_role("button", name="Nộp phiếu thẩm định").click()
    page.get_by_role("button", name="Hoàn thành thẩm định").click()
    expect(page.get_by_text("Đã thẩm định").first).to_be_visible()
    assert status_of(reg) == Status.APPRAISED

    page.goto(f"/xep-hang/?nam={year.year}")
    expect(page.locator("#bang-xep-hang")).to_contain_text(TITLE)
    page.get_by_label(f"Đề xuất {TITLE}").check()
    page.get_by_role("button", name="Báo cáo thẩm định (Mẫu 7a)").click()
    issue_on_page(page, number="5", signer="Trần Thị Ban")
    report = pdf_text_of_download(page, lambda: page.locator("#tai-van-ban").click(), tmp_path, "7a.pdf")
    assert "thẩm định hồ sơ" in report and TITLE in report
    logout(page)

    # 5. The Ban Thường vụ Đảng ủy Khối confirms the Khối exemplar (Mẫu 7b).
    login(page, "danguykhoi")
    hold_meeting(page, unit=khoi, purpose="confirm_exemplar_khoi", year=year, reg=reg, members=11, votes_for=10,
                 number="20-QĐ/ĐUK")  # fmt: skip
    assert status_of(reg) == Status.EXEMPLAR_KHOI
    decision = pdf_text_of_download(page, lambda: page.locator("#in-quyet-dinh").click(), tmp_path, "7b.pdf")
    assert "QUYẾT ĐỊNH" in decision and TITLE in decision

    # The entry's page shows every step and every document across the chain.
    page.goto(reg.get_absolute_url())
    expect(page.get_by_text("Điển hình cấp Đảng bộ Khối").first).to_be_visible()
    actions = list(Registration.objects.get(pk=reg.pk).status_changes.values_list("action", flat=True))
    assert actions == ["confirm", "confirm_exemplar_base", "propose_khoi", "finish_appraisal", "confirm_exemplar_khoi"]
    # Minutes and decision of the model meeting (5a, 5b) and of the exemplar meeting (6a, 6b), the list sent to the
    # Khối (6b), and the Khối's minutes and decision (7b): each its own paper.
    expect(page.locator("[data-documents] li")).to_have_count(7)
