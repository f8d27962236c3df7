"""factory_boy factories: every test builds its own data (fixtures/ is for the demo only)."""

import datetime

import factory
from django.contrib.auth import get_user_model

from registry.models import (
    Field,
    Guidance,
    Level,
    Membership,
    Person,
    Registration,
    Role,
    SubjectKind,
    Unit,
    UnitKind,
    Year,
)
from registry.receiving import owner_unit, receiving_unit


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit; pass ``parent=`` to hang it under another unit, otherwise it is a new Đảng bộ Khối root."""

    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"Đơn vị số {n}")
    kind = UnitKind.KHOI
    leading_body = "Đảng ủy"
    place_name = "Thái Nguyên"
    abbreviation = "ĐU"

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        instance = model_class(**kwargs)
        if parent is None:
            return Unit.objects.add_root(instance=instance)
        return Unit.objects.add_child(parent, instance=instance)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Văn A"
    last_name = "Nguyễn"
    password = factory.PostGenerationMethodCall("set_password", "MatKhau@2024")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.EDITOR


class YearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Year
        django_get_or_create = ("year",)

    year = 2025
    # The guidance migration 0012 makes (Hướng dẫn 29-HD/ĐUK): a year always runs under one.
    guidance = factory.LazyFunction(lambda: Guidance.objects.get_or_create(code="29-hd-duk-2024")[0])
    registration_deadline_base = factory.LazyAttribute(lambda o: datetime.date(o.year, 2, 28))
    registration_deadline_khoi = factory.LazyAttribute(lambda o: datetime.date(o.year, 3, 20))
    review_deadline_base = factory.LazyAttribute(lambda o: datetime.date(o.year, 10, 31))
    review_deadline_khoi = factory.LazyAttribute(lambda o: datetime.date(o.year, 11, 30))
    report_half_year_deadline = factory.LazyAttribute(lambda o: datetime.date(o.year, 6, 10))
    report_annual_deadline = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 10))


class PersonFactory(factory.django.DjangoModelFactory):
    """A party member of ``party_cell`` working in ``work_unit``; pass ``is_party_member=False, party_cell=None``
    for a non-member."""

    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Thị Hoa {n}")
    birth_date = datetime.date(1985, 5, 17)
    gender = "nu"
    position = "Chuyên viên"
    work_unit = factory.SubFactory(UnitFactory)
    is_party_member = True
    party_cell = factory.LazyAttribute(lambda o: o.work_unit)
    party_join_date = factory.LazyAttribute(lambda o: datetime.date(2010, 3, 3) if o.is_party_member else None)
    phone = "0912345678"


def default_field():
    return Field.objects.order_by("order").first()


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A complete registration (every section filled), in draft unless ``status=`` says otherwise.

    The owning and receiving units are derived by ``registry.receiving`` from the subject, as the portal does.
    """

    class Meta:
        model = Registration

    year = factory.SubFactory(YearFactory)
    subject_kind = SubjectKind.PARTY_ORG
    level = Level.BASE
    subject_unit = None
    subject_person = None
    title = factory.Sequence(lambda n: f"Dân vận khéo trong cải cách hành chính số {n}")
    field = factory.LazyFunction(default_field)
    address = "Phường Phan Đình Phùng, thành phố Thái Nguyên"
    subject_headcount = 25
    situation = "Người dân còn phải đi lại nhiều lần khi làm thủ tục."
    objectives = "Giảm thời gian giải quyết thủ tục."
    indicators = "100% hồ sơ đúng hạn."
    content = "Niêm yết công khai, hướng dẫn tận tình, tiếp nhận trực tuyến."
    beneficiaries = "Người dân và doanh nghiệp trên địa bàn."
    partners = "Công đoàn, Đoàn Thanh niên cơ quan."
    resources = "Kinh phí hoạt động thường xuyên."
    start_date = factory.LazyAttribute(lambda o: datetime.date(o.year.year, 3, 1))
    end_date = factory.LazyAttribute(lambda o: datetime.date(o.year.year, 12, 31))
    milestones = "Sơ kết 6 tháng, tổng kết cuối năm."
    expected_results = "Không có hồ sơ trễ hạn."
    sustainability = "Nhân rộng ra các phòng."
    lead_name = "Trần Văn Bình"
    lead_position = "Bí thư chi bộ"
    lead_phone = "0987654321"

    @classmethod
    def _create(cls, model_class, *args, status=None, **kwargs):
        kind = kwargs["subject_kind"]
        owner = owner_unit(kind, unit=kwargs.get("subject_unit"), person=kwargs.get("subject_person"))
        kwargs.setdefault("unit", owner)
        kwargs.setdefault("receiving_unit", receiving_unit(kind, kwargs["level"], owner))
        reg = model_class(**kwargs)
        if status is not None:
            reg.status = status  # test set-up only: real changes go through registry.workflow
        reg.save()
        return reg
