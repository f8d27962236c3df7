"""Saving normalises typed text to NFC and fills the diacritics-free search columns that the lists search."""

import unicodedata

import pytest

from registry.models import Person, Registration, SubjectKind, Unit, UnitKind
from tests.factories import PersonFactory, RegistrationFactory, UnitFactory


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


@pytest.fixture
def dan_van_kheo(chi_bo, year):
    """A Mẫu 1 registration of Chi bộ Phòng Nghiệp vụ Y."""
    return RegistrationFactory(
        subject_kind=SubjectKind.PARTY_ORG,
        subject_unit=chi_bo,
        year=year,
        title="Dân vận khéo trong tiếp đón người bệnh",
        address="Bệnh viện Đa khoa Trung ương Thái Nguyên",
    )


@pytest.fixture
def unrelated(other_chi_bo, year):
    return RegistrationFactory(
        subject_kind=SubjectKind.PARTY_ORG,
        subject_unit=other_chi_bo,
        year=year,
        title="Minh bạch ngân sách xã",
        address="Sở Tài chính",
    )


def found(text: str) -> set[str]:
    return set(Registration.objects.search(text).values_list("title", flat=True))


def test_registration_title_typed_in_nfd_is_stored_in_nfc(chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, title=nfd("Dân vận khéo ở khu dân cư"))
    reg.refresh_from_db()
    assert reg.title == "Dân vận khéo ở khu dân cư"
    assert unicodedata.is_normalized("NFC", reg.title)


def test_registration_text_fields_lose_control_characters_and_outer_spaces(chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, content="  Hướng dẫn\x00 tận tình\x0b. \n")
    reg.refresh_from_db()
    assert reg.content == "Hướng dẫn tận tình."


def test_person_name_typed_in_nfd_is_stored_in_nfc(agency):
    person = PersonFactory(full_name=nfd("Nguyễn Thị Hoa"), work_unit=agency, is_party_member=False, party_cell=None)
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Thị Hoa"


def test_unit_search_text_is_name_and_code_without_diacritics(dang_bo):
    assert Unit.objects.get(pk=dang_bo.pk).search_text == "dang bo so y te syt-db"


def test_unit_search_text_follows_a_renamed_unit(khoi):
    unit = UnitFactory(parent=khoi, code="SNV-DB", name="Đảng bộ Sở Nội vụ", kind=UnitKind.DANG_BO_CO_SO)
    unit.name = "Đảng bộ Sở Nội vụ và Lao động"
    unit.save()
    assert Unit.objects.get(pk=unit.pk).search_text == "dang bo so noi vu va lao dong snv-db"


def test_person_search_text_is_the_name_without_diacritics(member):
    assert Person.objects.get(pk=member.pk).search_text == "nguyen thi hoa"


def test_registration_search_text_holds_title_subject_and_address(dan_van_kheo):
    assert Registration.objects.get(pk=dan_van_kheo.pk).search_text == (
        "dan van kheo trong tiep don nguoi benh chi bo phong nghiep vu y benh vien da khoa trung uong thai nguyen"
    )


def test_search_without_diacritics_finds_the_title(dan_van_kheo, unrelated):
    assert found("dan van kheo") == {dan_van_kheo.title}


def test_search_ignores_case(dan_van_kheo, unrelated):
    assert found("DAN VAN") == {dan_van_kheo.title}


def test_search_with_diacritics_finds_the_title(dan_van_kheo, unrelated):
    assert found("khéo") == {dan_van_kheo.title}


def test_search_finds_words_of_the_subject_name(dan_van_kheo, unrelated):
    assert found("nghiệp vụ") == {dan_van_kheo.title}


def test_search_needs_every_word_across_title_and_subject(dan_van_kheo, unrelated):
    assert found("kheo nghiep vu") == {dan_van_kheo.title}
    assert found("kheo ngan sach") == set()


def test_search_finds_a_title_typed_in_nfd(chi_bo, year, unrelated):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, title=nfd("Dân vận khéo với đồng bào dân tộc"))
    assert found("dan van kheo") == {reg.title}
    assert found("đồng bào") == {reg.title}


def test_search_with_a_query_typed_in_nfd_finds_the_title(dan_van_kheo, unrelated):
    assert found(nfd("Dân vận khéo")) == {dan_van_kheo.title}


def test_search_for_empty_text_keeps_everything(dan_van_kheo, unrelated):
    assert found("  ") == {dan_van_kheo.title, unrelated.title}


def test_search_by_scan_finds_what_the_indexed_search_finds(dan_van_kheo, unrelated):
    # ``scan`` matches the words with strpos / instr instead of LIKE (a common phrase on PostgreSQL): same rows.
    for text in ("dan van kheo", "Khéo nghiệp vụ", "ngan sach", "kheo ngan sach", "100%_"):
        assert set(Registration.objects.search(text, scan=True)) == set(Registration.objects.search(text))


def test_search_by_scan_takes_percent_and_underscore_literally(chi_bo, year, unrelated):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, title="Giảm 50% thủ tục_giấy")
    assert set(Registration.objects.search("50%", scan=True)) == {reg}
    assert set(Registration.objects.search("c_g", scan=True)) == {reg}
    assert set(Registration.objects.search("5%t", scan=True)) == set()


def test_a_title_and_address_of_four_byte_characters_save_with_a_search_text_the_index_can_hold(chi_bo, year):
    wide = "".join(chr(0x20000 + i * 7) for i in range(300))  # CJK extension B: four bytes each, barely compressible
    Unit.objects.filter(pk=chi_bo.pk).update(name=wide[:200])
    chi_bo.refresh_from_db()
    # 3,200 bytes in all: over the B-tree's 2,704 unless cut.
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, title=wide, address=wide[::-1])
    stored = Registration.objects.values_list("search_text", flat=True).get(pk=reg.pk)
    assert stored and len(stored.encode()) <= 2000
    assert stored.startswith(wide[:100])
