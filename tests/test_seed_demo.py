"""``manage.py seed_demo``: realistic demo data of one Đảng bộ Khối, the same after any number of runs, with
statuses reached through the workflow and demo accounts that log in with their stated roles."""

import datetime
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from registry.models import (
    Level,
    Membership,
    Person,
    Registration,
    Role,
    Status,
    StatusChange,
    SubjectKind,
    Unit,
    UnitKind,
    Year,
)

PASSWORD = "DanVan@2024"


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed()


def snapshot() -> dict:
    """Counts and a few values that a second run must leave exactly as they were."""
    return {
        "units": list(Unit.objects.order_by("code").values_list("code", "path", "name", "kind", "updated_at")),
        "people": list(Person.objects.order_by("pk").values_list("full_name", "work_unit__code", "updated_at")),
        "registrations": list(
            Registration.objects.order_by("pk").values_list("title", "status", "unit__path", "updated_at")
        ),
        "changes": list(StatusChange.objects.order_by("pk").values_list("registration_id", "action", "at")),
        "users": list(get_user_model().objects.order_by("username").values_list("username", "password")),
        "memberships": Membership.objects.count(),
        "years": list(Year.objects.order_by("year").values_list("year", "registration_deadline_base", "updated_at")),
    }


def test_seed_demo_twice_gives_identical_data(seeded):
    before = snapshot()
    seed()
    assert snapshot() == before


def test_seed_demo_builds_the_khoi_and_its_tree(seeded):
    root = Unit.objects.get(code="DUK")
    assert (root.name, root.kind, root.depth) == ("Đảng bộ Khối các cơ quan tỉnh", UnitKind.KHOI, 1)
    assert (root.leading_body, root.header_line, root.abbreviation, root.place_name) == (
        "Ban Thường vụ Đảng ủy Khối",
        "ĐẢNG BỘ TỈNH THÁI NGUYÊN",
        "ĐUK",
        "Thái Nguyên",
    )
    btg = Unit.objects.get(name="Ban Tuyên giáo Đảng ủy Khối")
    assert btg.kind == UnitKind.BAN and Unit.objects.get_parent(btg) == root
    kinds = Counter(Unit.objects.values_list("kind", flat=True))
    assert kinds[UnitKind.DANG_BO_CO_SO] >= 6
    assert kinds[UnitKind.CHI_BO_CO_SO] >= 1
    assert kinds[UnitKind.CHI_BO] + kinds[UnitKind.CHI_BO_CO_SO] >= 20
    assert kinds[UnitKind.CO_QUAN] >= 6
    mass = list(Unit.objects.filter(kind=UnitKind.DOAN_THE).values_list("name", flat=True))
    for word in ("Công đoàn", "Đoàn Thanh niên", "Phụ nữ", "Cựu chiến binh"):
        assert any(word in name for name in mass), word
    nvy = Unit.objects.get(name="Chi bộ Phòng Nghiệp vụ Y")
    assert Unit.objects.get_parent(nvy).name == "Đảng bộ Sở Y tế"
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_seed_demo_creates_members_and_non_members(seeded):
    assert Person.objects.count() >= 60
    assert Person.objects.filter(is_party_member=True, party_cell__isnull=False).count() >= 40
    assert Person.objects.filter(is_party_member=False, party_cell__isnull=True).count() >= 10
    assert Person.objects.filter(full_name="Nguyễn Thị Hoa").exists()


def test_seed_demo_years_have_2024_special_deadlines_and_2025_defaults(seeded):
    y2024 = Year.objects.get(year=2024)
    assert y2024.registration_deadline_base == datetime.date(2024, 5, 30)
    assert y2024.registration_deadline_khoi == datetime.date(2024, 6, 30)
    y2025 = Year.objects.get(year=2025)
    for name, value in Year.defaults_for(2025).items():
        assert getattr(y2025, name) == value


def test_seed_demo_registrations_cover_kinds_levels_and_states(seeded):
    regs = Registration.objects.all()
    assert regs.count() >= 40
    assert set(regs.values_list("year__year", flat=True)) == {2024, 2025}
    assert set(regs.values_list("subject_kind", flat=True)) == set(SubjectKind.values)
    assert set(regs.values_list("level", flat=True)) == set(Level.values)
    states = set(regs.values_list("status", flat=True))
    expected = {"draft", "submitted", "returned", "active", "stopped", "confirmed", "exemplar_base", "proposed_khoi"}
    assert expected <= states
    for reg in regs:
        assert all(getattr(reg, name) not in (None, "") for name in ("situation", "content", "lead_name", "address"))


def test_seed_demo_statuses_follow_the_audit_trail(seeded):
    for reg in Registration.objects.prefetch_related("status_changes"):
        changes = list(reg.status_changes.all())
        current = Status.DRAFT
        for change in changes:
            assert change.from_status == current
            current = change.to_status
        assert current == reg.status
        actions = [c.action for c in changes]
        if reg.status == Status.ACTIVE:
            assert actions == ["submit", "receive"]
        if reg.status == Status.RETURNED:
            assert actions == ["submit", "return"] and changes[-1].reason
        if reg.status == Status.CONFIRMED:
            assert actions == ["submit", "receive", "seed"]
        assert [c.at for c in changes] == sorted(c.at for c in changes)


def test_seed_demo_2024_registrations_were_sent_before_the_deadline(seeded):
    sent = Registration.objects.filter(year__year=2024, submitted_at__isnull=False)
    assert sent.exists()
    assert not any(reg.is_late for reg in sent)


@pytest.mark.parametrize(
    ("username", "unit_name", "role"),
    [
        ("bithu.chibo", "Chi bộ Phòng Nghiệp vụ Y", Role.EDITOR),
        ("danguy.soyte", "Đảng bộ Sở Y tế", Role.APPROVER),
        ("bantuyengiao", "Đảng bộ Khối các cơ quan tỉnh", Role.APPRAISER),
        ("lanhdao.khoi", "Đảng bộ Khối các cơ quan tỉnh", Role.VIEWER),
        ("danguy.khoi", "Đảng bộ Khối các cơ quan tỉnh", Role.APPROVER),
    ],
)
def test_demo_account_logs_in_and_has_its_role(seeded, client, username, unit_name, role):
    assert client.login(username=username, password=PASSWORD)
    user = get_user_model().objects.get(username=username)
    assert [(m.unit.name, m.role) for m in user.memberships.select_related("unit")] == [(unit_name, role)]
    assert user.last_name and user.first_name and not user.is_staff


def test_demo_admin_is_a_superuser_who_reaches_the_admin(seeded, client):
    assert client.login(username="admin", password=PASSWORD)
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert client.get("/admin/registry/unit/").status_code == 200


def test_seed_demo_resets_a_changed_demo_password(seeded, client):
    user = get_user_model().objects.get(username="bithu.chibo")
    user.set_password("MatKhauMoi@2025")
    user.save()
    seed()
    assert client.login(username="bithu.chibo", password=PASSWORD)


def test_seed_demo_prints_a_vietnamese_summary(seeded):
    assert seeded.startswith("Đã nạp dữ liệu mẫu “Dân vận khéo”")
    assert "mật khẩu chung: DanVan@2024" in seeded


def test_seed_demo_refuses_to_run_outside_development_without_force(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=True"):
        call_command("seed_demo")
    assert not Unit.objects.exists()
