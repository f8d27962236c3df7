"""Document numbers: a số thứ tự of any length, the kind, and the issuer's abbreviation however long (HD 36), in
Vietnamese capitals; anything else is refused with the one message."""

import pytest
from django.core.exceptions import ValidationError

from registry.document_forms import IssueForm
from registry.models.documents import BAD_NUMBER, NUMBER_MAX_LENGTH, Document, validate_number


@pytest.mark.parametrize(
    "number",
    [
        "12-BB/ĐU",
        "05/ĐK-SYT",
        "125-TTr/BTGDVĐUK",
        "1250-QyĐ/ĐUKCCQ-UBKT",  # a quy định of a joint issuer
        "1234567-QĐ/TU",  # a số thứ tự past six digits
        "12-NQLT/ĐUKCCQTTHAINGUYEN-UBKTĐUKCCQT",  # a long joint issuer
        "36-HD/VPTƯ",  # a Vietnamese capital other than Đ
        "01-KH/BCĐ35",
        "123/QĐ-UBND",
    ],
)
def test_numbers_the_party_and_the_state_write_are_accepted(number):
    validate_number(number)


@pytest.mark.parametrize(
    "number", ["12 BB", "12-BB/đu", "12-BB/", "BB/ĐU", "12-bb/ĐU", "12-BB/ĐU-", "12-BB/Đ_U", "12 - BB/ĐU", "12"]
)
def test_malformed_numbers_are_refused_with_the_example_message(number):
    with pytest.raises(ValidationError) as excinfo:
        validate_number(number)
    assert excinfo.value.messages == [BAD_NUMBER]


def test_number_field_holds_a_long_joint_issuers_number():
    long_number = "12345-NQLT/ĐUKCCQTTHAINGUYEN-UBKTĐUKCCQT-BTGDV"
    assert len(long_number) > 40
    assert Document._meta.get_field("number").max_length == NUMBER_MAX_LENGTH >= len(long_number)
    assert IssueForm.base_fields["number"].max_length == NUMBER_MAX_LENGTH
