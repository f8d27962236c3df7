"""``manage.py seed_demo``: demo data of one Đảng bộ Khối, safe to run again and again."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from registry import demo_data, receiving, workflow
from registry.models import (
    COLLECTIVE_SUBJECTS,
    Field,
    Membership,
    Person,
    Registration,
    Role,
    Status,
    StatusChange,
    Unit,
    UnitKind,
    Year,
)
from registry.models.units import GRASSROOTS_KINDS
from registry.unit_tree import add_unit, move_unit, parent_path

# How each demo registration reaches its status. Plain names are registry.workflow actions, applied by the
# account that may take them, so the audit timeline is real. "seed:<status>" steps stand for the confirmation
# meetings (Mẫu 5, 6, 7) that registry.workflow does not offer yet: the demo writes the status with a StatusChange
# of action "seed". The meeting workflow (issue 4) will replace these steps.
PATHS = {
    "draft": [],
    "withdrawn": ["submit", "withdraw"],
    "submitted": ["submit"],
    "submitted_late": ["submit"],
    "returned": ["submit", "return"],
    "active": ["submit", "receive"],
    "stopped": ["submit", "receive", "stop"],
    "confirmed": ["submit", "receive", "seed:confirmed"],
    "exemplar_base": ["submit", "receive", "seed:confirmed", "seed:exemplar_base"],
    "proposed_khoi": ["submit", "receive", "seed:confirmed", "seed:exemplar_base", "seed:proposed_khoi"],
}
RETURN_REASONS = [
    "Đề nghị bổ sung chỉ tiêu đánh giá cụ thể và nguồn kinh phí thực hiện.",
    "Nội dung giải pháp chưa rõ cách huy động nguồn lực xã hội hóa; đề nghị bổ sung.",
]
STOP_REASON = "Nội dung mô hình đã hoàn thành theo kế hoạch; đơn vị chuyển sang đăng ký mô hình mới."
SEED_REASONS = {
    Status.CONFIRMED: "Dữ liệu mẫu: xác nhận mô hình theo biên bản họp xét (Mẫu 5a).",
    Status.EXEMPLAR_BASE: "Dữ liệu mẫu: xác nhận điển hình cấp cơ sở theo biên bản họp xét (Mẫu 6a).",
    Status.PROPOSED_KHOI: "Dữ liệu mẫu: đề nghị Đảng ủy Khối xác nhận điển hình (danh sách Mẫu 6b).",
}


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu của Đảng bộ Khối các cơ quan tỉnh: cây đơn vị, cá nhân, năm 2024 và 2025, các mô hình đăng "
        "ký ở nhiều trạng thái và các tài khoản mẫu. Chạy lại bao nhiêu lần cũng không tạo bản trùng; mô hình đã có "
        "thì giữ nguyên. Mỗi lần chạy, mật khẩu của các tài khoản mẫu được đặt lại thành "
        f"{demo_data.DEMO_PASSWORD} nếu đã bị đổi. Chỉ dùng trên máy phát triển (DJANGO_DEBUG=True) hoặc với --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Chạy cả khi DJANGO_DEBUG không bật (không dùng trên máy chủ thật)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo đặt mật khẩu đã biết cho tài khoản quản trị: chỉ chạy khi DJANGO_DEBUG=True, "
                "hoặc thêm --force nếu chắc chắn."
            )
        with transaction.atomic():
            report = DemoSeeder().run()
        self.stdout.write(report)


def _when(day: datetime.date, hour: int = 9) -> datetime.datetime:
    """A moment on ``day`` in local time, never later than now (the demo's history lies in the past)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(moment, timezone.now())


class DemoSeeder:
    """Creates what is missing and updates what differs, keyed by codes, usernames and names; writes nothing else."""

    def __init__(self):
        self.created = {"units": 0, "people": 0, "accounts": 0, "registrations": 0}

    def run(self) -> str:
        self.seed_units()
        self.seed_years()
        self.seed_people()
        self.seed_accounts()
        self.seed_registrations()
        return self.summary()

    # --- generic -------------------------------------------------------------------------------------------
    @staticmethod
    def upsert(model, lookup: dict, values: dict):
        """Create the row, or save it only when a value differs, so that a second run writes nothing."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            return model.objects.create(**lookup, **values), True
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save()
        return obj, False

    # --- units ---------------------------------------------------------------------------------------------
    def seed_units(self):
        for spec in demo_data.units():
            spec = dict(spec)
            parent_code = spec.pop("parent")
            parent = Unit.objects.get(code=parent_code) if parent_code else None  # fresh: siblings shift paths
            unit = Unit.objects.filter(code=spec["code"]).first()
            if unit is None:
                add_unit(Unit(**spec), parent)
                self.created["units"] += 1
                continue
            changed = [name for name, value in spec.items() if getattr(unit, name) != value]
            if changed:
                for name in changed:
                    setattr(unit, name, spec[name])
                unit.save()
            if parent is not None and parent_path(unit.path) != parent.path:
                move_unit(unit, parent, "sorted-child")
        self.units = {unit.code: unit for unit in Unit.objects.all()}

    # --- years ---------------------------------------------------------------------------------------------
    def seed_years(self):
        self.years = {}
        for spec in demo_data.years():
            values = Year.defaults_for(spec["year"]) | spec["special"] | {"is_open": spec["is_open"]}
            self.years[spec["year"]], _ = self.upsert(Year, {"year": spec["year"]}, values)

    # --- people --------------------------------------------------------------------------------------------
    def seed_people(self):
        self.people = {}
        for spec in demo_data.people():
            values = dict(spec)
            lookup = {"full_name": values.pop("full_name"), "work_unit": self.units[values.pop("work_unit")]}
            cell = values.pop("party_cell")
            values["party_cell"] = self.units[cell] if cell else None
            person, created = self.upsert(Person, lookup, values)
            self.created["people"] += created
            self.people[person.full_name] = person

    # --- accounts ------------------------------------------------------------------------------------------
    def seed_accounts(self):
        user_model = get_user_model()
        self.users = {}
        self.approver_of = {}  # grassroots or Khối unit code → username of its approver
        for spec in demo_data.accounts():
            values = {
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "email": f"{spec['username']}@dan-van-kheo.local",
                "is_staff": spec["is_superuser"],
                "is_superuser": spec["is_superuser"],
                "is_active": True,
            }
            user, created = self.upsert(user_model, {"username": spec["username"]}, values)
            self.created["accounts"] += created
            self.users[user.username] = user
            for code, role, title in spec["memberships"]:
                self.upsert(Membership, {"user": user, "unit": self.units[code], "role": role}, {"title": title})
                if role == Role.APPROVER:
                    self.approver_of[code] = user.username
        self.set_passwords(list(self.users.values()))

    @staticmethod
    def set_passwords(users):
        # One hash for all demo accounts: the password hasher is slow on purpose, and hashing once per account
        # would take seconds. An account whose hash already matches the demo password is left untouched.
        valid = {h for h in {u.password for u in users} if h and check_password(demo_data.DEMO_PASSWORD, h)}
        new_hash = None
        for user in users:
            if user.password in valid:
                continue
            new_hash = new_hash or make_password(demo_data.DEMO_PASSWORD)
            user.password = new_hash
            user.save(update_fields=["password"])

    # --- registrations -------------------------------------------------------------------------------------
    def editor_for(self, unit: Unit):
        """The office account that keeps the unit's registrations: the chi bộ's own secretary where there is one."""
        if unit.is_within(self.units["SYT-CB-NVY"]):
            return self.users["bithu.chibo"]
        grassroots = unit.nearest(GRASSROOTS_KINDS)
        slug = next(slug for slug, code, _kind in demo_data.grassroots() if code == grassroots.code)
        return self.users[f"vanphong.{slug}"]

    def approver_for(self, unit: Unit):
        """The committee that receives at ``unit``: its grassroots organisation, or the Khối at Khối level."""
        if unit.depth == 1:
            return self.users[self.approver_of[demo_data.KHOI_CODE]]
        return self.users[self.approver_of[unit.nearest(GRASSROOTS_KINDS).code]]

    def lead_for(self, kind: str, unit: Unit | None, person: Person | None) -> dict:
        """Người phụ trách: the person, the chi bộ's secretary, the đảng ủy's secretary or an agency's officer."""
        if person is not None:
            return {"lead_name": person.full_name, "lead_position": person.position, "lead_phone": person.phone}
        if unit.kind in (UnitKind.CHI_BO, UnitKind.CHI_BO_CO_SO):
            secretary = self.people[demo_data.members_of(unit.code)[0]]
            return {
                "lead_name": secretary.full_name,
                "lead_position": f"Bí thư {unit.name}",
                "lead_phone": secretary.phone,
            }
        if unit.kind == UnitKind.DANG_BO_CO_SO:
            user = self.users[self.approver_of[unit.code]]
            return {
                "lead_name": f"{user.last_name} {user.first_name}",
                "lead_position": "Bí thư " + unit.name.replace("Đảng bộ", "Đảng ủy", 1),
                "lead_phone": f"0208385{unit.pk % 10000:04d}",
            }
        agency = unit if unit.kind == UnitKind.CO_QUAN else Unit.objects.get_parent(unit)
        officer = Person.objects.filter(work_unit=agency).order_by("full_name").first()
        return {
            "lead_name": officer.full_name,
            "lead_position": f"{officer.position}, phụ trách mô hình" if unit == agency else f"Phụ trách {unit.name}",
            "lead_phone": officer.phone,
        }

    def seed_registrations(self):
        fields = {field.code: field for field in Field.objects.all()}
        counters = {}
        for spec in demo_data.registrations():
            year = self.years[spec["year"]]
            index = counters[spec["year"]] = counters.get(spec["year"], -1) + 1
            if Registration.objects.filter(year=year, title=spec["title"]).exists():
                continue  # already seeded, or created by hand: never replayed
            if spec["field"] not in fields:
                raise CommandError(f"Thiếu lĩnh vực “{spec['field']}”: hãy chạy migrate trước.")
            self.create_registration(spec, year, fields[spec["field"]], index)
            self.created["registrations"] += 1

    def create_registration(self, spec: dict, year: Year, field: Field, index: int):
        kind = spec["subject_kind"]
        collective = kind in COLLECTIVE_SUBJECTS
        subject_unit = self.units[spec["subject"]] if collective else None
        person = None if collective else self.people[spec["subject"]]
        if collective:
            receiving.check_subject(kind, subject_unit)
        owner = receiving.owner_unit(kind, unit=subject_unit, person=person)
        receiver = receiving.receiving_unit(kind, spec["level"], owner)
        editor = self.editor_for(owner)
        subject_name = subject_unit.name if collective else person.full_name
        start = datetime.date(year.year, 6, 1) if year.year == 2024 else datetime.date(year.year, 3, 1)
        reg = Registration.objects.create(
            year=year,
            subject_kind=kind,
            level=spec["level"],
            subject_unit=subject_unit,
            subject_person=person,
            unit=owner,
            receiving_unit=receiver,
            title=spec["title"],
            field=field,
            address=spec["address"],
            subject_headcount=subject_unit.member_count if collective else None,
            start_date=start,
            end_date=datetime.date(year.year + (1 if index % 3 == 0 else 0), 12, 31),
            created_by=editor,
            **demo_data.sections(spec, subject_name, individual=not collective),
            **self.lead_for(kind, subject_unit, person),
        )
        approver = self.approver_for(receiver)
        for step in PATHS[spec["target"]]:
            if step.startswith("seed:"):
                target = step.removeprefix("seed:")
                # The receiving unit confirms the model; the grassroots committee confirms and proposes exemplars.
                deciding = approver if target == Status.CONFIRMED else self.approver_for(owner)
                self.seed_status(reg, target, deciding)
            else:
                actor = editor if step in ("submit", "withdraw") else approver
                reason = {"return": RETURN_REASONS[index % 2], "stop": STOP_REASON}.get(step, "")
                reg = workflow.apply(reg, step, actor=actor, reason=reason)
        self.backdate(reg, spec, index)

    @staticmethod
    def seed_status(reg: Registration, target: str, actor):
        # Stand-in for the confirmation meetings (issue 4), which will replace it: status and audit row together.
        reg.refresh_from_db(fields=["status"])
        StatusChange.objects.create(
            registration=reg,
            action="seed",
            from_status=reg.status,
            to_status=target,
            actor=actor,
            reason=SEED_REASONS[target],
        )
        Registration.objects.filter(pk=reg.pk).update(status=target)

    @staticmethod
    def backdate(reg: Registration, spec: dict, index: int):
        """Put the registration's history at plausible dates of its year instead of today."""
        y = spec["year"]
        if spec["target"] == "submitted_late":
            sent = datetime.date(y, 3, 12)
        elif y == 2024:
            sent = datetime.date(2024, 4, 15) + datetime.timedelta(days=2 * index)
        else:
            sent = datetime.date(y, 2, 3) + datetime.timedelta(days=index)
        khoi_level = spec["level"] == "khoi"
        dates = {
            "submit": sent,
            "withdraw": sent + datetime.timedelta(days=3),
            "return": sent + datetime.timedelta(days=6),
            "receive": sent + datetime.timedelta(days=6),
            "stop": datetime.date(y, 9, 16),
            Status.CONFIRMED: datetime.date(y, 11, 20) if khoi_level else datetime.date(y, 10, 22),
            Status.EXEMPLAR_BASE: datetime.date(y, 10, 29),
            Status.PROPOSED_KHOI: datetime.date(y, 11, 6),
        }
        last = _when(sent - datetime.timedelta(days=10))
        for change in reg.status_changes.order_by("pk"):
            key = change.to_status if change.action == "seed" else change.action
            last = _when(dates[key], hour=9 + change.pk % 7)
            StatusChange.objects.filter(pk=change.pk).update(at=last)
        Registration.objects.filter(pk=reg.pk).update(
            created_at=_when(sent - datetime.timedelta(days=10)),
            updated_at=last,
            submitted_at=_when(sent, hour=9) if "submit" in PATHS[spec["target"]] else None,
        )

    # --- report --------------------------------------------------------------------------------------------
    def summary(self) -> str:
        cells = Unit.objects.filter(kind__in=[UnitKind.CHI_BO, UnitKind.CHI_BO_CO_SO]).count()
        lines = [
            "Đã nạp dữ liệu mẫu “Dân vận khéo” (Đảng bộ Khối các cơ quan tỉnh):",
            f"  - Đơn vị: {Unit.objects.count()} ({cells} chi bộ), thêm mới {self.created['units']}.",
            f"  - Cá nhân: {Person.objects.count()}, thêm mới {self.created['people']}.",
            "  - Năm: " + ", ".join(str(y) for y in sorted(self.years)) + ".",
            f"  - Mô hình đăng ký: {Registration.objects.count()}, thêm mới {self.created['registrations']}.",
            f"  - Tài khoản mẫu: {len(self.users)}, thêm mới {self.created['accounts']}; "
            f"mật khẩu chung: {demo_data.DEMO_PASSWORD}",
        ]
        for username, *_rest in demo_data.NAMED_ACCOUNTS:
            user = self.users[username]
            roles = "; ".join(
                f"{m.get_role_display()} – {m.unit.name}" for m in user.memberships.select_related("unit")
            )
            lines.append(f"      {username}: {roles or 'quản trị hệ thống'}")
        return "\n".join(lines)
