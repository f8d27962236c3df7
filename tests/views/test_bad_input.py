"""Garbage input never makes a server error: ids too large for a database key, words where numbers belong, long
texts with control characters, on every GET page of the registry and on the meeting and proposal forms."""

import pytest
from django.urls import reverse

from registry import proposals
from registry.models import KhoiProposal, Meeting, Status
from registry.unit_fields import MSG_INVALID_KEY
from tests.factories import RegistrationFactory
from tests.test_meetings import make_meeting
from tests.views.test_meeting_views import post_data

TOO_BIG = "9223372036854775808"  # 2**63: one more than the largest database key
LONG_TEXT = "dân vận khéo " * 154 + "\x00\x01\x1b\x7f"  # over 2000 characters, ending in control characters


# --- Ids too large for the database in a multiple choice (POST) ----------------------------------------------------


@pytest.fixture
def active(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Dân vận khéo ở một cửa")


@pytest.fixture
def exemplar(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.EXEMPLAR_BASE, title="Ba cùng với dân")


def test_a_meeting_entry_id_too_large_for_the_database_is_a_form_error(client, approver, dang_bo, active):
    client.force_login(approver)
    url = f"{reverse('registry:meeting-create')}?unit={dang_bo.pk}&purpose=confirm_model&year=2025"
    response = client.post(url, post_data({active.pk: (6, 0)}) | {"entries": [str(active.pk), TOO_BIG]})
    assert response.status_code == 200
    assert response.context["form"].errors["entries"] == [MSG_INVALID_KEY]
    assert not Meeting.objects.exists()


def test_a_meeting_entry_id_that_is_not_a_number_is_a_form_error(client, approver, dang_bo, active):
    client.force_login(approver)
    url = f"{reverse('registry:meeting-create')}?unit={dang_bo.pk}&purpose=confirm_model&year=2025"
    response = client.post(url, post_data({active.pk: (6, 0)}) | {"entries": ["-1"]})
    assert response.status_code == 200
    assert response.context["form"].errors["entries"] == [MSG_INVALID_KEY]
    assert not Meeting.objects.exists()


def test_a_proposal_entry_id_too_large_for_the_database_is_a_form_error(client, approver, dang_bo, exemplar):
    client.force_login(approver)
    url = f"{reverse('registry:proposal-create')}?unit={dang_bo.pk}&year=2025"
    response = client.post(url, {"entries": [exemplar.pk, TOO_BIG], "note": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["entries"] == [MSG_INVALID_KEY]
    assert not KhoiProposal.objects.exists()


# --- Every GET page with garbage query parameters ------------------------------------------------------------------

# Parameters the registry's GET pages and forms read, each filled with garbage by the last two query sets.
READ_PARAMETERS = (
    "nam", "don_vi", "page", "q", "unit", "purpose", "year", "ky", "sap_xep", "linh_vuc", "cap", "trang_thai",
    "doi_tuong", "next", "inline", "de_xuat", "diem_toi_thieu", "so_van_ban", "nguoi_ky", "code",
)  # fmt: skip

GARBAGE_QUERIES = [
    {"nam": "abc"},
    {"nam": "99999999999999999999"},
    {"don_vi": "-1"},
    {"don_vi": TOO_BIG},
    {"page": "x"},
    {"q": LONG_TEXT},
    {name: TOO_BIG for name in READ_PARAMETERS},
    {name: LONG_TEXT for name in READ_PARAMETERS},
]


@pytest.fixture
def world(approver, dang_bo, chi_bo, year):
    """One object of each kind the URLs name, so that pages read their query parameters instead of answering 404."""
    active = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Dân vận khéo ở một cửa")
    exemplar = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.EXEMPLAR_BASE, title="Ba cùng với dân")
    meeting = make_meeting(approver, dang_bo, year, [(active, 6, 0)])
    proposal = proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[exemplar])
    return {"registration": active.pk, "meeting": meeting.pk, "proposal": proposal.pk}


# URL name → the path arguments it needs (keys of ``world``, or literal values).
GET_URLS = {
    "home": [],
    "registration-list": [],
    "registration-export": [],
    "unregistered-units": [],
    "registration-create-choose": [],
    "registration-create": ["mau-1"],
    "registration-detail": ["registration"],
    "registration-update": ["registration"],
    "registration-transition": ["registration", "submit"],
    "attachment-upload": ["registration"],
    "attachment-download": [999999],
    "attachment-delete": [999999],
    "registration-pdf": ["registration"],
    "mau3": [],
    "mau3-pdf": [],
    "mau3-xlsx": [],
    "document-pdf": [999999],
    "document-issue": ["mau_7a"],
    "document-draft": ["mau_3"],
    "document-docx": [999999],
    "document-draft-docx": ["mau_3"],
    "document-draft-job": ["mau_3"],
    "review-unit": [],
    "review-pdf": [],
    "review-xlsx": [],
    "review-edit": ["registration", 2025],
    "owner-report-edit": ["registration", "mau-5"],
    "owner-report-pdf": ["registration", "mau-5"],
    "meeting-list": [],
    "meeting-create": [],
    "meeting-detail": ["meeting"],
    "meeting-record": ["meeting"],
    "meeting-minutes-pdf": ["meeting"],
    "meeting-decision-pdf": ["meeting"],
    "proposal-list": [],
    "proposal-create": [],
    "proposal-detail": ["proposal"],
    "proposal-send": ["proposal"],
    "proposal-pdf": ["proposal"],
    "appraisal-list": [],
    "appraisal-score": ["registration"],
    "appraisal-finish": ["registration"],
    "ranking": [],
    "ranking-xlsx": [],
    "appraisal-report-pdf": [],
    "submission-pdf": [],
    "verify-lookup": [],
    "document-verify": ["ABC-123"],
    "showcase-list": [],
    "showcase-detail": [999999],
    "showcase-photo": [999999, 999999],
    "document-scan-upload": [999999],
    "document-signed-upload": [999999],
    "verify-file": [],
    "registration-publish": ["registration"],
    "dashboard": [],
    "periodic-report": [],
    "periodic-report-pdf": [],
    "periodic-report-xlsx": [],
    "reminder-send": [],
    "notification-settings": [],
    "print-job-create": [],
    "print-job-detail": [999999],
    "print-job-status": [999999],
    "print-job-download": [999999],
}


def test_every_get_url_of_the_registry_is_fuzzed():
    from registry.urls import urlpatterns

    assert {pattern.name for pattern in urlpatterns} == set(GET_URLS)


@pytest.mark.parametrize("persona", ["anonymous", "approver", "appraiser"])
@pytest.mark.parametrize("name", list(GET_URLS))
def test_garbage_query_parameters_never_make_a_server_error(client, request, world, name, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = reverse(f"registry:{name}", args=[world.get(arg, arg) for arg in GET_URLS[name]])
    for query in GARBAGE_QUERIES:
        response = client.get(url, query)
        assert response.status_code < 500, (url, query)
