"""Demo data of one top party organisation of Thái Nguyên, as plain Python data, read by ``manage.py seed_demo``.

Everything is keyed by a natural key (unit code, username, person name and work unit, year and title) so that
seeding twice gives the same data. Names of people and units are realistic but invented.

The demo comes in two structures (``STRUCTURES``): "2024", the Đảng bộ Khối các cơ quan tỉnh of Hướng dẫn
29-HD/ĐUK, and "2025", the Đảng bộ các cơ quan Đảng tỉnh after the 2025 reorganisation with its Ban Tuyên giáo và Dân
vận. Every body name in the data below is a ``{placeholder}``: the names of the structure's guidance
(``registry.terms``) and of its top units (``STRUCTURES``), filled by ``named()``. Codes and accounts are the same in
both, so the README's accounts work in either.
"""

import datetime

from registry.models import Gender, Purpose, Role, SubjectKind, UnitKind, Year
from registry.terms import fill

DEMO_PASSWORD = "DanVan@2024"

KHOI_CODE = "DUK"
HEADER_KHOI = "{top_unit_upper}"
HEADER_UBND = "UBND TỈNH THÁI NGUYÊN"
PLACE = "Thái Nguyên"


# The names of each structure's own units, beside its guidance's names (fixtures/, ``guidance`` is its code).
STRUCTURES = {
    "2024": {
        "guidance": "29-hd-duk-2024",
        "top_unit": "Đảng bộ Khối các cơ quan tỉnh",
        "top_abbreviation": "ĐUK",
        "appraising_abbreviation": "BTG",
        "top_office": "Cơ quan Đảng ủy Khối các cơ quan tỉnh",
    },
    "2025": {
        "guidance": "cac-co-quan-dang-tinh-2025",
        "top_unit": "Đảng bộ các cơ quan Đảng tỉnh",
        "top_abbreviation": "ĐU",
        "appraising_abbreviation": "BTGDV",
        "top_office": "Cơ quan Đảng ủy các cơ quan Đảng tỉnh",
    },
}
STRUCTURE_DEFAULT = "2024"
# Where a guidance that no migration makes is loaded from (``manage.py loaddata``, fixtures/ at the top level).
GUIDANCE_FIXTURES = {"cac-co-quan-dang-tinh-2025": "huong-dan-cac-co-quan-dang-tinh-2025"}


def placeholders(structure: str, names: dict) -> dict:
    """Every placeholder of the demo's data: the guidance's ``names`` and the structure's own unit names."""
    own = {key: value for key, value in STRUCTURES[structure].items() if key != "guidance"}
    own["top_unit_upper"] = own["top_unit"].upper()
    own["top_committee_upper"] = names["top_committee"].upper() + own["top_unit"][len(names["top_body"]) :].upper()
    return {**names, **own}


def named(value, values: dict):
    """``value`` (a string, or dicts, lists and tuples of them) with every ``{placeholder}`` of ``values`` filled."""
    if isinstance(value, str):
        return fill(value, values)
    if isinstance(value, dict):
        return {key: named(item, values) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(named(item, values) for item in value)
    return value


def _unit(code, name, kind, parent, **extra):
    return {"code": code, "name": name, "kind": kind, "parent": parent, "place_name": PLACE, **extra}


# Đảng bộ cơ sở: (slug for accounts, code prefix, agency name, has a Ban Thường vụ, chi bộ [(code suffix, name)],
# mass organisations [(code suffix, name)] under the agency).
DANG_BO = [
    (
        "soyte",
        "SYT",
        "Sở Y tế",
        True,
        [
            ("CB-NVY", "Chi bộ Phòng Nghiệp vụ Y"),
            ("CB-VP", "Chi bộ Văn phòng Sở"),
            ("CB-KHTC", "Chi bộ Phòng Kế hoạch - Tài chính"),
            ("CB-TT", "Chi bộ Thanh tra Sở"),
        ],
        [
            ("CD", "Công đoàn Sở Y tế"),
            ("DTN", "Đoàn Thanh niên Sở Y tế"),
            ("PN", "Chi hội Phụ nữ Sở Y tế"),
            ("CCB", "Chi hội Cựu chiến binh Sở Y tế"),
        ],
    ),
    (
        "taichinh",
        "STC",
        "Sở Tài chính",
        True,
        [
            ("CB-NS", "Chi bộ Phòng Ngân sách"),
            ("CB-VP", "Chi bộ Văn phòng Sở"),
            ("CB-QLG", "Chi bộ Phòng Quản lý giá và Công sản"),
        ],
        [("CD", "Công đoàn Sở Tài chính"), ("DTN", "Đoàn Thanh niên Sở Tài chính")],
    ),
    (
        "giaoduc",
        "SGDDT",
        "Sở Giáo dục và Đào tạo",
        True,
        [
            ("CB-GDTH", "Chi bộ Phòng Giáo dục Trung học"),
            ("CB-MNTH", "Chi bộ Phòng Giáo dục Mầm non và Tiểu học"),
            ("CB-VP", "Chi bộ Văn phòng Sở"),
        ],
        [("CD", "Công đoàn Sở Giáo dục và Đào tạo"), ("DTN", "Đoàn Thanh niên Sở Giáo dục và Đào tạo")],
    ),
    (
        "nongnghiep",
        "SNNMT",
        "Sở Nông nghiệp và Môi trường",
        False,
        [
            ("CB-TL", "Chi bộ Chi cục Thủy lợi"),
            ("CB-KL", "Chi bộ Chi cục Kiểm lâm"),
            ("CB-QLDD", "Chi bộ Phòng Quản lý đất đai"),
        ],
        [
            ("CD", "Công đoàn Sở Nông nghiệp và Môi trường"),
            ("DTN", "Đoàn Thanh niên Sở Nông nghiệp và Môi trường"),
            ("CCB", "Chi hội Cựu chiến binh Sở Nông nghiệp và Môi trường"),
        ],
    ),
    (
        "xaydung",
        "SXD",
        "Sở Xây dựng",
        False,
        [
            ("CB-QLXD", "Chi bộ Phòng Quản lý xây dựng"),
            ("CB-QLGT", "Chi bộ Phòng Quản lý giao thông"),
            ("CB-VP", "Chi bộ Văn phòng Sở"),
        ],
        [("CD", "Công đoàn Sở Xây dựng"), ("DTN", "Đoàn Thanh niên Sở Xây dựng")],
    ),
    (
        "vanhoa",
        "SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        False,
        [
            ("CB-BT", "Chi bộ Bảo tàng tỉnh"),
            ("CB-TV", "Chi bộ Thư viện tỉnh"),
            ("CB-DL", "Chi bộ Phòng Quản lý du lịch"),
        ],
        [
            ("CD", "Công đoàn Sở Văn hóa, Thể thao và Du lịch"),
            ("DTN", "Đoàn Thanh niên Sở Văn hóa, Thể thao và Du lịch"),
        ],
    ),
]

# Chi bộ cơ sở directly under the Khối: (slug, code prefix, chi bộ name, agency name or None, mass organisations).
CHI_BO_CO_SO = [
    ("tuphap", "STP", "Chi bộ Sở Tư pháp", "Sở Tư pháp", [("CD", "Công đoàn Sở Tư pháp")]),
    ("khoahoc", "SKHCN", "Chi bộ Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ", []),
    ("thanhtra", "TTT", "Chi bộ Thanh tra tỉnh", "Thanh tra tỉnh", []),
    ("coquankhoi", "CQDUK", "Chi bộ Cơ quan {top_committee}", None, []),
]

BTG_CODE = "DUK-BTG"


def units() -> list[dict]:
    """The tree, parents before children; ``parent`` is the parent's code (None for the Khối)."""
    tree = [
        _unit(
            KHOI_CODE,
            "{top_unit}",
            UnitKind.KHOI,
            None,
            leading_body="{standing_committee}",
            has_standing_committee=True,
            abbreviation="{top_abbreviation}",
            header_line="ĐẢNG BỘ TỈNH THÁI NGUYÊN",
            member_count=2150,
        ),
        _unit(
            BTG_CODE,
            "{appraising_body_full}",
            UnitKind.BAN,
            KHOI_CODE,
            leading_body="{appraising_body}",
            # The header prints the committee on the superior line; the Ban's line is its short name only.
            print_name="{appraising_body}",
            abbreviation="{appraising_abbreviation}",
            header_line="{top_committee_upper}",
            member_count=6,
        ),
    ]
    for index, (_slug, prefix, agency, standing, chi_bo, mass) in enumerate(DANG_BO):
        party_code = f"{prefix}-DB"
        party_name = f"Đảng bộ {agency}"
        tree.append(
            _unit(
                party_code,
                party_name,
                UnitKind.DANG_BO_CO_SO,
                KHOI_CODE,
                leading_body="Đảng ủy",
                has_standing_committee=standing,
                abbreviation="ĐU",
                header_line=HEADER_KHOI,
                member_count=60 + 17 * index,
            )
        )
        for number, (suffix, name) in enumerate(chi_bo):
            tree.append(
                _unit(
                    f"{prefix}-{suffix}",
                    name,
                    UnitKind.CHI_BO,
                    party_code,
                    leading_body="Chi ủy" if number == 0 else "Chi bộ",
                    abbreviation="CB",
                    header_line=party_name.upper(),
                    member_count=9 + (5 * number + index) % 14,
                )
            )
        tree.append(
            _unit(
                prefix,
                agency,
                UnitKind.CO_QUAN,
                party_code,
                leading_body="Ban Giám đốc",
                abbreviation=prefix,
                header_line=HEADER_UBND,
                member_count=85 + 23 * index,
            )
        )
        for suffix, name in mass:
            tree.append(
                _unit(
                    f"{prefix}-{suffix}",
                    name,
                    UnitKind.DOAN_THE,
                    prefix,
                    leading_body="Ban Chấp hành",
                    header_line=agency.upper(),
                    member_count=20 + 3 * len(name) % 40,
                )
            )
    for index, (_slug, prefix, name, agency, mass) in enumerate(CHI_BO_CO_SO):
        party_code = f"{prefix}-CB"
        tree.append(
            _unit(
                party_code,
                name,
                UnitKind.CHI_BO_CO_SO,
                KHOI_CODE,
                leading_body="Chi ủy" if index < 2 else "Chi bộ",
                abbreviation="CB",
                header_line=HEADER_KHOI,
                member_count=14 + 4 * index,
            )
        )
        if agency:
            tree.append(
                _unit(
                    prefix,
                    agency,
                    UnitKind.CO_QUAN,
                    party_code,
                    leading_body="Lãnh đạo Thanh tra tỉnh" if prefix == "TTT" else "Ban Giám đốc",
                    abbreviation=prefix,
                    header_line=HEADER_UBND,
                    member_count=40 + 9 * index,
                )
            )
        for suffix, mass_name in mass:
            tree.append(
                _unit(
                    f"{prefix}-{suffix}",
                    mass_name,
                    UnitKind.DOAN_THE,
                    prefix,
                    leading_body="Ban Chấp hành",
                    header_line=agency.upper(),
                    member_count=35,
                )
            )
    return tree


def grassroots() -> list[tuple[str, str, str]]:
    """(slug, unit code, kind) of every đảng bộ and chi bộ cơ sở: each gets an office editor and an approver."""
    rows = [(slug, f"{prefix}-DB", UnitKind.DANG_BO_CO_SO) for slug, prefix, *_ in DANG_BO]
    rows += [(slug, f"{prefix}-CB", UnitKind.CHI_BO_CO_SO) for slug, prefix, *_ in CHI_BO_CO_SO]
    return rows


def agency_of_party_unit(code: str) -> str:
    """The agency whose staff are active in a party unit: "SYT-CB-NVY" → "SYT"; the Khối's own cell → its Ban."""
    prefix = code.split("-")[0]
    return BTG_CODE if prefix == "CQDUK" else prefix


MALE_NAMES = [
    "Nguyễn Văn Hùng", "Trần Đức Minh", "Lê Quang Huy", "Phạm Văn Tuấn", "Hoàng Minh Đức", "Vũ Đình Long",
    "Đặng Văn Thắng", "Bùi Quốc Khánh", "Đỗ Mạnh Cường", "Hồ Sỹ Nam", "Ngô Văn Sơn", "Dương Văn Hải",
    "Lý Văn Phúc", "Nguyễn Hữu Thành", "Trần Văn Dũng", "Lê Văn Bình", "Phạm Quang Vinh", "Hoàng Văn Tâm",
    "Vũ Mạnh Hà", "Đinh Công Hiếu", "Ma Văn Toàn", "Nông Văn Quý", "Hà Văn Thái", "Triệu Văn Lâm",
    "Nguyễn Đức Anh", "Trần Quốc Việt", "Lê Minh Tuấn", "Phạm Văn Kiên", "Đoàn Văn Hòa", "Mai Xuân Trường",
    "Cao Văn Lợi", "Lương Văn Chiến",
]  # fmt: skip
FEMALE_NAMES = [
    "Nguyễn Thị Hoa", "Trần Thị Lan", "Lê Thị Thu Hà", "Phạm Thị Hương", "Hoàng Thị Mai", "Vũ Thị Ngọc Anh",
    "Đặng Thị Hằng", "Bùi Thị Thanh Huyền", "Đỗ Thị Nga", "Ngô Thị Phương", "Dương Thị Thủy", "Lý Thị Hạnh",
    "Nguyễn Thị Minh Nguyệt", "Trần Thị Kim Oanh", "Lê Thị Hồng Nhung", "Phạm Thị Thúy", "Hoàng Thu Trang",
    "Vũ Thị Yến", "Ma Thị Liên", "Nông Thị Hiền", "Hà Thị Tuyết", "Triệu Thị Xuân", "Nguyễn Thu Hiền",
    "Trần Thị Quỳnh", "Lê Thị Vân", "Phạm Thị Dung", "Đinh Thị Loan", "Mai Thị Bích", "Cao Thị Huệ",
    "Lương Thị Hảo", "Đoàn Thị Hường", "Chu Thị Thanh",
]  # fmt: skip

MEMBER_POSITIONS = ["Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên chính", "Chuyên viên", "Kế toán viên"]
STAFF_POSITIONS = ["Chuyên viên", "Nhân viên văn thư", "Kỹ thuật viên", "Nhân viên hợp đồng", "Lái xe"]


def _names():
    # Alternate men and women so that every chi bộ and agency has both.
    for male, female in zip(MALE_NAMES, FEMALE_NAMES, strict=True):
        yield male, Gender.MALE
        yield female, Gender.FEMALE


# A chi bộ whose secretary has a demo account: the member list names the account's holder as its secretary.
SECRETARY_NAMES = {"SYT-CB-NVY": ("Trần Thị Mai", Gender.FEMALE)}


def people() -> list[dict]:
    """Two party members per chi bộ (the first is its secretary) and two non-members per agency."""
    names = _names()
    chi_bo = [u for u in units() if u["kind"] in (UnitKind.CHI_BO, UnitKind.CHI_BO_CO_SO)]
    agencies = [u for u in units() if u["kind"] == UnitKind.CO_QUAN]
    rows = []
    for cell in chi_bo:
        for seat in range(2):
            name, gender = next(names)
            if seat == 0 and cell["code"] in SECRETARY_NAMES:
                name, gender = SECRETARY_NAMES[cell["code"]]
            i = len(rows)
            birth = datetime.date(1968 + (i * 7) % 28, (i * 5) % 12 + 1, (i * 11) % 28 + 1)
            rows.append(
                {
                    "full_name": name,
                    "gender": gender,
                    "birth_date": birth,
                    "position": "Bí thư chi bộ" if seat == 0 else MEMBER_POSITIONS[i % len(MEMBER_POSITIONS)],
                    "work_unit": agency_of_party_unit(cell["code"]),
                    "is_party_member": True,
                    "party_cell": cell["code"],
                    "party_join_date": datetime.date(birth.year + 23 + i % 8, (i * 3) % 12 + 1, 19),
                    "party_card_number": f"{(i * 7919 + 31337) % 100_000_000:08d}" if i % 3 else "",
                    "phone": f"09{(i * 1_234_567 + 8_765_432) % 100_000_000:08d}",
                }
            )
    for agency in agencies:
        for _seat in range(2):
            name, gender = next(names)
            i = len(rows)
            rows.append(
                {
                    "full_name": name,
                    "gender": gender,
                    "birth_date": datetime.date(1975 + (i * 3) % 25, (i * 7) % 12 + 1, (i * 13) % 28 + 1),
                    "position": STAFF_POSITIONS[i % len(STAFF_POSITIONS)],
                    "work_unit": agency["code"],
                    "is_party_member": False,
                    "party_cell": None,
                    "party_join_date": None,
                    "party_card_number": "",
                    "phone": f"08{(i * 7_654_321 + 1_234_567) % 100_000_000:08d}",
                }
            )
    return rows


def members_of(cell_code: str) -> list[str]:
    return [p["full_name"] for p in people() if p["party_cell"] == cell_code]


def staff_of(agency_code: str, *, party: bool) -> list[str]:
    return [p["full_name"] for p in people() if p["work_unit"] == agency_code and p["is_party_member"] == party]


# (username, last name, first name, [(unit code, role, title)], is_superuser). Family name first, as Vietnamese
# write it: last_name "Nguyễn", first_name "Đức Thịnh".
NAMED_ACCOUNTS = [
    ("admin", "Đỗ", "Minh Quân", [], True),
    ("bithu.chibo", "Trần", "Thị Mai", [("SYT-CB-NVY", Role.EDITOR, "BÍ THƯ")], False),
    ("danguy.soyte", "Lê", "Văn Thành", [("SYT-DB", Role.APPROVER, "BÍ THƯ")], False),
    ("bantuyengiao", "Phạm", "Thị Hồng", [(KHOI_CODE, Role.APPRAISER, "PHÓ TRƯỞNG BAN")], False),
    ("lanhdao.khoi", "Hoàng", "Văn Quyết", [(KHOI_CODE, Role.VIEWER, "PHÓ BÍ THƯ")], False),
    ("danguy.khoi", "Nguyễn", "Đức Thịnh", [(KHOI_CODE, Role.APPROVER, "BÍ THƯ")], False),
]

_OFFICE_NAMES = [
    ("Vũ", "Thị Lan Anh"), ("Bùi", "Văn Tiến"), ("Đặng", "Thu Phương"), ("Ngô", "Quang Hưng"), ("Dương", "Thị Hà"),
    ("Hà", "Minh Châu"), ("Lý", "Thị Nhàn"), ("Nông", "Văn Khải"), ("Triệu", "Thị Hoài"), ("Mai", "Văn Duy"),
]  # fmt: skip
_COMMITTEE_NAMES = [
    ("Trần", "Văn Hậu"), ("Lê", "Thị Thoa"), ("Phạm", "Văn Lực"), ("Hoàng", "Thị Hải Yến"), ("Đinh", "Văn Khoa"),
    ("Chu", "Văn Thịnh"), ("Đoàn", "Thị Lụa"), ("Cao", "Văn Tùng"), ("Lương", "Thị Huyền"),
]  # fmt: skip


def accounts() -> list[dict]:
    """The named demo accounts, plus an office editor and a committee approver for every grassroots unit."""
    rows = [
        {"username": u, "last_name": ln, "first_name": fn, "memberships": m, "is_superuser": su}
        for u, ln, fn, m, su in NAMED_ACCOUNTS
    ]
    committee = iter(_COMMITTEE_NAMES)
    for (slug, code, kind), (office_last, office_first) in zip(grassroots(), _OFFICE_NAMES, strict=True):
        rows.append(
            {
                "username": f"vanphong.{slug}",
                "last_name": office_last,
                "first_name": office_first,
                "memberships": [(code, Role.EDITOR, "")],
                "is_superuser": False,
            }
        )
        if slug == "soyte":
            continue  # danguy.soyte above
        committee_last, committee_first = next(committee)
        prefix = "danguy" if kind == UnitKind.DANG_BO_CO_SO else "chiuy"
        rows.append(
            {
                "username": f"{prefix}.{slug}",
                "last_name": committee_last,
                "first_name": committee_first,
                "memberships": [(code, Role.APPROVER, "BÍ THƯ")],
                "is_superuser": False,
            }
        )
    return rows


SECRETARY = "bithu.chibo"  # the chi bộ secretary of the README's walk, who writes the chi bộ's reports
APPRAISER = "bantuyengiao"  # the Ban Tuyên giáo account that appraises the proposals to the Khối
KHOI_OFFICE_CELL = "CQDUK-CB"  # its secretary keeps the minutes of the Khối's meetings


# The open year's registration deadlines sit around the day the demo is seeded, inside that year: the grassroots
# deadline two weeks before (so some drafts are overdue and one entry was sent late), the Khối's two weeks after.
DEADLINE_BEFORE = datetime.timedelta(days=14)
DEADLINE_AFTER = datetime.timedelta(days=14)


def _within(year: int, day: datetime.date) -> datetime.date:
    """``day`` moved into ``year``, between 15/1 and 20/12 (a deadline is never on new year's eve)."""
    return min(max(day, datetime.date(year, 1, 15)), datetime.date(year, 12, 20))


def years(today: datetime.date, guidance=None) -> list[dict]:
    """Last year, over, with the registration deadlines of 30/5 and 30/6 that 2024 had (guidance §III.2.2); this
    year, open, with its registration deadlines around ``today`` and the usual review and report deadlines (never
    before the registration deadline they follow)."""
    past, current = today.year - 1, today.year
    base = _within(current, today - DEADLINE_BEFORE)
    khoi = max(base, _within(current, today + DEADLINE_AFTER))
    usual = Year.defaults_for(current, guidance)
    return [
        {
            "year": past,
            "special": {
                "registration_deadline_base": datetime.date(past, 5, 30),
                "registration_deadline_khoi": datetime.date(past, 6, 30),
            },
            "is_open": False,
        },
        {
            "year": current,
            "special": {
                "registration_deadline_base": base,
                "registration_deadline_khoi": khoi,
                "review_deadline_base": max(usual["review_deadline_base"], base),
                "review_deadline_khoi": max(usual["review_deadline_khoi"], khoi),
            },
            "is_open": True,
        },
    ]


# Registrations. ``target`` names the path through the lifecycle (see seed_demo.PATHS and seed_demo.DECIDED); a
# target past "active" is reached through the meetings, proposals and appraisals of its year. ``subject`` is a unit
# code for a collective and a person's full name for an individual.
P, A, M, N = SubjectKind.PARTY_ORG, SubjectKind.AGENCY, SubjectKind.MEMBER, SubjectKind.NON_MEMBER
BASE, KHOI = "co_so", "khoi"
XDD, KT, VHXH, QPAN = "xay-dung-dang", "phat-trien-kinh-te", "van-hoa-xa-hoi", "quoc-phong-an-ninh"


def _reg(year, kind, subject, level, field, target, title, focus, beneficiaries, address):
    return {
        "year": year,
        "subject_kind": kind,
        "subject": subject,
        "level": level,
        "field": field,
        "target": target,
        "title": title,
        "focus": focus,
        "beneficiaries": beneficiaries,
        "address": address,
    }


def registrations(past: int, this: int) -> list[dict]:
    """The demo registrations of last year (``past``) and of this year, the open one (``this``)."""
    nvy = members_of("SYT-CB-NVY")
    return [
        # --- last year: over; models went on to confirmation, exemplars (of the grassroots and of the Khối),
        # or stopped ---
        _reg(past, P, "SYT-CB-NVY", BASE, XDD, "exemplar_khoi",
             "Chi bộ Phòng Nghiệp vụ Y “nói đi đôi với làm” trong giải quyết thủ tục hành nghề y",
             "rút ngắn thời gian cấp chứng chỉ hành nghề khám bệnh, chữa bệnh",
             "người hành nghề y và các cơ sở khám bệnh, chữa bệnh", "Trụ sở Sở Y tế tỉnh Thái Nguyên"),
        _reg(past, A, "SYT", BASE, VHXH, "exemplar_khoi", "Sở Y tế đồng hành cùng người bệnh nghèo",
             "vận động công chức, viên chức, người lao động hỗ trợ người bệnh nghèo điều trị dài ngày",
             "người bệnh nghèo đang điều trị tại các bệnh viện tuyến tỉnh",
             "Các bệnh viện tuyến tỉnh, tỉnh Thái Nguyên"),
        _reg(past, M, nvy[1], BASE, VHXH, "confirmed", "Bác sĩ gia đình của xóm",
             "tư vấn, khám sàng lọc miễn phí cho người cao tuổi nơi cư trú",
             "người cao tuổi, gia đình chính sách ở tổ dân phố nơi cư trú", "Tổ dân phố 7, phường Phan Đình Phùng"),
        _reg(past, N, staff_of("SYT", party=False)[0], BASE, VHXH, "active",
             "Tủ sách y học thường thức tại tổ dân phố",
             "xây dựng tủ sách y học thường thức và hướng dẫn người dân phòng bệnh mùa",
             "người dân tổ dân phố nơi cư trú", "Nhà văn hóa tổ dân phố 3, phường Túc Duyên"),
        _reg(past, P, "STC-DB", BASE, XDD, "exemplar_base",
             "Đảng bộ Sở Tài chính đẩy mạnh chuyển đổi số trong công tác đảng",
             "ứng dụng sổ tay đảng viên điện tử, họp chi bộ không giấy",
             "cán bộ, đảng viên Đảng bộ Sở Tài chính", "Trụ sở Sở Tài chính tỉnh Thái Nguyên"),
        _reg(past, P, "STC-CB-NS", BASE, KT, "stopped",
             "Chi bộ Phòng Ngân sách hướng dẫn xã quyết toán ngân sách đúng hạn",
             "hướng dẫn, hỗ trợ kế toán các xã lập và nộp báo cáo quyết toán ngân sách đúng hạn",
             "kế toán ngân sách các xã, phường", "Các xã, phường trên địa bàn tỉnh"),
        _reg(past, M, members_of("STC-CB-QLG")[1], BASE, XDD, "active",
             "Đảng viên tiên phong giải quyết hồ sơ tài sản công đúng hẹn",
             "tiếp nhận, giải quyết hồ sơ xử lý tài sản công đúng hẹn, không để người dân, đơn vị đi lại nhiều lần",
             "các cơ quan, đơn vị có hồ sơ tài sản công", "Bộ phận một cửa Sở Tài chính"),
        _reg(past, A, "SGDDT-CD", BASE, VHXH, "confirmed", "Công đoàn Sở Giáo dục và Đào tạo với “Mái ấm công đoàn”",
             "vận động đoàn viên góp quỹ xây, sửa nhà cho giáo viên khó khăn về nhà ở",
             "giáo viên, người lao động ngành giáo dục khó khăn về nhà ở", "Các trường học trên địa bàn tỉnh"),
        _reg(past, P, "SGDDT-CB-GDTH", BASE, VHXH, "appraised",
             "Chi bộ Phòng Giáo dục Trung học đỡ đầu học sinh vùng cao",
             "nhận đỡ đầu, tặng học bổng và sách vở cho học sinh dân tộc thiểu số có hoàn cảnh khó khăn",
             "học sinh các trường phổ thông dân tộc bán trú", "Trường PTDTBT THCS Sảng Mộc, huyện Võ Nhai"),
        _reg(past, P, "SNNMT-CB-KL", BASE, QPAN, "proposed_khoi",
             "Chi bộ Chi cục Kiểm lâm cùng dân giữ rừng, phòng cháy rừng",
             "tuyên truyền, ký cam kết bảo vệ rừng và lập tổ quần chúng phòng cháy, chữa cháy rừng",
             "hộ gia đình nhận khoán bảo vệ rừng", "Các xã vùng an toàn khu ATK Định Hóa"),
        _reg(past, M, members_of("SNNMT-CB-TL")[0], BASE, KT, "confirmed",
             "Đảng viên hướng dẫn bà con trồng chè theo tiêu chuẩn VietGAP",
             "hướng dẫn bà con trồng, chăm sóc và chế biến chè theo tiêu chuẩn VietGAP",
             "hộ trồng chè ở xóm nơi cư trú", "Xóm Khuôn Lặn, xã Tân Cương"),
        _reg(past, N, staff_of("SNNMT", party=False)[0], BASE, KT, "confirmed",
             "Kỹ thuật viên đồng hành cùng hợp tác xã chè",
             "hỗ trợ hợp tác xã chè ghi nhật ký sản xuất và đăng ký mã số vùng trồng",
             "thành viên hợp tác xã chè", "Hợp tác xã chè La Bằng, huyện Đại Từ"),
        _reg(past, A, "SNNMT", KHOI, KT, "confirmed", "Sở Nông nghiệp và Môi trường hỗ trợ xây dựng sản phẩm OCOP",
             "hướng dẫn chủ thể sản xuất hoàn thiện hồ sơ, nâng hạng sản phẩm OCOP",
             "hợp tác xã, hộ sản xuất có sản phẩm OCOP", "Các huyện, thành phố trong tỉnh"),
        _reg(past, P, "SXD-CB-QLXD", BASE, XDD, "not_confirmed",
             "Chi bộ Phòng Quản lý xây dựng công khai thủ tục cấp phép xây dựng",
             "công khai quy trình, thời hạn cấp giấy phép xây dựng và trả lời kiến nghị của người dân",
             "người dân, doanh nghiệp có nhu cầu xin phép xây dựng", "Trụ sở Sở Xây dựng tỉnh Thái Nguyên"),
        _reg(past, A, "SXD-DTN", BASE, VHXH, "confirmed", "Tuổi trẻ Sở Xây dựng thắp sáng đường quê",
             "lắp đặt đèn năng lượng mặt trời trên các tuyến đường liên xóm",
             "người dân các xóm vùng sâu", "Xã Phú Thượng, huyện Võ Nhai"),
        _reg(past, P, "SVHTTDL-CB-BT", BASE, VHXH, "exemplar_base", "Chi bộ Bảo tàng tỉnh đưa di sản đến trường học",
             "tổ chức trưng bày lưu động, kể chuyện di sản cho học sinh",
             "học sinh tiểu học và trung học cơ sở", "Các trường học trên địa bàn tỉnh"),
        _reg(past, M, members_of("SVHTTDL-CB-DL")[0], KHOI, VHXH, "confirmed",
             "Đảng viên truyền dạy hát Then, đàn Tính cho thanh thiếu niên",
             "mở lớp truyền dạy hát Then, đàn Tính miễn phí cho thanh thiếu niên",
             "thanh thiếu niên người Tày, Nùng", "Nhà văn hóa xóm Bản Piềng, huyện Định Hóa"),
        _reg(past, P, "STP-CB", BASE, XDD, "confirmed", "Chi bộ Sở Tư pháp đưa pháp luật về bản",
             "trợ giúp pháp lý lưu động và tư vấn pháp luật miễn phí tại thôn, bản",
             "người dân tộc thiểu số, người nghèo vùng sâu", "Các xã vùng sâu huyện Võ Nhai"),
        _reg(past, A, "SKHCN", BASE, KT, "stopped", "Sở Khoa học và Công nghệ chuyển giao kỹ thuật trồng nấm",
             "chuyển giao kỹ thuật trồng nấm sò, nấm linh chi cho hộ nghèo",
             "hộ nghèo, cận nghèo", "Xã Cù Vân, huyện Đại Từ"),
        _reg(past, P, "TTT-CB", BASE, XDD, "active",
             "Chi bộ Thanh tra tỉnh tiếp công dân tận tình, giải quyết đơn thư dứt điểm",
             "tiếp công dân chu đáo, giải quyết dứt điểm đơn thư ngay từ cơ sở",
             "công dân đến kiến nghị, phản ánh", "Trụ sở Tiếp công dân tỉnh Thái Nguyên"),
        _reg(past, P, "SYT-DB", KHOI, XDD, "confirmed", "Đảng bộ Sở Y tế nâng cao sự hài lòng của người bệnh",
             "lãnh đạo các đơn vị trực thuộc đổi mới phong cách phục vụ, lấy người bệnh làm trung tâm",
             "người bệnh và người nhà người bệnh", "Các bệnh viện, trung tâm y tế trực thuộc Sở Y tế"),
        # --- this year, open: registrations at every step of the registration workflow ---
        _reg(this, P, "SYT-CB-NVY", BASE, XDD, "draft",
             "Chi bộ Phòng Nghiệp vụ Y hướng dẫn người dân đặt lịch khám trực tuyến",
             "hướng dẫn người dân đặt lịch khám bệnh trực tuyến, giảm thời gian chờ",
             "người bệnh đến khám tại các bệnh viện tuyến tỉnh", "Bệnh viện Đa khoa tỉnh Thái Nguyên"),
        _reg(this, M, nvy[0], BASE, VHXH, "submitted", "Đảng viên vận động hiến máu tình nguyện ở khu dân cư",
             "vận động người dân khu dân cư tham gia hiến máu tình nguyện",
             "người dân tổ dân phố nơi cư trú", "Tổ dân phố 12, phường Quang Trung"),
        # Running, so that the chi bộ's secretary can report its results and ask for confirmation (Mẫu 5).
        _reg(this, M, nvy[1], BASE, XDD, "active", "Đảng viên hướng dẫn người cao tuổi dùng dịch vụ công trực tuyến",
             "hướng dẫn người cao tuổi cài đặt, sử dụng ứng dụng dịch vụ công và VNeID",
             "người cao tuổi ở khu dân cư nơi đảng viên cư trú", "Tổ dân phố 5, phường Phan Đình Phùng"),
        _reg(this, N, staff_of("SYT", party=False)[1], BASE, VHXH, "returned",
             "Chăm sóc sức khỏe người cao tuổi cô đơn trong tổ dân phố",
             "thăm hỏi, đo huyết áp định kỳ cho người cao tuổi sống một mình",
             "người cao tuổi cô đơn", "Tổ dân phố 5, phường Hoàng Văn Thụ"),
        _reg(this, P, "SYT-CB-VP", BASE, XDD, "active", "Chi bộ Văn phòng Sở Y tế xây dựng văn hóa công sở",
             "chuẩn hóa giao tiếp, ứng xử và xử lý văn bản đúng hạn",
             "công chức, viên chức và người đến làm việc", "Trụ sở Sở Y tế tỉnh Thái Nguyên"),
        _reg(this, A, "SYT-CD", BASE, VHXH, "submitted", "Công đoàn Sở Y tế “Tết sum vầy” cho đoàn viên khó khăn",
             "vận động quỹ tặng quà Tết và hỗ trợ vé xe cho đoàn viên khó khăn",
             "đoàn viên công đoàn có hoàn cảnh khó khăn", "Các công đoàn cơ sở trực thuộc Công đoàn Sở Y tế"),
        _reg(this, A, "SYT-PN", BASE, VHXH, "draft", "Chi hội Phụ nữ Sở Y tế “Nuôi heo đất” giúp trẻ em mồ côi",
             "tiết kiệm nuôi heo đất, nhận đỡ đầu trẻ em mồ côi",
             "trẻ em mồ côi do dịch bệnh", "Xã Phú Đình, huyện Định Hóa"),
        _reg(this, A, "SYT-CCB", BASE, QPAN, "active",
             "Cựu chiến binh Sở Y tế tham gia giữ gìn an ninh trật tự khu dân cư",
             "tham gia tổ tự quản, hòa giải mâu thuẫn và phát hiện tệ nạn ở khu dân cư",
             "người dân khu dân cư nơi hội viên cư trú", "Các tổ dân phố nơi hội viên cư trú"),
        _reg(this, P, "STC-CB-VP", BASE, XDD, "withdrawn", "Chi bộ Văn phòng Sở Tài chính số hóa hồ sơ lưu trữ",
             "số hóa hồ sơ lưu trữ, tra cứu văn bản nhanh cho người dân và đơn vị",
             "cán bộ, công chức và tổ chức cần tra cứu hồ sơ", "Kho lưu trữ Sở Tài chính"),
        _reg(this, A, "STC", BASE, KT, "active", "Sở Tài chính đồng hành cùng doanh nghiệp nhỏ và vừa",
             "đối thoại định kỳ, tháo gỡ vướng mắc về giá, phí cho doanh nghiệp nhỏ và vừa",
             "doanh nghiệp nhỏ và vừa", "Trụ sở Sở Tài chính tỉnh Thái Nguyên"),
        _reg(this, N, staff_of("STC", party=False)[0], BASE, XDD, "submitted", "Nhân viên một cửa tận tâm, thân thiện",
             "hướng dẫn tận tình, nhận và trả hồ sơ đúng hẹn tại bộ phận một cửa",
             "tổ chức, cá nhân đến làm thủ tục", "Trung tâm Phục vụ hành chính công tỉnh"),
        _reg(this, P, "SGDDT-DB", KHOI, VHXH, "submitted",
             "Đảng bộ Sở Giáo dục và Đào tạo với phong trào “Cùng em đến trường”",
             "vận động nguồn lực xã hội hóa hỗ trợ học sinh vùng khó khăn đến trường",
             "học sinh có hoàn cảnh khó khăn", "Các trường học vùng khó khăn trong tỉnh"),
        _reg(this, M, members_of("SGDDT-CB-GDTH")[1], BASE, VHXH, "active",
             "Đảng viên mở lớp tiếng Anh miễn phí cho trẻ em vùng khó khăn",
             "mở lớp học tiếng Anh miễn phí vào cuối tuần",
             "trẻ em xóm nơi cư trú", "Nhà văn hóa xóm Đồng Bẩm"),
        _reg(this, P, "SGDDT-CB-MNTH", BASE, VHXH, "returned",
             "Chi bộ Phòng Giáo dục Mầm non và Tiểu học xây dựng “Sân chơi an toàn”",
             "vận động xây dựng sân chơi an toàn cho trẻ mầm non vùng nông thôn",
             "trẻ mầm non và phụ huynh", "Trường Mầm non Hợp Thành, huyện Phú Lương"),
        _reg(this, P, "SNNMT-CB-TL", BASE, KT, "active",
             "Chi bộ Chi cục Thủy lợi vận động nhân dân hiến đất làm kênh mương nội đồng",
             "vận động nhân dân hiến đất, góp ngày công kiên cố hóa kênh mương nội đồng",
             "hộ nông dân hưởng lợi từ hệ thống kênh mương", "Xã Yên Lạc, huyện Phú Lương"),
        _reg(this, A, "SNNMT-CCB", BASE, QPAN, "submitted",
             "Cựu chiến binh Sở Nông nghiệp và Môi trường tham gia phòng, chống thiên tai",
             "tham gia ứng trực, di dời người dân khỏi vùng sạt lở khi mưa lũ",
             "người dân vùng có nguy cơ sạt lở", "Các xóm ven sông Cầu"),
        _reg(this, N, staff_of("SNNMT", party=False)[1], BASE, KT, "draft",
             "Hướng dẫn nông dân thu gom, xử lý bao bì thuốc bảo vệ thực vật",
             "hướng dẫn nông dân thu gom, xử lý bao bì thuốc bảo vệ thực vật đúng quy định",
             "nông dân các xóm trồng lúa, rau màu", "Xã Hóa Thượng, huyện Đồng Hỷ"),
        _reg(this, P, "SXD-CB-QLGT", BASE, QPAN, "active",
             "Chi bộ Phòng Quản lý giao thông cùng nhân dân xóa “điểm đen” tai nạn giao thông",
             "khảo sát, kiến nghị xử lý và tuyên truyền an toàn giao thông tại các “điểm đen”",
             "người tham gia giao thông trên các tuyến quốc lộ", "Quốc lộ 3 đoạn qua tỉnh Thái Nguyên"),
        _reg(this, M, members_of("SXD-CB-VP")[0], KHOI, XDD, "submitted",
             "Đảng viên hướng dẫn người dân xin phép xây dựng nhà ở qua mạng",
             "hướng dẫn người dân nộp hồ sơ xin phép xây dựng nhà ở trên Cổng dịch vụ công",
             "người dân có nhu cầu xây dựng nhà ở", "Trung tâm Phục vụ hành chính công tỉnh"),
        _reg(this, A, "SVHTTDL", BASE, VHXH, "active",
             "Sở Văn hóa, Thể thao và Du lịch phát triển du lịch cộng đồng gắn với văn hóa Tày, Nùng",
             "hướng dẫn người dân làm du lịch cộng đồng, giữ gìn bản sắc văn hóa",
             "hộ làm du lịch cộng đồng", "Bản Quyết Tiến, xã Phúc Chu, huyện Định Hóa"),
        _reg(this, P, "SVHTTDL-CB-TV", BASE, VHXH, "draft", "Chi bộ Thư viện tỉnh với “Tủ sách đảng viên nơi cư trú”",
             "xây dựng tủ sách và tổ chức đọc sách cùng thiếu nhi tại nơi cư trú",
             "thiếu nhi và người dân nơi đảng viên cư trú", "Các tổ dân phố nơi đảng viên cư trú"),
        _reg(this, P, "SKHCN-CB", BASE, KT, "submitted",
             "Chi bộ Sở Khoa học và Công nghệ hỗ trợ hợp tác xã truy xuất nguồn gốc chè",
             "hỗ trợ hợp tác xã gắn tem truy xuất nguồn gốc cho sản phẩm chè",
             "hợp tác xã chè", "Xã Phúc Xuân, thành phố Thái Nguyên"),
        _reg(this, A, "STP-CD", BASE, XDD, "active",
             "Công đoàn Sở Tư pháp “Mỗi đoàn viên một sáng kiến cải cách hành chính”",
             "phát động mỗi đoàn viên đề xuất một sáng kiến cải cách hành chính",
             "người dân, tổ chức làm thủ tục tư pháp", "Trụ sở Sở Tư pháp tỉnh Thái Nguyên"),
        _reg(this, P, "CQDUK-CB", KHOI, XDD, "active",
             "Chi bộ Cơ quan {top_committee} “Nắm chắc tình hình, lắng nghe ý kiến đảng viên”",
             "định kỳ nắm tình hình tư tưởng, lắng nghe ý kiến đảng viên và quần chúng",
             "đảng viên, quần chúng trong {top_body}", "{top_office}"),
        _reg(this, M, members_of("TTT-CB")[1], BASE, QPAN, "active", "Đảng viên tham gia hòa giải ở cơ sở nơi cư trú",
             "tham gia tổ hòa giải, giải quyết mâu thuẫn trong cộng đồng dân cư",
             "người dân tổ dân phố nơi cư trú", "Tổ dân phố 9, phường Gia Sàng"),
        _reg(this, P, "SYT-CB-KHTC", BASE, XDD, "submitted_late",
             "Chi bộ Phòng Kế hoạch - Tài chính công khai, minh bạch mua sắm thuốc, vật tư",
             "công khai kế hoạch, kết quả mua sắm thuốc, vật tư y tế",
             "các bệnh viện, trung tâm y tế và người bệnh", "Trụ sở Sở Y tế tỉnh Thái Nguyên"),
    ]  # fmt: skip


CONTEXT = {
    XDD: "Thực hiện {guidance_short} và chủ trương của cấp ủy về cải cách hành chính, nâng cao chất lượng phục vụ "
    "Nhân dân, {subject} xác định cần đổi mới phong cách, lề lối làm việc, gần dân, sát dân.",
    KT: "Nhiều hộ dân, hợp tác xã trên địa bàn còn sản xuất nhỏ lẻ, thiếu liên kết, thu nhập chưa ổn định; người dân "
    "cần được hướng dẫn, hỗ trợ thiết thực.",
    VHXH: "Đời sống vật chất, tinh thần của một bộ phận người dân, người lao động còn khó khăn; các hoạt động an sinh "
    "xã hội chưa được tổ chức thường xuyên.",
    QPAN: "Tình hình an ninh trật tự, phòng, chống thiên tai trên địa bàn còn tiềm ẩn nguy cơ; sự tham gia của quần "
    "chúng chưa đồng đều.",
}


# Wording of the demo's meetings, proposals and appraisals.
ABSENCE_NOTE = "Đồng chí Trần Văn Hải đi công tác, có lý do."
MEETING_CONCLUSIONS = {
    Purpose.CONFIRM_MODEL: "Hội nghị thống nhất xác nhận các mô hình được trên một nửa tổng số thành viên đồng ý; "
    "mô hình chưa đủ số phiếu tiếp tục thực hiện, hoàn thiện và được xét lại vào kỳ sau. Giao Văn phòng hoàn thiện "
    "quyết định và danh sách kèm theo.",
    Purpose.CONFIRM_EXEMPLAR_BASE: "Hội nghị thống nhất xác nhận các điển hình “Dân vận khéo” cấp cơ sở theo kết quả "
    "bỏ phiếu; giao Văn phòng hoàn thiện quyết định và lựa chọn điển hình tiêu biểu đề nghị {top_committee} xác nhận.",
    Purpose.CONFIRM_EXEMPLAR_KHOI: "{standing_committee} thống nhất xác nhận các điển hình “Dân vận khéo” cấp "
    "{top_body} theo đề nghị của {appraising_body}; giao {appraising_body} tham mưu biểu dương, nhân rộng.",
}
PROPOSAL_NOTE = "Hồ sơ gồm báo cáo thành tích, quyết định công nhận điển hình cấp cơ sở và hình ảnh minh chứng."
APPRAISAL_COMMENT = (
    "Hồ sơ đầy đủ, đúng mẫu. Mô hình có cách làm sáng tạo, hiệu quả rõ, được người dân đồng tình; "
    "đề nghị Ban Thường vụ xem xét, xác nhận."
)


def sections(spec: dict, subject_name: str, *, individual: bool) -> dict:
    """The content sections of a registration (forms.md §3), filled from the spec's focus and beneficiaries."""
    focus, who = spec["focus"], spec["beneficiaries"]
    partners = (
        "Chi bộ nơi cư trú, Ban công tác Mặt trận và các đoàn thể ở tổ dân phố, xóm."
        if individual
        else "Công đoàn, Đoàn Thanh niên cơ quan; Ủy ban Mặt trận Tổ quốc và các đoàn thể nơi thực hiện."
    )
    return {
        "situation": fill(CONTEXT[spec["field"]], {"subject": subject_name})
        + f" Việc {focus} là yêu cầu cấp thiết, phù hợp với chức năng, nhiệm vụ và điều kiện thực tế.",
        "objectives": f"Tạo chuyển biến rõ nét trong việc {focus}; nâng cao niềm tin, sự đồng thuận của {who}.",
        "indicators": "Ít nhất 90% đối tượng thụ hưởng hài lòng; 100% cán bộ, đảng viên liên quan tham gia; "
        "có sản phẩm cụ thể được ghi nhận.",
        "content": "1. Quán triệt, xây dựng kế hoạch và phân công cụ thể. "
        f"2. Tổ chức {focus}, lồng ghép trong sinh hoạt chi bộ và hoạt động chuyên môn. "
        "3. Phối hợp với cấp ủy, chính quyền, Mặt trận và các đoàn thể nơi thực hiện. "
        "4. Định kỳ sơ kết, rút kinh nghiệm, biểu dương cách làm hay.",
        "beneficiaries": who[0].upper() + who[1:] + ".",
        "partners": partners,
        "resources": "Kinh phí hoạt động thường xuyên, đóng góp tự nguyện của cán bộ, đảng viên và nguồn xã hội hóa; "
        "ngày công tình nguyện.",
        "milestones": "Sơ kết 6 tháng; tổng kết, đánh giá cuối năm.",
        "expected_results": f"Mô hình được duy trì thường xuyên, {who} được hưởng lợi thiết thực; có ít nhất một cách "
        "làm hay được nhân rộng.",
        "sustainability": "Có thể duy trì lâu dài và nhân rộng ra các chi bộ, cơ quan, đơn vị trong {top_body}.",
    }


# What the secretary and the committee wrote about the year (Mẫu 4, 5, 6), so that each form can be issued by
# clicking. Keys of the unit review are the fields of ``UnitReviewReport``; of an owner's report, ``OwnerReport``.
UNIT_REVIEW = {
    "leadership": "Đảng ủy ban hành Kế hoạch thực hiện phong trào thi đua “Dân vận khéo”; giao các chi bộ đăng ký "
    "mô hình từ đầu năm, đưa vào nội dung sinh hoạt chi bộ hằng tháng.",
    "outstanding": "Mô hình “nói đi đôi với làm” trong giải quyết thủ tục hành nghề y của Chi bộ Phòng Nghiệp vụ Y.",
    "limitations": "Một số mô hình còn chung chung, chưa có chỉ tiêu đo được; việc sơ kết ở một vài chi bộ chưa kịp "
    "thời. Nguyên nhân: cấp ủy chưa hướng dẫn cụ thể cách xây dựng chỉ tiêu.",
    "directions": "Tiếp tục duy trì các mô hình hiệu quả, nhân rộng mô hình tiêu biểu; đề nghị {top_committee} tổ chức "
    "tập huấn cách xây dựng và đánh giá mô hình.",
}
# Keyed by the report's kind (Mẫu 5: results of a running model; Mẫu 6: achievements of an exemplar), with the day
# it was written (month, day of the model's year): before the meeting that decides on it.
OWNER_REPORTS = {
    "mau_5": {
        "written_on": (9, 15),
        "summary": "Mô hình do đảng viên chủ động đăng ký, triển khai tại khu dân cư nơi cư trú.",
        "results": "Hướng dẫn 126 người cao tuổi cài đặt ứng dụng; 94 người tự nộp được hồ sơ trực tuyến; "
        "tổ dân phố không còn hồ sơ phải đi lại nhiều lần.",
        "lessons": "Kiên trì, gần gũi; phối hợp với Chi hội Người cao tuổi và Đoàn Thanh niên.",
        "proposal": "Đề nghị Chi bộ Phòng Nghiệp vụ Y xem xét, xác nhận mô hình “Dân vận khéo”.",
    },
    "mau_6": {
        "written_on": (10, 20),
        # No member count here: the form prints the chi bộ's own (Unit.member_count) above this text.
        "summary": "Chi bộ gồm các đảng viên công tác tại Phòng Nghiệp vụ Y, phụ trách thẩm định hồ sơ cấp chứng chỉ "
        "hành nghề khám bệnh, chữa bệnh.",
        "results": "Thời gian cấp chứng chỉ hành nghề giảm từ 30 xuống 15 ngày; 100% hồ sơ được trả đúng hạn; "
        "không có phản ánh, kiến nghị của người dân về thái độ phục vụ.",
        "lessons": "Cấp ủy gương mẫu, công khai quy trình; đảng viên “nói đi đôi với làm”.",
        "proposal": "Đề nghị Đảng ủy Sở Y tế xem xét, xác nhận điển hình “Dân vận khéo” cấp cơ sở.",
    },
}
# The year's results of each model a grassroots organisation reviews (Mẫu 4's table).
REVIEW_RESULTS = "Mô hình được duy trì thường xuyên; kết quả đạt các chỉ tiêu đề ra, người dân đồng tình, ủng hộ."
# The narrative of the Đảng bộ Sở Y tế's 6-month and annual reports.
PERIODIC_REPORT = {
    "leadership": "Đảng ủy chỉ đạo các chi bộ đưa việc xây dựng mô hình vào nghị quyết, sinh hoạt chi bộ hằng tháng.",
    "highlights": "Các mô hình trong lĩnh vực y tế giúp người dân được phục vụ nhanh hơn, hài lòng hơn.",
    "limitations": "Một số chi bộ chưa sơ kết kịp thời; minh chứng kết quả còn chưa đầy đủ.",
    "directions": "Tiếp tục hướng dẫn các chi bộ xây dựng chỉ tiêu đo được, nhân rộng mô hình tiêu biểu.",
}
