"""``manage.py seed_demo --structure=2025``: the demo after the 2025 reorganisation (issue #14): a Đảng bộ các cơ
quan Đảng tỉnh with its Ban Tuyên giáo và Dân vận, named by the guidance of fixtures/, the README's accounts working,
and no old body name on its pages or papers."""

import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from registry import terms
from registry.models import Document, Meeting, Role, Unit, UnitKind, Year
from registry.papers import catalogue
from tests.pdf.utils import pdf_text
from tests.test_terms import OLD_NAMES

PASSWORD = "DanVan@2024"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TOP = "Đảng bộ các cơ quan Đảng tỉnh"


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed once per module inside a transaction rolled back at its end (as tests/test_seed_demo.py does); the
    papers it issues are stored in ``MEDIA`` (a module folder) for the tests that read them."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = io.StringIO()
            call_command("seed_demo", force=True, structure="2025", stdout=out)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield out.getvalue(), media
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
        terms.clear_cache()


@pytest.fixture
def seeded(_seeded_once, db, settings):
    terms.clear_cache()
    summary, settings.MEDIA_ROOT = _seeded_once
    return summary


def old_names(text: str) -> list[str]:
    return [m.group(0) for m in OLD_NAMES.finditer(text)]


def test_the_2025_demo_runs_under_the_guidance_of_its_fixture(seeded):
    assert {y.guidance.code for y in Year.objects.select_related("guidance")} == {"cac-co-quan-dang-tinh-2025"}
    assert f"({TOP}, theo Hướng dẫn số 05-HD/ĐU)" in seeded


def test_the_2025_demo_builds_the_new_top_body_and_its_advisory_department(seeded):
    top = Unit.objects.get(kind=UnitKind.KHOI)
    ban = Unit.objects.get(kind=UnitKind.BAN)
    assert (top.name, top.leading_body) == (TOP, "Ban Thường vụ Đảng ủy các cơ quan Đảng tỉnh")
    assert ban.name == "Ban Tuyên giáo và Dân vận Đảng ủy các cơ quan Đảng tỉnh"
    assert Unit.objects.filter(kind=UnitKind.DANG_BO_CO_SO).exists() and Unit.objects.filter(kind=UnitKind.CHI_BO)


def test_no_unit_meeting_or_summary_of_the_2025_demo_has_an_old_name(seeded):
    names = list(Unit.objects.values_list("name", flat=True)) + list(
        Unit.objects.values_list("leading_body", flat=True)
    )
    names += list(Meeting.objects.values_list("body", flat=True))
    names += list(Meeting.objects.values_list("conclusion", flat=True))
    assert old_names(" | ".join(names) + seeded) == []


@pytest.mark.parametrize(
    ("username", "role"),
    [("bithu.chibo", Role.EDITOR), ("bantuyengiao", Role.APPRAISER), ("danguy.khoi", Role.APPROVER)],
)
def test_the_readmes_accounts_log_in_to_the_2025_demo(seeded, client, username, role):
    assert client.login(username=username, password=PASSWORD)
    user = get_user_model().objects.get(username=username)
    assert [m.role for m in user.memberships.all()] == [role]


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("bantuyengiao", "registry:proposal-list"),
        ("bantuyengiao", "registry:appraisal-list"),
        ("danguy.khoi", "registry:dashboard"),
        ("bithu.chibo", "registry:home"),
    ],
)
def test_pages_of_the_2025_demo_show_only_the_new_names(seeded, client, username, url):
    client.login(username=username, password=PASSWORD)
    response = client.get(reverse(url))
    assert response.status_code == 200
    assert old_names(response.content.decode()) == []


def test_papers_issued_in_the_2025_demo_hold_only_the_new_names(seeded):
    # The frozen content each PDF was printed from (the stored bytes live in the seeding module's media folder;
    # ``print_gallery`` and pdftotext check the PDFs themselves).
    issued = list(Document.objects.all())
    assert any(d.form_code == "mau_7b" for d in issued)
    assert old_names(" ".join(json.dumps(d.snapshot, ensure_ascii=False) for d in issued)) == []


def test_every_form_printed_from_the_2025_demo_shows_only_new_names_and_fills_every_placeholder(seeded, tmp_path):
    # print_gallery issues every form of the catalogue from the demo (in this test's savepoint): a default's
    # placeholder its builder does not provide would print as "{name}".
    call_command("print_gallery", str(tmp_path), stdout=io.StringIO())
    pdfs = sorted(tmp_path.glob("*.pdf"))
    assert len(pdfs) == len(catalogue.FORMS)
    for pdf in pdfs:
        text = " ".join(pdf_text(pdf.read_bytes()).split())
        assert (old_names(text), re.findall(r"{\w+}", text)) == ([], []), pdf.name
