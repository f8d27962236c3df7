"""registry.showcase: only public exemplars, searched and filtered; public fields only; publishing by persona."""

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from registry import showcase
from registry.models import Attachment, Field, Registration, Status, SubjectKind, YearlyReview
from tests.factories import RegistrationFactory, YearFactory

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
PUBLISHABLE = [Status.EXEMPLAR_BASE, Status.PROPOSED_KHOI, Status.APPRAISED, Status.EXEMPLAR_KHOI]
NOT_PUBLISHABLE = [s for s in Status.values if s not in PUBLISHABLE]


def exemplar(unit, year, **kwargs):
    kwargs.setdefault("status", Status.EXEMPLAR_BASE)
    kwargs.setdefault("is_public", True)
    return RegistrationFactory(subject_unit=unit, year=year, **kwargs)


def attach(reg, name: str, content: bytes, content_type: str) -> Attachment:
    return Attachment.objects.create(
        registration=reg,
        file=SimpleUploadedFile(name, content),
        original_name=name,
        content_type=content_type,
        size=len(content),
    )


def titles(qs) -> set[str]:
    return set(qs.values_list("title", flat=True))


# --- What is public ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", PUBLISHABLE)
def test_public_exemplar_is_shown(chi_bo, year, status):
    reg = exemplar(chi_bo, year, status=status)
    assert list(showcase.public_registrations()) == [reg]


@pytest.mark.parametrize("status", NOT_PUBLISHABLE)
def test_entry_marked_public_but_not_an_exemplar_is_not_shown(chi_bo, year, status):
    exemplar(chi_bo, year, status=status)
    assert not showcase.public_registrations().exists()


def test_exemplar_not_marked_public_is_not_shown(chi_bo, year):
    exemplar(chi_bo, year, is_public=False)
    assert not showcase.public_registrations().exists()


# --- Search and filters ------------------------------------------------------------------------------------------


def test_search_ignores_diacritics_and_case(chi_bo, agency, year):
    exemplar(chi_bo, year, title="Dân vận khéo: nghe dân nói, nói dân hiểu")
    exemplar(agency, year, title="Một cửa thân thiện")
    assert titles(showcase.showcase_search({"q": "NGHE DAN NOI"})) == {"Dân vận khéo: nghe dân nói, nói dân hiểu"}


def test_search_never_finds_a_private_entry(chi_bo, agency, year):
    exemplar(chi_bo, year, title="Dân vận khéo công khai")
    exemplar(agency, year, title="Dân vận khéo chưa công khai", is_public=False)
    assert titles(showcase.showcase_search({"q": "dan van kheo"})) == {"Dân vận khéo công khai"}


def test_filters_by_field_year_and_unit(chi_bo, agency, year):
    first, second = Field.objects.order_by("order")[:2]
    other_year = YearFactory(year=2024)
    exemplar(chi_bo, year, title="A chi bộ 2025 lĩnh vực 1", field=first)
    exemplar(chi_bo, other_year, title="B chi bộ 2024 lĩnh vực 2", field=second)
    exemplar(agency, year, title="C cơ quan 2025 lĩnh vực 2", field=second)
    assert titles(showcase.showcase_search({"linh_vuc": second})) == {
        "B chi bộ 2024 lĩnh vực 2",
        "C cơ quan 2025 lĩnh vực 2",
    }
    assert titles(showcase.showcase_search({"nam": 2024})) == {"B chi bộ 2024 lĩnh vực 2"}
    assert titles(showcase.showcase_search({"don_vi": agency})) == {"C cơ quan 2025 lĩnh vực 2"}
    assert titles(showcase.showcase_search({"don_vi": chi_bo, "nam": 2025})) == {"A chi bộ 2025 lĩnh vực 1"}


def test_filter_choices_offer_only_values_of_public_entries(chi_bo, agency, other_chi_bo, year):
    first, second = Field.objects.order_by("order")[:2]
    exemplar(chi_bo, year, field=first)
    exemplar(agency, YearFactory(year=2023), field=first, is_public=False)
    exemplar(other_chi_bo, YearFactory(year=2022), field=second, status=Status.ACTIVE)
    choices = showcase.filter_choices()
    assert list(choices["fields"]) == [first]
    assert choices["years"] == [2025]
    assert list(choices["units"]) == [chi_bo]


def test_cards_carry_the_first_image_and_skip_documents(chi_bo, agency, year, django_assert_max_num_queries):
    reg = exemplar(chi_bo, year)
    attach(reg, "bien-ban.pdf", PDF, "application/pdf")
    first = attach(reg, "anh-1.png", PNG, "image/png")
    attach(reg, "anh-2.png", PNG, "image/png")
    exemplar(agency, year)
    with django_assert_max_num_queries(3):
        cards = showcase.showcase_cards(showcase.showcase_search({}))
    by_pk = {card.pk: card for card in cards}
    assert by_pk[reg.pk].photo_pk == first.pk
    assert len(cards) == 2
    assert {c.photo_pk for c in cards if c.pk != reg.pk} == {None}


# --- One entry ---------------------------------------------------------------------------------------------------


def test_entry_of_an_individual_has_name_and_position_only(member, year):
    reg = exemplar(None, year, subject_kind=SubjectKind.MEMBER, subject_person=member)
    entry = showcase.showcase_entry(reg.pk)
    assert (entry.subject_name, entry.subject_position) == ("Nguyễn Thị Hoa", "Chuyên viên")
    assert entry.is_collective is False
    names = {f.name for f in dataclasses.fields(entry)}
    assert not names & {"lead_phone", "lead_name", "birth_date", "phone", "party_join_date", "status_changes"}


def test_entry_shows_the_latest_review_results(chi_bo, year):
    reg = exemplar(chi_bo, year)
    YearlyReview.objects.create(registration=reg, year=YearFactory(year=2024), results="Kết quả năm 2024.")
    YearlyReview.objects.create(registration=reg, year=year, results="Kết quả năm 2025.")
    entry = showcase.showcase_entry(reg.pk)
    assert (entry.latest_results, entry.latest_results_year) == ("Kết quả năm 2025.", 2025)
    assert entry.expected_results == "Không có hồ sơ trễ hạn."


def test_entry_photos_are_images_only(chi_bo, year):
    reg = exemplar(chi_bo, year)
    attach(reg, "bien-ban.pdf", PDF, "application/pdf")
    photo = attach(reg, "anh.png", PNG, "image/png")
    assert showcase.showcase_entry(reg.pk).photo_pks == [photo.pk]


@pytest.mark.parametrize("changes", [{"is_public": False}, {"status": Status.ACTIVE}])
def test_entry_that_is_not_public_is_none(chi_bo, year, changes):
    reg = exemplar(chi_bo, year)
    Registration.objects.filter(pk=reg.pk).update(**changes)
    assert showcase.showcase_entry(reg.pk) is None


def test_photo_is_served_only_for_an_image_of_that_public_entry(chi_bo, agency, year):
    reg = exemplar(chi_bo, year)
    other = exemplar(agency, year)
    hidden = exemplar(agency, year, is_public=False)
    photo = attach(reg, "anh.png", PNG, "image/png")
    document = attach(reg, "bien-ban.pdf", PDF, "application/pdf")
    hidden_photo = attach(hidden, "anh.png", PNG, "image/png")
    assert showcase.showcase_photo(reg.pk, photo.pk) == photo
    assert showcase.showcase_photo(reg.pk, document.pk) is None
    assert showcase.showcase_photo(other.pk, photo.pk) is None  # a photo under another entry's URL
    assert showcase.showcase_photo(hidden.pk, hidden_photo.pk) is None


# --- Publishing --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["secretary", "chi_bo_approver", "approver"])
def test_editors_and_approvers_of_the_unit_publish_an_exemplar(request, chi_bo, year, persona):
    reg = exemplar(chi_bo, year, is_public=False)
    showcase.registration_publish(registration=reg, user=request.getfixturevalue(persona), public=True)
    assert Registration.objects.get(pk=reg.pk).is_public is True


def test_publishing_can_be_withdrawn(chi_bo, year, secretary):
    reg = exemplar(chi_bo, year)
    showcase.registration_publish(registration=reg, user=secretary, public=False)
    assert Registration.objects.get(pk=reg.pk).is_public is False


@pytest.mark.parametrize("persona", ["viewer", "appraiser", "outsider"])
def test_others_may_not_publish(request, chi_bo, year, persona):
    reg = exemplar(chi_bo, year, is_public=False)
    with pytest.raises(PermissionDenied):
        showcase.registration_publish(registration=reg, user=request.getfixturevalue(persona), public=True)
    assert Registration.objects.get(pk=reg.pk).is_public is False


def test_an_entry_that_is_not_an_exemplar_cannot_be_published(chi_bo, year, secretary):
    reg = exemplar(chi_bo, year, is_public=False, status=Status.CONFIRMED)
    with pytest.raises(ValidationError) as error:
        showcase.registration_publish(registration=reg, user=secretary, public=True)
    assert error.value.messages == [
        "Chỉ điển hình “Dân vận khéo” đã được xác nhận mới được công khai trên trang giới thiệu."
    ]
    assert Registration.objects.get(pk=reg.pk).is_public is False
