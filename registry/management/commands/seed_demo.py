"""``manage.py seed_demo``: demo data of one top party organisation, safe to run again and again.

``--structure=2024`` (the default) builds the Đảng bộ Khối of Hướng dẫn 29-HD/ĐUK; ``--structure=2025`` the Đảng bộ
các cơ quan Đảng tỉnh after the 2025 reorganisation, with the guidance of ``fixtures/`` that names it. Both have the
same codes and accounts; running one after the other renames the demo's units (issued papers keep their names)."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.http import QueryDict
from django.test import override_settings
from django.utils import timezone

from registry import (
    appraisals,
    certificates,
    demo_data,
    documents,
    meetings,
    periodic_reports,
    permissions,
    proposals,
    receiving,
    reviews,
    terms,
    workflow,
)
from registry.models import (
    COLLECTIVE_SUBJECTS,
    Appraisal,
    Document,
    Field,
    Guidance,
    KhoiProposal,
    Meeting,
    Membership,
    OwnerReport,
    Person,
    Purpose,
    Registration,
    ReportPeriod,
    Role,
    SigningCertificate,
    Status,
    StatusChange,
    Unit,
    UnitKind,
    VotingMethod,
    Year,
)
from registry.models.units import GRASSROOTS_KINDS
from registry.papers import catalogue
from registry.papers.catalogue import Issue
from registry.unit_tree import add_unit, move_unit, parent_path

# The demo unit that holds a (test) signing certificate: its minutes and decisions come out signed.
DEMO_SIGNING_UNIT = "SYT-DB"
# How each demo registration reaches "active" (or stops short of it): registry.workflow actions, applied by the
# account that may take them, so the audit timeline is real. Targets past "active" then go on through the real
# services: confirmation meetings, proposals to the Khối and appraisals (DemoSeeder.seed_decisions).
RECEIVED = ["submit", "receive"]
# Statuses past "active" in lifecycle order: a registration whose target is one of them passes every earlier one.
DECIDED = [Status.CONFIRMED, Status.EXEMPLAR_BASE, Status.PROPOSED_KHOI, Status.APPRAISED, Status.EXEMPLAR_KHOI]
PATHS = {
    "draft": [],
    "withdrawn": ["submit", "withdraw"],
    "submitted": ["submit"],
    "submitted_late": ["submit"],
    "returned": ["submit", "return"],
    "active": RECEIVED,
    # Put to the receiving unit's confirmation meeting, which did not give it enough votes: it stays active.
    "not_confirmed": RECEIVED,
    "stopped": ["submit", "receive", "stop"],
    **{status: RECEIVED for status in DECIDED},
}
PLAIN_ACTIONS = {"submit", "withdraw", "return", "receive", "stop"}
# This year's entries are sent within ON_TIME_WINDOW days before their deadline, the late one LATE_BY days after.
ON_TIME_WINDOW = 30
LATE_BY = 5
RETURN_REASONS = [
    "Đề nghị bổ sung chỉ tiêu đánh giá cụ thể và nguồn kinh phí thực hiện.",
    "Nội dung giải pháp chưa rõ cách huy động nguồn lực xã hội hóa; đề nghị bổ sung.",
]
STOP_REASON = "Nội dung mô hình đã hoàn thành theo kế hoạch; đơn vị chuyển sang đăng ký mô hình mới."
# When each step of the demo year happens (month, day); later steps wait for the one before (DemoSeeder.after).
SCHEDULE = {
    "confirm": (10, 8),
    "confirm_khoi_level": (11, 18),  # models registered with the Khối: confirmed at Khối level in November
    "confirm_exemplar_base": (10, 29),
    "propose_khoi": (11, 6),
    "finish_appraisal": (11, 13),
    "late_appraisal": (12, 4),  # appraised after the Khối's meeting: waits for the next one
    "confirm_exemplar_khoi": (11, 27),
}
DAYS_TO_DECISION = 2  # the decision is signed two days after the meeting
# First number tried per kind of document ("21-BB/ĐU"); the next free one is taken when it is used.
FIRST_NUMBER = {
    Purpose.CONFIRM_MODEL: (21, 22),
    Purpose.CONFIRM_EXEMPLAR_BASE: (27, 28),
    Purpose.CONFIRM_EXEMPLAR_KHOI: (144, 145),
    "proposal": 31,
}


def reaches(target: str, status: str) -> bool:
    """True when a registration seeded towards ``target`` passes through ``status`` (a status of ``DECIDED``)."""
    return target in DECIDED and DECIDED.index(target) >= DECIDED.index(status)


def _date(year: int, step: str, offset: int = 0) -> datetime.date:
    month, day = SCHEDULE[step]
    return datetime.date(year, month, day) + datetime.timedelta(days=offset)


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu của một đảng bộ cấp trên (cơ cấu 2024 hoặc 2025, --structure): cây đơn vị, cá nhân, "
        "năm trước và năm nay (hạn đăng ký "
        "quanh ngày chạy lệnh), các mô hình đăng "
        "ký ở nhiều trạng thái và các tài khoản mẫu. Chạy lại bao nhiêu lần cũng không tạo bản trùng; mô hình đã có "
        "thì giữ nguyên. Mỗi lần chạy, mật khẩu của các tài khoản mẫu được đặt lại thành "
        f"{demo_data.DEMO_PASSWORD} nếu đã bị đổi. Chỉ dùng trên máy phát triển (DJANGO_DEBUG=True) hoặc với --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--structure",
            choices=sorted(demo_data.STRUCTURES),
            default=demo_data.STRUCTURE_DEFAULT,
            help="Cơ cấu tổ chức của dữ liệu mẫu: 2024 (theo hướng dẫn năm 2024, trước sắp xếp) hoặc 2025 (Đảng bộ "
            "các cơ quan Đảng tỉnh, Ban Tuyên giáo và Dân vận sau sắp xếp năm 2025). Mặc định: 2024.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Chạy cả khi DJANGO_DEBUG không bật (không dùng trên máy chủ thật)."
        )

    def handle(self, *args, force=False, structure=demo_data.STRUCTURE_DEFAULT, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo đặt mật khẩu đã biết cho tài khoản quản trị: chỉ chạy khi DJANGO_DEBUG=True, "
                "hoặc thêm --force nếu chắc chắn."
            )
        # Demo accounts have made-up addresses: the notifications of the demo's transitions are not mailed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            report = DemoSeeder(structure).run()
        self.stdout.write(report)


def _query(values: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in values.items():
        query.setlist(key, [str(v) for v in value])
    return query


def _when(day: datetime.date, hour: int = 9) -> datetime.datetime:
    """A moment on ``day`` in local time, never later than now (the demo's history lies in the past)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(moment, timezone.now())


class DemoSeeder:
    """Creates what is missing and updates what differs, keyed by codes, usernames and names; writes nothing else."""

    def __init__(self, structure: str = demo_data.STRUCTURE_DEFAULT):
        self.structure = structure
        kinds = ["units", "people", "accounts", "registrations", "meetings", "proposals", "appraisals"]
        # The demo's calendar: last year is over, this year is open, its deadlines around today (demo_data.years).
        self.today = timezone.localdate()
        self.created = dict.fromkeys(kinds, 0)
        self.touched = {}  # registration pk → (registration, spec) whose history this run wrote
        self.events = {}  # (registration pk, action or "created") → the day it stands for

    def run(self) -> str:
        self.seed_guidance()
        self.seed_units()
        self.seed_years()
        self.seed_people()
        self.seed_accounts()
        self.seed_registrations()
        self.seed_signers()
        self.seed_certificate()
        self.seed_decisions()
        self.seed_reports()
        self.publish_exemplars()
        self.backdate()
        # The demo moves proposal, appraisal and submission times after the services wrote them: the ranking's rows
        # (which copy the submission time) follow, once everything is dated.
        appraisals.rebuild_ranking()
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

    # --- the demo unit's signing certificate ------------------------------------------------------------------
    def seed_certificate(self):
        """The Đảng bộ Sở Y tế signs its papers with a test certificate of the demo's own CA, trusted as a test
        root: the signing path works on a developer's machine, marked "THỬ NGHIỆM" on the stamp and the
        verification page. Created once: a second run keeps the certificate (and the documents it signed)."""
        unit = Unit.objects.filter(code=DEMO_SIGNING_UNIT).first()
        if unit is None or SigningCertificate.objects.filter(unit=unit).exists():
            return
        certificates.demo_certificate_install(unit, "Đảng ủy Sở Y tế")

    # --- the guidance and its names ---------------------------------------------------------------------------
    def seed_guidance(self):
        """The structure's guidance (the 2024 one is made by migration 0012; a later one is loaded from
        fixtures/), whose names fill every ``{placeholder}`` of the demo's data."""
        code = demo_data.STRUCTURES[self.structure]["guidance"]
        if not Guidance.objects.filter(code=code).exists():
            call_command("loaddata", demo_data.GUIDANCE_FIXTURES[code], verbosity=0)
        self.guidance = Guidance.objects.get(code=code)
        terms.clear_cache()
        self.names = demo_data.placeholders(self.structure, terms.of_guidance(self.guidance).placeholders())

    def named(self, value):
        return demo_data.named(value, self.names)

    # --- units ---------------------------------------------------------------------------------------------
    def seed_units(self):
        for spec in self.named(demo_data.units()):
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
        for spec in demo_data.years(self.today, self.guidance):
            values = Year.defaults_for(spec["year"], self.guidance) | spec["special"] | {"is_open": spec["is_open"]}
            values["guidance"] = self.guidance
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
        """Create the demo registrations that are missing and take each as far as ``receive`` allows."""
        fields = {field.code: field for field in Field.objects.all()}
        counters = {}
        self.demo = []  # (spec, index within its year, registration) of every demo registration, created or not
        for spec in self.named(demo_data.registrations(past=self.today.year - 1, this=self.today.year)):
            year = self.years[spec["year"]]
            index = counters[spec["year"]] = counters.get(spec["year"], -1) + 1
            reg = Registration.objects.filter(year=year, title=spec["title"]).first()
            if reg is None:  # an existing one, seeded or created by hand, is never replayed
                if spec["field"] not in fields:
                    raise CommandError(f"Thiếu lĩnh vực “{spec['field']}”: hãy chạy migrate trước.")
                reg = self.create_registration(spec, year, fields[spec["field"]], index)
                self.created["registrations"] += 1
            self.demo.append((spec, index, reg))

    def create_registration(self, spec: dict, year: Year, field: Field, index: int) -> Registration:
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
        start = datetime.date(year.year, 6, 1) if year.year < self.today.year else datetime.date(year.year, 3, 1)
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
            **self.named(demo_data.sections(spec, subject_name, individual=not collective)),
            **self.lead_for(kind, subject_unit, person),
        )
        approver = self.approver_for(receiver)
        for step in PATHS[spec["target"]]:
            actor = editor if step in ("submit", "withdraw") else approver
            reason = {"return": RETURN_REASONS[index % 2], "stop": STOP_REASON}.get(step, "")
            reg = workflow.apply(reg, step, actor=actor, reason=reason)
        self.touched[reg.pk] = (reg, spec)
        self.events.update({(reg.pk, action): day for action, day in self.plain_dates(spec, year, index).items()})
        return reg

    def plain_dates(self, spec: dict, year: Year, index: int) -> dict[str, datetime.date]:
        """Plausible days of the registration's own steps in its year, never after today: last year's were sent in
        spring before its deadline; this year's in the weeks before the deadline of their level, except the one
        sent late on purpose, a few days after it."""
        y, today = year.year, self.today
        deadline = year.registration_deadline(spec["level"])
        if y < today.year:
            sent = datetime.date(y, 4, 15) + datetime.timedelta(days=2 * index)
        elif spec["target"] == "submitted_late":
            sent = min(deadline + datetime.timedelta(days=LATE_BY), today)
        else:
            early = deadline - datetime.timedelta(days=ON_TIME_WINDOW - index)
            sent = min(max(datetime.date(y, 1, 2), early), deadline, today)
        return {
            "created": max(datetime.date(y, 1, 2), sent - datetime.timedelta(days=10)),
            "submit": sent,
            "withdraw": min(sent + datetime.timedelta(days=3), today),
            "return": min(sent + datetime.timedelta(days=6), today),
            "receive": min(sent + datetime.timedelta(days=6), today),
            "stop": min(datetime.date(y, 9, 16), today),
        }

    # --- meetings, proposals, appraisals ---------------------------------------------------------------------
    def seed_decisions(self):
        """Take the registrations past "active" through the real services, one step of the lifecycle at a time.

        Each step is keyed by its natural key and skipped when it exists: one meeting per (unit, purpose, year),
        one proposal per (unit, year), one appraisal per (registration, appraiser). Only registrations standing
        at the step's starting status are put to it, so a second run finds nothing to do.
        """
        for year in sorted(self.years.values(), key=lambda y: y.year):
            demo = [(spec, reg) for spec, _index, reg in self.demo if spec["year"] == year.year]
            self.seed_model_meetings(year, demo)
            self.seed_exemplar_meetings(year, demo)
            self.seed_proposals(year, demo)
            self.seed_appraisals(year, demo)
            self.seed_khoi_meeting(year, demo)

    @staticmethod
    def standing(demo, status: str, wanted) -> list:
        """(spec, registration) pairs now at ``status`` whose target ``wanted`` accepts, fresh from the database."""
        current = dict(Registration.objects.filter(pk__in=[reg.pk for _spec, reg in demo]).values_list("pk", "status"))
        return [(spec, reg) for spec, reg in demo if current[reg.pk] == status and wanted(spec["target"])]

    @staticmethod
    def grouped(pairs, key) -> list[tuple[Unit, list]]:
        """``pairs`` grouped by the unit ``key`` gives, units in tree order, pairs in seeding order."""
        groups = {}
        for spec, reg in pairs:
            unit = key(reg)
            groups.setdefault(unit.pk, (unit, []))[1].append((spec, reg))
        return sorted(groups.values(), key=lambda group: group[0].path)

    def seed_model_meetings(self, year: Year, demo):
        """Mẫu 5a/5b: each receiving unit's meeting confirms the models registered with it."""
        pairs = self.standing(demo, Status.ACTIVE, lambda t: t == "not_confirmed" or reaches(t, Status.CONFIRMED))
        for number, (unit, group) in enumerate(self.grouped(pairs, lambda reg: reg.receiving_unit)):
            step = "confirm_khoi_level" if unit.depth == 1 else "confirm"
            self.hold_meeting(unit, Purpose.CONFIRM_MODEL, year, group, _date(year.year, step, 2 * number % 18))

    def seed_exemplar_meetings(self, year: Year, demo):
        """Mẫu 6a/6b: each grassroots organisation's meeting confirms its grassroots exemplars."""
        pairs = self.standing(demo, Status.CONFIRMED, lambda t: reaches(t, Status.EXEMPLAR_BASE))
        for number, (unit, group) in enumerate(self.grouped(pairs, permissions.grassroots_unit_of)):
            held_on = _date(year.year, "confirm_exemplar_base", number)
            self.hold_meeting(unit, Purpose.CONFIRM_EXEMPLAR_BASE, year, group, held_on)

    def seed_khoi_meeting(self, year: Year, demo):
        """Mẫu 7b: the Ban Thường vụ Đảng ủy Khối confirms the appraised entries chosen as Khối exemplars."""
        pairs = self.standing(demo, Status.APPRAISED, lambda t: reaches(t, Status.EXEMPLAR_KHOI))
        if pairs:
            khoi = self.units[demo_data.KHOI_CODE]
            held_on = _date(year.year, "confirm_exemplar_khoi")
            self.hold_meeting(khoi, Purpose.CONFIRM_EXEMPLAR_KHOI, year, pairs, held_on)

    def hold_meeting(self, unit: Unit, purpose: str, year: Year, group: list, held_on: datetime.date):
        """Create and record the meeting of ``unit`` for ``purpose`` in ``year`` unless it exists."""
        if Meeting.objects.filter(unit=unit, purpose=purpose, year=year).exists():
            return
        held_on = self.after(held_on, [reg for _spec, reg in group])
        decided_on = min(held_on + datetime.timedelta(days=DAYS_TO_DECISION), timezone.localdate())
        actor = self.approver_for(unit)
        chair, secretary = self.chair_and_secretary(unit)
        total, present = self.body_size(unit)
        entries = [(reg, *self.votes(spec, total, present)) for spec, reg in group]
        meeting = meetings.meeting_create(
            actor=actor,
            data={
                "unit": unit,
                "year": year,
                "purpose": purpose,
                "held_on": held_on,
                "starts_at": datetime.time(8, 0),
                "ends_at": datetime.time(10, 30),
                "place": "Phòng họp " + unit.name.replace("Đảng bộ", "Đảng ủy", 1),
                "members_total": total,
                "members_present": present,
                "absence_note": demo_data.ABSENCE_NOTE if present < total else "",
                "chair_name": chair,
                "secretary_name": secretary,
                "voting_method": (
                    VotingMethod.SHOW_OF_HANDS if purpose == Purpose.CONFIRM_MODEL else VotingMethod.SECRET_BALLOT
                ),
                "conclusion": self.named(demo_data.MEETING_CONCLUSIONS[purpose]),
            },
            entries=entries,
        )
        minutes_start, decision_start = FIRST_NUMBER[purpose]
        meeting = meetings.meeting_record(meeting, actor=actor)
        minutes, decision = catalogue.meeting_subjects(meeting, actor)
        self.issue(minutes, actor, number=self.free_number(unit, year.year, "BB", minutes_start), on=held_on)
        self.issue(
            decision, actor, number=self.free_number(unit, year.year, "QĐ", decision_start), on=decided_on, name=chair
        )
        recorded = _when(decided_on, hour=15)
        Meeting.objects.filter(pk=meeting.pk).update(
            created_at=_when(held_on, hour=8), updated_at=recorded, recorded_at=recorded
        )
        Document.objects.filter(meeting=meeting).update(created_at=recorded, updated_at=recorded)
        action = meetings.ACTION_PASSED[purpose]
        for entry in meeting.entries.filter(passed=True).select_related("registration"):
            self.touch(entry.registration, group)
            self.events[(entry.registration_id, action)] = decided_on
        self.created["meetings"] += 1

    def seed_proposals(self, year: Year, demo):
        """Mẫu 6b list: each grassroots organisation proposes its chosen exemplars to the Khối."""
        pairs = self.standing(demo, Status.EXEMPLAR_BASE, lambda t: reaches(t, Status.PROPOSED_KHOI))
        for number, (unit, group) in enumerate(self.grouped(pairs, permissions.grassroots_unit_of)):
            if KhoiProposal.objects.filter(unit=unit, year=year).exists():
                continue
            regs = [reg for _spec, reg in group]
            sent_on = self.after(_date(year.year, "propose_khoi", number), regs)
            actor = self.approver_for(unit)
            proposal = proposals.proposal_create(
                actor=actor, unit=unit, year=year, registrations=regs, note=demo_data.PROPOSAL_NOTE
            )
            proposals.proposal_send(proposal, actor=actor)
            sent = _when(sent_on, hour=10)
            KhoiProposal.objects.filter(pk=proposal.pk).update(
                created_at=_when(sent_on - datetime.timedelta(days=1)), updated_at=sent, sent_at=sent
            )
            proposal.refresh_from_db()
            subject = catalogue.Subject(
                form=catalogue.FORMS["mau_6b_ds"], issuer=unit, year=year.year, user=actor, proposal=proposal
            )
            number = self.free_number(unit, year.year, "DS", FIRST_NUMBER["proposal"])
            self.issue(subject, actor, number=number, on=sent_on, name=self.chair_and_secretary(unit)[0])
            Document.objects.filter(proposal=proposal).update(created_at=sent, updated_at=sent)
            for reg in regs:
                self.touch(reg, group)
                self.events[(reg.pk, "propose_khoi")] = sent_on
            self.created["proposals"] += 1

    def seed_appraisals(self, year: Year, demo):
        """Mẫu 7a: the Ban Tuyên giáo scores every entry that goes past "proposed", submits and closes it."""
        appraiser = self.users[demo_data.APPRAISER]
        pairs = self.standing(demo, Status.PROPOSED_KHOI, lambda t: reaches(t, Status.APPRAISED))
        # The round before the Khối's meeting is appraised and reported (Mẫu 7a, 7) first; an entry appraised late
        # comes after those papers, so they neither list it nor bear a date after the meeting.
        on_time = [(spec, reg) for spec, reg in pairs if spec["target"] != Status.APPRAISED]
        late = [(spec, reg) for spec, reg in pairs if spec["target"] == Status.APPRAISED]
        finished = self.appraise(year, on_time, "finish_appraisal", appraiser)
        if finished:
            self.issue_appraisal_papers(year, max(finished), appraiser)
        self.appraise(year, late, "late_appraisal", appraiser, start=len(on_time))

    def appraise(self, year: Year, pairs: list, step: str, appraiser, start: int = 0) -> list[datetime.date]:
        """Score, submit and close the appraisal of each pair on the ``step``'s day; the days it was closed."""
        days = []
        for number, (spec, reg) in enumerate(pairs, start=start):
            appraised_on = self.after(_date(year.year, step, number), [reg])
            appraisal = Appraisal.objects.filter(registration=reg, appraiser=appraiser).first()
            if appraisal is None or appraisal.submitted_at is None:
                scores = {
                    criterion.pk: (True, criterion.max_score - (number + criterion.number) % 3)
                    for criterion in appraisals.criteria_of(reg)
                }
                appraisal = appraisals.appraisal_submit(
                    registration=reg,
                    appraiser=appraiser,
                    file_complete=True,
                    comment=demo_data.APPRAISAL_COMMENT,
                    scores=scores,
                )
                moment = _when(appraised_on, hour=9)
                Appraisal.objects.filter(pk=appraisal.pk).update(
                    created_at=moment, updated_at=moment, submitted_at=moment
                )
                self.created["appraisals"] += 1
            appraisals.appraisal_finish(reg, actor=appraiser)
            # Dated now, before ``backdate``: the papers issued next must not be dated before the appraisal closed.
            reg.status_changes.filter(to_status=Status.APPRAISED).update(at=_when(appraised_on, hour=15))
            self.touch(reg, [(spec, reg)])
            self.events[(reg.pk, "finish_appraisal")] = appraised_on
            days.append(appraised_on)
        return days

    def issue_appraisal_papers(self, year: Year, closed_on: datetime.date, appraiser):
        """The Ban's appraisal report (Mẫu 7a) and submission (Mẫu 7) of the round, dated the day after its last
        appraisal closed (before the Khối's meeting), the submission proposing the entries the meeting makes
        exemplars."""
        values = {"nam": [str(year.year)]}
        report = catalogue.subject_from("mau_7a", _query(values), appraiser)
        chosen = [
            e.registration.pk
            for e in report.options["printable"]
            if next((spec for spec, _i, reg in self.demo if reg.pk == e.registration.pk), {}).get("target")
            == Status.EXEMPLAR_KHOI
        ]
        on = closed_on + datetime.timedelta(days=1)
        for code, kind, params in (("mau_7a", "BC", values), ("mau_7", "TTr", {**values, "chon": chosen})):
            subject = catalogue.subject_from(code, _query(params), appraiser)
            if documents.current(subject) is not None or subject.not_ready():
                continue
            number = self.free_number(subject.issuer, year.year, kind, FIRST_NUMBER["proposal"])
            document = self.issue(subject, appraiser, number=number, on=on)
            moment = _when(on, hour=14)
            Document.objects.filter(pk=document.pk).update(created_at=moment, updated_at=moment)

    # --- helpers of the decisions ----------------------------------------------------------------------------
    def touch(self, reg: Registration, group: list):
        """Remember a registration whose history this run wrote, to date it at the end."""
        if reg.pk not in self.touched:
            spec = next(spec for spec, r in group if r.pk == reg.pk)
            self.touched[reg.pk] = (reg, spec)

    def after(self, day: datetime.date, regs: list[Registration]) -> datetime.date:
        """``day``, or two days after the latest step of ``regs`` when that is later; never after today."""
        latest = []
        for reg in regs:
            days = [d for (pk, action), d in self.events.items() if pk == reg.pk and action != "created"]
            if not days:  # seeded by an earlier run: its audit trail is already dated
                last = reg.status_changes.order_by("-at").values_list("at", flat=True).first()
                days = [timezone.localdate(last)] if last else []
            latest += days
        if latest:
            day = max(day, max(latest) + datetime.timedelta(days=2))
        return min(day, timezone.localdate())

    def chair_and_secretary(self, unit: Unit) -> tuple[str, str]:
        """Who chairs the deciding body's meeting and who keeps its minutes."""
        if unit.kind in (UnitKind.CHI_BO, UnitKind.CHI_BO_CO_SO):
            bi_thu, member = demo_data.members_of(unit.code)[:2]  # the chi bộ's secretary chairs
            return bi_thu, member
        if unit.kind == UnitKind.CO_QUAN:
            officer, clerk = (
                Person.objects.filter(work_unit=unit).order_by("full_name").values_list("full_name", flat=True)[:2]
            )
            return officer, clerk
        chair = self.approver_for(unit)
        if unit.depth == 1:
            return f"{chair.last_name} {chair.first_name}", demo_data.members_of(demo_data.KHOI_OFFICE_CELL)[0]
        office = self.editor_for(unit)
        return f"{chair.last_name} {chair.first_name}", f"{office.last_name} {office.first_name}"

    @staticmethod
    def body_size(unit: Unit) -> tuple[int, int]:
        """(members, members present) of the body that decides at ``unit``; a large body misses one member."""
        if unit.kind == UnitKind.KHOI:
            total = 11
        elif unit.kind == UnitKind.DANG_BO_CO_SO:
            total = 7 if unit.has_standing_committee else 11
        elif unit.kind == UnitKind.CO_QUAN:
            total = 4
        else:
            total = 3
        return total, total - 1 if total > 4 else total

    @staticmethod
    def votes(spec: dict, total: int, present: int) -> tuple[int, int]:
        """(for, against): a clear majority, or too few votes for a model seeded as "not_confirmed"."""
        if spec["target"] == "not_confirmed":
            votes_for = total // 2 - 1
            return votes_for, present - votes_for
        votes_for = present - (len(spec["title"]) % 2 if present > 3 else 0)
        return votes_for, present - votes_for

    @staticmethod
    def issue(subject, actor, *, number: str, on: datetime.date, name: str = ""):
        """Issue a paper as its office would: the form's signer, the given number and the act's date."""
        signer = documents.default_signer(subject)
        data = Issue(
            number=number,
            issued_on=min(on, timezone.localdate()),
            signer_authority=signer["authority"],
            signer_title=signer["title"],
            signer_name=signer["name"] or name or "Nguyễn Văn Bình",
        )
        return documents.issue(subject, data, user=actor)

    @staticmethod
    def free_number(unit: Unit, year: int, kind: str, start: int | None) -> str:
        """The first unused document number of ``unit`` in ``year`` from about ``start``: "22-QĐ/ĐU" for a party
        body, "22/QĐ-SYT" for an agency."""
        abbreviation = unit.abbreviation or "ĐU"
        pattern = "{n}/{kind}-{abbr}" if unit.kind == UnitKind.CO_QUAN else "{n}-{kind}/{abbr}"
        # Each unit numbers its own documents: shift the start by a figure of its code so units differ.
        number = (start or 1) + sum(map(ord, unit.code)) % 9 * 4
        taken = set(Document.objects.filter(issuing_unit=unit, year=year).values_list("number", flat=True))
        while pattern.format(n=number, kind=kind, abbr=abbreviation) in taken:
            number += 1
        return pattern.format(n=number, kind=kind, abbr=abbreviation)

    def seed_signers(self):
        """Who signs each unit's papers by default (``Unit.signer_name``), so that an issued paper names its signer:
        a chi bộ's secretary, a committee's chair, an agency's officer, the Ban's head."""
        for unit in Unit.objects.all():
            name = self.signer_of(unit)
            if name and unit.signer_name != name:
                Unit.objects.filter(pk=unit.pk).update(signer_name=name)

    def signer_of(self, unit: Unit) -> str:
        if unit.kind in (UnitKind.CHI_BO, UnitKind.CHI_BO_CO_SO):
            return next(iter(demo_data.members_of(unit.code)), "")
        if unit.kind == UnitKind.CO_QUAN:
            officers = Person.objects.filter(work_unit=unit).order_by("full_name")
            return officers.values_list("full_name", flat=True).first() or ""
        if unit.kind == UnitKind.BAN:
            head = self.users[demo_data.APPRAISER]
            return f"{head.last_name} {head.first_name}"
        if unit.kind in (UnitKind.KHOI, UnitKind.DANG_BO_CO_SO):
            return self.chair_and_secretary(unit)[0]
        return ""

    def seed_reports(self):
        """What the Đảng bộ Sở Y tế writes about each year (the narrative and the reviews of Mẫu 4, the narrative of
        its 6-month and annual reports) and the owner's reports of the secretary's chi bộ: Mẫu 5 of its running
        model, Mẫu 6 of its exemplar. Saved through the services, as the pages do."""
        secretary = self.users[demo_data.SECRETARY]
        dang_bo = Unit.objects.get(code="SYT-DB")
        for year in Year.objects.order_by("year"):
            reviews.unit_report_save(unit=dang_bo, year=year, data=self.named(demo_data.UNIT_REVIEW))
            for reg in reviews.due_for_review(Registration.objects.all(), unit=dang_bo, year=year):
                if reg.reviews.filter(year=year).exists():
                    continue
                reviews.review_save(
                    registration=reg,
                    year=year,
                    reviewer=self.editor_for(reg.unit),
                    results=demo_data.REVIEW_RESULTS,
                    proposal=reviews.Proposal.CONTINUE,
                    assessments={c.pk: True for c in reviews.criteria_for(reg, year)},
                )
            for period in ReportPeriod.values:
                periodic_reports.periodic_report_save(
                    unit=dang_bo, year=year, period=period, data=demo_data.PERIODIC_REPORT, user=secretary
                )
        cell = Unit.objects.get(code="SYT-CB-NVY")
        owned = Registration.objects.filter(unit=cell).select_related("year")
        for kind, allowed in reviews.OWNER_REPORT_STATUSES.items():
            reg = owned.filter(status__in=list(allowed)).order_by("-year__year", "pk").first()
            if reg is None or OwnerReport.objects.filter(registration=reg, kind=kind).exists():
                continue
            spec = dict(demo_data.OWNER_REPORTS[kind])
            month, day = spec.pop("written_on")
            report = reviews.owner_report_save(
                registration=reg,
                kind=kind,
                year=reg.year,
                author=secretary,
                data=spec,
                assessments={c.pk: (True, "Có biên bản, hình ảnh minh chứng.") for c in reviews.criteria_for(reg)},
            )
            written_on = datetime.date(reg.year.year, month, day)
            received = self.events.get((reg.pk, "receive"))
            if received is not None:  # a report on a model follows its receipt, however late it was sent
                written_on = max(written_on, received + datetime.timedelta(days=7))
            written = _when(min(written_on, self.today))
            OwnerReport.objects.filter(pk=report.pk).update(created_at=written, updated_at=written)

    # --- dates -----------------------------------------------------------------------------------------------
    def publish_exemplars(self):
        """The Khối exemplars are marked public, so the showcase (/dien-hinh/) has something to show."""
        Registration.objects.filter(status=Status.EXEMPLAR_KHOI, is_public=False).update(is_public=True)

    def backdate(self):
        """Put the history written by this run at the days it stands for instead of now."""
        for reg, spec in self.touched.values():
            last = sent = None
            for change in reg.status_changes.order_by("pk"):
                day = self.events.get((reg.pk, change.action))
                if day is None:  # written and dated by an earlier run
                    last = change.at
                    continue
                decided = change.action not in PLAIN_ACTIONS
                last = _when(day, hour=15 if decided else 9 + change.pk % 6)
                StatusChange.objects.filter(pk=change.pk).update(at=last)
                if change.action == "submit":
                    sent = last  # the entry page's "Gửi lúc" and its history name the same moment
            created = self.events.get((reg.pk, "created"))
            values = {"updated_at": last or timezone.now()}
            if created is not None:  # created by this run
                values["created_at"] = _when(created)
                values["submitted_at"] = (
                    (sent or _when(self.events[(reg.pk, "submit")])) if "submit" in PATHS[spec["target"]] else None
                )
            Registration.objects.filter(pk=reg.pk).update(**values)

    # --- report --------------------------------------------------------------------------------------------
    def summary(self) -> str:
        cells = Unit.objects.filter(kind__in=[UnitKind.CHI_BO, UnitKind.CHI_BO_CO_SO]).count()
        lines = [
            f"Đã nạp dữ liệu mẫu “Dân vận khéo” ({self.names['top_unit']}, theo {self.names['guidance_short']}):",
            f"  - Đơn vị: {Unit.objects.count()} ({cells} chi bộ), thêm mới {self.created['units']}.",
            f"  - Cá nhân: {Person.objects.count()}, thêm mới {self.created['people']}.",
            "  - Năm: " + ", ".join(str(y) for y in sorted(self.years)) + ".",
            f"  - Mô hình đăng ký: {Registration.objects.count()}, thêm mới {self.created['registrations']}.",
            f"  - Cuộc họp xét, xác nhận: {Meeting.objects.count()}, thêm mới {self.created['meetings']}; "
            f"đề nghị lên {self.names['top_committee']}: {KhoiProposal.objects.count()}, "
            f"thêm mới {self.created['proposals']}; "
            f"phiếu thẩm định: {Appraisal.objects.count()}, thêm mới {self.created['appraisals']}; "
            f"văn bản: {Document.objects.count()}.",
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
