"""The unit tree: Đảng bộ Khối → đảng bộ / chi bộ cơ sở → chi bộ, with agencies and mass organisations under the
party unit that leads them. A materialised path (django-treebeard ``MP_Node``) keeps subtree queries to one indexed
``path LIKE 'prefix%'`` even with 100,000 units."""

import copy

from django.core.exceptions import ValidationError
from django.db import models, transaction
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from registry.models.base import TimeStampedModel
from registry.models.stamps import ChoiceStamp
from registry.terms import lazy_text
from registry.text import search_key


class UnitKind(models.TextChoices):
    KHOI = "khoi", lazy_text("{top_body}")
    DANG_BO_CO_SO = "dang_bo_co_so", "Đảng bộ cơ sở"
    CHI_BO_CO_SO = "chi_bo_co_so", "Chi bộ cơ sở"
    CHI_BO = "chi_bo", "Chi bộ trực thuộc"
    BAN = "ban", lazy_text("{advisory_kind}")
    CO_QUAN = "co_quan", "Cơ quan, đơn vị, doanh nghiệp"
    DOAN_THE = "doan_the", "Đoàn thể"


PARTY_KINDS = frozenset({UnitKind.KHOI, UnitKind.DANG_BO_CO_SO, UnitKind.CHI_BO_CO_SO, UnitKind.CHI_BO})
GRASSROOTS_KINDS = frozenset({UnitKind.DANG_BO_CO_SO, UnitKind.CHI_BO_CO_SO})
COLLECTIVE_AGENCY_KINDS = frozenset({UnitKind.CO_QUAN, UnitKind.DOAN_THE})
# The Khối's advisory body (its Ban): it appraises; it never registers a model and has no unit under it.
ADVISORY_KINDS = frozenset({UnitKind.BAN})


def subtree_q(units, lookup: str = "path") -> models.Q | None:
    """``lookup`` (a unit path, e.g. ``"receiving_unit__path"``) within one of ``units`` or below it; None when
    there are no units. Each unit is one indexed ``LIKE 'path%'``."""
    q = None
    for path in sorted({unit.path for unit in units}):
        part = models.Q(**{f"{lookup}__startswith": path})
        q = part if q is None else q | part
    return q


class UnitQuerySet(MP_NodeQuerySet):
    def subtree_of(self, *units: "Unit") -> "UnitQuerySet":
        """The given units and everything below them."""
        q = subtree_q(units)
        return self.filter(q) if q is not None else self.none()

    def scope_of(self, user) -> "UnitQuerySet":
        """Units the user may see: each membership's unit and everything below it. No membership, nothing."""
        from registry.models.people import memberships_of

        return self.subtree_of(*(m.unit for m in memberships_of(user)))

    def party(self) -> "UnitQuerySet":
        return self.filter(kind__in=PARTY_KINDS)


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):
    def get_queryset(self):
        # MP_NodeManager hard-codes its own queryset class; keep its path order with ours.
        return UnitQuerySet(self.model, using=self._db).order_by("path")

    @transaction.atomic
    def move(self, node, target, pos=None):
        """Treebeard's move (every move: the admin's form, its drag and drop, ``unit_tree.move_unit``), then the
        registrations of the moved subtree follow it when it lands under another Đảng bộ Khối."""
        from registry.models.appraisal import RankingRow
        from registry.models.registrations import Registration

        result = super().move(node, target, pos)
        node.refresh_from_db(fields=["path", "depth"])
        node._khoi = None
        khoi = node.khoi()
        Registration.objects.filter(unit__path__startswith=node.path).exclude(khoi=khoi).update(khoi=khoi)
        # Treebeard rewrites paths with raw updates (no post_save): the list filters' unit options change too.
        ChoiceStamp.bump()
        # The ranking's rows carry the Khối too (registry.appraisals.refresh_ranking), for the same reason.
        RankingRow.objects.filter(registration__unit__path__startswith=node.path).exclude(khoi=khoi).update(khoi=khoi)
        return result


class Unit(MP_Node, TimeStampedModel):
    Kind = UnitKind

    code = models.CharField(
        "mã đơn vị",
        max_length=30,
        unique=True,
        help_text="Mã ngắn, không trùng, dùng khi nhập dữ liệu từ Excel, ví dụ SYT-DU.",
        error_messages={"unique": "Mã đơn vị này đã được dùng cho một đơn vị khác."},
    )
    name = models.CharField("tên đơn vị", max_length=255, help_text="Tên đầy đủ như khi in, ví dụ Đảng bộ Sở Y tế.")
    kind = models.CharField("loại đơn vị", max_length=20, choices=UnitKind)
    leading_body = models.CharField(
        "cơ quan lãnh đạo", max_length=120, blank=True, help_text="Tên dùng khi ký, ví dụ Đảng ủy, Chi ủy, Chi bộ."
    )
    has_standing_committee = models.BooleanField(
        "có Ban Thường vụ", default=False, help_text="Nơi không có Ban Thường vụ thì Ban Chấp hành xác nhận."
    )
    place_name = models.CharField(
        "địa danh", max_length=80, blank=True, help_text=lazy_text("In ở dòng ngày tháng: {place}.")
    )
    abbreviation = models.CharField(
        "ký hiệu viết tắt", max_length=20, blank=True, help_text="Dùng trong số văn bản: ĐU, CB, ĐUK."
    )
    header_line = models.CharField(
        "dòng trên tên đơn vị",
        max_length=255,
        blank=True,
        help_text="Tên cấp trên in hoa ở tiêu đề văn bản, ví dụ ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH.",
    )
    print_name = models.CharField(
        "tên in ở tiêu đề",
        max_length=255,
        blank=True,
        help_text=(
            "Để trống thì in theo tên đơn vị. Gõ dấu | ở chỗ muốn xuống dòng, ví dụ ĐẢNG ỦY SỞ GIÁO DỤC|VÀ ĐÀO TẠO."
        ),
    )
    signer_name = models.CharField(
        "người ký mặc định",
        max_length=120,
        blank=True,
        help_text="Họ tên bí thư (hoặc thủ trưởng) ký văn bản của đơn vị; gợi ý sẵn khi ban hành, có thể sửa.",
    )
    member_count = models.PositiveIntegerField("số đảng viên / CBCCVC, NLĐ", null=True, blank=True)
    is_active = models.BooleanField("đang hoạt động", default=True)
    search_text = models.CharField(max_length=255, editable=False, db_index=True, default="")

    node_order_by = ["name"]
    objects = UnitManager()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        indexes = [
            # Subtree queries are ``path LIKE 'prefix%'``; on PostgreSQL only a pattern_ops index serves them
            # (other databases ignore the operator class and use a plain index).
            models.Index(fields=["path"], name="registry_unit_path_like_idx", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=UnitKind.values), name="registry_unit_kind_valid"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=UnitKind.KHOI, depth=1) | (~models.Q(kind=UnitKind.KHOI) & models.Q(depth__gt=1))
                ),
                name="registry_unit_khoi_is_root",
                violation_error_message=lazy_text(
                    "Chỉ {top_body} là gốc của cây đơn vị; các đơn vị khác phải có cấp trên."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.name, self.code)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.kind == UnitKind.KHOI and self.depth and self.depth > 1:
            raise ValidationError({"kind": lazy_text("{top_body} phải là đơn vị gốc, không có cấp trên.")})

    def is_within(self, other: "Unit") -> bool:
        """True when this unit is ``other`` or below it."""
        return self.path.startswith(other.path)

    @property
    def is_party(self) -> bool:
        return self.kind in PARTY_KINDS

    def ancestors_and_self(self) -> list["Unit"]:
        """From the root down to this unit, in one query."""
        return list(Unit.objects.filter(path__in=ancestor_paths(self.path)).order_by("depth"))

    def nearest(self, kinds) -> "Unit | None":
        """This unit or the closest unit above it whose kind is one of ``kinds``."""
        for unit in reversed(self.ancestors_and_self()):
            if unit.kind in kinds:
                return unit
        return None

    def named_on(self, day) -> "Unit":
        """This unit as it was named on ``day``: itself, or an unsaved copy carrying the name and printed name it had
        before the first rename that took effect after that day (``Reorganisation``, renames in date order). Papers
        about an act dated before a rename print the old name; ``None`` means today."""
        if day is None or self.pk is None:
            return self
        if getattr(self, "_renames", None) is None:
            # Read once per instance: a paper asks for the same unit's name in its header, address and body.
            self._renames = list(
                self.reorganisations.filter(kind="rename")
                .order_by("effective_on", "pk")
                .values_list("effective_on", "old_name", "old_print_name")
            )
        later = next((rename for rename in self._renames if rename[0] > day), None)
        if later is None:
            return self
        named = copy.copy(self)
        named.name, named.print_name = later[1], later[2]
        return named

    def name_on(self, day) -> str:
        """The unit's name on ``day`` (``named_on``)."""
        return self.named_on(day).name

    def khoi(self) -> "Unit":
        """The Đảng bộ Khối at the root of this unit's tree (read once per instance)."""
        if getattr(self, "_khoi", None) is None:
            self._khoi = self if self.depth == 1 else Unit.objects.get(path=self.path[: self.steplen])
        return self._khoi


def ancestor_paths(path: str) -> list[str]:
    """The paths from the root down to the node at ``path``, that node included, computed without a query."""
    return [path[:end] for end in range(Unit.steplen, len(path) + 1, Unit.steplen)]
