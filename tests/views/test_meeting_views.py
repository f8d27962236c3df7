"""Meeting pages by URL: preparing, recording, issuing and printing its papers, the registration panel, and what each
persona may do."""

import datetime

import pytest
from django.urls import reverse

from registry import documents, meetings
from registry.forms import MSG_INVALID_DATE
from registry.models import Document, Meeting, Purpose, Status, StatusChange, SubjectKind
from tests.factories import RegistrationFactory
from tests.pdf.utils import pdf_text
from tests.test_meetings import issue_decision, make_meeting

CREATE = reverse("registry:meeting-create")


@pytest.fixture
def active(chi_bo, year):
    return RegistrationFactory(
        subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Dân vận khéo ở bộ phận một cửa"
    )


def create_url(unit, purpose=Purpose.CONFIRM_MODEL, year=2025) -> str:
    return f"{CREATE}?unit={unit.pk}&purpose={purpose}&year={year}"


def post_data(entries: dict, **overrides) -> dict:
    data = {
        "body": "Ban Thường vụ Đảng ủy",
        "held_on": "10/10/2025",
        "place": "Phòng họp tầng 2",
        "members_total": "7",
        "members_present": "6",
        "absence_note": "",
        "chair_name": "Nguyễn Văn An",
        "secretary_name": "Trần Thị Bích",
        "voting_method": "show_of_hands",
        "pass_rule": "members",
        "conclusion": "Thống nhất.",
        "entries": [str(pk) for pk in entries],
    }
    for pk, (votes_for, votes_against) in entries.items():
        data[f"votes_for_{pk}"] = str(votes_for)
        data[f"votes_against_{pk}"] = str(votes_against)
    data.update(overrides)
    return data


def issue_url(code: str, meeting: Meeting) -> str:
    return f"{reverse('registry:document-issue', args=[code])}?hop={meeting.pk}"


def issue_data(**overrides) -> dict:
    """What the approver confirms on the decision's issue page."""
    data = {
        "number": "12",
        "issued_on": "12/10/2025",
        "signer_authority": "T/M BAN THƯỜNG VỤ",
        "signer_title": "BÍ THƯ",
        "signer_name": "Phạm Văn Đức",
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_login(client, settings):
    response = client.get(CREATE)
    assert response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_secretary_may_not_prepare_a_meeting(client, secretary):
    client.force_login(secretary)
    assert client.get(CREATE).status_code == 403


def test_approver_sees_the_eligible_entries_with_purpose_preselected(client, approver, dang_bo, active):
    client.force_login(approver)
    response = client.get(create_url(dang_bo))
    assert response.status_code == 200
    assert [row["registration"] for row in response.context["form"].rows] == [active]
    assert response.context["form"]["body"].initial == "Ban Thường vụ Đảng ủy"


def test_the_purpose_select_is_given_the_widest_column_of_the_choice(client, approver, dang_bo, active):
    """Its labels are long ("Xét, xác nhận điển hình “Dân vận khéo” cấp …"): equal thirds cut them at 1366 px."""
    client.force_login(approver)

    html = client.get(create_url(dang_bo)).content.decode()

    assert 'class="col-md-5 col-xl-6"' in html[: html.index('id="id_purpose"')]
    assert 'class="col-md-2"' in html[html.index('id="id_purpose"') : html.index('id="id_year"')]


def test_approver_creates_a_meeting_by_post(client, approver, dang_bo, active):
    client.force_login(approver)
    response = client.post(create_url(dang_bo), post_data({active.pk: (5, 1)}))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("registry:meeting-detail", args=[meeting.pk])
    assert list(meeting.entries.values_list("registration", "votes_for", "votes_against")) == [(active.pk, 5, 1)]
    active.refresh_from_db()
    assert active.status == Status.ACTIVE  # nothing applies before the results are recorded


def test_outsider_cannot_choose_a_unit_outside_their_scope(client, outsider, dang_bo, active):
    client.force_login(outsider)
    response = client.post(create_url(dang_bo), post_data({active.pk: (5, 1)}))
    assert response.status_code == 200
    assert response.context["choice"].errors["unit"] == [
        "Đơn vị không hợp lệ: hãy chọn một đơn vị bạn có quyền xét, xác nhận."
    ]
    assert not Meeting.objects.exists()


def test_an_ineligible_entry_slipped_into_the_post_is_a_form_error(client, approver, dang_bo, chi_bo, year, active):
    confirmed = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED, title="Đã xác nhận rồi")
    client.force_login(approver)
    response = client.post(create_url(dang_bo), post_data({active.pk: (5, 1), confirmed.pk: (5, 1)}))
    assert response.status_code == 200
    assert response.context["form"].errors["entries"] == [
        "Mô hình “Đã xác nhận rồi” không thuộc diện xét tại cuộc họp này."
    ]
    assert not Meeting.objects.exists()


def test_an_entry_of_another_branch_is_an_invalid_choice(client, approver, dang_bo, other_chi_bo, year, active):
    foreign = RegistrationFactory(subject_unit=other_chi_bo, year=year, status=Status.ACTIVE)
    client.force_login(approver)
    response = client.post(create_url(dang_bo), post_data({foreign.pk: (5, 1)}))
    assert response.status_code == 200
    assert response.context["form"].errors["entries"] == [
        "Lựa chọn không hợp lệ: mục này không có trong danh sách bạn được phép chọn."
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"members_present": "8"}, "members_present", "Số thành viên có mặt không được lớn hơn tổng số thành viên."),
        ({"held_on": "01/01/2099"}, "held_on", "Ngày họp không được ở tương lai."),
        ({"held_on": "31/02/2025"}, "held_on", MSG_INVALID_DATE),
    ],
)  # fmt: skip
def test_meeting_fields_are_validated_beside_the_field(client, approver, dang_bo, active, overrides, field, message):
    client.force_login(approver)
    response = client.post(create_url(dang_bo), post_data({active.pk: (5, 1)}, **overrides))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not Meeting.objects.exists()


def test_votes_beyond_those_present_are_refused_beside_the_votes(client, approver, dang_bo, active):
    client.force_login(approver)
    response = client.post(create_url(dang_bo), post_data({active.pk: (5, 2)}))
    assert response.context["form"].errors[f"votes_for_{active.pk}"] == [
        "Tổng số phiếu đồng ý và không đồng ý (7) không được lớn hơn số thành viên có mặt (6)."
    ]
    assert not Meeting.objects.exists()


def test_no_entry_chosen_is_refused(client, approver, dang_bo, active):
    client.force_login(approver)
    response = client.post(create_url(dang_bo), post_data({}))
    assert response.context["form"].errors["entries"] == ["Vui lòng chọn ít nhất một mô hình để xét."]


def test_garbage_input_never_gives_a_server_error(client, approver, dang_bo, active):
    client.force_login(approver)
    assert client.get(f"{CREATE}?unit=abc&purpose=x&year=99999999999999999999").status_code == 200
    response = client.post(create_url(dang_bo), post_data({active.pk: ("nhiều", "-1")}, members_total="x"))
    assert response.status_code == 200
    assert not Meeting.objects.exists()


# --- recording by URL -----------------------------------------------------------------------------------------


@pytest.fixture
def meeting(approver, dang_bo, year, active):
    return make_meeting(approver, dang_bo, year, [(active, 5, 1)])


def record_url(meeting: Meeting) -> str:
    return reverse("registry:meeting-record", args=[meeting.pk])


def test_approver_records_the_results_by_url(client, approver, meeting, active):
    client.force_login(approver)
    response = client.post(record_url(meeting), follow=True)
    assert response.status_code == 200
    active.refresh_from_db()
    assert active.status == Status.CONFIRMED
    assert "Đã ghi kết quả cuộc họp" in response.content.decode()


def test_recording_by_url_issues_no_paper(client, approver, meeting):
    client.force_login(approver)
    client.post(record_url(meeting))
    meeting.refresh_from_db()
    assert meeting.recorded_at is not None
    assert not Document.objects.filter(meeting=meeting).exists()


def test_recording_twice_by_url_shows_the_message(client, approver, meeting, active):
    client.force_login(approver)
    client.post(record_url(meeting))
    response = client.post(record_url(meeting), follow=True)
    assert "Cuộc họp này đã được ghi kết quả." in response.content.decode()
    assert StatusChange.objects.filter(registration=active).count() == 1


def test_an_entry_changed_meanwhile_is_reported_and_nothing_applies(client, approver, meeting, active):
    from registry import workflow

    workflow.apply(active, "stop", actor=approver, reason="Đơn vị sáp nhập.")
    client.force_login(approver)
    response = client.post(record_url(meeting), follow=True)
    assert "Không thể “Xác nhận mô hình” vì hồ sơ đang ở trạng thái “Dừng thực hiện”." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.recorded_at is None and not Document.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize("persona", ["secretary", "viewer", "chi_bo_approver"])
def test_who_sees_the_meeting_but_is_not_its_approver_cannot_record(client, request, persona, meeting, active):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(record_url(meeting))
    assert response.status_code == 403
    active.refresh_from_db()
    assert active.status == Status.ACTIVE


# --- the meeting's papers: issue pages, PDFs -----------------------------------------------------------------------


@pytest.fixture
def recorded(approver, meeting):
    return meetings.meeting_record(meeting, actor=approver)


def test_meeting_page_links_each_paper_not_issued_to_its_issue_page(client, approver, recorded):
    client.force_login(approver)
    html = client.get(reverse("registry:meeting-detail", args=[recorded.pk])).content.decode()
    for code, label in (("mau_5a", "Mẫu 5a"), ("mau_5b", "Mẫu 5b")):
        assert f'data-paper="{code}"' in html
        assert f'href="{issue_url(code, recorded)}" data-issue-link>Ban hành {label}</a>' in html


def test_meeting_page_shows_an_issued_paper_with_its_code_instead_of_the_issue_link(client, approver, recorded):
    decision = issue_decision(recorded)
    client.force_login(approver)
    html = client.get(reverse("registry:meeting-detail", args=[recorded.pk])).content.decode()
    assert decision.verification_code in html
    assert reverse("registry:document-pdf", args=[decision.pk]) in html
    assert f'href="{issue_url("mau_5b", recorded)}" data-issue-link>' not in html
    assert f'href="{issue_url("mau_5a", recorded)}" data-issue-link>' in html


def test_issuing_the_decision_by_post_stores_it_with_the_typed_number_date_and_signer(client, approver, recorded):
    client.force_login(approver)
    response = client.post(issue_url("mau_5b", recorded), issue_data())
    assert response.status_code == 302 and response["Location"] == issue_url("mau_5b", recorded)
    decision = Document.objects.get(meeting=recorded)
    assert (decision.form_code, decision.number, decision.issued_on) == (
        "mau_5b",
        "12-QĐ/ĐU",
        datetime.date(2025, 10, 12),
    )
    assert (decision.signer_title, decision.signer_name, decision.created_by) == ("BÍ THƯ", "Phạm Văn Đức", approver)


def test_the_decision_url_serves_the_bytes_stored_when_the_decision_was_issued(client, approver, recorded):
    client.force_login(approver)
    client.post(issue_url("mau_5b", recorded), issue_data())
    decision = Document.objects.get(meeting=recorded, form_code="mau_5b")
    with decision.pdf.open("rb") as stored:
        issued = stored.read()
    response = client.get(reverse("registry:meeting-decision-pdf", args=[recorded.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == issued


def test_the_minutes_are_issued_by_post_on_their_own_issue_page(client, approver, recorded):
    client.force_login(approver)
    client.post(issue_url("mau_5a", recorded), issue_data(number="5", issued_on="10/10/2025", signer_title="CHỦ TRÌ"))
    assert list(Document.objects.filter(meeting=recorded).values_list("form_code", "number")) == [("mau_5a", "5-BB/ĐU")]


@pytest.mark.parametrize(("name", "code"), [("meeting-minutes-pdf", "mau_5a"), ("meeting-decision-pdf", "mau_5b")])
def test_a_paper_not_issued_yet_sends_its_pdf_url_to_its_issue_page(client, approver, recorded, name, code):
    client.force_login(approver)
    response = client.get(reverse(f"registry:{name}", args=[recorded.pk]))
    assert response.status_code == 302 and response["Location"] == issue_url(code, recorded)
    assert not Document.objects.exists()


def test_a_decision_number_already_used_is_an_error_beside_the_number_field(client, approver, dang_bo, recorded):
    Document.objects.create(
        form_code="mau_3", issuing_unit=dang_bo, year=2025, number="12-QĐ/ĐU", issued_on=datetime.date(2025, 10, 1),
        subject="x",
    )  # fmt: skip
    client.force_login(approver)
    response = client.post(issue_url("mau_5b", recorded), issue_data(number="12-QĐ/ĐU"))
    assert response.status_code == 400
    assert response.context["form"].errors["number"] == ["Số văn bản này đơn vị đã dùng trong năm."]
    assert not Document.objects.filter(meeting=recorded).exists()


def test_a_malformed_decision_number_is_refused_beside_the_number_field(client, approver, recorded):
    client.force_login(approver)
    response = client.post(issue_url("mau_5b", recorded), issue_data(number="QĐ-12"))
    assert response.context["form"].errors["number"] == [
        "Số văn bản phải có dạng 12-BB/ĐU (văn bản Đảng) hoặc 05/ĐK-SYT (văn bản hành chính)."
    ]
    assert not Document.objects.exists()


def test_a_decision_dated_before_the_meeting_is_refused_beside_the_date_field(client, approver, recorded):
    client.force_login(approver)
    response = client.post(issue_url("mau_5b", recorded), issue_data(issued_on="09/10/2025"))
    assert response.status_code == 400
    [error] = response.context["form"].errors["issued_on"]
    assert error.startswith("Ngày văn bản không được trước ngày họp (10/10/2025)")
    assert not Document.objects.exists()


def test_a_decision_of_a_meeting_not_recorded_is_not_issued_and_the_reason_is_shown(client, approver, meeting):
    client.force_login(approver)
    response = client.post(issue_url("mau_5b", meeting), issue_data(), follow=True)
    assert "Cuộc họp chưa ghi kết quả" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize("persona", ["secretary", "viewer", "chi_bo_approver"])
def test_who_is_not_an_approver_of_the_meetings_unit_gets_403_on_the_issue_post(client, request, persona, recorded):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(issue_url("mau_5b", recorded)).status_code == 200
    response = client.post(issue_url("mau_5b", recorded), issue_data())
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_outsider_gets_404_on_the_issue_page_of_a_meeting_outside_their_scope(client, outsider, recorded):
    client.force_login(outsider)
    assert client.get(issue_url("mau_5b", recorded)).status_code == 404
    assert client.post(issue_url("mau_5b", recorded), issue_data()).status_code == 404
    assert not Document.objects.exists()


def test_the_issue_page_of_another_purposes_paper_is_404(client, approver, recorded):
    client.force_login(approver)
    assert client.get(issue_url("mau_6b", recorded)).status_code == 404
    assert client.post(issue_url("mau_7b_bb", recorded), issue_data()).status_code == 404


def test_the_draft_of_the_decision_is_marked_and_carries_no_code(client, approver, meeting):
    client.force_login(approver)
    response = client.get(f"{reverse('registry:document-draft', args=['mau_5b'])}?hop={meeting.pk}")
    text = pdf_text(response.content)
    assert response.status_code == 200
    assert "BẢN NHÁP" in text and "Mã xác thực" not in text
    assert not Document.objects.exists()


# --- the Khối's meeting: its minutes are a form of their own (Mẫu 7b) ----------------------------------------------


@pytest.fixture
def khoi_recorded(khoi_approver, khoi, chi_bo, year):
    appraised = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED)
    meeting = make_meeting(
        khoi_approver, khoi, year, [(appraised, 9, 0)], purpose=Purpose.CONFIRM_EXEMPLAR_KHOI, members_total=11,
        members_present=9,
    )  # fmt: skip
    return meetings.meeting_record(meeting, actor=khoi_approver)


def test_khoi_meeting_page_lists_its_minutes_and_decision_under_their_own_codes(client, khoi_approver, khoi_recorded):
    client.force_login(khoi_approver)
    response = client.get(reverse("registry:meeting-detail", args=[khoi_recorded.pk]))
    assert [row["form"].code for row in response.context["papers"]] == ["mau_7b_bb", "mau_7b"]
    assert issue_url("mau_7b_bb", khoi_recorded) in response.content.decode()


def test_khoi_minutes_issued_by_post_are_served_by_the_minutes_url_while_the_decision_waits(
    client, khoi_approver, khoi_recorded
):
    client.force_login(khoi_approver)
    client.post(issue_url("mau_7b_bb", khoi_recorded), issue_data(number="3", issued_on="10/10/2025"))
    minutes = Document.objects.get(meeting=khoi_recorded)
    assert (minutes.form_code, minutes.number) == ("mau_7b_bb", "3-BB/ĐUK")
    assert client.get(reverse("registry:meeting-minutes-pdf", args=[khoi_recorded.pk])).content == (
        documents.pdf_bytes(minutes)
    )
    decision = client.get(reverse("registry:meeting-decision-pdf", args=[khoi_recorded.pk]))
    assert decision.status_code == 302 and decision["Location"] == issue_url("mau_7b", khoi_recorded)


def test_outsider_gets_404_for_a_meeting_of_another_branch(client, outsider, meeting):
    client.force_login(outsider)
    for name in ("meeting-detail", "meeting-record", "meeting-minutes-pdf", "meeting-decision-pdf"):
        method = client.post if name == "meeting-record" else client.get
        assert method(reverse(f"registry:{name}", args=[meeting.pk])).status_code == 404


def test_secretary_sees_a_meeting_that_decided_their_entry(client, secretary, meeting):
    client.force_login(secretary)
    response = client.get(reverse("registry:meeting-detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert "form-ghi-ket-qua" not in response.content.decode()


def test_meeting_list_shows_meetings_in_scope_only(client, approver, outsider, meeting):
    client.force_login(approver)
    assert list(client.get(reverse("registry:meeting-list")).context["page_obj"]) == [meeting]
    client.force_login(outsider)
    assert list(client.get(reverse("registry:meeting-list")).context["page_obj"]) == []


@pytest.mark.parametrize("action", ["confirm", "confirm_exemplar_base", "propose_khoi", "not_chosen"])
def test_registration_transition_url_refuses_actions_of_a_meeting_or_proposal(client, khoi_approver, active, action):
    client.force_login(khoi_approver)
    response = client.post(reverse("registry:registration-transition", args=[active.pk, action]), follow=True)
    assert "Thao tác không hợp lệ." in response.content.decode()
    active.refresh_from_db()
    assert active.status == Status.ACTIVE


# --- the panel on the registration page ---------------------------------------------------------------------------


def test_panel_offers_the_approver_the_meeting_that_could_decide_the_entry(client, approver, dang_bo, active):
    client.force_login(approver)
    html = client.get(reverse("registry:registration-detail", args=[active.pk])).content.decode()
    assert f"{CREATE}?unit={dang_bo.pk}&amp;purpose=confirm_model&amp;year=" in html
    assert "Tạo cuộc họp xét" in html


def test_panel_offers_nothing_to_the_secretary(client, secretary, active):
    client.force_login(secretary)
    html = client.get(reverse("registry:registration-detail", args=[active.pk])).content.decode()
    assert "Tạo cuộc họp xét" not in html and 'id="hop-xet"' not in html


def test_panel_shows_the_votes_and_result_after_recording(client, approver, secretary, meeting, active):
    meetings.meeting_record(meeting, actor=approver)
    client.force_login(secretary)
    html = client.get(reverse("registry:registration-detail", args=[active.pk])).content.decode()
    assert "Đồng ý 5/7, không đồng ý 1/7" in html
    assert ">Đạt<" in html
    assert reverse("registry:meeting-decision-pdf", args=[meeting.pk]) in html


def test_meeting_dates_are_printed_day_first(client, approver, meeting):
    client.force_login(approver)
    html = client.get(reverse("registry:meeting-list")).content.decode()
    assert datetime.date(2025, 10, 10).strftime("%d/%m/%Y") in html


def _panel(client, user, reg) -> str:
    client.force_login(user)
    return client.get(reverse("registry:registration-detail", args=[reg.pk])).content.decode()


@pytest.mark.parametrize(
    "status, persona, unit_key, purpose",
    [
        (Status.ACTIVE, "approver", "dang_bo", Purpose.CONFIRM_MODEL),
        (Status.CONFIRMED, "approver", "dang_bo", Purpose.CONFIRM_EXEMPLAR_BASE),
        (Status.APPRAISED, "khoi_approver", "khoi", Purpose.CONFIRM_EXEMPLAR_KHOI),
    ],
)
def test_panel_offers_the_meeting_of_the_purpose_that_decides_the_entry_in_its_status(
    client, request, chi_bo, year, status, persona, unit_key, purpose
):
    assert meetings.ENTRY_STATUS[purpose] == status  # the panel follows the meetings' own table
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=status)
    unit = request.getfixturevalue(unit_key)

    html = _panel(client, request.getfixturevalue(persona), reg)

    assert f"{CREATE}?unit={unit.pk}&amp;purpose={purpose.value}&amp;year=" in html
    assert "Tạo cuộc họp xét" in html


def test_panel_offers_a_grassroots_exemplar_the_proposal_to_the_khoi(client, approver, dang_bo, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.EXEMPLAR_BASE)

    html = _panel(client, approver, reg)

    assert f"{reverse('registry:proposal-create')}?unit={dang_bo.pk}&amp;year=" in html
    assert "Lập danh sách đề nghị lên Khối" in html
    assert "Tạo cuộc họp xét" not in html


@pytest.mark.parametrize(
    "status, persona",
    [
        (Status.STOPPED, "approver"),
        (Status.SUBMITTED, "approver"),
        (Status.PROPOSED_KHOI, "khoi_approver"),
        (Status.EXEMPLAR_KHOI, "khoi_approver"),
        (Status.APPRAISED, "approver"),  # only the Khối's standing committee decides a Khối exemplar
        (Status.CONFIRMED, "chi_bo_approver"),  # the grassroots exemplar is the đảng bộ cơ sở's decision
    ],
)
def test_panel_offers_no_meeting_to_whom_may_not_decide_the_entry_now(client, request, chi_bo, year, status, persona):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=status)

    html = _panel(client, request.getfixturevalue(persona), reg)

    assert "Tạo cuộc họp xét" not in html
    assert "Lập danh sách đề nghị lên Khối" not in html


# --- starting from what waits, and the unit that may decide it ---------------------------------------------------


def test_create_page_lists_what_waits_with_a_link_per_deciding_unit(client, approver, dang_bo, active):
    client.force_login(approver)

    html = client.get(CREATE).content.decode()

    assert 'id="cho-quyet-dinh"' in html
    assert f'href="?unit={dang_bo.pk}&amp;purpose=confirm_model&amp;year=2025"' in html
    assert "Đơn vị xét: Đảng bộ Sở Y tế (Ban Thường vụ Đảng ủy)" in html


def test_create_page_with_nothing_waiting_says_so(client, approver, year):
    client.force_login(approver)

    assert 'id="khong-co-cho-xet"' in client.get(CREATE).content.decode()


def test_choosing_the_dang_bo_for_a_chi_bos_entry_says_which_unit_decides_it_beside_the_unit(
    client, approver, dang_bo, member, year
):
    RegistrationFactory(
        subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.ACTIVE, title="Một cửa"
    )
    client.force_login(approver)

    response = client.get(create_url(dang_bo))

    assert response.context["form"] is None  # nothing this meeting could decide: the choice is what to change
    (error,) = response.context["choice"].errors["unit"]
    assert "“Một cửa” do Chi bộ Phòng Nghiệp vụ Y xét. Hãy chọn đơn vị xét “Chi bộ Phòng Nghiệp vụ Y”." in error


def test_entries_decided_elsewhere_are_named_beside_the_unit_while_the_others_are_listed(
    client, approver, dang_bo, member, active, year
):
    RegistrationFactory(
        subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.ACTIVE, title="<b>Một</b>"
    )
    client.force_login(approver)

    response = client.get(create_url(dang_bo))

    assert [row["registration"] for row in response.context["form"].rows] == [active]
    html = response.content.decode()
    assert 'id="goi-y-don-vi"' in html
    assert "“&lt;b&gt;Một&lt;/b&gt;” do Chi bộ Phòng Nghiệp vụ Y xét" in html  # a typed title is never markup
