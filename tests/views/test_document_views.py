"""The issue page of a paper: what it offers, issuing by POST with errors beside the fields, drafts, and who may."""

import datetime

import pytest
from django.urls import reverse

from registry import documents
from registry.models import Document, Status, Unit
from registry.papers import catalogue
from tests.factories import RegistrationFactory
from tests.papers import submitted
from tests.pdf.utils import pdf_text

GARBAGE = [
    {},
    {"mo_hinh": "-1", "nam": "0"},
    {"mo_hinh": "１２", "don_vi": "²", "nam": "２０２５"},
    {"don_vi": "99999999999999999999", "nam": "2025"},
    {"hop": "' OR 1=1 --", "de_nghi": "<script>"},
    {"nam": "2025", "chon": ["x", "-5", "99999999999999999999"]},
    {"mo_hinh": "\x00", "nam": "2025\n"},
]


@pytest.fixture
def reg(chi_bo, year):
    return submitted(
        RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Mô hình cần ban hành")
    )


def _url(name, reg, code="mau_1"):
    return f"{reverse(f'registry:{name}', args=[code])}?mo_hinh={reg.pk}"


def _post(client, reg, **fields):
    data = {"number": "", "issued_on": "02/03/2025", "signer_authority": "T/M CHI ỦY", "signer_title": "BÍ THƯ"}
    data["signer_name"] = "Lê Thị Thu"
    data.update(fields)
    return client.post(_url("document-issue", reg), data)


def test_the_issue_page_offers_the_act_date_and_the_forms_signer(client, secretary, reg, chi_bo):
    Unit.objects.filter(pk=chi_bo.pk).update(signer_name="Phạm Văn Đức")
    client.force_login(secretary)
    response = client.get(_url("document-issue", reg))
    form = response.context["form"]
    assert response.status_code == 200
    assert form.fields["issued_on"].initial == datetime.date(2025, 3, 2)
    assert form.fields["signer_authority"].initial == "T/M CHI ỦY"
    assert form.fields["signer_name"].initial == "Phạm Văn Đức"
    assert "12-ĐK/CB" in form.fields["number"].help_text
    assert not Document.objects.exists()


def test_posting_the_form_issues_the_paper_and_shows_its_code(client, secretary, reg):
    client.force_login(secretary)
    response = _post(client, reg, number="5")
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("document-issue", reg)
    assert (document.number, document.signer_name, document.created_by) == ("5-ĐK/CB", "Lê Thị Thu", secretary)
    page = client.get(response["Location"]).content.decode()
    assert document.verification_code in page and "Ban hành lại" in page


def test_a_used_number_is_refused_beside_the_number_field(client, secretary, reg, chi_bo, year):
    client.force_login(secretary)
    _post(client, reg, number="5")
    other = submitted(RegistrationFactory(subject_unit=chi_bo, year=year))
    response = _post(client, other, number="5-ĐK/CB")
    assert response.status_code == 400
    assert response.context["form"].errors["number"] == ["Số văn bản này đơn vị đã dùng trong năm."]
    assert Document.objects.count() == 1


def test_the_form_carries_the_version_in_force_it_was_shown_with(client, secretary, reg):
    client.force_login(secretary)
    assert client.get(_url("document-issue", reg)).context["form"]["in_force_seen"].value() == 0
    _post(client, reg, number="5", in_force_seen="0")
    document = Document.objects.get()
    assert client.get(_url("document-issue", reg)).context["form"]["in_force_seen"].value() == document.pk


def test_a_form_shown_before_another_issue_landed_issues_nothing_and_shows_that_issue(client, secretary, reg):
    client.force_login(secretary)
    _post(client, reg, number="5", in_force_seen="0")  # a colleague, from the same page opened earlier
    landed = Document.objects.get()
    response = _post(client, reg, number="6", in_force_seen="0")
    assert response.status_code == 400
    assert "vừa được ban hành" in response.context["form"].non_field_errors()[0]
    assert response.context["in_force"] == landed
    assert list(Document.objects.all()) == [landed]


def test_sending_the_refused_form_again_issues_a_new_version_on_purpose(client, secretary, reg):
    client.force_login(secretary)
    _post(client, reg, number="5", in_force_seen="0")
    refused = _post(client, reg, number="6", in_force_seen="0").context["form"]
    again = {name: refused[name].value() for name in refused.fields}
    again["issued_on"] = "02/03/2025"
    response = client.post(_url("document-issue", reg), again)
    assert response.status_code == 302
    assert Document.objects.filter(replaced_at__isnull=True).get().number == "6-ĐK/CB"


def test_a_version_seen_that_is_not_a_number_leaves_the_check_out(client, secretary, reg):
    client.force_login(secretary)
    assert _post(client, reg, in_force_seen="٣; DROP").status_code == 302
    assert Document.objects.count() == 1


def test_a_future_date_is_refused_beside_the_date_field(client, secretary, reg):
    client.force_login(secretary)
    response = _post(client, reg, issued_on="01/01/2099")
    assert response.context["form"].errors["issued_on"] == ["Ngày văn bản không được sau ngày hôm nay."]
    assert not Document.objects.exists()


def test_an_empty_signer_name_is_refused_beside_its_field(client, secretary, reg):
    client.force_login(secretary)
    response = _post(client, reg, signer_name="")
    assert response.context["form"].errors["signer_name"] == ["Vui lòng nhập họ tên người ký."]
    assert not Document.objects.exists()


def test_a_garbage_date_is_a_form_error_not_a_500(client, secretary, reg):
    client.force_login(secretary)
    response = _post(client, reg, issued_on="32/13/2025")
    assert response.status_code == 400 and response.context["form"].errors["issued_on"]


def test_a_draft_registration_explains_why_it_cannot_be_issued(client, secretary, chi_bo, year):
    draft = RegistrationFactory(subject_unit=chi_bo, year=year)
    client.force_login(secretary)
    response = client.get(_url("document-issue", draft))
    assert response.context["form"] is None
    assert "Bản đăng ký chưa được gửi" in response.content.decode()
    assert _post(client, draft).status_code == 302
    assert not Document.objects.exists()


def test_a_viewer_sees_the_page_but_may_not_issue(client, viewer, reg):
    client.force_login(viewer)
    assert client.get(_url("document-issue", reg)).context["form"] is None
    assert _post(client, reg).status_code == 403
    assert not Document.objects.exists()


def test_a_record_outside_the_users_scope_is_404(client, outsider, reg):
    client.force_login(outsider)
    assert client.get(_url("document-issue", reg)).status_code == 404
    assert _post(client, reg).status_code == 404
    assert client.get(_url("document-draft", reg)).status_code == 404


@pytest.mark.parametrize("query", ["mo_hinh=abc", "mo_hinh=99999999999999999999999", "", "mo_hinh=999999"])
def test_garbage_parameters_are_404_never_500(client, secretary, reg, query):
    client.force_login(secretary)
    assert client.get(f"{reverse('registry:document-issue', args=['mau_1'])}?{query}").status_code == 404


def test_an_unknown_form_code_is_404(client, secretary, reg):
    client.force_login(secretary)
    assert client.get(_url("document-issue", reg, code="mau_99")).status_code == 404


def test_a_form_code_that_is_not_the_registrations_own_is_404(client, secretary, reg):
    client.force_login(secretary)
    assert client.get(_url("document-issue", reg, code="mau_2")).status_code == 404


def test_the_draft_is_marked_and_issues_nothing(client, secretary, reg):
    client.force_login(secretary)
    response = client.get(_url("document-draft", reg))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "BẢN NHÁP" in pdf_text(response.content)
    assert not Document.objects.exists()


def test_the_issued_pdf_is_served_byte_for_byte(client, secretary, reg):
    client.force_login(secretary)
    _post(client, reg)
    document = Document.objects.get()
    response = client.get(reverse("registry:document-pdf", args=[document.pk]))
    assert response.content == documents.pdf_bytes(document)


@pytest.mark.parametrize("code", sorted(catalogue.FORMS))
@pytest.mark.parametrize("name", ["document-issue", "document-draft"])
def test_garbage_for_every_form_is_a_404_or_a_page_never_a_500(client, approver, reg, name, code):
    client.force_login(approver)
    url = reverse(f"registry:{name}", args=[code])
    for query in GARBAGE:
        assert client.get(url, query).status_code in (200, 404), (code, query)
