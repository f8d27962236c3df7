"""Import of units and people from .xlsx: good files create or update, bad rows are reported in Vietnamese and
nothing at all is imported; the same through the admin's upload, preview and confirm pages."""

import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats import base_formats
from openpyxl import Workbook

from registry.models import Person, Registration, Unit, UnitKind
from registry.resources import PersonResource, UnitResource
from registry.unit_tree import KHOI_MUST_BE_ROOT
from tests.factories import RegistrationFactory, UserFactory

UNIT_HEADERS = ["code", "name", "kind", "parent_code", "leading_body", "abbreviation", "member_count"]
PERSON_HEADERS = [
    "full_name",
    "birth_date",
    "gender",
    "position",
    "work_unit_code",
    "is_party_member",
    "party_cell_code",
    "party_join_date",
    "phone",
]


def xlsx(headers, *rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run_import(resource_class, content: bytes):
    dataset = base_formats.XLSX().create_dataset(content)
    return resource_class().import_data(dataset, dry_run=False)


def row_errors(result) -> dict[int, dict[str, list[str]]]:
    return {row.number: row.error_dict for row in result.invalid_rows}


# --- units ------------------------------------------------------------------------------------------------------


def test_unit_import_creates_units_under_parents_from_earlier_rows(khoi):
    content = xlsx(
        UNIT_HEADERS,
        ["SXD-DB", "Đảng bộ Sở Xây dựng", "dang_bo_co_so", "DUK", "Đảng ủy", "ĐU", 120],
        ["SXD-CB-VP", "Chi bộ Văn phòng Sở", "Chi bộ trực thuộc", "SXD-DB", "Chi bộ", "CB", 15.0],
        ["SXD", "Sở Xây dựng", "co_quan", "SXD-DB", "Ban Giám đốc", "SXD", None],
    )
    result = run_import(UnitResource, content)
    assert not result.has_errors() and not result.has_validation_errors()
    dang_bo = Unit.objects.get(code="SXD-DB")
    chi_bo = Unit.objects.get(code="SXD-CB-VP")
    assert Unit.objects.get_parent(dang_bo) == khoi
    assert Unit.objects.get_parent(chi_bo) == dang_bo
    assert chi_bo.kind == UnitKind.CHI_BO and chi_bo.member_count == 15
    assert Unit.objects.get_parent(Unit.objects.get(code="SXD")) == dang_bo
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_unit_import_accepts_vietnamese_headings(khoi):
    content = xlsx(
        ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên"],
        ["STP-CB", "Chi bộ Sở Tư pháp", "Chi bộ cơ sở", "DUK"],
    )
    result = run_import(UnitResource, content)
    assert not result.has_validation_errors()
    assert Unit.objects.get(code="STP-CB").kind == UnitKind.CHI_BO_CO_SO


def test_unit_import_updates_a_known_code_instead_of_adding_it_again(dang_bo):
    content = xlsx(UNIT_HEADERS, ["SYT-DB", "Đảng bộ Sở Y tế tỉnh", "dang_bo_co_so", "DUK", "Đảng ủy", "ĐU", 210])
    result = run_import(UnitResource, content)
    assert result.totals["update"] == 1
    assert Unit.objects.filter(code="SYT-DB").count() == 1
    dang_bo.refresh_from_db()
    assert dang_bo.name == "Đảng bộ Sở Y tế tỉnh" and dang_bo.member_count == 210


def test_unit_import_moves_a_unit_whose_parent_changed_and_keeps_registration_paths(chi_bo, other_dang_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    content = xlsx(UNIT_HEADERS, ["SYT-CB-NVY", "Chi bộ Phòng Nghiệp vụ Y", "chi_bo", "STC-DB", "Chi ủy", "CB", 12])
    result = run_import(UnitResource, content)
    assert not result.has_validation_errors()
    chi_bo.refresh_from_db()
    reg.refresh_from_db()
    assert Unit.objects.get_parent(chi_bo) == other_dang_bo
    assert Registration.objects.filter(pk=reg.pk, unit__path__startswith=chi_bo.path).exists()


def test_unit_import_with_bad_rows_reports_vietnamese_errors_and_imports_nothing(khoi):
    content = xlsx(
        UNIT_HEADERS,
        ["SXD-DB", "Đảng bộ Sở Xây dựng", "dang_bo_co_so", "DUK", "Đảng ủy", "ĐU", 120],
        ["SCT-CB", "Chi bộ Sở Công Thương", "chi_bo", "KHONG-CO", "Chi bộ", "CB", 10],
        ["SCT-PB", "Phòng Kế hoạch", "phong_ban", "DUK", "", "", None],
        ["DNK", "Đảng bộ Khối doanh nghiệp", "khoi", "DUK", "", "", "mười"],
    )
    result = run_import(UnitResource, content)
    assert result.has_validation_errors()
    errors = row_errors(result)
    assert errors[2] == {
        "Mã đơn vị cấp trên (cột parent_code)": [
            "Không tìm thấy đơn vị cấp trên có mã “KHONG-CO”; "
            "đơn vị cấp trên phải có sẵn hoặc nằm ở một dòng phía trên trong tệp."
        ]
    }
    assert errors[3] == {
        "Loại đơn vị (cột kind)": [
            "Loại đơn vị “phong_ban” không hợp lệ; hãy dùng một trong: "
            "khoi, dang_bo_co_so, chi_bo_co_so, chi_bo, ban, co_quan, doan_the."
        ]
    }
    assert errors[4] == {
        "Số đảng viên (cột member_count)": ["Số đảng viên phải là số nguyên không âm, không phải “mười”."],
        "Mã đơn vị cấp trên (cột parent_code)": [KHOI_MUST_BE_ROOT],
    }
    assert not Unit.objects.filter(code__in=["SXD-DB", "SCT-CB", "SCT-PB", "DNK"]).exists()


def test_unit_import_ignores_empty_rows_at_the_end_of_the_sheet(khoi):
    content = xlsx(
        UNIT_HEADERS,
        ["SXD-DB", "Đảng bộ Sở Xây dựng", "dang_bo_co_so", "DUK", "", "", None],
        [None] * len(UNIT_HEADERS),
        ["", " ", None, None, None, None, None],
    )
    result = run_import(UnitResource, content)
    assert not result.has_validation_errors()
    assert result.totals["new"] == 1


def test_unit_import_without_a_required_column_says_which_one(khoi):
    content = xlsx(["code", "name", "kind"], ["SXD-DB", "Đảng bộ Sở Xây dựng", "dang_bo_co_so"])
    result = run_import(UnitResource, content)
    assert [str(e.error) for e in result.base_errors] == ["Tệp thiếu cột bắt buộc: parent_code (Mã đơn vị cấp trên)."]
    assert not Unit.objects.filter(code="SXD-DB").exists()


def test_unit_import_rejects_a_code_repeated_in_the_file(khoi):
    content = xlsx(
        UNIT_HEADERS,
        ["SXD-DB", "Đảng bộ Sở Xây dựng", "dang_bo_co_so", "DUK", "", "", None],
        ["SXD-DB", "Đảng bộ Sở Xây dựng (trùng)", "dang_bo_co_so", "DUK", "", "", None],
    )
    result = run_import(UnitResource, content)
    assert [str(e.error) for e in result.base_errors] == ["Mã đơn vị xuất hiện nhiều lần trong tệp: SXD-DB."]
    assert not Unit.objects.filter(code="SXD-DB").exists()


# --- people -----------------------------------------------------------------------------------------------------


def test_person_import_creates_members_and_non_members_with_dd_mm_yyyy_dates(chi_bo, agency):
    content = xlsx(
        PERSON_HEADERS,
        ["Nguyễn Thị Hoa", "05/03/1985", "Nữ", "Chuyên viên", "SYT", "có", "SYT-CB-NVY", "19/05/2010", 912345678],
        ["Lê Văn Nam", datetime.date(1990, 12, 1), "nam", "Lái xe", "SYT", "không", "", "", "0987654321"],
    )
    result = run_import(PersonResource, content)
    assert not result.has_errors() and not result.has_validation_errors()
    member = Person.objects.get(full_name="Nguyễn Thị Hoa")
    assert member.birth_date == datetime.date(1985, 3, 5)
    assert member.party_cell == chi_bo and member.party_join_date == datetime.date(2010, 5, 19)
    assert member.gender == "nu" and member.phone == "0912345678"
    non_member = Person.objects.get(full_name="Lê Văn Nam")
    assert non_member.is_party_member is False and non_member.party_cell is None
    assert non_member.birth_date == datetime.date(1990, 12, 1)


def test_person_imported_twice_is_updated_not_duplicated(chi_bo, agency):
    row = ["Nguyễn Thị Hoa", "05/03/1985", "Nữ", "Chuyên viên", "SYT", "có", "SYT-CB-NVY", "19/05/2010", ""]
    run_import(PersonResource, xlsx(PERSON_HEADERS, row))
    result = run_import(PersonResource, xlsx(PERSON_HEADERS, [*row[:3], "Phó Trưởng phòng", *row[4:]]))
    assert result.totals["update"] == 1
    assert Person.objects.get(full_name="Nguyễn Thị Hoa").position == "Phó Trưởng phòng"


def test_person_import_with_an_impossible_date_imports_nothing(chi_bo, agency):
    content = xlsx(
        PERSON_HEADERS,
        ["Trần Văn Bình", "12/08/1979", "Nam", "Trưởng phòng", "SYT", "x", "SYT-CB-NVY", "03/02/2005", ""],
        ["Phạm Thị Hương", "31/02/2024", "Nữ", "Chuyên viên", "SYT", "không", "", "", ""],
    )
    result = run_import(PersonResource, content)
    assert row_errors(result) == {
        2: {
            "Ngày sinh (cột birth_date)": [
                "Ngày sinh “31/02/2024” không phải là ngày hợp lệ; hãy ghi theo dạng dd/mm/yyyy, ví dụ 05/03/2025."
            ]
        }
    }
    assert not Person.objects.exists()


def test_person_import_rejects_an_agency_as_chi_bo_and_an_unknown_work_unit(chi_bo, agency):
    content = xlsx(
        PERSON_HEADERS,
        ["Trần Văn Bình", "12/08/1979", "Nam", "", "SYT", "có", "SYT", "03/02/2005", ""],
        ["Phạm Thị Hương", "", "Nữ", "", "SO-KHONG-CO", "không", "", "", ""],
        ["Đỗ Văn Hải", "", "Nam", "", "SYT", "có", "", "", ""],
    )
    result = run_import(PersonResource, content)
    assert row_errors(result) == {
        1: {
            "Mã chi bộ sinh hoạt (cột party_cell_code)": [
                "Đơn vị “Sở Y tế” (SYT) không phải là tổ chức đảng, không thể là chi bộ sinh hoạt."
            ]
        },
        2: {
            "Mã đơn vị công tác (cột work_unit_code)": ["Không tìm thấy đơn vị có mã “SO-KHONG-CO” (đơn vị công tác)."]
        },
        3: {"Mã chi bộ sinh hoạt (cột party_cell_code)": ["Đảng viên phải có chi bộ sinh hoạt."]},
    }
    assert not Person.objects.exists()


# --- through the admin ------------------------------------------------------------------------------------------


def upload(client, url, content: bytes):
    file = SimpleUploadedFile(
        "don-vi.xlsx", content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return client.post(url, {"import_file": file, "format": "0", "resource": "0"})


def test_admin_import_previews_then_saves_after_confirmation(admin_client, khoi):
    content = xlsx(UNIT_HEADERS, ["SXD-DB", "Đảng bộ Sở Xây dựng", "dang_bo_co_so", "DUK", "Đảng ủy", "ĐU", 120])
    preview = upload(admin_client, reverse("admin:registry_unit_import"), content)
    assert preview.status_code == 200
    assert "Xác nhận nhập" in preview.content.decode()
    assert not Unit.objects.filter(code="SXD-DB").exists()

    confirm = preview.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    response = admin_client.post(reverse("admin:registry_unit_process_import"), data, follow=True)
    assert Unit.objects.get_parent(Unit.objects.get(code="SXD-DB")) == khoi
    assert "Đã nhập xong: 1 mới, 0 cập nhật, 0 bỏ qua." in response.content.decode()


def test_admin_import_lists_bad_rows_in_vietnamese_and_saves_nothing(admin_client, khoi):
    content = xlsx(
        UNIT_HEADERS,
        ["SXD-DB", "Đảng bộ Sở Xây dựng", "dang_bo_co_so", "DUK", "", "", None],
        ["SCT-CB", "Chi bộ Sở Công Thương", "chi_bo", "KHONG-CO", "", "", None],
    )
    response = upload(admin_client, reverse("admin:registry_unit_import"), content)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Một số dòng chưa hợp lệ" in html
    assert "Không tìm thấy đơn vị cấp trên có mã “KHONG-CO”" in html
    assert "<td>3</td>" in html  # the spreadsheet's own row number: heading on row 1, the bad row on row 3
    assert "Xác nhận nhập" not in html
    assert not Unit.objects.filter(code__in=["SXD-DB", "SCT-CB"]).exists()


def test_admin_import_of_a_file_that_is_not_a_spreadsheet_is_a_form_error(admin_client, khoi):
    response = upload(admin_client, reverse("admin:registry_person_import"), b"not a spreadsheet")
    assert response.context["form"].errors["import_file"] == [
        "Không đọc được tệp. Hãy kiểm tra tệp đúng định dạng đã chọn (.xlsx hoặc .csv) và không bị hỏng."
    ]


@pytest.mark.parametrize("url_name", ["admin:registry_unit_import", "admin:registry_person_import"])
def test_staff_who_may_only_view_cannot_import(client, db, url_name):
    staff = UserFactory(username="xem", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_unit", "view_person"]))
    client.force_login(staff)
    assert client.get(reverse(url_name)).status_code == 403
