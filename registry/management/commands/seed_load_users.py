"""``manage.py seed_load_users``: the accounts the load test (``make loadtest``) logs in with, safe to run again.

A Đảng bộ Khối of its own ("LOAD") with ``--dang-bo`` đảng bộ cơ sở, each with ``--chi-bo`` chi bộ: every chi bộ has a
secretary (editor at the chi bộ, who registers Mẫu 1 for it) and every đảng bộ ``--approvers`` committee members
(approvers at the đảng bộ, who receive or return what its chi bộ send). All accounts share ``LOAD_PASSWORD``. The open
year is the current calendar year unless a year is already open. ``--backlog N`` gives each chi bộ N registrations
already sent (through the registration service and the workflow, as the portal would), so that the approvers have work
from the first second. Everything is keyed by unit code, username and title: a second run creates nothing and leaves
the password hashes as they are.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from registry import workflow
from registry.models import Field, Guidance, Level, Membership, Registration, Role, SubjectKind, Unit, UnitKind, Year
from registry.services import registration_create
from registry.terms import terms
from registry.unit_tree import add_unit

LOAD_PASSWORD = "KiemThuTai@2025"
ROOT_CODE = "LOAD"
# The top unit's committee and place are the current guidance's names (registry.terms), read when seeding.
LEADING_BODY = {
    UnitKind.DANG_BO_CO_SO: "Đảng ủy",
    UnitKind.CHI_BO: "Chi bộ",
}
ABBREVIATION = {UnitKind.KHOI: "ĐUK", UnitKind.DANG_BO_CO_SO: "ĐU", UnitKind.CHI_BO: "CB"}


def dang_bo_code(d: int) -> str:
    return f"{ROOT_CODE}-DB{d:02d}"


def chi_bo_code(d: int, c: int) -> str:
    return f"{dang_bo_code(d)}-CB{c:02d}"


def secretary_username(d: int, c: int) -> str:
    return f"load.bithu.{d:02d}.{c:02d}"


def approver_username(d: int, a: int) -> str:
    return f"load.danguy.{d:02d}.{a}"


@dataclass
class Seeded:
    """What one run found or made: usernames by role, and how many rows it created."""

    secretaries: list[str] = field(default_factory=list)
    approvers: list[str] = field(default_factory=list)
    created_units: int = 0
    created_accounts: int = 0
    created_backlog: int = 0
    year: int | None = None


class Command(BaseCommand):
    help = (
        "Tạo các tài khoản cho kiểm thử tải (make loadtest): một đơn vị gốc riêng (mã LOAD) với các đảng bộ cơ sở "
        "và chi bộ; mỗi chi bộ một bí thư (cập nhật), mỗi đảng bộ các đồng chí cấp ủy (tiếp nhận). Mật khẩu chung: "
        f"{LOAD_PASSWORD}. Chạy lại không tạo bản trùng. Chỉ dùng trên cơ sở dữ liệu thử (DJANGO_DEBUG=True hoặc "
        "--force)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dang-bo", type=int, default=10, help="Số đảng bộ cơ sở (mặc định 10).")
        parser.add_argument("--chi-bo", type=int, default=10, help="Số chi bộ trong mỗi đảng bộ (mặc định 10).")
        parser.add_argument("--approvers", type=int, default=2, help="Số cấp ủy viên của mỗi đảng bộ (mặc định 2).")
        parser.add_argument(
            "--backlog", type=int, default=0, help="Số hồ sơ đã gửi, chờ tiếp nhận, của mỗi chi bộ (mặc định 0)."
        )
        parser.add_argument(
            "--accounts-file", type=Path, help="Ghi danh sách tài khoản và mật khẩu ra tệp JSON (cho locust)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Chạy cả khi DJANGO_DEBUG không bật (chỉ với cơ sở dữ liệu thử)."
        )

    def handle(self, *args, dang_bo, chi_bo, approvers, backlog, accounts_file=None, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_load_users tạo tài khoản với mật khẩu đã biết: chỉ chạy khi DJANGO_DEBUG=True, "
                "hoặc thêm --force trên cơ sở dữ liệu dành cho kiểm thử tải."
            )
        if min(dang_bo, chi_bo, approvers) < 1 or max(dang_bo, chi_bo) > 99 or approvers > 9 or backlog < 0:
            raise CommandError("--dang-bo và --chi-bo từ 1 đến 99, --approvers từ 1 đến 9, --backlog từ 0.")
        if backlog and not Field.objects.exists():
            raise CommandError("Chưa có danh mục lĩnh vực: hãy chạy migrate trước.")
        # The accounts' addresses are made up: the notifications of the backlog's submissions are not mailed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            seeded = seed(dang_bo=dang_bo, chi_bo=chi_bo, approvers=approvers, backlog=backlog)
        if accounts_file:
            accounts = {"password": LOAD_PASSWORD, "secretaries": seeded.secretaries, "approvers": seeded.approvers}
            accounts_file.write_text(json.dumps(accounts, ensure_ascii=False, indent=1), encoding="utf-8")
        self.stdout.write(
            f"Kiểm thử tải: {len(seeded.secretaries)} bí thư chi bộ, {len(seeded.approvers)} cấp ủy viên "
            f"(thêm mới {seeded.created_accounts} tài khoản, {seeded.created_units} đơn vị, "
            f"{seeded.created_backlog} hồ sơ chờ tiếp nhận); năm mở đăng ký "
            f"{seeded.year}; mật khẩu chung: {LOAD_PASSWORD}"
        )


def seed(*, dang_bo: int, chi_bo: int, approvers: int, backlog: int = 0) -> Seeded:
    """Create what is missing. Usernames are listed round-robin over the đảng bộ (chi bộ 1 of each, then chi bộ 2…),
    so that a load test using only the first N accounts still spreads its users over every đảng bộ."""
    year = _ensure_open_year()
    seeded = Seeded(year=year.year)
    root, created = _unit(ROOT_CODE, f"{terms().top_body} kiểm thử tải", UnitKind.KHOI, None)
    seeded.created_units += created
    secretaries, approvers_of = {}, {}  # (chi bộ, đảng bộ) and (approver, đảng bộ) → user
    for d in range(1, dang_bo + 1):
        party, created = _unit(dang_bo_code(d), f"Đảng bộ kiểm thử tải {d:02d}", UnitKind.DANG_BO_CO_SO, root.code)
        seeded.created_units += created
        for a in range(1, approvers + 1):
            approvers_of[a, d], created = _account(approver_username(d, a), party, Role.APPROVER)
            seeded.created_accounts += created
        for c in range(1, chi_bo + 1):
            cell, created = _unit(
                chi_bo_code(d, c), f"Chi bộ kiểm thử tải {d:02d}.{c:02d}", UnitKind.CHI_BO, party.code
            )
            seeded.created_units += created
            secretaries[c, d], created = _account(secretary_username(d, c), cell, Role.EDITOR)
            seeded.created_accounts += created
            seeded.created_backlog += _backlog(cell, secretaries[c, d], year, backlog)
    seeded.secretaries = [secretaries[key].username for key in sorted(secretaries)]
    seeded.approvers = [approvers_of[key].username for key in sorted(approvers_of)]
    _set_password([*secretaries.values(), *approvers_of.values()])
    return seeded


def _ensure_open_year() -> Year:
    """A year open for registration: the one already open, else the current calendar year, opened."""
    year = Year.objects.filter(is_open=True).order_by("-year").first()
    if year is not None:
        return year
    number = timezone.localdate().year
    guidance = Guidance.latest()
    values = {**Year.defaults_for(number, guidance), "is_open": True}
    # A year made here runs under the latest guidance; one that exists keeps its own.
    year, _ = Year.objects.update_or_create(
        year=number, defaults=values, create_defaults={**values, "guidance": guidance}
    )
    return year


def _unit(code: str, name: str, kind: str, parent_code: str | None) -> tuple[Unit, bool]:
    unit = Unit.objects.filter(code=code).first()
    if unit is not None:
        return unit, False
    # The parent is read again: adding a sibling in name order may have renumbered paths.
    parent = Unit.objects.get(code=parent_code) if parent_code else None
    names = terms()
    unit = Unit(
        code=code,
        name=name,
        kind=kind,
        place_name=names.place,
        leading_body=names.standing_committee if kind == UnitKind.KHOI else LEADING_BODY[kind],
        abbreviation=ABBREVIATION[kind],
        header_line=f"ĐẢNG BỘ TỈNH {names.place.upper()}" if parent is None else parent.name.upper(),
        has_standing_committee=kind == UnitKind.KHOI,
        member_count=12,
    )
    return add_unit(unit, parent), True


def _account(username: str, unit: Unit, role: str):
    """The account and its one membership; e-mail at a reserved domain, so that the notifications are real but go
    nowhere (the load test's server writes them to its log)."""
    title = "BÍ THƯ" if role == Role.EDITOR else "ỦY VIÊN"
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "last_name": "Kiểm thử",
            "first_name": f"{title.capitalize()} {unit.name}",
            "email": f"{username}@kiem-thu-tai.invalid",
        },
    )
    Membership.objects.get_or_create(user=user, unit=unit, role=role, defaults={"title": title})
    return user, created


def _backlog(cell: Unit, secretary, year: Year, count: int) -> int:
    """Sent registrations of ``cell`` waiting for its đảng bộ, up to ``count``; returns how many were made."""
    made = 0
    for number in range(1, count + 1):
        title = f"Mô hình chờ tiếp nhận số {number} của {cell.name}"
        if Registration.objects.filter(year=year, title=title).exists():
            continue
        data = {
            "year": year,
            "level": Level.BASE,
            "subject_unit": cell,
            "subject_headcount": cell.member_count,
            "title": title,
            "field": Field.objects.order_by("order").first(),
            "address": "Trụ sở cơ quan",
            "situation": "Người dân còn phải đi lại nhiều lần khi làm thủ tục.",
            "objectives": "Rút ngắn thời gian giải quyết thủ tục.",
            "content": "Niêm yết công khai thủ tục, hướng dẫn tận tình.",
            "beneficiaries": "Người dân, tổ chức đến làm thủ tục.",
            "partners": "Công đoàn, Đoàn Thanh niên cơ quan.",
            "start_date": datetime.date(year.year, 3, 1),
            "end_date": datetime.date(year.year, 12, 31),
            "expected_results": "Không có hồ sơ trễ hẹn.",
            "lead_name": f"Bí thư {cell.name}",
        }
        reg = registration_create(author=secretary, subject_kind=SubjectKind.PARTY_ORG, data=data)
        workflow.apply(reg, "submit", actor=secretary)
        made += 1
    return made


def _set_password(users) -> None:
    # One hash for every account (the hasher is slow on purpose); an account already on the password keeps its hash.
    valid = {h for h in {u.password for u in users} if h and check_password(LOAD_PASSWORD, h)}
    new_hash = None
    for user in users:
        if user.password in valid:
            continue
        new_hash = new_hash or make_password(LOAD_PASSWORD)
        user.password = new_hash
        user.save(update_fields=["password"])
