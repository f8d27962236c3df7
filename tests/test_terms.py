"""The names of the bodies are data (issue #14): one guidance per year, read through ``registry.terms``; no old name
left in code or templates; a paper prints its year's names and an issued one never changes."""

import ast
import datetime
import pathlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registry import documents, meetings, terms
from registry.models import Guidance, Purpose, Status, Year
from registry.papers import catalogue
from tests.factories import RegistrationFactory, YearFactory
from tests.papers import issue_paper
from tests.pdf.utils import pdf_text
from tests.test_meetings import issue_decision, make_meeting, minutes_of

ROOT = pathlib.Path(__file__).resolve().parent.parent
# The names of Hướng dẫn 29-HD/ĐUK that the 2025 reorganisation ended. "Ban Tuyên giáo và Dân vận" is today's name.
OLD_NAMES = re.compile(r"Ban Tuyên giáo(?! và Dân vận)|Đảng ủy Khối|Đảng bộ Khối|29-HD/ĐUK|\bKhối\b")
# terms.py holds the defaults; migrations are history; demo_data.py is the 2024 demo structure's own data.
ALLOWED = {"registry/terms.py", "registry/demo_data.py"}
TEMPLATE_COMMENT = re.compile(r"{% comment %}.*?{% endcomment %}|{#.*?#}", re.S)

RENAMED = {
    "code": "hd-2026",
    "guidance_reference": "05-HD/ĐU",
    "guidance_date": datetime.date(2025, 12, 1),
    "guidance_issuer": "Ban Thường vụ Đảng ủy các cơ quan Đảng tỉnh",
    "top_body": "Đảng bộ các cơ quan Đảng tỉnh",
    "top_short": "Đảng ủy cấp trên",
    "top_committee": "Đảng ủy các cơ quan Đảng tỉnh",
    "standing_committee": "Ban Thường vụ Đảng ủy các cơ quan Đảng tỉnh",
    "appraising_body": "Ban Tuyên giáo và Dân vận",
    "appraising_body_full": "Ban Tuyên giáo và Dân vận Đảng ủy các cơ quan Đảng tỉnh",
}


def _strings_shown(path: pathlib.Path):
    """Every string literal of a module but its docstrings (comments and docstrings may name history)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_no_old_body_name_is_written_in_code_or_templates():
    found = []
    for path in sorted((ROOT / "registry").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if "migrations" in path.parts or name in ALLOWED:
            continue
        found += [f"{name}:{line}: {text[:80]}" for line, text in _strings_shown(path) if OLD_NAMES.search(text)]
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in {".html", ".txt"}:
            text = TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8"))
            found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in OLD_NAMES.finditer(text)]
    assert found == []


@pytest.fixture
def renamed(db):
    return Guidance.objects.create(**RENAMED)


def test_without_a_guidance_of_its_own_a_year_reads_the_2024_names(year):
    names = terms.terms(year)
    assert (names.top_body, names.appraising_body) == ("Đảng bộ Khối", "Ban Tuyên giáo")
    assert names.guidance_citation == (
        "Hướng dẫn số 29-HD/ĐUK, ngày 16/4/2024 của Ban Chấp hành Đảng bộ Khối các cơ quan tỉnh"
    )


def test_each_year_reads_the_names_of_its_own_guidance(year, renamed):
    later = YearFactory(year=2026, guidance=renamed)
    assert terms.terms(year).top_body == "Đảng bộ Khối"
    assert terms.terms(later).top_body == "Đảng bộ các cơ quan Đảng tỉnh"


def test_without_a_year_the_latest_years_guidance_names_the_portal(year, renamed):
    YearFactory(year=2026, guidance=renamed)
    assert terms.terms().appraising_body == "Ban Tuyên giáo và Dân vận"
    assert str(Status.EXEMPLAR_KHOI.label) == "Điển hình cấp Đảng bộ các cơ quan Đảng tỉnh"


def test_a_guidance_saved_in_the_admin_shows_at_once(year):
    assert str(Status.PROPOSED_KHOI.label) == "Đề nghị điển hình cấp Đảng bộ Khối"
    guidance = year.guidance
    guidance.top_body = "Đảng bộ các cơ quan Đảng tỉnh"
    guidance.save()
    assert str(Status.PROPOSED_KHOI.label) == "Đề nghị điển hình cấp Đảng bộ các cơ quan Đảng tỉnh"


def test_a_guidance_with_an_empty_name_is_refused_in_vietnamese(renamed):
    renamed.appraising_body = "  "
    with pytest.raises(ValidationError) as error:
        renamed.full_clean()
    assert error.value.message_dict["appraising_body"] == ["Trường này không được để trắng."]


def test_a_year_tied_to_no_guidance_is_refused_in_vietnamese(db):
    year = Year(year=2027, **Year.defaults_for(2027))
    with pytest.raises(ValidationError) as error:
        year.full_clean()
    assert "chưa gắn với hướng dẫn nào" in error.value.message_dict["guidance"][0]


def test_a_paper_of_a_year_tied_to_no_guidance_is_not_issued(khoi_approver, khoi, chi_bo, year):
    Year.objects.filter(pk=year.pk).update(guidance=None)
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED)
    meeting = make_meeting(khoi_approver, khoi, year, [(reg, 5, 0)], purpose=Purpose.CONFIRM_EXEMPLAR_KHOI)
    meetings.meeting_record(meeting, actor=khoi_approver)
    with pytest.raises(ValidationError) as error:
        issue_paper(minutes_of(meeting), khoi_approver)
    assert "chưa gắn với hướng dẫn nào" in error.value.messages[0]


def _khoi_decision(khoi_approver, khoi, chi_bo, year, number):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED, title=f"Điển hình {number}")
    meeting = make_meeting(khoi_approver, khoi, year, [(reg, 5, 0)], purpose=Purpose.CONFIRM_EXEMPLAR_KHOI)
    meetings.meeting_record(meeting, actor=khoi_approver)
    issue_paper(minutes_of(meeting), khoi_approver)
    return issue_decision(meeting, khoi_approver, number=number)


def test_a_paper_prints_the_names_of_its_years_guidance(khoi_approver, khoi, chi_bo, year, renamed):
    later = YearFactory(year=2026, guidance=renamed)
    old = " ".join(pdf_text(documents.pdf_bytes(_khoi_decision(khoi_approver, khoi, chi_bo, year, "1"))).split())
    # The unit's own name is the tree's data (renamed by a reorganisation), not the guidance's.
    khoi.name, khoi.leading_body, khoi.abbreviation = RENAMED["top_body"], RENAMED["standing_committee"], "ĐU"
    khoi.save()
    new = " ".join(pdf_text(documents.pdf_bytes(_khoi_decision(khoi_approver, khoi, chi_bo, later, "2"))).split())
    assert "Căn cứ Hướng dẫn số 29-HD/ĐUK, ngày 16/4/2024" in old
    assert "Xét đề nghị của Ban Tuyên giáo Đảng ủy Khối," in old
    assert "Căn cứ Hướng dẫn số 05-HD/ĐU, ngày 1/12/2025 của Ban Thường vụ Đảng ủy các cơ quan Đảng tỉnh;" in new
    assert "Xét đề nghị của Ban Tuyên giáo và Dân vận Đảng ủy các cơ quan Đảng tỉnh," in new
    assert "cấp Đảng bộ các cơ quan Đảng tỉnh năm 2026" in new
    assert not terms_test_old_names(new)


def terms_test_old_names(text: str) -> list[str]:
    return [m.group(0) for m in OLD_NAMES.finditer(text)]


def test_a_2024_paper_reprinted_after_the_rename_is_byte_identical(client, khoi_approver, khoi, chi_bo, year):
    document = _khoi_decision(khoi_approver, khoi, chi_bo, year, "3")
    client.force_login(khoi_approver)
    url = reverse("registry:meeting-decision-pdf", args=[document.meeting_id])
    before = client.get(url).content
    Guidance.objects.filter(pk=year.guidance_id).update(**{k: v for k, v in RENAMED.items() if k != "code"})
    terms.clear_cache()
    after = client.get(url).content
    assert after == before == documents.pdf_bytes(document)
    assert "Đảng bộ Khối" in " ".join(pdf_text(after).split())


def test_pages_show_the_current_guidances_names(client, appraiser, year):
    Guidance.objects.filter(pk=year.guidance_id).update(**{k: v for k, v in RENAMED.items() if k != "code"})
    client.force_login(appraiser)
    page = client.get(reverse("registry:proposal-list")).content.decode()
    assert "Đề nghị xác nhận điển hình cấp Đảng bộ các cơ quan Đảng tỉnh" in page
    assert "theo Hướng dẫn số 05-HD/ĐU" in page
    assert terms_test_old_names(page) == []


def test_the_list_filters_name_the_bodies_of_the_guidance_in_force_after_a_rename(client, viewer, year):
    client.force_login(viewer)
    client.get(reverse("registry:registration-list"))  # the options were written once under the old names
    Guidance.objects.filter(pk=year.guidance_id).update(**{k: v for k, v in RENAMED.items() if k != "code"})
    terms.clear_cache()
    page = client.get(reverse("registry:registration-list")).content.decode()
    assert "Điển hình cấp Đảng bộ các cơ quan Đảng tỉnh</option>" in page
    assert "Điển hình cấp Đảng bộ Khối</option>" not in page


def test_the_navigation_menu_names_the_top_body_in_force_after_a_rename(client, viewer, year):
    client.force_login(viewer)
    client.get(reverse("registry:home"))  # the menu was kept rendered under the old names
    Guidance.objects.filter(pk=year.guidance_id).update(**{k: v for k, v in RENAMED.items() if k != "code"})
    terms.clear_cache()
    page = client.get(reverse("registry:home")).content.decode()
    assert f"Đề nghị lên {RENAMED['top_short']}</a>" in page


def test_unknown_placeholder_text_is_left_for_the_builder():
    assert terms.fill("{top_body} năm {year}", {"top_body": "Đảng bộ X"}) == "Đảng bộ X năm {year}"


def test_catalogue_subject_reports_the_missing_guidance_before_its_own_readiness(year):
    Year.objects.filter(pk=year.pk).update(guidance=None)
    assert "chưa gắn với hướng dẫn nào" in str(
        catalogue.Subject(form=catalogue.FORMS["mau_3"], issuer=None, year=year.year, user=None).not_ready()
    )
