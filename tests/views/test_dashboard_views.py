"""Dashboard and periodic report views: the tables show the figures, scope (404, no leak), bad input, narrative,
PDF and .xlsx."""

import datetime
import io
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from registry.models import Field, Level, PeriodicReport, ReportPeriod, Status, SubjectKind
from registry.periodic_reports import periodic_report_save
from tests.factories import RegistrationFactory, UserFactory, YearFactory
from tests.papers import issue_unit_paper

DASHBOARD = reverse("registry:dashboard")
REPORT = reverse("registry:periodic-report")
REPORT_PDF = reverse("registry:periodic-report-pdf")
REPORT_XLSX = reverse("registry:periodic-report-xlsx")


class _Tables(HTMLParser):
    """Rows of every <table id=…> of a page: each row a list of its th/td texts."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = None
        self._row = None
        self._cell = None
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self._table = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("th", "td") and self._row is not None:
            self._cell = []
        elif tag == "a":
            self.links.append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables_of(response) -> _Tables:
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser


def body_rows(parser, table_id) -> dict[str, int]:
    """label → number of a chart's table (header row skipped)."""
    return {row[0]: int(row[1]) for row in parser.tables[table_id][1:]}


def aware(y, m, d):
    return datetime.datetime(y, m, d, 9, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def data(unit_tree, chi_bo, dang_bo, agency, other_chi_bo, member, year):
    fields = list(Field.objects.order_by("order"))
    regs = [
        RegistrationFactory(subject_unit=chi_bo, year=year, field=fields[0], status=Status.ACTIVE,
                            submitted_at=aware(2025, 2, 1)),
        RegistrationFactory(subject_unit=dang_bo, year=year, field=fields[1], level=Level.KHOI,
                            status=Status.SUBMITTED, submitted_at=aware(2025, 3, 25)),
        RegistrationFactory(subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year, field=fields[1],
                            status=Status.CONFIRMED, submitted_at=aware(2025, 3, 2)),
        RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, field=fields[2],
                            status=Status.RETURNED, submitted_at=aware(2025, 2, 20)),
        RegistrationFactory(subject_unit=other_chi_bo, year=year, field=fields[3], status=Status.ACTIVE,
                            submitted_at=aware(2025, 2, 2), title="Mô hình bí mật của Sở Tài chính"),
        RegistrationFactory(subject_unit=chi_bo, year=year, title="Bản nháp chưa gửi"),
    ]  # fmt: skip
    return regs


def sent_within(regs, unit):
    return [r for r in regs if r.unit.path.startswith(unit.path) and r.status != Status.DRAFT]


# --- Dashboard ------------------------------------------------------------------------------------------------------


def test_viewer_dashboard_tables_equal_independent_counts(client, viewer, data, khoi, year):
    client.force_login(viewer)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    parser = tables_of(response)
    sent = sent_within(data, khoi)
    status_rows = body_rows(parser, "bang-trang-thai")
    assert status_rows == {s.label: sum(1 for r in sent if r.status == s) for s in Status if s != Status.DRAFT}
    assert body_rows(parser, "bang-linh-vuc") == {
        f.name: sum(1 for r in sent if r.field_id == f.pk) for f in Field.objects.order_by("order")
    }
    assert body_rows(parser, "bang-cap") == {lv.label: sum(1 for r in sent if r.level == lv) for lv in Level}
    kinds = body_rows(parser, "bang-doi-tuong")
    assert kinds["Cá nhân là đảng viên"] == 1
    assert sum(kinds.values()) == len(sent) == 5


def test_child_unit_table_counts_each_branch_and_links_to_its_dashboard(client, viewer, data, dang_bo, other_dang_bo):
    client.force_login(viewer)
    parser = tables_of(client.get(DASHBOARD))
    rows = {row[0]: row[1:] for row in parser.tables["bang-don-vi"][1:]}
    assert rows["Đảng bộ Sở Y tế"] == [str(len(sent_within(data, dang_bo))), "1", "2"]  # agency, Khối entry late
    assert rows["Đảng bộ Sở Tài chính"] == ["1", "0", "0"]
    assert f"{DASHBOARD}?don_vi={dang_bo.pk}&nam=2025" in parser.links


def test_drill_down_shows_only_the_chosen_unit(client, viewer, data, dang_bo):
    client.force_login(viewer)
    response = client.get(DASHBOARD, {"don_vi": dang_bo.pk, "nam": 2025})
    assert response.status_code == 200
    parser = tables_of(response)
    assert sum(body_rows(parser, "bang-trang-thai").values()) == 4
    children = [row[0] for row in parser.tables["bang-don-vi"][1:]]
    assert children == ["Trực tiếp tại đơn vị", "Chi bộ Phòng Nghiệp vụ Y", "Sở Y tế"]


def test_dashboard_shows_progress_deadlines_and_unregistered_units(client, viewer, data, year):
    client.force_login(viewer)
    response = client.get(DASHBOARD)
    parser = tables_of(response)
    progress = {row[0]: row[1:] for row in parser.tables["bang-tien-do"][1:]}
    assert progress["Hạn đăng ký cấp cơ sở"][0] == "28/02/2025"
    assert progress["Hạn đăng ký cấp cơ sở"][2:] == ["3", "1"]  # chi bộ on time; agency (2/3) and member late
    assert progress["Hạn đăng ký cấp Đảng bộ Khối"][2:] == ["0", "1"]
    assert f"{reverse('registry:unregistered-units')}?nam=2025" in parser.links
    assert "Công đoàn Sở Y tế" in response.content.decode()  # no registration: listed as not registered


def test_dashboard_serves_chart_js_from_static_with_canvases(client, viewer, data):
    client.force_login(viewer)
    html = client.get(DASHBOARD).content.decode()
    assert '<script src="/static/vendor/chartjs/chart.umd.min.js">' in html
    assert '<script src="/static/js/dashboard.js">' in html
    assert html.count("<canvas") == 5
    assert "cdn" not in html.lower()


def test_outsider_gets_404_for_a_unit_outside_their_scope(client, outsider, data, dang_bo):
    client.force_login(outsider)
    response = client.get(DASHBOARD, {"don_vi": dang_bo.pk, "nam": 2025})
    assert response.status_code == 404
    assert "Đảng bộ Sở Y tế" not in response.content.decode()


def test_unknown_unit_id_is_a_404_like_a_forbidden_one(client, viewer, data):
    client.force_login(viewer)
    assert client.get(DASHBOARD, {"don_vi": 999999}).status_code == 404
    assert client.get(DASHBOARD, {"don_vi": "9" * 30}).status_code == 404


def test_outsider_default_dashboard_shows_only_their_branch(client, outsider, data):
    client.force_login(outsider)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert sum(body_rows(tables_of(response), "bang-trang-thai").values()) == 1
    assert "Mô hình bí mật" not in response.content.decode()  # titles are never on the dashboard


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"nam": "abc"}, "Năm không hợp lệ hoặc chưa có trong danh mục."),
        ({"nam": "1999"}, "Năm không hợp lệ hoặc chưa có trong danh mục."),
        ({"don_vi": "abc"}, "Đơn vị không hợp lệ hoặc nằm ngoài phạm vi của bạn."),
    ],
)
def test_garbage_parameters_are_form_errors(client, viewer, data, params, message):
    client.force_login(viewer)
    response = client.get(DASHBOARD, params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "bang-trang-thai" not in response.content.decode()


def test_year_without_data_says_so(client, viewer, data):
    YearFactory(year=2030)
    client.force_login(viewer)
    response = client.get(DASHBOARD, {"nam": 2030})
    assert response.status_code == 200
    assert "Chưa có dữ liệu cho năm này." in response.content.decode()


def test_user_without_membership_is_told_so(client, unit_tree, year):
    client.force_login(UserFactory(username="moi-vao"))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "chưa được phân công đơn vị nào" in response.content.decode()


def test_anonymous_is_sent_to_login(client, data):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "/dang-nhap/" in response.url


def test_child_units_page_through_and_each_links_to_its_dashboard(
    client, viewer, data, dang_bo, other_dang_bo, monkeypatch
):
    monkeypatch.setattr("registry.dashboard.CHILDREN_PAGE_SIZE", 1)
    client.force_login(viewer)

    second = tables_of(client.get(DASHBOARD, {"page": 2}))

    # Name order: Sở Tài chính first, Sở Y tế on the second page.
    assert second.tables["bang-don-vi"][1:] == [["Đảng bộ Sở Y tế", str(len(sent_within(data, dang_bo))), "1", "2"]]
    assert f"{DASHBOARD}?don_vi={dang_bo.pk}&nam=2025" in second.links
    assert any("page=1" in link for link in second.links)


@pytest.mark.parametrize("page", ["abc", "-3", "0", "99999999999"])
def test_a_bad_child_page_number_shows_the_first_page(client, viewer, data, page, monkeypatch):
    monkeypatch.setattr("registry.dashboard.CHILDREN_PAGE_SIZE", 1)
    client.force_login(viewer)

    response = client.get(DASHBOARD, {"page": page})

    assert response.status_code == 200
    assert tables_of(response).tables["bang-don-vi"][1][0] == "Đảng bộ Sở Tài chính"


def test_a_drilled_down_page_of_a_unit_outside_scope_is_a_404(client, outsider, data, dang_bo):
    client.force_login(outsider)

    assert client.get(DASHBOARD, {"don_vi": dang_bo.pk, "page": 2}).status_code == 404


def test_dashboard_query_count_is_bounded(client, viewer, data, django_assert_max_num_queries):
    client.force_login(viewer)
    with django_assert_max_num_queries(20):
        client.get(DASHBOARD)


# --- Periodic reports -----------------------------------------------------------------------------------------------

HALF = {"nam": 2025, "ky": ReportPeriod.HALF_YEAR}


def test_approver_saves_the_narrative(client, approver, data, dang_bo, year):
    client.force_login(approver)
    url = f"{REPORT}?don_vi={dang_bo.pk}&nam=2025&ky=half_year"
    response = client.post(url, {"leadership": "Ban hành Kế hoạch 15-KH/ĐU.", "directions": "Nhân rộng mô hình."})
    assert response.status_code == 302
    assert response.url == url
    report = PeriodicReport.objects.get(unit=dang_bo, year=year, period=ReportPeriod.HALF_YEAR)
    assert (report.leadership, report.directions, report.created_by) == (
        "Ban hành Kế hoạch 15-KH/ĐU.",
        "Nhân rộng mô hình.",
        approver,
    )
    page = client.get(url).content.decode()
    assert "Đã lưu nội dung báo cáo." in page
    assert "Ban hành Kế hoạch 15-KH/ĐU." in page


def test_viewer_reads_but_cannot_save(client, viewer, data, dang_bo):
    client.force_login(viewer)
    url = f"{REPORT}?don_vi={dang_bo.pk}&nam=2025&ky=half_year"
    page = client.get(url)
    assert page.status_code == 200
    assert "Bạn chỉ có quyền xem" in page.content.decode()
    assert client.post(url, {"leadership": "Sửa trái phép."}).status_code == 403
    assert not PeriodicReport.objects.exists()


def test_report_page_shows_computed_figures_and_deadline(client, approver, data, dang_bo):
    client.force_login(approver)
    response = client.get(REPORT, {"don_vi": dang_bo.pk, **HALF})
    rows = {row[1]: int(row[2]) for row in tables_of(response).tables["bang-so-lieu"][1:] if len(row) == 3}
    assert rows["Tổng số mô hình"] == len(sent_within(data, dang_bo)) == 4
    assert rows["Đang thực hiện"] == 1
    assert "Hạn nộp báo cáo: <strong>10/06/2025</strong>" in response.content.decode()


def test_outsider_cannot_read_or_write_another_units_report(client, outsider, data, dang_bo):
    client.force_login(outsider)
    params = {"don_vi": dang_bo.pk, **HALF}
    for url in (REPORT, REPORT_PDF, REPORT_XLSX):
        assert client.get(url, params).status_code == 404
    query = f"?don_vi={dang_bo.pk}&nam=2025&ky=half_year"
    assert client.post(REPORT + query, {"leadership": "x"}).status_code == 404
    assert not PeriodicReport.objects.exists()


def test_bad_period_is_a_form_error(client, approver, data):
    client.force_login(approver)
    response = client.get(REPORT, {"ky": "quy"})
    assert response.status_code == 400
    assert "Kỳ báo cáo không hợp lệ: chọn 6 tháng hoặc năm." in response.content.decode()
    assert client.get(REPORT_PDF, {"ky": "quy"}).status_code == 400


def test_report_pdf_downloads_the_issued_report(client, approver, data, dang_bo, year):
    narrative = {"leadership": "Đảng ủy chỉ đạo.", "limitations": "Còn chậm.", "directions": "Nhân rộng."}
    periodic_report_save(unit=dang_bo, year=year, period=ReportPeriod.HALF_YEAR, data=narrative, user=approver)
    issue_unit_paper("bc_6t", dang_bo, year, approver, issued_on=datetime.date(2025, 6, 8))
    client.force_login(approver)
    response = client.get(REPORT_PDF, {"don_vi": dang_bo.pk, **HALF})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="bao-cao-6-thang-2025-dang-bo-so-y-te.pdf"' in response["Content-Disposition"]


def test_report_xlsx_holds_the_figures(client, approver, data, dang_bo):
    client.force_login(approver)
    response = client.get(REPORT_XLSX, {"don_vi": dang_bo.pk, "nam": 2025, "ky": ReportPeriod.ANNUAL})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("STT", "Nhóm", "Nội dung", "Số lượng")
    by_label = {(row[1], row[2]): row[3] for row in rows[1:]}
    assert by_label[("Tổng hợp", "Tổng số mô hình")] == 4
    assert by_label[("Theo trạng thái", "Mô hình đã xác nhận")] == 1
    assert by_label[("Theo đơn vị", "Chi bộ Phòng Nghiệp vụ Y")] == 2  # the chi bộ's model and the member's


def test_report_pdf_before_it_is_issued_leads_to_its_issue_page(client, approver, data, dang_bo):
    client.force_login(approver)
    response = client.get(REPORT_PDF, {"don_vi": dang_bo.pk, **HALF})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('registry:document-issue', args=['bc_6t'])}?don_vi={dang_bo.pk}&nam=2025"


def test_year_without_data_page_says_so_and_its_draft_still_prints(client, approver, data, dang_bo):
    YearFactory(year=2030)
    client.force_login(approver)
    params = {"don_vi": dang_bo.pk, "nam": 2030, "ky": ReportPeriod.ANNUAL}
    page = client.get(REPORT, params)
    assert page.status_code == 200
    assert "Chưa có dữ liệu cho năm này." in page.content.decode()
    draft = client.get(reverse("registry:document-draft", args=["bc_nam"]), {"don_vi": dang_bo.pk, "nam": 2030})
    assert draft.status_code == 200
    assert draft.content.startswith(b"%PDF")


# --- the unit / year picker (written by hand, options kept in memory) -------------------------------------------------


def test_picker_marks_the_chosen_unit_and_year(client, viewer, data, dang_bo, year):
    client.force_login(viewer)

    html = client.get(DASHBOARD, {"don_vi": dang_bo.pk, "nam": year.year}).content.decode()

    assert f'<option value="{dang_bo.pk}" selected>— {dang_bo.name}</option>' in html
    assert f'<option value="{year.year}" selected>{year.year}</option>' in html


def test_picker_keeps_a_unit_chosen_beyond_the_option_list(client, viewer, data, dang_bo, monkeypatch):
    monkeypatch.setattr("registry.choices.UNIT_OPTION_LIMIT", 1)  # the options are built afresh for each test
    client.force_login(viewer)

    html = client.get(DASHBOARD, {"don_vi": dang_bo.pk}).content.decode()

    assert f'<option value="{dang_bo.pk}" selected>{dang_bo.name}</option>' in html


def test_picker_shows_a_renamed_unit_at_once(client, viewer, data, dang_bo):
    client.force_login(viewer)
    client.get(DASHBOARD)
    dang_bo.name = "Đảng bộ Sở Y tế tỉnh"
    dang_bo.save()

    html = client.get(REPORT).content.decode()

    assert "— Đảng bộ Sở Y tế tỉnh</option>" in html


def test_a_bad_year_marks_its_select_invalid_with_the_message_below(client, viewer, data):
    client.force_login(viewer)

    html = client.get(DASHBOARD, {"nam": "abc"}).content.decode()

    assert '<select name="nam" class="select form-select is-invalid" aria-invalid="true"' in html
    assert 'aria-describedby="id_nam_error" id="id_nam">' in html
    assert "Năm không hợp lệ hoặc chưa có trong danh mục." in html
