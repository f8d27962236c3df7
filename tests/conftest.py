"""Shared fixtures: a small unit tree with two branches, and personas acting in it.

Tree (Đảng bộ Khối "Khối các cơ quan tỉnh"):
    khoi ─┬─ dang_bo (Đảng bộ Sở Y tế) ─┬─ chi_bo (Chi bộ Phòng Nghiệp vụ Y)
          │                             └─ agency (Sở Y tế, cơ quan) ── doan_the (Công đoàn Sở Y tế)
          └─ other_dang_bo (Đảng bộ Sở Tài chính) ── other_chi_bo (Chi bộ Phòng Ngân sách)
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache

from registry import choices, terms
from registry.models import Field, Role, Unit, UnitKind
from tests.factories import MembershipFactory, PersonFactory, UnitFactory, UserFactory, YearFactory


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    # The per-process cache (a Khối's dashboard) must not carry one test's figures into the next, nor the options
    # and catalogue values kept in memory (registry/choices.py) one test's units.
    cache.clear()
    # The guidance's names (registry.terms) are cached per process too; a test's rolled-back guidance must go.
    terms.clear_cache()
    choices.clear()


def _build_tree() -> dict[str, Unit]:
    khoi = UnitFactory(
        code="DUK", name="Đảng bộ Khối các cơ quan tỉnh", kind=UnitKind.KHOI, leading_body="Ban Thường vụ Đảng ủy Khối",
        abbreviation="ĐUK", header_line="ĐẢNG BỘ TỈNH THÁI NGUYÊN", has_standing_committee=True,
    )  # fmt: skip
    dang_bo = UnitFactory(
        parent=khoi, code="SYT-DB", name="Đảng bộ Sở Y tế", kind=UnitKind.DANG_BO_CO_SO, leading_body="Đảng ủy",
        abbreviation="ĐU", header_line="ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH", has_standing_committee=True,
    )  # fmt: skip
    UnitFactory(
        parent=dang_bo, code="SYT-CB-NVY", name="Chi bộ Phòng Nghiệp vụ Y", kind=UnitKind.CHI_BO,
        leading_body="Chi ủy", abbreviation="CB", header_line="ĐẢNG BỘ SỞ Y TẾ",
    )  # fmt: skip
    agency = UnitFactory(parent=dang_bo, code="SYT", name="Sở Y tế", kind=UnitKind.CO_QUAN, abbreviation="SYT")
    UnitFactory(parent=agency, code="SYT-CD", name="Công đoàn Sở Y tế", kind=UnitKind.DOAN_THE)
    other_dang_bo = UnitFactory(
        parent=khoi, code="STC-DB", name="Đảng bộ Sở Tài chính", kind=UnitKind.DANG_BO_CO_SO, abbreviation="ĐU",
    )  # fmt: skip
    UnitFactory(parent=other_dang_bo, code="STC-CB-NS", name="Chi bộ Phòng Ngân sách", kind=UnitKind.CHI_BO)
    # Treebeard keeps siblings in name order and renumbers paths on insert: hand out units read back afterwards.
    return {unit.code: unit for unit in Unit.objects.all()}


@pytest.fixture
def unit_tree(db) -> dict[str, Unit]:
    """Every unit of the tree above, by code, built at once so that no fixture holds a renumbered path."""
    return _build_tree()


@pytest.fixture
def khoi(unit_tree):
    return unit_tree["DUK"]


@pytest.fixture
def dang_bo(unit_tree):
    return unit_tree["SYT-DB"]


@pytest.fixture
def chi_bo(unit_tree):
    return unit_tree["SYT-CB-NVY"]


@pytest.fixture
def agency(unit_tree):
    return unit_tree["SYT"]


@pytest.fixture
def doan_the(unit_tree):
    return unit_tree["SYT-CD"]


@pytest.fixture
def other_dang_bo(unit_tree):
    return unit_tree["STC-DB"]


@pytest.fixture
def other_chi_bo(unit_tree):
    return unit_tree["STC-CB-NS"]


@pytest.fixture
def reference_data(transactional_db):
    """The lĩnh vực, criteria and form texts of migration 0002, seeded again when an earlier transactional test
    (live server, concurrency) flushed the database. serialized_rollback does not help: it clashes with the
    content types that such a flush re-creates."""
    if not Field.objects.exists():
        importlib.import_module("registry.migrations.0002_seed_fields_criteria_form_texts").seed(django_apps, None)


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
    MembershipFactory(user=user, unit=Unit.objects.get_parent(other_chi_bo), role=Role.APPROVER)
    return user


def _staff(username, *memberships):
    """A staff account holding every model permission there is (the worst a careless grant could do), with the
    given (unit, role) memberships."""
    from django.contrib.auth.models import Permission

    user = UserFactory(username=username, is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    for unit, role in memberships:
        MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def scoped_staff(dang_bo):
    """Văn phòng Đảng ủy Sở Y tế: staff scoped to the đảng bộ, with every model permission."""
    return _staff("vanphong.soyte", (dang_bo, Role.VIEWER))


@pytest.fixture
def dual_role_staff(chi_bo, dang_bo):
    """Staff who both registers (editor of the chi bộ) and receives (approver of the đảng bộ), with every model
    permission: the separation of duties and the đảng bộ's scope both apply to this account."""
    return _staff("kiemnhiem", (chi_bo, Role.EDITOR), (dang_bo, Role.APPROVER))


@pytest.fixture
def decision(approver, dang_bo, chi_bo, year):
    """A recorded confirmation meeting of the Đảng ủy Sở Y tế whose decision (Mẫu 5b, with its list) may be issued."""
    from registry.models import Status
    from tests.factories import RegistrationFactory
    from tests.test_meetings import make_meeting, record

    active = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Dân vận khéo một cửa")
    meeting = make_meeting(approver, dang_bo, year, entries=[(active, 6, 0)])
    record(meeting, approver)
    return meeting


@pytest.fixture
def signed_decision(decision, dang_bo, approver):
    """That decision issued by the Đảng ủy Sở Y tế holding the test certificate (sealed at issue), its root trusted."""
    from tests.test_meetings import issue_decision
    from tests.test_signing import install, trust_test_root

    install(dang_bo)
    trust_test_root()
    return issue_decision(decision, approver)
