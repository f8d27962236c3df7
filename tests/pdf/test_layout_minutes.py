"""Minutes say when the meeting began and ended and who was absent, plainly (issue #11); their subject carries
the year; the meeting form takes the two times."""

import datetime

import pytest
from django.http import QueryDict

from registry import documents
from registry.meeting_forms import MeetingForm
from registry.models import Purpose, Status
from registry.papers import catalogue
from tests.factories import RegistrationFactory
from tests.pdf.utils import pdf_text
from tests.test_meetings import make_meeting


def _minutes_text(user, meeting) -> str:
    return " ".join(pdf_text(documents.draft_pdf(catalogue.meeting_subjects(meeting, user)[0])).split())


@pytest.fixture
def active(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Tiếp dân tận tình")


def test_minutes_print_the_start_time(approver, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)], starts_at=datetime.time(8, 0))
    assert "Thời gian: 08 giờ 00 phút, ngày 10/10/2025." in _minutes_text(approver, meeting)


def test_minutes_print_the_end_time(approver, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)], ends_at=datetime.time(10, 30))
    assert "Cuộc họp kết thúc vào hồi 10 giờ 30 phút cùng ngày." in _minutes_text(approver, meeting)


def test_minutes_leave_blanks_only_for_unknown_times(approver, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)], starts_at=datetime.time(14, 5))
    text = _minutes_text(approver, meeting)
    assert "Thời gian: 14 giờ 05 phút, ngày 10/10/2025." in text
    assert "Cuộc họp kết thúc vào hồi …… giờ …… phút cùng ngày." in text


def test_minutes_print_absences_with_their_reason(approver, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)])
    text = _minutes_text(approver, meeting)
    assert "Tổng số thành viên: 07; có mặt: 06; vắng: 01 (đồng chí Lê Văn C đi công tác)." in text


def test_minutes_say_no_one_was_absent(approver, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)], members_present=7, absence_note="")
    text = _minutes_text(approver, meeting)
    assert "có mặt: 07; vắng: không." in text
    assert "vắng: 0" not in text and "00" not in text


@pytest.mark.parametrize(
    ("purpose", "status", "subject"),
    [
        (Purpose.CONFIRM_MODEL, Status.ACTIVE, "họp xét, xác nhận mô hình “Dân vận khéo” năm 2025"),
        (Purpose.CONFIRM_EXEMPLAR_BASE, Status.CONFIRMED, "xác nhận điển hình “Dân vận khéo” cấp cơ sở năm 2025"),
    ],
)
def test_minutes_subject_carries_the_year(approver, dang_bo, chi_bo, year, purpose, status, subject):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=status)
    meeting = make_meeting(approver, dang_bo, year, [(reg, 5, 1)], purpose=purpose)
    assert subject in _minutes_text(approver, meeting)


def test_khoi_minutes_subject_carries_the_year(khoi_approver, khoi, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED)
    meeting = make_meeting(
        khoi_approver, khoi, year, [(reg, 9, 0)], purpose=Purpose.CONFIRM_EXEMPLAR_KHOI, members_total=11,
        members_present=9,
    )  # fmt: skip
    text = _minutes_text(khoi_approver, meeting)
    assert "họp xét, xác nhận điển hình “Dân vận khéo” cấp Đảng bộ Khối năm 2025" in text


def _form(user, unit, year, eligible, **data):
    values = {
        "body": "Ban Thường vụ Đảng ủy", "held_on": "10/10/2025", "place": "Phòng họp", "members_total": "7",
        "members_present": "7", "chair_name": "Nguyễn Văn An", "secretary_name": "Trần Thị Bích",
        "voting_method": "show_of_hands", "pass_rule": "members", "entries": [str(eligible[0].pk)],
        f"votes_for_{eligible[0].pk}": "6", f"votes_against_{eligible[0].pk}": "1", **data,
    }  # fmt: skip
    query = QueryDict(mutable=True)
    for key, value in values.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return MeetingForm(query, user=user, unit=unit, purpose=Purpose.CONFIRM_MODEL, year=year, eligible=eligible)


def test_meeting_form_takes_start_and_end_times(approver, dang_bo, year, active):
    form = _form(approver, dang_bo, year, [active], starts_at="08:00", ends_at="10:30")
    assert form.fields["starts_at"].label == "Giờ bắt đầu" and form.fields["ends_at"].label == "Giờ kết thúc"
    assert form.is_valid(), form.errors
    data = form.meeting_data()
    assert (data["starts_at"], data["ends_at"]) == (datetime.time(8, 0), datetime.time(10, 30))


def test_meeting_form_times_are_optional(approver, dang_bo, year, active):
    form = _form(approver, dang_bo, year, [active])
    assert form.is_valid(), form.errors
    assert form.meeting_data()["starts_at"] is None


def test_meeting_form_refuses_an_end_before_the_start(approver, dang_bo, year, active):
    form = _form(approver, dang_bo, year, [active], starts_at="10:00", ends_at="09:00")
    assert not form.is_valid()
    assert form.errors["ends_at"] == ["Giờ kết thúc phải sau giờ bắt đầu."]


def test_minutes_do_not_repeat_the_absent_count_typed_in_the_note(approver, dang_bo, year, active):
    meeting = make_meeting(
        approver, dang_bo, year, [(active, 5, 1)], absence_note="Vắng 01 đồng chí (đi công tác, có lý do)."
    )
    assert "vắng: 01 (đồng chí – đi công tác, có lý do)." in _minutes_text(approver, meeting)
