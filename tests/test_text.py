"""registry/text.py: NFC normalisation, diacritics-free search keys, ASCII slugs and printed dates."""

import datetime
import unicodedata

from registry.text import counted, document_date, format_date, normalize_vi, search_key, vi_slug


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


def test_normalize_vi_turns_decomposed_input_into_nfc():
    typed = nfd("Dân vận khéo")
    assert typed != "Dân vận khéo"  # the test is only meaningful if the input really is decomposed

    result = normalize_vi(typed)

    assert result == "Dân vận khéo"
    assert unicodedata.is_normalized("NFC", result)


def test_normalize_vi_removes_control_characters_but_keeps_tabs_and_newlines():
    assert normalize_vi("Chi\x00 bộ\x07\x1b\x7f\tsố 1\r\nxã") == "Chi bộ\tsố 1\r\nxã"


def test_normalize_vi_turns_none_into_empty_string():
    assert normalize_vi(None) == ""


def test_search_key_drops_diacritics_and_case():
    assert search_key("Dân vận KHÉO") == "dan van kheo"


def test_search_key_turns_d_with_stroke_into_d():
    assert search_key("Đảng") == "dang"
    assert search_key("đoàn thể") == "doan the"


def test_search_key_of_decomposed_input_equals_key_of_composed_input():
    assert search_key(nfd("Đảng bộ Sở Y tế")) == search_key("Đảng bộ Sở Y tế") == "dang bo so y te"


def test_search_key_joins_parts_skips_empty_ones_and_collapses_spaces():
    assert search_key("  Dân   vận ", None, "", "khéo\n") == "dan van kheo"


def test_vi_slug_keeps_d_with_stroke_as_d():
    assert vi_slug("Đảng bộ Sở Y tế") == "dang-bo-so-y-te"


def test_vi_slug_of_empty_or_symbol_only_text_falls_back():
    assert vi_slug("") == "tai-lieu"
    assert vi_slug("“!!!”") == "tai-lieu"


def test_vi_slug_is_cut_to_max_length_without_trailing_dash():
    assert vi_slug("Dân vận khéo trong cải cách hành chính", 10) == "dan-van-kh"
    assert vi_slug("Dân vận khéo", 4) == "dan"


def test_document_date_pads_day_for_party_documents_but_not_month():
    assert document_date(datetime.date(2024, 4, 3)) == "ngày 03 tháng 4 năm 2024"
    assert document_date(datetime.date(2024, 2, 5)) == "ngày 05 tháng 2 năm 2024"


def test_document_date_pads_months_one_and_two_for_state_documents():
    assert document_date(datetime.date(2024, 2, 5), state_style=True) == "ngày 05 tháng 02 năm 2024"
    assert document_date(datetime.date(2024, 1, 16), state_style=True) == "ngày 16 tháng 01 năm 2024"
    assert document_date(datetime.date(2024, 4, 3), state_style=True) == "ngày 03 tháng 4 năm 2024"


def test_document_date_leaves_two_digit_days_and_months_as_they_are():
    assert document_date(datetime.date(2024, 12, 16)) == "ngày 16 tháng 12 năm 2024"


def test_format_date_prints_day_month_year_with_slashes():
    assert format_date(datetime.date(2025, 3, 5)) == "05/03/2025"


def test_format_date_of_no_date_is_empty():
    assert format_date(None) == ""


def test_counted_writes_none_in_words_and_other_counts_in_digits():
    assert counted(0, "mô hình") == "không có mô hình"
    assert counted(0) == "không có"
    assert counted(3, "cá nhân") == "3 cá nhân"
