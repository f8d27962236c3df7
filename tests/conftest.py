"""Shared fixtures: a small unit tree with two branches, and personas acting in it.

Tree (Đảng bộ Khối "Khối các cơ quan tỉnh"):
    khoi ─┬─ dang_bo (Đảng bộ Sở Y tế) ─┬─ chi_bo (Chi bộ Phòng Nghiệp vụ Y)
          │                             └─ agency (Sở Y tế, cơ quan) ── doan_the (Công đoàn Sở Y tế)
          └─ other_dang_bo (Đảng bộ Sở Tài chính) ── other_chi_bo (Chi bộ Phòng Ngân sách)
"""

import pytest

from registry.models import Role, UnitKind
from tests.factories import MembershipFactory, PersonFactory, UnitFactory, UserFactory, YearFactory


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def khoi(db):
    return UnitFactory(
        code="DUK",
        name="Đảng bộ Khối các cơ quan tỉnh",
        kind=UnitKind.KHOI,
        leading_body="Ban Thường vụ Đảng ủy Khối",
        abbreviation="ĐUK",
        header_line="ĐẢNG BỘ TỈNH THÁI NGUYÊN",
        has_standing_committee=True,
    )


@pytest.fixture
def dang_bo(khoi):
    return UnitFactory(
        parent=khoi,
        code="SYT-DB",
        name="Đảng bộ Sở Y tế",
        kind=UnitKind.DANG_BO_CO_SO,
        leading_body="Đảng ủy",
        abbreviation="ĐU",
        header_line="ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH",
        has_standing_committee=True,
    )


@pytest.fixture
def chi_bo(dang_bo):
    return UnitFactory(
        parent=dang_bo,
        code="SYT-CB-NVY",
        name="Chi bộ Phòng Nghiệp vụ Y",
        kind=UnitKind.CHI_BO,
        leading_body="Chi ủy",
        abbreviation="CB",
        header_line="ĐẢNG BỘ SỞ Y TẾ",
    )


@pytest.fixture
def agency(dang_bo):
    return UnitFactory(parent=dang_bo, code="SYT", name="Sở Y tế", kind=UnitKind.CO_QUAN, abbreviation="SYT")


@pytest.fixture
def doan_the(agency):
    return UnitFactory(parent=agency, code="SYT-CD", name="Công đoàn Sở Y tế", kind=UnitKind.DOAN_THE)


@pytest.fixture
def other_dang_bo(khoi):
    return UnitFactory(
        parent=khoi,
        code="STC-DB",
        name="Đảng bộ Sở Tài chính",
        kind=UnitKind.DANG_BO_CO_SO,
        abbreviation="ĐU",
    )


@pytest.fixture
def other_chi_bo(other_dang_bo):
    return UnitFactory(parent=other_dang_bo, code="STC-CB-NS", name="Chi bộ Phòng Ngân sách", kind=UnitKind.CHI_BO)


@pytest.fixture
def year(db):
    return YearFactory(year=2025)


@pytest.fixture
def member(chi_bo, agency):
    """A party member working at Sở Y tế and active in Chi bộ Phòng Nghiệp vụ Y."""
    return PersonFactory(full_name="Nguyễn Thị Hoa", work_unit=agency, party_cell=chi_bo)


@pytest.fixture
def non_member(agency):
    return PersonFactory(full_name="Lê Văn Nam", work_unit=agency, is_party_member=False, party_cell=None)


def _persona(username, unit, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def secretary(chi_bo):
    """Bí thư chi bộ: editor of Chi bộ Phòng Nghiệp vụ Y."""
    return _persona("bithu", chi_bo, Role.EDITOR)


@pytest.fixture
def approver(dang_bo):
    """Đảng ủy Sở Y tế: approver of the đảng bộ cơ sở and everything below it."""
    return _persona("danguy", dang_bo, Role.APPROVER)


@pytest.fixture
def chi_bo_approver(chi_bo):
    return _persona("chiuy", chi_bo, Role.APPROVER)


@pytest.fixture
def appraiser(khoi):
    return _persona("bantuyengiao", khoi, Role.APPRAISER)


@pytest.fixture
def khoi_approver(khoi):
    return _persona("danguykhoi", khoi, Role.APPROVER)


@pytest.fixture
def viewer(khoi):
    return _persona("lanhdao", khoi, Role.VIEWER)


@pytest.fixture
def outsider(other_chi_bo):
    """Editor and approver in another branch of the tree (Sở Tài chính)."""
    user = _persona("ngoai", other_chi_bo, Role.EDITOR)
    MembershipFactory(user=user, unit=other_chi_bo.get_parent(), role=Role.APPROVER)
    return user
