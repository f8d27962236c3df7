"""The Word copy of every form (registry.docx, documents.docx_bytes / draft_docx): the same words as its PDF, the
Party or State layout in Word's terms, the header row of long tables repeated, fonts, and what the file says of
itself. Every form of the catalogue is issued once per module from the demo data, as ``manage.py print_gallery``
does; the Word files are read back with python-docx (no LibreOffice needed)."""

import io
import re
import unicodedata
from collections import Counter

import docx
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from docx.oxml.ns import qn

from registry import documents
from registry.docx import writer
from registry.management.commands.print_gallery import Command as Gallery
from registry.management.commands.print_gallery import _users
from registry.management.commands.seed_demo import DemoSeeder
from registry.papers import catalogue
from tests.pdf.utils import pdf_pages, pdf_text

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STATE_FORMS = {"mau_1a", "mau_2a"}
LANDSCAPE_FORMS = {"mau_3", "mau_7a"}
MM = 36000  # EMU per millimetre


@pytest.fixture(scope="module")
def papers(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every form of the catalogue issued from the demo data: its document, context, PDF and Word bytes, by code.
    Everything is rolled back when the module ends. The demo's test certificate is left out: a sealed PDF also
    prints the signature stamp's words, which the Word copy (an editable copy, never sealed) does not carry."""
    media = tmp_path_factory.mktemp("media")
    unsealed = pytest.MonkeyPatch.context()
    with (
        unsealed as patch,
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media),
    ):
        patch.setattr(DemoSeeder, "seed_certificate", lambda self: None)
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", force=True, stdout=io.StringIO())
            users, gallery, result = _users(), Gallery(), {}
            for code, form in catalogue.FORMS.items():
                document = gallery.paper(form, users)
                assert not isinstance(document, str), f"{code}: {document}"
                result[code] = {
                    "document": document,
                    "context": documents.render_context(document),
                    "template": documents.template_of(document),
                    "pdf": documents.pdf_bytes(document),
                    "docx": documents.docx_bytes(document),
                }
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
    return result


def _open(content: bytes):
    return docx.Document(io.BytesIO(content))


def _paragraph_text(p) -> str:
    parts = []
    for node in p.iter(qn("w:t"), qn("w:br")):
        parts.append(node.text or "" if node.tag == qn("w:t") else "\n")
    return "".join(parts)


def docx_text(content: bytes) -> str:
    """The body's text in document order, one paragraph a line (table cells included)."""
    body = _open(content).element.body
    return "\n".join(_paragraph_text(p) for p in body.iter(qn("w:p")))


def words(text: str) -> Counter:
    return Counter(w.casefold() for w in re.findall(r"\w+", unicodedata.normalize("NFC", text)))


def _pdf_only_words(paper) -> Counter:
    """What the PDF prints and a Word copy leaves out: the verification footer on every page, the page numbers."""
    pages = pdf_pages(paper["pdf"])
    info = paper["context"]["document"]
    footer = f"Mã xác thực: {info['verification_code']} Kiểm tra văn bản tại: {info['verification_url']}"
    extra = Counter()
    for _ in range(pages):
        extra += words(footer)
    extra += words(" ".join(str(n) for n in range(2, pages + 1)))
    return extra


def _tables(content: bytes):
    return _open(content).tables


def _content_tables(content: bytes):
    """The tables of the form's content (bordered), not the header and signature layout tables."""
    return [t for t in _tables(content) if t._tbl.tblPr.find(qn("w:tblBorders"))[0].get(qn("w:val")) != "nil"]


def _run_properties(paragraph) -> list:
    return [run.find(qn("w:rPr")) for run in paragraph.iter(qn("w:r"))]


def _has(rpr, tag: str) -> bool:
    return rpr is not None and rpr.find(qn(tag)) is not None


def _size(rpr) -> float | None:
    size = rpr.find(qn("w:sz")) if rpr is not None else None
    return int(size.get(qn("w:val"))) / 2 if size is not None else None


def _find_paragraph(content: bytes, text: str):
    body = _open(content).element.body
    return next(p for p in body.iter(qn("w:p")) if _paragraph_text(p).strip() == text)


CODES = sorted(catalogue.FORMS)
pytestmark = pytest.mark.django_db


def _repeated_header_words(paper) -> Counter:
    """The words of the tables' header rows, as often as the PDF may repeat them on the pages after the first."""
    repeats = Counter()
    for table in _tables(paper["docx"]):
        for row in table._tbl.tr_lst:
            if row.trPr is not None and row.trPr.find(qn("w:tblHeader")) is not None:
                repeats += words(" ".join(_paragraph_text(p) for p in row.iter(qn("w:p"))))
    total = Counter()
    for _ in range(pdf_pages(paper["pdf"]) - 1):
        total += repeats
    return total


@pytest.mark.parametrize("code", CODES)
def test_the_word_copy_has_the_words_of_the_issued_pdf(papers, code):
    """Same sentences, numbers and names: every word of the Word copy is in the PDF as often, and the PDF has no
    other word than its verification footer, its page numbers and its tables' header rows repeated on later pages."""
    paper = papers[code]
    in_word = words(docx_text(paper["docx"]))
    in_pdf = words(pdf_text(paper["pdf"])) - _pdf_only_words(paper)
    assert in_word - in_pdf == Counter()
    assert (in_pdf - in_word) - _repeated_header_words(paper) == Counter()


@pytest.mark.parametrize("code", CODES)
def test_the_writer_knows_every_tag_and_class_of_every_form(papers, code):
    paper = papers[code]
    assert writer.unknown_markup(paper["template"], paper["context"]) == set()


@pytest.mark.parametrize("code", CODES)
def test_the_header_is_a_borderless_two_column_table_with_number_and_italic_dateline(papers, code):
    paper = papers[code]
    header = _tables(paper["docx"])[0]
    info = paper["context"]["document"]
    assert len(header.columns) == 2
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    left, right = (cell.text for cell in header.rows[0].cells)
    assert paper["context"]["header"]["issuer"].split("\n")[0] in left
    assert paper["context"]["header"]["national"] in right
    assert header.rows[1].cells[0].text.strip() == info["number_line"].strip()
    dateline = header.rows[1].cells[1].paragraphs[0]
    assert dateline.text == info["dateline"]
    assert all(_has(rpr, "w:i") for rpr in _run_properties(dateline._p))


@pytest.mark.parametrize("code", sorted(set(CODES) - STATE_FORMS))
def test_party_forms_rule_the_party_name_in_bold_15pt(papers, code):
    national = _find_paragraph(papers[code]["docx"], "ĐẢNG CỘNG SẢN VIỆT NAM")
    (rpr,) = _run_properties(national)
    assert _has(rpr, "w:u") and _has(rpr, "w:b") and _size(rpr) == 15


@pytest.mark.parametrize("code", sorted(STATE_FORMS))
def test_state_forms_rule_the_motto_under_the_national_name_in_13pt(papers, code):
    content = papers[code]["docx"]
    (national,) = _run_properties(_find_paragraph(content, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    (motto,) = _run_properties(_find_paragraph(content, "Độc lập - Tự do - Hạnh phúc"))
    assert _size(national) == 13 and _has(national, "w:b")
    assert _has(motto, "w:u") and _has(motto, "w:b") and _size(motto) == 14


@pytest.mark.parametrize("code", CODES)
def test_the_page_is_a4_with_the_pdfs_margins(papers, code):
    section = _open(papers[code]["docx"]).sections[0]
    short, long = round(section.page_width / MM), round(section.page_height / MM)
    if code in LANDSCAPE_FORMS:
        short, long = long, short
    assert (short, long) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(round(m / MM) for m in margins) == (20, 20, 30, 15)


@pytest.mark.parametrize("code", CODES)
def test_the_text_is_times_new_roman_14_and_no_run_names_another_font(papers, code):
    document = _open(papers[code]["docx"])
    normal = document.styles["Normal"]
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert normal.font.size.pt == 14
    assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")} == {"Times New Roman"}
    assert not list(document.element.body.iter(qn("w:rFonts")))


def test_the_title_is_16pt_bold_and_the_issuer_13pt_bold(papers):
    content = papers["mau_1"]["docx"]
    (title,) = _run_properties(_find_paragraph(content, "BẢN ĐĂNG KÝ"))
    (issuer,) = _run_properties(_find_paragraph(content, papers["mau_1"]["context"]["header"]["issuer"]))
    assert (_size(title), _has(title, "w:b")) == (16, True)
    assert (_size(issuer), _has(issuer, "w:b")) == (13, True)


@pytest.mark.parametrize("code", ["mau_3", "mau_4", "mau_5a", "mau_5b", "mau_6b_ds", "mau_7", "mau_7a", "bc_nam"])
def test_the_header_row_of_a_content_table_repeats_on_every_page_and_no_row_splits(papers, code):
    tables = _content_tables(papers[code]["docx"])
    assert tables
    for table in tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(row.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])
        assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)


def test_a_300_row_mau_3_has_300_rows_under_one_repeated_header_row(papers):
    paper = papers["mau_3"]
    context = dict(paper["context"])
    row = context["groups"][0]["subgroups"][0]["rows"][0]
    rows = [{**row, "stt": str(n)} for n in range(1, 301)]
    context["groups"] = [
        {**context["groups"][0], "count": 300, "subgroups": [{"label": "1. Tổ chức đảng", "rows": rows}]}
    ]
    content = writer.render_template(paper["template"], context)
    (table,) = _content_tables(content)
    header_rows = [r for r in table._tbl.tr_lst if r.trPr.find(qn("w:tblHeader")) is not None]
    assert len(table.rows) == 1 + 2 + 300 and len(header_rows) == 1
    assert table.rows[-1].cells[0].text == "300"


def test_the_signature_block_and_recipients_close_the_paper(papers):
    paper = papers["mau_5b"]
    signatures = _tables(paper["docx"])[1]
    left, right = (cell.text for cell in signatures.rows[0].cells)
    assert "Nơi nhận:" in left and paper["document"].signer_name in right
    (label,) = _run_properties(_find_paragraph(paper["docx"], "Nơi nhận:"))
    assert _has(label, "w:u")


def test_the_decisions_attached_list_starts_a_new_page(papers):
    content = papers["mau_5b"]["docx"]
    list_title = _find_paragraph(content, papers["mau_5b"]["context"]["list_title"])
    assert list_title.find(qn("w:pPr")).find(qn("w:pageBreakBefore")) is not None


def test_the_word_copy_says_in_its_properties_and_at_its_foot_that_it_is_not_the_record(papers):
    paper = papers["mau_1"]
    document = _open(paper["docx"])
    code = paper["document"].verification_code
    expected = f"Bản Word để chỉnh sửa, không có giá trị xác thực như văn bản PDF đã ban hành (mã {code})."
    assert document.core_properties.comments == expected
    assert document.core_properties.title == paper["document"].subject
    section = document.sections[0]
    assert section.footer.paragraphs[0].text == expected
    assert section.first_page_footer.paragraphs[0].text == expected


def test_page_numbers_start_on_page_two_at_the_top(papers):
    section = _open(papers["mau_1"]["docx"]).sections[0]
    assert section.different_first_page_header_footer
    assert section.header.paragraphs[0]._p.find(qn("w:fldSimple")).get(qn("w:instr")).strip() == "PAGE"
    assert section.first_page_header.paragraphs[0].text == ""


def test_the_word_copy_of_a_reprint_is_the_same_after_the_registration_is_renamed(papers):
    paper = papers["mau_1"]
    again = documents.docx_bytes(paper["document"])
    assert docx_text(again) == docx_text(paper["docx"])
