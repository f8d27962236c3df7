"""Downloading a paper as an editable Word file: "Tải Word" beside the issued PDF, the draft's Word copy, who may."""

import io

import docx
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from docx.oxml.ns import qn

from registry.models import Status
from registry.papers import catalogue
from registry.views.responses import DOCX_TYPE
from tests.factories import RegistrationFactory
from tests.papers import issue_registration_form, submitted
from tests.views.test_document_views import GARBAGE


@pytest.fixture
def reg(chi_bo, year):
    return submitted(
        RegistrationFactory(
            subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Dân vận khéo ở bộ phận một cửa"
        )
    )


def _text(content: bytes) -> str:
    """Every paragraph of the body, table cells included."""
    body = docx.Document(io.BytesIO(content)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def _draft_url(reg, code="mau_1") -> str:
    return f"{reverse('registry:document-draft-docx', args=[code])}?mo_hinh={reg.pk}"


def test_tai_word_serves_the_issued_document_as_a_docx_named_like_its_pdf(client, secretary, reg):
    document = issue_registration_form(reg, secretary)
    client.force_login(secretary)
    response = client.get(reverse("registry:document-docx", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE
    assert 'filename="mau-1-dan-van-kheo-o-bo-phan-mot-cua.docx"' in response["Content-Disposition"]
    assert "Dân vận khéo ở bộ phận một cửa" in _text(response.content)


def test_the_word_copy_of_a_document_outside_the_scope_is_a_404(client, outsider, reg):
    document = issue_registration_form(reg)
    client.force_login(outsider)
    assert client.get(reverse("registry:document-docx", args=[document.pk])).status_code == 404


def test_the_word_copy_of_a_draft_says_ban_nhap_at_the_foot_of_every_page(client, secretary, reg):
    client.force_login(secretary)
    response = client.get(_draft_url(reg))
    assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE
    assert 'filename="ban-nhap-mau-1-' in response["Content-Disposition"]
    section = docx.Document(io.BytesIO(response.content)).sections[0]
    assert section.footer.paragraphs[0].text.startswith("BẢN NHÁP – chưa ban hành")
    assert "ngày …… tháng …… năm ……" in _text(response.content)


def test_the_draft_word_copy_of_an_unsent_registration_is_refused_with_the_reason(client, secretary, chi_bo, year):
    draft = RegistrationFactory(subject_unit=chi_bo, year=year, title="Chưa gửi")
    client.force_login(secretary)
    response = client.get(_draft_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("registry:document-issue", args=["mau_1"]))
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Chưa thể tải bản Word: Bản đăng ký chưa được gửi: hãy gửi đăng ký trước khi ban hành bản in có mã xác thực."
    ]


def test_the_draft_word_copy_of_a_record_outside_the_scope_is_a_404(client, outsider, reg):
    client.force_login(outsider)
    assert client.get(_draft_url(reg)).status_code == 404


def test_the_papers_panel_offers_tai_word_beside_the_issued_pdf(client, secretary, reg):
    document = issue_registration_form(reg, secretary)
    client.force_login(secretary)
    page = client.get(reverse("registry:registration-detail", args=[reg.pk])).content.decode()
    assert f'href="{reverse("registry:document-docx", args=[document.pk])}" data-issued-docx' in page
    assert "Tải Word" in page


def test_the_issue_page_offers_the_word_copy_of_the_paper_in_force_and_of_the_draft(client, secretary, reg):
    document = issue_registration_form(reg, secretary)
    client.force_login(secretary)
    page = client.get(f"{reverse('registry:document-issue', args=['mau_1'])}?mo_hinh={reg.pk}").content.decode()
    assert f'id="tai-word" href="{reverse("registry:document-docx", args=[document.pk])}"' in page
    assert f'id="tai-ban-nhap-word" href="{_draft_url(reg)}"' in page


@pytest.mark.parametrize("code", sorted(catalogue.FORMS))
def test_garbage_for_the_word_draft_of_every_form_is_a_404_a_refusal_or_a_file_never_a_500(client, approver, code):
    client.force_login(approver)
    url = reverse("registry:document-draft-docx", args=[code])
    for query in GARBAGE:
        assert client.get(url, query).status_code in (200, 302, 404), (code, query)
