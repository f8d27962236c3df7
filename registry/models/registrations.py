"""Registrations of "Dân vận khéo" models (Mẫu 1, 1a, 2, 2a), their status and evidence.

Only ``registry.workflow`` writes ``Registration.status``; the field is not editable in any form or the admin.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Cast, StrIndex
from django.db.models.lookups import GreaterThan

from registry.models.base import TimeStampedModel
from registry.models.catalog import Field, SubjectGroup
from registry.models.people import Person
from registry.models.units import Unit
from registry.models.years import Year
from registry.terms import lazy_text
from registry.text import search_key


class Status(models.TextChoices):
    DRAFT = "draft", "Nháp"
    SUBMITTED = "submitted", "Đã gửi, chờ tiếp nhận"
    RETURNED = "returned", "Trả lại để bổ sung"
    ACTIVE = "active", "Đang thực hiện"
    STOPPED = "stopped", "Dừng thực hiện"
    CONFIRMED = "confirmed", "Mô hình đã xác nhận"
    EXEMPLAR_BASE = "exemplar_base", "Điển hình cấp cơ sở"
    PROPOSED_KHOI = "proposed_khoi", lazy_text("Đề nghị điển hình cấp {top_body}")
    APPRAISED = "appraised", "Đã thẩm định"
    EXEMPLAR_KHOI = "exemplar_khoi", lazy_text("Điển hình cấp {top_body}")


class SubjectKind(models.TextChoices):
    PARTY_ORG = "party_org", "Tập thể tổ chức đảng (Mẫu 1)"
    AGENCY = "agency", "Tập thể cơ quan, đơn vị, doanh nghiệp, đoàn thể (Mẫu 1a)"
    MEMBER = "member", "Cá nhân là đảng viên (Mẫu 2)"
    NON_MEMBER = "non_member", "Cá nhân không là đảng viên (Mẫu 2a)"


COLLECTIVE_SUBJECTS = frozenset({SubjectKind.PARTY_ORG, SubjectKind.AGENCY})
FORM_CODES = {
    SubjectKind.PARTY_ORG: "mau_1",
    SubjectKind.AGENCY: "mau_1a",
    SubjectKind.MEMBER: "mau_2",
    SubjectKind.NON_MEMBER: "mau_2a",
}


class Level(models.TextChoices):
    BASE = "co_so", "Cấp cơ sở"
    KHOI = "khoi", lazy_text("Cấp {top_body}")


def _bigint(pk: int) -> Cast:
    # ``khoi_id`` is a bigint; a plain literal is an integer, which the GIN index over (khoi_id, search_text) cannot
    # compare (btree_gin has no cross-type operators), so the search of a Khối would not use it (migration 0013).
    return Cast(models.Value(pk), models.BigIntegerField())


def within_q(units) -> models.Q | None:
    """Registrations owned by one of ``units`` or a unit below it; None when there are no units.

    A Đảng bộ Khối's subtree (100,000 registrations a year at national scale) is matched on the registration's own
    indexed ``khoi`` column; a smaller subtree joins the owner unit and matches its path prefix. Paths are never
    copied onto registrations: the tree renumbers them when a sibling is added in name order.
    """
    q = None
    for unit in {u.pk: u for u in units}.values():
        part = models.Q(khoi=_bigint(unit.pk)) if unit.depth == 1 else models.Q(unit__path__startswith=unit.path)
        q = part if q is None else q | part
    return q


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RegistrationQuerySet":
        """Registrations of units within the user's scope (a membership reaches every unit below it)."""
        from registry.models.people import memberships_of

        return self.within(*(m.unit for m in memberships_of(user)))

    def within(self, *units: Unit) -> "RegistrationQuerySet":
        """Registrations owned by one of ``units`` or a unit below it (see ``within_q``)."""
        q = within_q(units)
        return self.filter(q) if q is not None else self.none()

    def search(self, text: str, *, scan: bool = False) -> "RegistrationQuerySet":
        """Every word must appear, ignoring diacritics and case: "dan van kheo" finds "Dân vận khéo".

        The words are matched with LIKE, which the pg_trgm GIN index answers (migration 0013): fast for a rare
        phrase. For a phrase common in the scope, reading that index is the cost (23 ms for "dan van kheo", 160 ms
        for "nong dan" in a Khối of 200,000 entries, 1M in all: the posting lists of common trigrams span the
        whole table). ``scan`` matches the same words with ``strpos``, which no index answers, so that PostgreSQL
        walks the scope's own index in order and stops at the rows it needs (``filters.is_common_search``).
        """
        words = search_key(text).split()
        if not scan:
            qs = self
            for word in words:
                qs = qs.filter(search_text__contains=word)
            return qs
        if not words:
            return self
        # One CASE over every word, not one condition each: the planner guesses a third of the rows for each
        # ``strpos`` condition, so ten words looked like three rows of the Khối and made it start parallel workers
        # (18 ms) for a walk of 0.2 ms; a CASE is one guess (half the rows), whatever the number of words.
        each = [GreaterThan(StrIndex("search_text", models.Value(word)), 0) for word in words]
        return self.filter(
            models.Case(
                models.When(models.Q(*each), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )


# The most bytes of ``Registration.search_text``: room for the other keys of its index in a B-tree entry (2,704).
SEARCH_TEXT_BYTES = 2000


class Registration(TimeStampedModel):
    Status = Status
    SubjectKind = SubjectKind
    Level = Level

    year = models.ForeignKey(Year, models.PROTECT, related_name="registrations", verbose_name="năm đăng ký")
    subject_kind = models.CharField("đối tượng đăng ký", max_length=12, choices=SubjectKind)
    level = models.CharField("cấp đăng ký", max_length=6, choices=Level, default=Level.BASE)
    subject_unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="own_registrations", verbose_name="tập thể đăng ký"
    )
    subject_person = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="registrations", verbose_name="cá nhân đăng ký"
    )
    unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="registrations",
        verbose_name="đơn vị quản lý",
        help_text="Tập thể đăng ký, hoặc chi bộ / cơ quan của cá nhân: quyết định ai được xem và sửa.",
    )
    receiving_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="received_registrations", verbose_name="đơn vị tiếp nhận"
    )

    title = models.CharField("tên mô hình", max_length=300)
    field = models.ForeignKey(Field, models.PROTECT, related_name="registrations", verbose_name="lĩnh vực")
    address = models.CharField("địa chỉ thực hiện", max_length=300, blank=True)
    subject_headcount = models.PositiveIntegerField("số đảng viên / CBCCVC, NLĐ của tập thể", null=True, blank=True)

    situation = models.TextField("thực trạng, lý do, sự cần thiết", blank=True)
    objectives = models.TextField("mục tiêu", blank=True)
    indicators = models.TextField("chỉ tiêu đánh giá", blank=True)
    content = models.TextField("nội dung, giải pháp, cách thức thực hiện", blank=True)
    beneficiaries = models.TextField("địa bàn, đối tượng tác động hoặc thụ hưởng", blank=True)
    partners = models.TextField("lực lượng thực hiện và phối hợp", blank=True)
    resources = models.TextField("nguồn lực", blank=True)
    start_date = models.DateField("thực hiện từ ngày", null=True, blank=True)
    end_date = models.DateField("đến ngày", null=True, blank=True)
    milestones = models.TextField("mốc đánh giá", blank=True)
    expected_results = models.TextField("kết quả, sản phẩm dự kiến", blank=True)
    sustainability = models.TextField("khả năng duy trì, nhân rộng", blank=True)
    lead_name = models.CharField("người phụ trách", max_length=120, blank=True)
    lead_position = models.CharField("chức vụ người phụ trách", max_length=200, blank=True)
    lead_phone = models.CharField("điện thoại người phụ trách", max_length=20, blank=True)

    status = models.CharField(
        "trạng thái", max_length=20, choices=Status, default=Status.DRAFT, editable=False, db_index=True
    )
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True, editable=False)
    is_public = models.BooleanField("công khai trên trang giới thiệu", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="người tạo"
    )
    search_text = models.TextField(editable=False, default="")
    # The Đảng bộ Khối above ``unit``, kept by save() and Unit.move(): a Khối-wide list or count reads one indexed
    # column instead of joining the Khối's 20,000 units (docs/benchmarks.md).
    khoi = models.ForeignKey(
        Unit, models.PROTECT, related_name="+", editable=False, verbose_name=lazy_text("{top_body}"), db_index=False
    )

    objects = RegistrationQuerySet.as_manager()
    _loaded_unit_id = None  # the unit as read from the database (from_db), so that save() knows if it changed

    class Meta:
        verbose_name = "đăng ký mô hình"
        verbose_name_plural = "đăng ký mô hình"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "year", "status"], name="registry_reg_scope_idx"),
            models.Index(fields=["receiving_unit", "status"], name="registry_reg_receiving_idx"),
            models.Index(fields=["year", "status"], name="registry_reg_year_status_idx"),
            # The default order (newest first): a list of a whole Khối reads its first page off this index instead
            # of sorting 200,000 rows. ``search_text`` also has a pg_trgm GIN index on PostgreSQL (migration 0006).
            models.Index(fields=["-created_at", "-id"], name="registry_reg_newest_idx"),
            # ``search_text`` rides along (PostgreSQL; SQLite has no covering indexes): the count of a common
            # phrase's matches walks this index alone, newest first, without reading the table (``search(scan=True)``).
            models.Index(
                fields=["khoi", "-created_at", "-id"], include=["search_text"], name="registry_reg_khoi_newest_idx"
            ),
            models.Index(fields=["khoi", "year", "status"], name="registry_reg_khoi_year_idx"),
            # The entries waiting for the Khối's appraisers (the navigation badge and work queue of every page of an
            # appraiser: ``inbox.appraisable_q`` & ``to_score_q``), counted from the index alone: 4,000 of a Khối's
            # 200,000 registrations, which the (khoi, year, status) index reached only through every year (60 ms).
            models.Index(
                fields=["khoi"],
                include=["created_by", "id", "status"],
                condition=models.Q(status=Status.PROPOSED_KHOI),
                name="registry_reg_appraising_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="registry_registration_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(subject_kind__in=SubjectKind.values), name="registry_registration_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=Level.values), name="registry_registration_level_valid"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        subject_kind__in=sorted(COLLECTIVE_SUBJECTS),
                        subject_unit__isnull=False,
                        subject_person__isnull=True,
                    )
                    | (
                        ~models.Q(subject_kind__in=sorted(COLLECTIVE_SUBJECTS))
                        & models.Q(subject_unit__isnull=True, subject_person__isnull=False)
                    )
                ),
                name="registry_registration_subject_matches_kind",
                violation_error_message="Mô hình tập thể phải có tập thể đăng ký; mô hình cá nhân phải có cá nhân.",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="registry_registration_dates_ordered",
                violation_error_message="Ngày kết thúc phải sau ngày bắt đầu.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("registry:registration-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.search_text = self.searched_text()
        unit_changed = self.unit_id != self._loaded_unit_id
        if self.unit_id is not None and (self.khoi_id is None or unit_changed):
            # Only when the unit changes: a save that keeps the unit (a transition) must not write back a Khối read
            # before a concurrent Unit.objects.move() committed, from a unit row older than the registration's.
            self.khoi_id = self.unit.khoi().pk
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "updated_at"} | (
                {"khoi"} if "unit" in update_fields else set()
            )
        super().save(*args, **kwargs)
        self._loaded_unit_id = self.unit_id

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_unit_id = instance.__dict__.get("unit_id")
        return instance

    @property
    def form_code(self) -> str:
        return FORM_CODES[self.subject_kind]

    @property
    def is_collective(self) -> bool:
        return self.subject_kind in COLLECTIVE_SUBJECTS

    @property
    def criteria_group(self) -> str:
        return SubjectGroup.COLLECTIVE if self.is_collective else SubjectGroup.INDIVIDUAL

    def searched_text(self) -> str:
        """What ``search`` matches (``search_text``): the title, the subject's name and the address, diacritics-free.
        A renamed subject unit changes it (``registry.reorganisation``). Cut to ``SEARCH_TEXT_BYTES``: PostgreSQL's
        newest-first index holds it (migration 0020), and a B-tree entry over ~2,700 bytes is refused, which a title
        of 300 four-byte characters plus a long address would reach."""
        key = search_key(self.title, self.subject_name, self.address)
        return key.encode()[:SEARCH_TEXT_BYTES].decode(errors="ignore")

    @property
    def subject_name(self) -> str:
        if self.subject_unit_id:
            return self.subject_unit.name
        if self.subject_person_id:
            return self.subject_person.full_name
        return ""

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)

    @property
    def deadline(self):
        return self.year.registration_deadline(self.level)

    @property
    def is_late(self) -> bool:
        """Submitted (or still unsent) after the year's registration deadline for its level."""
        from django.utils import timezone

        when = timezone.localdate(self.submitted_at) if self.submitted_at else timezone.localdate()
        return when > self.deadline


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is ours, not the uploader's: no path tricks, no clashes, no private names in URLs.
    import uuid

    from registry.text import vi_slug

    stem, _, ext = filename.rpartition(".")
    return f"evidence/{instance.registration_id}/{uuid.uuid4().hex[:12]}-{vi_slug(stem, 40)}.{ext.lower()[:5]}"


class Attachment(TimeStampedModel):
    """Evidence attached to a registration: PDF, Word, Excel, JPEG or PNG, checked by content, at most 10 MB."""

    registration = models.ForeignKey(Registration, models.CASCADE, related_name="attachments", verbose_name="đăng ký")
    file = models.FileField("tệp", upload_to=attachment_path, max_length=255)
    original_name = models.CharField("tên tệp gốc", max_length=255)
    content_type = models.CharField("loại tệp", max_length=100)
    size = models.PositiveIntegerField("dung lượng (byte)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="người tải lên"
    )

    class Meta:
        verbose_name = "tệp minh chứng"
        verbose_name_plural = "tệp minh chứng"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size__lte=10 * 1024 * 1024),
                name="registry_attachment_max_10mb",
                violation_error_message="Tệp không được lớn hơn 10 MB.",
            )
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type in ("image/jpeg", "image/png")
