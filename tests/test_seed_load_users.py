"""``manage.py seed_load_users``: the accounts of the load test (make loadtest), the same after any number of runs,
each able to take its part of the load test's journeys."""

import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from registry import permissions, workflow
from registry.management.commands.seed_load_users import LOAD_PASSWORD, ROOT_CODE
from registry.models import (
    Field,
    Level,
    Membership,
    Registration,
    Role,
    Status,
    StatusChange,
    SubjectKind,
    Unit,
    UnitKind,
    Year,
)
from registry.services import registration_create
from tests.factories import YearFactory


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_load_users", "--force", "--dang-bo=2", "--chi-bo=3", "--approvers=2", stdout=out, **options)
    return out.getvalue()


def users():
    return get_user_model().objects.filter(username__startswith="load.")


def test_seed_gives_every_chi_bo_a_secretary_and_every_dang_bo_its_approvers(db):
    seed()
    root = Unit.objects.get(code=ROOT_CODE)
    assert (root.kind, root.depth) == (UnitKind.KHOI, 1)
    cells = Unit.objects.filter(kind=UnitKind.CHI_BO, path__startswith=root.path)
    assert cells.count() == 6
    for cell in cells:
        secretary = Membership.objects.get(unit=cell)
        assert secretary.role == Role.EDITOR
        assert secretary.user.username.startswith("load.bithu.")
    for party in Unit.objects.filter(kind=UnitKind.DANG_BO_CO_SO, path__startswith=root.path):
        assert Membership.objects.filter(unit=party, role=Role.APPROVER).count() == 2


def test_seeded_accounts_share_the_stated_password(db):
    output = seed()
    assert f"mật khẩu chung: {LOAD_PASSWORD}" in output
    assert users().count() == 10
    assert all(user.check_password(LOAD_PASSWORD) for user in users())


def test_seed_twice_creates_nothing_and_keeps_the_password_hashes(db):
    seed()
    before = (
        list(Unit.objects.order_by("code").values_list("code", "path", "updated_at")),
        list(users().order_by("username").values_list("username", "password")),
        Membership.objects.count(),
    )
    output = seed()
    assert "thêm mới 0 tài khoản, 0 đơn vị" in output
    after = (
        list(Unit.objects.order_by("code").values_list("code", "path", "updated_at")),
        list(users().order_by("username").values_list("username", "password")),
        Membership.objects.count(),
    )
    assert after == before


def test_accounts_file_lists_secretaries_round_robin_over_the_dang_bo(db, tmp_path):
    path = tmp_path / "accounts.json"
    seed(accounts_file=path)
    accounts = json.loads(path.read_text(encoding="utf-8"))
    assert accounts["password"] == LOAD_PASSWORD
    assert accounts["secretaries"][:4] == [
        "load.bithu.01.01",
        "load.bithu.02.01",
        "load.bithu.01.02",
        "load.bithu.02.02",
    ]
    assert accounts["approvers"] == ["load.danguy.01.1", "load.danguy.02.1", "load.danguy.01.2", "load.danguy.02.2"]


def test_seed_opens_the_current_year_when_none_is_open(db):
    YearFactory(year=2024, is_open=False)
    seed()
    open_years = list(Year.objects.filter(is_open=True).values_list("year", flat=True))
    assert open_years == [timezone.localdate().year]


def test_seed_keeps_a_year_that_is_already_open(db):
    YearFactory(year=2025, is_open=True)
    seed()
    assert list(Year.objects.filter(is_open=True).values_list("year", flat=True)) == [2025]


def test_secretary_registers_and_an_approver_of_the_dang_bo_receives(db):
    seed()
    secretary = users().get(username="load.bithu.02.03")
    approver = users().get(username="load.danguy.02.2")
    cell = permissions.editor_units(secretary)[0]
    field, _ = Field.objects.get_or_create(code="xay-dung-dang", defaults={"name": "Xây dựng Đảng", "order": 1})
    year = Year.objects.get(is_open=True)
    data = {
        "year": year,
        "level": Level.BASE,
        "subject_unit": cell,
        "subject_headcount": 12,
        "title": "Mô hình kiểm thử tải",
        "field": field,
        "address": "Thái Nguyên",
        "situation": "Thực trạng.",
        "objectives": "Mục tiêu.",
        "content": "Nội dung.",
        "beneficiaries": "Người dân.",
        "partners": "Công đoàn.",
        "start_date": datetime.date(year.year, 3, 1),
        "end_date": datetime.date(year.year, 12, 31),
        "expected_results": "Kết quả.",
        "lead_name": "Nguyễn Văn Hùng",
    }
    reg = registration_create(author=secretary, subject_kind=SubjectKind.PARTY_ORG, data=data)
    assert reg.receiving_unit.code == "LOAD-DB02"
    workflow.apply(reg, "submit", actor=secretary)
    reg = workflow.apply(reg, "receive", actor=approver)
    assert reg.status == Status.ACTIVE
    assert list(StatusChange.objects.filter(registration=reg).values_list("action", flat=True)) == ["submit", "receive"]


def test_backlog_gives_every_chi_bo_registrations_waiting_for_its_dang_bo(db):
    Field.objects.get_or_create(code="xay-dung-dang", defaults={"name": "Xây dựng Đảng", "order": 1})
    seed(backlog=2)
    seed(backlog=2)  # a second run adds none
    root = Unit.objects.get(code=ROOT_CODE)
    waiting = Registration.objects.filter(unit__path__startswith=root.path)
    assert waiting.count() == 12
    assert set(waiting.values_list("status", flat=True)) == {Status.SUBMITTED}
    assert {reg.receiving_unit.code for reg in waiting if reg.unit.code.startswith("LOAD-DB01-")} == {"LOAD-DB01"}
    assert StatusChange.objects.filter(registration__in=waiting, action="submit").count() == 12


def test_seed_refuses_to_run_outside_development_without_force(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=True"):
        call_command("seed_load_users")
    assert not Unit.objects.filter(code=ROOT_CODE).exists()
