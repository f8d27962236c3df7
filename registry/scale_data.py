"""Generated data at national scale for benchmarks: a unit tree, people, accounts and registrations over several
years in every status, with their audit rows, yearly reviews, confirmation meetings, proposals to the Khối,
appraisals and documents.

Everything is written with ``bulk_create`` in batches: the tree's materialised paths (treebeard ``MP_Node``,
steplen 4, alphabet 0-9A-Z) are computed here, with siblings numbered in name order as ``node_order_by = ["name"]``
requires, and each registration's history is consistent with its status (a confirmed one was submitted, received
and passed a confirmation meeting). Registrations are generated in chunks so that memory stays flat at 1,000,000.
The data is made up; no account has a usable password.
"""

import datetime
import io
import json
import random
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from registry.appraisals import rebuild_ranking
from registry.models import (
    Appraisal,
    AppraisalScore,
    ChoiceStamp,
    Criterion,
    Document,
    Field,
    Guidance,
    KhoiProposal,
    KhoiProposalEntry,
    Meeting,
    MeetingEntry,
    Membership,
    Person,
    Purpose,
    Registration,
    Role,
    Status,
    StatusChange,
    SubjectGroup,
    SubjectKind,
    Unit,
    UnitKind,
    VotingMethod,
    Year,
    YearlyReview,
)
from registry.models.documents import new_verification_code
from registry.papers.meetings import MINUTES_FORM
from registry.terms import terms
from registry.text import search_key

S = Status
K = UnitKind
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
CHUNK = 50_000  # registrations generated, written and forgotten at a time

# Actions from draft to each status, in order (registry.workflow.TRANSITIONS).
HISTORY = {
    S.DRAFT: [],
    S.SUBMITTED: [("submit", S.DRAFT, S.SUBMITTED)],
    S.RETURNED: [("submit", S.DRAFT, S.SUBMITTED), ("return", S.SUBMITTED, S.RETURNED)],
    S.ACTIVE: [("submit", S.DRAFT, S.SUBMITTED), ("receive", S.SUBMITTED, S.ACTIVE)],
}
HISTORY[S.STOPPED] = [*HISTORY[S.ACTIVE], ("stop", S.ACTIVE, S.STOPPED)]
HISTORY[S.CONFIRMED] = [*HISTORY[S.ACTIVE], ("confirm", S.ACTIVE, S.CONFIRMED)]
HISTORY[S.EXEMPLAR_BASE] = [*HISTORY[S.CONFIRMED], ("confirm_exemplar_base", S.CONFIRMED, S.EXEMPLAR_BASE)]
HISTORY[S.PROPOSED_KHOI] = [*HISTORY[S.EXEMPLAR_BASE], ("propose_khoi", S.EXEMPLAR_BASE, S.PROPOSED_KHOI)]
HISTORY[S.APPRAISED] = [*HISTORY[S.PROPOSED_KHOI], ("finish_appraisal", S.PROPOSED_KHOI, S.APPRAISED)]
HISTORY[S.EXEMPLAR_KHOI] = [*HISTORY[S.APPRAISED], ("confirm_exemplar_khoi", S.APPRAISED, S.EXEMPLAR_KHOI)]
# (month, day) of each action in the registration's year; registration itself happens in January–February.
ACTION_DAY = {
    "return": (3, 10),
    "receive": (3, 15),
    "stop": (8, 20),
    "confirm": (10, 8),
    "confirm_exemplar_base": (10, 29),
    "propose_khoi": (11, 6),
    "finish_appraisal": (11, 13),
    "confirm_exemplar_khoi": (11, 27),
}
# Status weights for the current year and for earlier years (a past year has mostly finished its cycle).
CURRENT_YEAR_STATUSES = {S.DRAFT: 12, S.SUBMITTED: 12, S.RETURNED: 4, S.ACTIVE: 55, S.STOPPED: 3, S.CONFIRMED: 14}
PAST_YEAR_STATUSES = {
    S.ACTIVE: 25,
    S.STOPPED: 10,
    S.CONFIRMED: 40,
    S.EXEMPLAR_BASE: 17,
    S.PROPOSED_KHOI: 3,
    S.APPRAISED: 2,
    S.EXEMPLAR_KHOI: 3,
}
MEETING_OF = {
    "confirm": Purpose.CONFIRM_MODEL,
    "confirm_exemplar_base": Purpose.CONFIRM_EXEMPLAR_BASE,
    "confirm_exemplar_khoi": Purpose.CONFIRM_EXEMPLAR_KHOI,
}

AGENCIES = [
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Tài chính",
    "Sở Nông nghiệp và Môi trường",
    "Sở Xây dựng",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Bệnh viện Đa khoa",
    "Trường Cao đẳng Sư phạm",
    "Kho bạc Nhà nước khu vực",
    "Công ty Điện lực",
    "Bảo hiểm xã hội khu vực",
    "Trung tâm Kiểm soát bệnh tật",
]
DEPARTMENTS = ["Văn phòng", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch", "Khoa Nội", "Khoa Ngoại", "Phòng Nghiệp vụ"]
MASS_ORGS = ["Công đoàn", "Đoàn Thanh niên", "Hội Cựu chiến binh", "Hội Phụ nữ"]
PLACES = ["Thái Nguyên", "Hà Nội", "Đà Nẵng", "Cần Thơ", "Huế", "Hải Phòng", "Nghệ An", "Đắk Lắk"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Xuân"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Long", "Mai", "Nam"]
GIVEN += ["Nga", "Phương", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Vân", "Yến", "Đạt", "Hiếu", "Khánh"]
POSITIONS = ["Chuyên viên", "Trưởng phòng", "Phó Trưởng phòng", "Bác sĩ", "Giáo viên", "Kế toán", "Điều dưỡng"]
TOPICS = [
    "Tổ tự quản an toàn giao thông",
    "Ngày thứ Bảy vì người nghèo",
    "Dân vận khéo trong cải cách thủ tục hành chính",
    "Hỗ trợ nông dân chuyển đổi số",
    "Bệnh viện xanh, sạch, đẹp",
    "Mỗi đảng viên một việc làm tốt",
    "Thắp sáng đường quê",
    "Vận động xây dựng nhà đại đoàn kết",
    "Tiếp sức học sinh vùng khó",
    "Khám bệnh miễn phí cho người cao tuổi",
    "Giữ gìn bản sắc văn hóa dân tộc",
    "Cổng trường an toàn",
    "Phụ nữ khởi nghiệp",
    "Thanh niên tình nguyện vì cộng đồng",
    "Hòm thư góp ý điện tử",
    "Chợ dân sinh văn minh",
]
PLACES_OF_WORK = ["xã Phúc Xuân", "phường Phan Đình Phùng", "xã Tân Cương", "phường Gia Sàng", "xã Quyết Thắng"]


def path_step(number: int) -> str:
    """The ``steplen``-character step of the ``number``-th child (1-based) in treebeard's alphabet."""
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    if len(digits) > STEPLEN:
        raise ValueError("Too many siblings for a 4-character step.")
    return digits.rjust(STEPLEN, ALPHABET[0])


@dataclass
class Node:
    """A unit before it is written: its parent's index in the node list, its children's indexes."""

    name: str
    kind: str
    parent: int | None
    code: str = ""
    children: list[int] = field(default_factory=list)
    path: str = ""
    pk: int | None = None


@dataclass
class Tree:
    """The generated units and what registrations need to know of them, by node index."""

    nodes: list[Node] = field(default_factory=list)

    def add(self, name: str, kind: str, parent: int | None) -> int:
        self.nodes.append(Node(name=name, kind=kind, parent=parent))
        index = len(self.nodes) - 1
        if parent is not None:
            self.nodes[parent].children.append(index)
        return index

    def root_of(self, index: int) -> int:
        while self.nodes[index].parent is not None:
            index = self.nodes[index].parent
        return index

    def grassroots_of(self, index: int) -> int:
        """The nearest đảng bộ / chi bộ cơ sở at or above the node, or the root."""
        while self.nodes[index].kind not in (K.DANG_BO_CO_SO, K.CHI_BO_CO_SO) and self.nodes[index].parent is not None:
            index = self.nodes[index].parent
        return index

    def number(self, roots: list[int], first_root_step: int) -> None:
        """Give every node its path: siblings numbered in name order, roots from ``first_root_step``."""
        stack = []
        for offset, root in enumerate(sorted(roots, key=lambda i: self.nodes[i].name)):
            self.nodes[root].path = path_step(first_root_step + offset)
            stack.append(root)
        while stack:
            node = self.nodes[stack.pop()]
            for position, child in enumerate(sorted(node.children, key=lambda i: self.nodes[i].name), start=1):
                self.nodes[child].path = node.path + path_step(position)
                stack.append(child)


@contextmanager
def keep_timestamps(*models):
    """Let ``bulk_create`` store the generated ``created_at``/``updated_at`` instead of now (history lies in the
    past); the fields' auto flags are restored afterwards."""
    saved = []
    for model in models:
        for name in ("created_at", "updated_at"):
            f = model._meta.get_field(name)
            saved.append((f, f.auto_now, f.auto_now_add))
            f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # datetime too; aware datetimes keep their offset
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, FieldFile):
        value = value.name or ""
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_insert(model, objs: list) -> None:
    """PostgreSQL ``COPY`` of model instances, about three times faster than ``bulk_create`` at this size.

    Primary keys are reserved from the table's sequence first and set on the instances, as ``bulk_create`` would.
    Values are written as they are (no ``pre_save``): callers set every timestamp themselves.
    """
    meta = model._meta
    fields = meta.concrete_fields
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, len(objs)])
        first = cursor.fetchone()[0] - len(objs) + 1
        for offset, obj in enumerate(objs):
            obj.pk = first + offset
        buffer = io.StringIO()
        for obj in objs:
            buffer.write("\t".join([_copy_value(getattr(obj, f.attname)) for f in fields]))
            buffer.write("\n")
        buffer.seek(0)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN", buffer)


def _aware(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# The per-registration tables, written with COPY on PostgreSQL (every timestamp of theirs is set by the generator).
COPY_MODELS = {
    Registration,
    StatusChange,
    YearlyReview,
    Meeting,
    MeetingEntry,
    KhoiProposal,
    KhoiProposalEntry,
    Appraisal,
    AppraisalScore,
    Document,
}


class ScaleGenerator:
    """Writes ``units`` units and ``registrations`` registrations spread over the last ``years`` years."""

    def __init__(self, *, units: int, registrations: int, years: int, seed: int, batch_size: int = 5000, log=None):
        self.n_units = max(units, 8)
        self.n_registrations = registrations
        self.n_years = max(years, 1)
        self.rnd = random.Random(seed)
        self.batch = batch_size
        self.log: Callable[[str], None] = log or (lambda message: None)
        self.counts: dict[str, int] = defaultdict(int)
        self.tree = Tree()
        self.doc_numbers: dict[tuple[int, int], int] = defaultdict(int)
        self.meetings: dict[tuple[int, int, str], int] = {}  # (unit node, year, purpose) → meeting pk
        self.proposals: dict[tuple[int, int], int] = {}  # (grassroots unit node, year) → KhoiProposal pk

    # --- helpers ---------------------------------------------------------------------------------------------
    def insert(self, model, objs: list) -> list:
        """Write ``objs`` and give them their primary keys: COPY on PostgreSQL, ``bulk_create`` elsewhere."""
        if objs:
            if connection.vendor == "postgresql" and model in COPY_MODELS:
                copy_insert(model, objs)
            else:
                model.objects.bulk_create(objs, batch_size=self.batch)
            self.counts[model.__name__] += len(objs)
        return objs

    def person_name(self) -> str:
        r = self.rnd
        return f"{r.choice(SURNAMES)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"

    # --- the run -----------------------------------------------------------------------------------------
    def run(self) -> dict[str, int]:
        today = timezone.localdate()
        self.years = self.seed_years(today.year, Guidance.latest())
        self.fields = list(Field.objects.order_by("order", "pk"))
        if not self.fields:
            self.fields = [Field.objects.create(code="chung", name="Lĩnh vực chung", order=1)]
        guidance = Guidance.latest()
        self.criteria = {
            group: Criterion.for_guidance(guidance.pk if guidance else None, group)
            for group in (SubjectGroup.COLLECTIVE, SubjectGroup.INDIVIDUAL)
        }
        self.tag = f"{Unit.objects.count():x}"  # keeps codes and usernames unique when run again with --force
        with transaction.atomic():
            self.build_tree()
            self.write_units()
            self.write_people()
            self.write_accounts()
        done = 0
        while done < self.n_registrations:
            size = min(CHUNK, self.n_registrations - done)
            with (
                transaction.atomic(),
                keep_timestamps(Registration, YearlyReview, Meeting, KhoiProposal, Document, Appraisal),
            ):
                self.write_registrations(size)
            done += size
            self.log(f"  {done:,} / {self.n_registrations:,} mô hình")
        # Appraisals and proposals were written without the services: the ranking's rows from them at once.
        self.log(f"  {rebuild_ranking():,} dòng xếp hạng")
        if connection.vendor == "postgresql":
            # Fresh statistics (without them the planner guesses row counts of an empty table and picks bad plans),
            # and the visibility map that lets counts be answered from an index alone, as autovacuum keeps it on a
            # live database. VACUUM refuses to run inside a transaction (a test's): ANALYZE alone there.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        return dict(self.counts)

    def seed_years(self, current: int, guidance: Guidance | None) -> list[Year]:
        years = []
        for number in range(current - self.n_years + 1, current + 1):
            year, _ = Year.objects.get_or_create(
                year=number,
                defaults={**Year.defaults_for(number, guidance), "guidance": guidance, "is_open": number == current},
            )
            years.append(year)
        return years

    # --- units -------------------------------------------------------------------------------------------
    def build_tree(self) -> None:
        """Roots of about 20,000 units each; under each, a Ban and grassroots units with their cells, agencies and
        mass organisations, added round-robin until there are exactly ``n_units``."""
        tree, r = self.tree, self.rnd
        existing_roots = Unit.objects.filter(depth=1).count()
        n_roots = max(1, round(self.n_units / 20_000))
        roots = []
        names = terms()
        for i in range(n_roots):
            root = tree.add(f"{names.top_body} các cơ quan – Khu vực {existing_roots + i + 1:03d}", K.KHOI, None)
            tree.add(names.appraising_body_full, K.BAN, root)
            roots.append(root)
        serial = 0
        while len(tree.nodes) < self.n_units:
            serial += 1
            root = roots[serial % n_roots]
            agency = f"{r.choice(AGENCIES)} số {serial:05d}"
            if r.random() < 0.6:
                base = tree.add(f"Đảng bộ {agency}", K.DANG_BO_CO_SO, root)
                for j in range(1, r.randint(4, 10) + 1):
                    tree.add(f"Chi bộ {DEPARTMENTS[j % len(DEPARTMENTS)]} {j:02d}", K.CHI_BO, base)
                orgs = 3
            else:
                base = tree.add(f"Chi bộ {agency}", K.CHI_BO_CO_SO, root)
                orgs = r.randint(1, 2)
            agency_node = tree.add(agency, K.CO_QUAN, base)
            for name in MASS_ORGS[:orgs]:
                tree.add(f"{name} {agency}", K.DOAN_THE, agency_node)
        # Nodes were added parents first: cutting the tail leaves no orphan; drop the cut children from parents.
        del tree.nodes[self.n_units :]
        for node in tree.nodes:
            node.children = [c for c in node.children if c < self.n_units]
        last_root = Unit.objects.filter(depth=1).order_by("-path").first()
        if last_root and tree.nodes[roots[0]].name < last_root.name:
            raise ValueError(f"Tên đơn vị gốc mới phải đứng sau “{last_root.name}” theo thứ tự tên.")
        first_step = int(last_root.path, 36) + 1 if last_root else 1
        tree.number(roots, first_step)
        self.roots = roots

    def write_units(self) -> None:
        tree, r = self.tree, self.rnd
        body = {
            K.KHOI: (terms().standing_committee, "ĐUK", True),
            K.DANG_BO_CO_SO: ("Đảng ủy", "ĐU", True),
            K.CHI_BO_CO_SO: ("Chi bộ", "CB", False),
            K.CHI_BO: ("Chi ủy", "CB", False),
            K.BAN: (terms().appraising_body, "BTGDV", False),
            K.CO_QUAN: ("Lãnh đạo cơ quan", "CQ", False),
            K.DOAN_THE: ("Ban Chấp hành", "BCH", False),
        }
        objs = []
        for i, node in enumerate(tree.nodes):
            node.code = f"{self.tag}-{i}"
            leading, abbreviation, standing = body[node.kind]
            parent = tree.nodes[node.parent] if node.parent is not None else None
            objs.append(
                Unit(
                    path=node.path,
                    depth=len(node.path) // STEPLEN,
                    numchild=len(node.children),
                    code=node.code,
                    name=node.name,
                    kind=node.kind,
                    leading_body=leading,
                    has_standing_committee=standing,
                    place_name=PLACES[self.roots.index(tree.root_of(i)) % len(PLACES)],
                    abbreviation=abbreviation,
                    header_line=parent.name.upper() if parent else "",
                    member_count=r.randint(5, 200),
                    search_text=search_key(node.name, node.code),
                )
            )
        self.insert(Unit, objs)
        ChoiceStamp.bump()  # units written in bulk send no post_save: the list filters' cached options change here
        for node, unit in zip(tree.nodes, objs, strict=True):
            node.pk = unit.pk
        by_kind = defaultdict(list)
        for i, node in enumerate(tree.nodes):
            by_kind[node.kind].append(i)
        self.by_kind = by_kind
        self.log(f"  {len(objs):,} đơn vị")

    # --- people and accounts -------------------------------------------------------------------------------
    def write_people(self) -> None:
        """About one person for every six registrations, working in an agency; most are party members of a cell
        of the agency's grassroots organisation."""
        tree, r = self.tree, self.rnd
        agencies = self.by_kind[K.CO_QUAN] or self.by_kind[K.CHI_BO_CO_SO] or self.roots
        objs, meta = [], []
        for _ in range(max(10, self.n_registrations // 6)):
            work = r.choice(agencies)
            grassroots = tree.grassroots_of(work)
            cells = [c for c in tree.nodes[grassroots].children if tree.nodes[c].kind == K.CHI_BO] or [grassroots]
            member = r.random() < 0.65
            cell = r.choice(cells) if member else None
            name = self.person_name()
            birth = datetime.date(r.randint(1965, 2000), r.randint(1, 12), r.randint(1, 28))
            objs.append(
                Person(
                    full_name=name,
                    birth_date=birth,
                    gender=r.choice(["nam", "nu"]),
                    position=r.choice(POSITIONS),
                    work_unit_id=tree.nodes[work].pk,
                    is_party_member=member,
                    party_cell_id=tree.nodes[cell].pk if member else None,
                    party_join_date=birth.replace(year=birth.year + 25) if member else None,
                    phone=f"09{r.randint(10_000_000, 99_999_999)}",
                    search_text=search_key(name),
                )
            )
            meta.append((work, cell))
        self.insert(Person, objs)
        self.people = [(p.pk, p.full_name, work, cell) for p, (work, cell) in zip(objs, meta, strict=True)]
        self.log(f"  {len(objs):,} cá nhân")

    def write_accounts(self) -> None:
        """Per root: a viewer, an approver (the actor of the generated history) and two appraisers; secretaries
        (editors) of the first cells. Passwords are unusable."""
        User = get_user_model()
        tree = self.tree
        users, memberships = [], []
        self.actor, self.appraisers = {}, {}
        for n, root in enumerate(self.roots, start=1):
            for suffix, role, title in (
                ("xem", Role.VIEWER, "PHÓ BÍ THƯ"),
                ("btv", Role.APPROVER, "BÍ THƯ"),
                ("td1", Role.APPRAISER, "CHUYÊN VIÊN"),
                ("td2", Role.APPRAISER, "CHUYÊN VIÊN"),
            ):
                users.append((User(username=f"scale{self.tag}.k{n}.{suffix}"), root, role, title))
        for cell in self.by_kind[K.CHI_BO][:200]:
            users.append((User(username=f"scale{self.tag}.cb{cell}"), cell, Role.EDITOR, "BÍ THƯ"))
        for user, *_ in users:
            user.set_unusable_password()
        self.insert(User, [u for u, *_ in users])
        for user, unit, role, title in users:
            memberships.append(Membership(user=user, unit_id=tree.nodes[unit].pk, role=role, title=title))
            if role == Role.APPROVER:
                self.actor[unit] = user.pk
            elif role == Role.APPRAISER:
                self.appraisers.setdefault(unit, []).append(user.pk)
        self.insert(Membership, memberships)

    # --- registrations -------------------------------------------------------------------------------------
    def pick_subject(self):
        """(subject kind, subject unit node, person tuple, owner node, receiving node) as receiving.py decides."""
        tree, r = self.tree, self.rnd
        roll = r.random()
        if roll < 0.2 and (self.by_kind[K.CHI_BO] or self.by_kind[K.CHI_BO_CO_SO]):
            unit = r.choice(
                self.by_kind[K.CHI_BO]
                if r.random() < 0.7 and self.by_kind[K.CHI_BO]
                else self.by_kind[K.CHI_BO_CO_SO] or self.by_kind[K.CHI_BO]
            )
            receiver = tree.grassroots_of(tree.nodes[unit].parent) if tree.nodes[unit].kind == K.CHI_BO else unit
            return SubjectKind.PARTY_ORG, unit, None, unit, receiver
        if roll < 0.45 and (self.by_kind[K.CO_QUAN] or self.by_kind[K.DOAN_THE]):
            unit = r.choice(
                self.by_kind[K.DOAN_THE]
                if r.random() < 0.5 and self.by_kind[K.DOAN_THE]
                else self.by_kind[K.CO_QUAN] or self.by_kind[K.DOAN_THE]
            )
            return SubjectKind.AGENCY, unit, None, unit, tree.grassroots_of(unit)
        person = r.choice(self.people)
        _, _, work, cell = person
        if cell is not None:
            return SubjectKind.MEMBER, None, person, cell, cell
        return SubjectKind.NON_MEMBER, None, person, work, work

    def write_registrations(self, size: int) -> None:
        tree, r = self.tree, self.rnd
        current = self.years[-1].year
        regs, plans = [], []
        for _ in range(size):
            year = r.choice(self.years)
            weights = CURRENT_YEAR_STATUSES if year.year == current else PAST_YEAR_STATUSES
            status = r.choices(list(weights), weights=list(weights.values()))[0]
            kind, unit, person, owner, receiver = self.pick_subject()
            level = "khoi" if r.random() < 0.05 else "co_so"
            root = tree.root_of(owner)
            if level == "khoi":
                receiver = root
            subject_name = tree.nodes[unit].name if unit is not None else person[1]
            topic = r.choice(TOPICS)
            place = r.choice(PLACES_OF_WORK)
            title = f"{topic} tại {place}"
            address = f"{place}, {PLACES[self.roots.index(root) % len(PLACES)]}"
            created = _aware(datetime.date(year.year, r.randint(1, 2), r.randint(1, 28)), r.randint(7, 17))
            submitted = created + datetime.timedelta(days=r.randint(1, 10)) if status != S.DRAFT else None
            field_ = r.choice(self.fields)
            regs.append(
                Registration(
                    year_id=year.pk,
                    subject_kind=kind,
                    level=level,
                    subject_unit_id=tree.nodes[unit].pk if unit is not None else None,
                    subject_person_id=person[0] if person else None,
                    unit_id=tree.nodes[owner].pk,
                    khoi_id=tree.nodes[root].pk,
                    receiving_unit_id=tree.nodes[receiver].pk,
                    title=title,
                    field_id=field_.pk,
                    address=address,
                    situation=f"Thực trạng tại {place}: người dân còn gặp khó khăn, cần cách làm mới về {topic}.",
                    objectives=f"Nâng cao hiệu quả công tác dân vận qua mô hình “{topic}”.",
                    indicators="Trên 90% hộ dân được tuyên truyền; 100% đảng viên tham gia.",
                    content="Khảo sát nhu cầu; xây dựng kế hoạch; phân công đảng viên phụ trách; sơ kết hằng quý.",
                    beneficiaries=f"Nhân dân {place}",
                    partners="Mặt trận Tổ quốc, Hội Phụ nữ, Đoàn Thanh niên địa phương",
                    resources="Kinh phí đơn vị và xã hội hóa",
                    start_date=datetime.date(year.year, 3, 1),
                    end_date=datetime.date(year.year, 12, 31),
                    expected_results="Mô hình được duy trì và nhân rộng.",
                    sustainability=f"Có khả năng nhân rộng ra các đơn vị trong {terms().top_body}.",
                    lead_name=person[1] if person else self.person_name(),
                    lead_position="Bí thư chi bộ",
                    lead_phone=f"09{r.randint(10_000_000, 99_999_999)}",
                    status=status,
                    submitted_at=submitted,
                    is_public=status == S.EXEMPLAR_KHOI and r.random() < 0.5,
                    created_by_id=self.actor[root],
                    search_text=search_key(title, subject_name, address),
                    created_at=created,
                    updated_at=submitted or created,
                )
            )
            plans.append((year.year, status, owner, receiver, root, kind, created, submitted))
        self.insert(Registration, regs)
        self.write_history(regs, plans)

    def write_history(self, regs: list[Registration], plans: list[tuple]) -> None:
        tree, r = self.tree, self.rnd
        changes, reviews, appraisals, scores, documents = [], [], [], [], []
        new_meetings = {}  # key → Meeting, created before their entries
        pending_entries = []  # (meeting key, registration pk)
        new_proposals = {}  # key → KhoiProposal, created before their entries
        proposed = []  # (proposal key, registration pk)
        current = self.years[-1].year
        year_pk = {y.year: y.pk for y in self.years}
        for reg, (year, status, owner, receiver, root, kind, _created, submitted) in zip(regs, plans, strict=True):
            actor = self.actor[root]
            for action, source, target in HISTORY[status]:
                if action == "submit":
                    at = submitted
                else:
                    month, day = ACTION_DAY[action]
                    at = _aware(datetime.date(year, month, day), 10)
                reason = ""
                if action == "return":
                    reason = "Đề nghị bổ sung chỉ tiêu đánh giá cụ thể."
                elif action == "stop":
                    reason = "Mô hình đã hoàn thành nội dung theo kế hoạch."
                changes.append(
                    StatusChange(
                        registration_id=reg.pk,
                        action=action,
                        from_status=source,
                        to_status=target,
                        actor_id=actor,
                        at=at,
                        reason=reason,
                    )
                )
                purpose = MEETING_OF.get(action)
                if purpose:
                    unit = {
                        Purpose.CONFIRM_MODEL: receiver,
                        Purpose.CONFIRM_EXEMPLAR_BASE: tree.grassroots_of(receiver),
                        Purpose.CONFIRM_EXEMPLAR_KHOI: root,
                    }[purpose]
                    key = (unit, year, purpose)
                    if key not in self.meetings and key not in new_meetings:
                        new_meetings[key] = self.new_meeting(unit, year, purpose, at.date())
                    pending_entries.append((key, reg.pk))
                if action == "propose_khoi":
                    # As proposals.proposal_send: the grassroots unit over the owner sends one list a year, and each
                    # entry goes to "proposed to the Khối" when it is sent. A unit without one above proposes nothing.
                    grassroots = tree.grassroots_of(owner)
                    if tree.nodes[grassroots].parent is not None:
                        key = (grassroots, year)
                        if key not in self.proposals and key not in new_proposals:
                            new_proposals[key] = self.new_proposal(grassroots, year, at, actor)
                        proposed.append((key, reg.pk))
            if status not in (S.DRAFT, S.SUBMITTED, S.RETURNED) and year < current and r.random() < 0.3:
                reviews.append(
                    YearlyReview(
                        registration_id=reg.pk,
                        year_id=year_pk[year],
                        results="Mô hình được triển khai đúng kế hoạch, nhân dân đồng tình hưởng ứng.",
                        proposal=r.choice(["continue", "confirm", "exemplar"]),
                        reviewed_by_id=actor,
                        created_at=_aware(datetime.date(year, 10, 1)),
                        updated_at=_aware(datetime.date(year, 10, 1)),
                    )
                )
            if status in (S.PROPOSED_KHOI, S.APPRAISED, S.EXEMPLAR_KHOI):
                group = (
                    SubjectGroup.COLLECTIVE
                    if kind in (SubjectKind.PARTY_ORG, SubjectKind.AGENCY)
                    else (SubjectGroup.INDIVIDUAL)
                )
                who = self.appraisers[root] if status != S.PROPOSED_KHOI else self.appraisers[root][:1]
                for appraiser in who:
                    marks = [(c, r.random() < 0.85) for c in self.criteria[group]]
                    points = [r.randint(c.max_score // 2, c.max_score) if met else 0 for c, met in marks]
                    moment = _aware(datetime.date(year, 11, 10))
                    appraisal = Appraisal(
                        registration_id=reg.pk,
                        appraiser_id=appraiser,
                        comment="Hồ sơ đầy đủ, mô hình có tính lan tỏa.",
                        total_score=sum(points),
                        criteria_met=sum(met for _, met in marks),
                        submitted_at=moment,
                        created_at=moment,
                        updated_at=moment,
                    )
                    appraisals.append(appraisal)
                    scores.append((appraisal, [(c.pk, met, p) for (c, met), p in zip(marks, points, strict=True)]))
            if status != S.DRAFT and r.random() < 0.1:
                documents.append(self.registration_document(reg, year, receiver))
        self.insert(StatusChange, changes)
        self.insert(YearlyReview, reviews)
        if new_meetings:
            self.insert(Meeting, list(new_meetings.values()))
            for key, meeting in new_meetings.items():
                self.meetings[key] = meeting.pk
                documents.append(self.minutes(meeting, key))
        self.insert(
            MeetingEntry,
            [
                MeetingEntry(
                    meeting_id=self.meetings[key], registration_id=pk, votes_for=9, votes_against=0, passed=True
                )
                for key, pk in pending_entries
            ],
        )
        if new_proposals:
            self.insert(KhoiProposal, list(new_proposals.values()))
            for key, proposal in new_proposals.items():
                self.proposals[key] = proposal.pk
                documents.append(self.proposal_list(proposal, key))
        self.insert(
            KhoiProposalEntry,
            [KhoiProposalEntry(proposal_id=self.proposals[key], registration_id=pk) for key, pk in proposed],
        )
        self.insert(Appraisal, appraisals)
        self.insert(
            AppraisalScore,
            [
                AppraisalScore(appraisal_id=a.pk, criterion_id=c, met=met, score=p)
                for a, marks in scores
                for c, met, p in marks
            ],
        )
        self.insert(Document, documents)

    def new_meeting(self, unit: int, year: int, purpose: str, day: datetime.date) -> Meeting:
        node, r = self.tree.nodes[unit], self.rnd
        body = {
            Purpose.CONFIRM_MODEL: f"Tập thể cấp ủy {node.name}",
            Purpose.CONFIRM_EXEMPLAR_BASE: f"Ban Thường vụ {node.name}",
            Purpose.CONFIRM_EXEMPLAR_KHOI: terms().standing_committee,
        }[purpose]
        total = r.randint(9, 15)
        moment = _aware(day, 14)
        return Meeting(
            unit_id=node.pk,
            body=body[:200],
            year_id=next(y.pk for y in self.years if y.year == year),
            purpose=purpose,
            held_on=day,
            place=f"Hội trường {node.name}"[:255],
            members_total=total,
            members_present=total - r.randint(0, 2),
            chair_name=self.person_name(),
            secretary_name=self.person_name(),
            voting_method=VotingMethod.SHOW_OF_HANDS,
            conclusion="Hội nghị thống nhất xác nhận các mô hình có tên trong danh sách.",
            recorded_at=moment,
            created_at=moment,
            updated_at=moment,
        )

    def new_proposal(self, unit: int, year: int, sent_at: datetime.datetime, actor: int) -> KhoiProposal:
        """A grassroots unit's list to the Khối, drafted the day before it was sent."""
        return KhoiProposal(
            unit_id=self.tree.nodes[unit].pk,
            year_id=next(y.pk for y in self.years if y.year == year),
            note="",
            sent_at=sent_at,
            created_by_id=actor,
            created_at=sent_at - datetime.timedelta(days=1),
            updated_at=sent_at,
        )

    def proposal_list(self, proposal: KhoiProposal, key: tuple) -> Document:
        """The Mẫu 6b list issued once the proposal is sent."""
        unit, year = key
        node = self.tree.nodes[unit]
        abbreviation, authority = ("ĐU", "T/M ĐẢNG ỦY") if node.kind == K.DANG_BO_CO_SO else ("CB", "T/M CHI BỘ")
        return Document(
            form_code="mau_6b_ds",
            issuing_unit_id=proposal.unit_id,
            year=year,
            number=f"{self.next_number(unit, year)}-DS/{abbreviation}",
            issued_on=proposal.sent_at.date(),
            signer_authority=authority,
            signer_title="BÍ THƯ",
            signer_name=self.person_name(),
            subject=f"Danh sách đề nghị xác nhận điển hình “Dân vận khéo” cấp {terms().top_body} năm {year}",
            snapshot={"generated": True, "proposal": proposal.pk},
            verification_code=new_verification_code(),
            proposal_id=proposal.pk,
            created_by_id=proposal.created_by_id,
            created_at=proposal.sent_at,
            updated_at=proposal.sent_at,
        )

    def next_number(self, unit: int, year: int) -> int:
        self.doc_numbers[(unit, year)] += 1
        return self.doc_numbers[(unit, year)]

    def minutes(self, meeting: Meeting, key: tuple) -> Document:
        unit, year, purpose = key
        abbreviation = "ĐUK" if self.tree.nodes[unit].kind == K.KHOI else "ĐU"
        moment = _aware(meeting.held_on, 16)
        return Document(
            form_code=MINUTES_FORM[purpose],  # the catalogue's: the Khối's minutes have their own code
            issuing_unit_id=meeting.unit_id,
            year=year,
            number=f"{self.next_number(unit, year)}-BB/{abbreviation}",
            issued_on=meeting.held_on,
            signer_authority="T/M HỘI NGHỊ",
            signer_title="CHỦ TRÌ",
            signer_name=meeting.chair_name,
            subject=f"Biên bản {meeting.get_purpose_display()}"[:300],
            snapshot={"generated": True, "meeting": meeting.pk},
            verification_code=new_verification_code(),
            meeting_id=meeting.pk,
            created_at=moment,
            updated_at=moment,
        )

    def registration_document(self, reg: Registration, year: int, receiver: int) -> Document:
        moment = reg.submitted_at or reg.created_at
        return Document(
            form_code=reg.form_code,
            issuing_unit_id=reg.unit_id,
            year=year,
            number="",
            issued_on=moment.date(),
            signer_authority="NGƯỜI ĐĂNG KÝ",
            signer_name=reg.lead_name,
            subject=f"Bản đăng ký mô hình “Dân vận khéo”: {reg.title}"[:300],
            snapshot={"generated": True, "title": reg.title},
            verification_code=new_verification_code(),
            registration_id=reg.pk,
            created_at=moment,
            updated_at=moment,
        )
