"""registry/choices.py: the list filters' options and catalogue values kept in memory show every change at once."""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from registry import choices
from registry.models import ChoiceStamp, Field, FormText, Unit, UnitKind
from registry.years import current_year
from tests.factories import MembershipFactory, RegistrationFactory, UnitFactory, YearFactory

LIST = reverse("registry:registration-list")


def _options(html: str, name: str) -> dict[str, str]:
    """value → label of the select ``name`` in the page."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select))


def _list(client, name: str) -> dict[str, str]:
    response = client.get(LIST)
    assert response.status_code == 200
    return _options(response.content.decode(), name)


def test_a_new_unit_shows_in_the_filter_at_once(client, approver, dang_bo):
    client.force_login(approver)
    assert "— Chi bộ Phòng Kế hoạch" not in _list(client, "don_vi").values()
    UnitFactory(parent=Unit.objects.get(pk=dang_bo.pk), name="Chi bộ Phòng Kế hoạch", kind=UnitKind.CHI_BO)
    assert "— Chi bộ Phòng Kế hoạch" in _list(client, "don_vi").values()


def test_a_renamed_unit_shows_its_new_name_at_once(client, approver, chi_bo):
    client.force_login(approver)
    _list(client, "don_vi")
    unit = Unit.objects.get(pk=chi_bo.pk)
    unit.name = "Chi bộ Phòng Nghiệp vụ Dược"
    unit.save()
    assert _list(client, "don_vi")[str(chi_bo.pk)] == "— Chi bộ Phòng Nghiệp vụ Dược"


def test_a_deleted_unit_leaves_the_filter_at_once(client, approver, doan_the):
    client.force_login(approver)
    assert str(doan_the.pk) in _list(client, "don_vi")
    Unit.objects.get(pk=doan_the.pk).delete()
    assert str(doan_the.pk) not in _list(client, "don_vi")


def test_a_unit_moved_out_of_the_scope_leaves_the_filter_at_once(client, approver, doan_the, other_dang_bo):
    client.force_login(approver)
    assert str(doan_the.pk) in _list(client, "don_vi")
    Unit.objects.move(Unit.objects.get(pk=doan_the.pk), Unit.objects.get(pk=other_dang_bo.pk), "sorted-child")
    assert str(doan_the.pk) not in _list(client, "don_vi")


def test_a_new_field_and_a_new_year_show_at_once(client, approver, year):
    client.force_login(approver)
    assert "2031" not in _list(client, "nam")
    Field.objects.create(code="chuyen-doi-so", name="Chuyển đổi số", order=9)
    YearFactory(year=2031)
    assert _list(client, "linh_vuc")["chuyen-doi-so"] == "Chuyển đổi số"
    assert "2031" in _list(client, "nam")


def test_a_new_membership_widens_the_filter_at_once(client, secretary, chi_bo, other_chi_bo):
    client.force_login(secretary)
    assert set(_list(client, "don_vi")) == {"", str(chi_bo.pk)}
    MembershipFactory(user=secretary, unit=other_chi_bo)
    assert set(_list(client, "don_vi")) == {"", str(chi_bo.pk), str(other_chi_bo.pk)}


def test_a_removed_membership_narrows_the_filter_at_once(client, secretary, chi_bo, other_chi_bo):
    extra = MembershipFactory(user=secretary, unit=other_chi_bo)
    client.force_login(secretary)
    assert str(other_chi_bo.pk) in _list(client, "don_vi")
    extra.delete()
    assert set(_list(client, "don_vi")) == {"", str(chi_bo.pk)}


def test_a_rolled_back_change_leaves_the_stamp_as_it_was(dang_bo):
    before = ChoiceStamp.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        UnitFactory(parent=Unit.objects.get(pk=dang_bo.pk), name="Chi bộ tạm", kind=UnitKind.CHI_BO)
        assert ChoiceStamp.current() != before
        raise RuntimeError
    assert ChoiceStamp.current() == before


def test_an_edited_commitment_shows_on_the_registration_page_at_once(client, secretary, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    client.force_login(secretary)
    text = FormText.objects.get(form_code="*", key="commitment")  # Mẫu 1 uses the shared wording
    assert text.text in client.get(reg.get_absolute_url()).content.decode()
    text.text = "Chúng tôi cam kết thực hiện đúng nội dung đã đăng ký (đã sửa)."
    text.save()
    assert "(đã sửa)" in client.get(reg.get_absolute_url()).content.decode()


def test_an_opened_year_changes_the_kept_open_year_at_once(client, secretary, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    client.force_login(secretary)
    client.get(reg.get_absolute_url())
    newer = YearFactory(year=year.year + 1, is_open=True)
    assert choices.kept(("current_year", current_year))[0] == newer


def test_a_renamed_khoi_is_kept_under_its_new_name_at_once(khoi):
    # The registration page takes the entry's Khối from memory (``khoi_roots``) instead of joining it.
    assert choices.khoi_roots()[khoi.pk].name == khoi.name
    khoi.name = "Đảng bộ Khối (đã đổi tên)"
    khoi.save()
    assert choices.khoi_roots()[khoi.pk].name == "Đảng bộ Khối (đã đổi tên)"
