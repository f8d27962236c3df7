"""Proposal pages by URL: lists of grassroots exemplars sent to the Khối, who may create, send and see them, and the
Mẫu 6b list issued afterwards on its issue page."""

import pytest
from django.urls import reverse

from registry import proposals
from registry.models import Document, KhoiProposal, Status, StatusChange
from tests.factories import RegistrationFactory
from tests.test_proposals import sent

CREATE = reverse("registry:proposal-create")


@pytest.fixture
def exemplar(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.EXEMPLAR_BASE, title="Ba cùng với dân")


@pytest.fixture
def proposal(approver, dang_bo, year, exemplar):
    return proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[exemplar])


@pytest.fixture
def sent_proposal(approver, proposal):
    """The proposal sent on 20/10/2025."""
    return sent(proposal, approver)


def issue_url(proposal) -> str:
    return f"{reverse('registry:document-issue', args=['mau_6b_ds'])}?de_nghi={proposal.pk}"


def issue_data(**overrides) -> dict:
    data = {
        "number": "15",
        "issued_on": "20/10/2025",
        "signer_authority": "T/M ĐẢNG ỦY",
        "signer_title": "BÍ THƯ",
        "signer_name": "Phạm Văn Đức",
    }
    data.update(overrides)
    return data


def test_secretary_may_not_create_a_proposal(client, secretary):
    client.force_login(secretary)
    assert client.get(CREATE).status_code == 403


def test_approver_lists_the_units_exemplars_and_saves_a_draft(client, approver, dang_bo, exemplar):
    client.force_login(approver)
    url = f"{CREATE}?unit={dang_bo.pk}&year=2025"
    assert client.get(url).context["eligible"] == [exemplar]
    response = client.post(url, {"entries": [exemplar.pk], "note": "Gửi kèm hồ sơ."})
    proposal = KhoiProposal.objects.get()
    assert response["Location"] == reverse("registry:proposal-detail", args=[proposal.pk])
    assert list(proposal.registrations.all()) == [exemplar]
    exemplar.refresh_from_db()
    assert exemplar.status == Status.EXEMPLAR_BASE


def test_a_chi_bo_is_not_offered_as_a_proposing_unit(client, approver, chi_bo, exemplar):
    client.force_login(approver)
    response = client.get(f"{CREATE}?unit={chi_bo.pk}&year=2025")
    assert response.context["choice"].errors["unit"] == [
        "Đơn vị không hợp lệ: hãy chọn đảng bộ, chi bộ cơ sở bạn có quyền đề nghị."
    ]


def test_a_confirmed_model_slipped_into_the_post_is_a_form_error(client, approver, dang_bo, chi_bo, year, exemplar):
    confirmed = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED, title="Chưa là điển hình")
    client.force_login(approver)
    response = client.post(f"{CREATE}?unit={dang_bo.pk}&year=2025", {"entries": [exemplar.pk, confirmed.pk]})
    assert response.context["form"].errors["entries"] == [
        "“Chưa là điển hình” không phải điển hình cấp cơ sở của đơn vị này, không thể đề nghị."
    ]
    assert not KhoiProposal.objects.exists()


def test_approver_sends_the_proposal_by_url(client, approver, proposal, exemplar):
    client.force_login(approver)
    response = client.post(reverse("registry:proposal-send", args=[proposal.pk]))
    assert response.status_code == 302
    exemplar.refresh_from_db()
    proposal.refresh_from_db()
    assert exemplar.status == Status.PROPOSED_KHOI and proposal.sent_at is not None


def test_sending_by_url_issues_no_paper(client, approver, proposal):
    client.force_login(approver)
    client.post(reverse("registry:proposal-send", args=[proposal.pk]))
    assert not Document.objects.exists()


def test_sending_twice_by_url_changes_nothing_more(client, approver, proposal, exemplar):
    client.force_login(approver)
    url = reverse("registry:proposal-send", args=[proposal.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "Đề nghị này đã được gửi Đảng ủy Khối." in response.content.decode()
    assert StatusChange.objects.filter(registration=exemplar).count() == 1


@pytest.mark.parametrize("persona", ["secretary", "viewer", "appraiser"])
def test_who_sees_the_proposal_but_is_not_its_approver_cannot_send(client, request, persona, proposal, exemplar):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("registry:proposal-detail", args=[proposal.pk])).status_code == 200
    response = client.post(reverse("registry:proposal-send", args=[proposal.pk]))
    assert response.status_code == 403
    exemplar.refresh_from_db()
    assert exemplar.status == Status.EXEMPLAR_BASE


def test_outsider_gets_404_for_a_proposal_of_another_branch(client, outsider, proposal):
    client.force_login(outsider)
    assert client.get(reverse("registry:proposal-detail", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("registry:proposal-send", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("registry:proposal-pdf", args=[proposal.pk])).status_code == 404


def test_detail_lists_each_entrys_files(client, approver, proposal, exemplar):
    from django.core.files.base import ContentFile

    from registry.models import Attachment

    attachment = Attachment(registration=exemplar, original_name="anh-hoat-dong.jpg", content_type="image/jpeg", size=3)
    attachment.file.save("anh.jpg", ContentFile(b"abc"), save=True)
    client.force_login(approver)
    html = client.get(reverse("registry:proposal-detail", args=[proposal.pk])).content.decode()
    assert reverse("registry:attachment-download", args=[attachment.pk]) in html
    assert reverse("registry:registration-pdf", args=[exemplar.pk]) in html
    assert "Gửi Đảng ủy Khối" in html


def test_proposal_page_links_the_list_not_issued_to_its_issue_page(client, approver, sent_proposal):
    client.force_login(approver)
    html = client.get(reverse("registry:proposal-detail", args=[sent_proposal.pk])).content.decode()
    assert 'data-paper="mau_6b_ds"' in html
    assert f'href="{issue_url(sent_proposal)}" data-issue-link>Ban hành Mẫu 6b</a>' in html


def test_the_proposal_pdf_url_sends_a_list_not_issued_yet_to_its_issue_page(client, approver, sent_proposal):
    client.force_login(approver)
    response = client.get(reverse("registry:proposal-pdf", args=[sent_proposal.pk]))
    assert response.status_code == 302 and response["Location"] == issue_url(sent_proposal)


def test_issuing_the_list_by_post_stores_it_and_the_proposal_pdf_url_serves_those_bytes(
    client, approver, sent_proposal
):
    client.force_login(approver)
    response = client.post(issue_url(sent_proposal), issue_data())
    assert response.status_code == 302
    document = Document.objects.get(proposal=sent_proposal)
    assert (document.form_code, document.number, document.signer_name) == ("mau_6b_ds", "15-DS/ĐU", "Phạm Văn Đức")
    with document.pdf.open("rb") as stored:
        issued = stored.read()
    assert client.get(reverse("registry:proposal-pdf", args=[sent_proposal.pk])).content == issued


def test_a_future_date_is_refused_beside_the_date_field(client, approver, sent_proposal):
    client.force_login(approver)
    response = client.post(issue_url(sent_proposal), issue_data(issued_on="01/01/2099"))
    assert response.status_code == 400
    assert response.context["form"].errors["issued_on"] == ["Ngày văn bản không được sau ngày hôm nay."]
    assert not Document.objects.exists()


def test_the_list_of_a_proposal_not_sent_is_not_issued_and_the_reason_is_shown(client, approver, proposal):
    client.force_login(approver)
    response = client.post(issue_url(proposal), issue_data(), follow=True)
    assert "Đề nghị chưa được gửi lên Khối" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize("persona", ["secretary", "viewer", "appraiser"])
def test_who_is_not_an_approver_of_the_unit_gets_403_on_the_lists_issue_post(client, request, persona, sent_proposal):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(issue_url(sent_proposal), issue_data())
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_outsider_gets_404_on_the_lists_issue_page(client, outsider, sent_proposal):
    client.force_login(outsider)
    assert client.get(issue_url(sent_proposal)).status_code == 404
    assert client.post(issue_url(sent_proposal), issue_data()).status_code == 404


def test_panel_offers_the_proposal_to_the_grassroots_approver(client, approver, dang_bo, exemplar):
    client.force_login(approver)
    html = client.get(reverse("registry:registration-detail", args=[exemplar.pk])).content.decode()
    assert f"{CREATE}?unit={dang_bo.pk}&amp;year=" in html
    assert "Lập danh sách đề nghị lên Khối" in html
