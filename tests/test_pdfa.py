"""Every form of the catalogue comes out PDF/A-3b (tests/pdfa.py, the checker used in place of a validator that
cannot be installed here: see its docstring), signed or not, with its snapshot attached as JSON."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from registry import documents
from registry.management.commands.print_gallery import Command as Gallery
from registry.management.commands.print_gallery import _users
from registry.papers import catalogue
from tests import pdfa

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def gallery(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every form of the catalogue issued from the demo data as ``manage.py print_gallery`` does, the demo unit's
    test certificate included (its papers come out signed): the stored bytes, by code. Rolled back at the end."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", force=True, stdout=io.StringIO())
            users, maker, result = _users(), Gallery(), {}
            for code, form in catalogue.FORMS.items():
                document = maker.paper(form, users)
                assert not isinstance(document, str), f"{code}: {document}"
                result[code] = {"pdf": documents.pdf_bytes(document), "sealed": bool(document.sealed_at)}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
    return result


# Each test asks for the database so that the in-memory test database is open while the module's papers are made.
pytestmark = pytest.mark.django_db
CODES = list(catalogue.FORMS)


@pytest.mark.parametrize("code", CODES)
def test_every_form_meets_the_pdfa_3b_checks(gallery, code):
    assert pdfa.problems(gallery[code]["pdf"]) == []


@pytest.mark.parametrize("code", CODES)
def test_every_form_attaches_its_snapshot_as_json(gallery, code):
    pdf = gallery[code]["pdf"]
    assert pdfa.attachments(pdf) == [documents.SNAPSHOT_NAME]
    assert pdfa.mime_type(pdf, documents.SNAPSHOT_NAME) == "application/json"


def test_the_gallery_holds_signed_and_unsigned_forms(gallery):
    """Both kinds went through the checks above: the demo unit signs its papers, the others do not."""
    assert {paper["sealed"] for paper in gallery.values()} == {True, False}


# --- the checker itself finds what breaks PDF/A ---------------------------------------------------------------------


def _archival() -> bytes:
    from registry.pdf import render

    return render.render_archival(
        "pdf/mau_5b.html", {"title": "QUYẾT ĐỊNH", "subject": "thử"}, attachment="{}", attachment_name="a.json",
        description="thử", created=timezone.now(), anchor="none",
    ).pdf  # fmt: skip


def _updated(pdf: bytes, change) -> bytes:
    """``pdf`` with an incremental update made by ``change(writer)``."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_checker_passes_a_plain_archival_render():
    assert pdfa.problems(_archival()) == []


def test_the_checker_flags_a_pdf_that_is_not_pdfa():
    from registry.pdf import render

    found = pdfa.problems(render.render_template("pdf/mau_5b.html", {"title": "QUYẾT ĐỊNH", "subject": "thử"}))
    assert "no XMP metadata stream in the catalogue" in found
    assert "no /GTS_PDFA1 output intent" in found


def test_the_checker_flags_javascript():
    def add(writer):
        action = generic.DictionaryObject(
            {generic.pdf_name("/S"): generic.pdf_name("/JavaScript"), generic.pdf_name("/JS"): generic.pdf_string("1")}
        )
        writer.root[generic.pdf_name("/OpenAction")] = writer.add_object(action)
        writer.update_root()

    assert "a /JavaScript action in the catalogue's /OpenAction" in pdfa.problems(_updated(_archival(), add))


def test_the_checker_flags_a_font_that_is_not_embedded():
    def add(writer):
        font = generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Font"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/TrueType"),
                generic.pdf_name("/BaseFont"): generic.pdf_name("/Arial"),
            }
        )
        writer.add_stream_to_page(
            0, writer.add_object(generic.StreamObject(stream_data=b"BT /FX 12 Tf (x) Tj ET")),
            resources=generic.DictionaryObject({
                generic.pdf_name("/Font"): generic.DictionaryObject({generic.pdf_name("/FX"): writer.add_object(font)})
            }),
        )  # fmt: skip

    assert any("font /Arial" in p and "not embedded" in p for p in pdfa.problems(_updated(_archival(), add)))


def test_the_checker_flags_an_attachment_without_its_relationship():
    def strip(writer):
        names = writer.root["/Names"]["/EmbeddedFiles"]["/Names"]
        reference = names.raw_get(1)
        del reference.get_object()["/AFRelationship"]
        writer.mark_update(reference)

    assert "the embedded file a.json has no valid /AFRelationship" in pdfa.problems(_updated(_archival(), strip))
