"""One text catalogue (issue #14): every sentence of a form declared once with its default and placeholders; form
wording with an undeclared key or placeholder is refused in Vietnamese, in the admin, on save and from a fixture."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from registry.models import Criterion, FormText, Guidance
from registry.papers import wording


def test_every_seeded_row_is_declared_wording(db):
    rows = list(FormText.objects.all())
    assert rows
    assert [(r.form_code, r.key) for r in rows if wording.problems(r.form_code, r.key, r.text)] == []


def test_every_default_uses_only_placeholders_its_form_allows():
    for form, wordings in wording.DECLARED.items():
        for key, declared in wordings.items():
            assert wording.problems(form, key, declared.default) == {}, (form, key)


def test_an_unknown_key_is_refused_on_save_in_vietnamese(db):
    with pytest.raises(ValidationError) as error:
        FormText.objects.create(form_code="mau_5b", key="tieu_de_sai", text="QUYẾT ĐỊNH")
    assert "không có lời văn với khóa “tieu_de_sai”" in str(error.value)
    assert not FormText.objects.filter(key="tieu_de_sai").exists()


def test_a_placeholder_the_builder_does_not_fill_is_refused(db):
    with pytest.raises(ValidationError) as error:
        FormText.objects.create(form_code="mau_5b", key="article_1", text="Xác nhận {so_luong} mô hình năm {year}.")
    assert "Chỗ điền {so_luong} không được mẫu “mau_5b” điền" in str(error.value)


def test_a_guidance_name_placeholder_is_allowed_in_any_sentence(db):
    row = FormText.objects.create(form_code="mau_7b", key="article_3", text="Văn phòng {top_committee} thi hành.")
    assert row.pk


def test_a_fixture_with_an_unknown_key_fails_loudly_and_loads_nothing(db, tmp_path):
    fixture = tmp_path / "sai-khoa.json"
    rows = [
        {"model": "registry.formtext", "fields": {"form_code": "mau_5b", "key": "article_2", "text": "QĐ",
         "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}},
        {"model": "registry.formtext", "fields": {"form_code": "mau_5b", "key": "khoa_la", "text": "…",
         "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}},
    ]  # fmt: skip
    fixture.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        call_command("loaddata", str(fixture), verbosity=0)
    assert "không có lời văn với khóa “khoa_la”" in str(error.value)
    assert not FormText.objects.filter(form_code="mau_5b", key="article_2").exists()


def test_the_admin_offers_declared_keys_only_and_explains_a_bad_placeholder(admin_client, db):
    page = admin_client.get(reverse("admin:registry_formtext_add")).content.decode()
    assert '<select name="key"' in page and 'value="article_1"' in page
    response = admin_client.post(
        reverse("admin:registry_formtext_add"),
        {"form_code": "mau_5b", "key": "article_1", "text": "Xác nhận {sai} mô hình.", "note": ""},
    )
    assert response.status_code == 200
    assert "Chỗ điền {sai} không được mẫu “mau_5b” điền" in response.content.decode()
    assert not FormText.objects.filter(form_code="mau_5b", key="article_1").exists()


def test_a_fixture_with_a_placeholder_its_builder_does_not_fill_fails_loudly(db, tmp_path):
    fixture = tmp_path / "sai-cho-dien.json"
    row = {"form_code": "mau_5b", "key": "article_2", "text": "Duy trì {mo_hinh}.", "guidance": None,
           "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}  # fmt: skip
    fixture.write_text(json.dumps([{"model": "registry.formtext", "fields": row}]), encoding="utf-8")
    with pytest.raises(ValidationError) as error:
        call_command("loaddata", str(fixture), verbosity=0)
    assert "Chỗ điền {mo_hinh} không được mẫu “mau_5b” điền" in str(error.value)


@pytest.mark.parametrize("name", ["huong-dan-29-HD-DUK-2024", "huong-dan-cac-co-quan-dang-tinh-2025"])
def test_the_guidance_catalogues_of_fixtures_load_by_their_natural_keys(db, name):
    before = FormText.objects.count(), Criterion.objects.count()
    call_command("loaddata", name, verbosity=0)
    call_command("loaddata", name, verbosity=0)  # again: the same rows are updated, none added
    # The 2025 catalogue adds its own wording of collective criterion 5 (a row of that guidance), nothing else.
    assert (FormText.objects.count(), Criterion.objects.count()) == (before[0], before[1] + name.endswith("2025"))
    assert Guidance.objects.filter(code__in=["29-hd-duk-2024", "cac-co-quan-dang-tinh-2025"]).count() == (
        1 if name.endswith("2024") else 2
    )
