"""Property-based proofs with hypothesis: no input to the main forms is a server error, and a refused form saves
nothing. Text includes control characters, NUL, HTML/script and very long strings; numbers and dates are random."""

import io

import openpyxl
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.models import Field, Level, Meeting, Registration, Status
from tests.factories import RegistrationFactory
from tests.views.test_meeting_views import create_url, post_data
from tests.views.test_registration_views import form_data

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

nasty_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30),
    st.sampled_from(["\x00", "a\x00b", "\x07\x1b[31m", "<script>alert(1)</script>", "=1+1", "'; DROP TABLE x;--"]),
    st.text(alphabet="Dân vận khéo<>&\"'\x00\t\n", min_size=3000, max_size=6000),
)
numbers = st.one_of(st.integers(min_value=-(10**20), max_value=10**20).map(str), nasty_text)
dates = st.one_of(st.dates().map(lambda d: d.strftime("%d/%m/%Y")), st.dates().map(str), nasty_text)

REG_TEXT_FIELDS = ["title", "address", "situation", "content", "lead_name", "lead_phone"]


@pytest.fixture
def field(db):
    return Field.objects.get(code="phat-trien-kinh-te")


def _never_500_and_nothing_half_saved(response, model, before: int):
    assert response.status_code < 500
    if response.status_code == 200:  # the form came back with errors: not a row written
        assert model.objects.count() == before


@SETTINGS
@given(name=st.sampled_from(REG_TEXT_FIELDS), text=nasty_text, headcount=numbers, start=dates)
def test_mau_1_create_never_fails_and_saves_nothing_on_a_form_error(
    client, secretary, chi_bo, year, field, name, text, headcount, start
):
    client.force_login(secretary)
    data = form_data(year, field, subject_unit=chi_bo.pk, subject_headcount=headcount, start_date=start)
    data[name] = text
    before = Registration.objects.count()
    response = client.post(reverse("registry:registration-create", args=["mau-1"]), data)
    _never_500_and_nothing_half_saved(response, Registration, before)


@SETTINGS
@given(name=st.sampled_from(REG_TEXT_FIELDS), text=nasty_text, person=numbers, end=dates)
def test_mau_2_create_never_fails_and_saves_nothing_on_a_form_error(
    client, secretary, member, year, field, name, text, person, end
):
    client.force_login(secretary)
    data = form_data(year, field, subject_person=person, end_date=end)
    data.pop("subject_headcount", None)
    data[name] = text
    before = Registration.objects.count()
    response = client.post(reverse("registry:registration-create", args=["mau-2"]), data)
    _never_500_and_nothing_half_saved(response, Registration, before)


@SETTINGS
@given(
    name=st.sampled_from(["body", "place", "chair_name", "conclusion", "absence_note"]),
    text=nasty_text,
    total=numbers,
    votes=numbers,
    held_on=dates,
)
def test_meeting_create_never_fails_and_saves_nothing_on_a_form_error(
    client, approver, dang_bo, chi_bo, year, name, text, total, votes, held_on
):
    reg = Registration.objects.filter(title="Mô hình họp xét").first() or RegistrationFactory(
        subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Mô hình họp xét"
    )
    client.force_login(approver)
    data = post_data({reg.pk: (votes, "0")}, members_total=total, held_on=held_on)
    data[name] = text
    before = Meeting.objects.count()
    response = client.post(create_url(dang_bo), data)
    _never_500_and_nothing_half_saved(response, Meeting, before)


@SETTINGS
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "linh_vuc", "cap", "trang_thai", "doi_tuong", "sap_xep", "nam", "don_vi", "page"]),
        nasty_text,
        max_size=5,
    )
)
def test_list_filter_and_showcase_search_never_fail(client, secretary, year, params):
    client.force_login(secretary)
    assert client.get(reverse("registry:registration-list"), params).status_code < 500
    client.logout()
    assert client.get(reverse("registry:showcase-list"), params).status_code < 500


@SETTINGS
@given(code=nasty_text)
def test_verification_code_url_and_lookup_never_fail(client, db, code):
    path_code = code.replace("/", "").strip() or "x"
    response = client.get(reverse("registry:verify-lookup"), {"code": code})
    assert response.status_code < 500
    try:
        url = reverse("registry:document-verify", args=[path_code])
    except Exception:  # a code the URL pattern cannot carry cannot be asked either
        return
    assert client.get(url).status_code in (200, 301, 302, 400, 404)


def test_a_script_in_a_title_is_shown_escaped(client, secretary, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, title="<script>alert('x')</script> Dân vận")
    client.force_login(secretary)
    for url in (reverse("registry:registration-detail", args=[reg.pk]), reverse("registry:registration-list")):
        html = client.get(url).content.decode()
        assert "<script>alert(" not in html
        assert "&lt;script&gt;alert(" in html


def test_a_title_starting_with_equals_is_exported_as_text_not_a_formula(client, secretary, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, title='=HYPERLINK("http://x","bấm")', level=Level.BASE)
    client.force_login(secretary)
    response = client.get(reverse("registry:registration-export"))
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    cells = [
        cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str) and "HYPERLINK" in cell.value
    ]
    assert cells
    assert all(cell.data_type == "s" for cell in cells)
    assert all(not cell.value.startswith("=") or cell.quotePrefix for cell in cells)
