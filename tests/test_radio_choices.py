"""Radio groups of a required model choice offer the choices only: no "---------" button (Django's blank choice,
meant for a select)."""

import re

from django import forms

from registry.forms import _formfield
from registry.models import Meeting, Status, VotingMethod
from tests.factories import RegistrationFactory


def test_meeting_form_offers_the_two_voting_methods_and_no_blank_button(client, approver, chi_bo, dang_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    client.force_login(approver)
    html = client.get(f"/hop-xet/tao/?unit={dang_bo.pk}&purpose=confirm_model&year=2025").content.decode()
    values = re.findall(r'<input type="radio"[^>]*name="voting_method" value="([^"]*)"', html)
    assert values == list(VotingMethod.values)
    assert "---------" not in html


def test_a_required_choice_drawn_as_a_select_keeps_its_blank_line():
    field = _formfield(Meeting._meta.get_field("voting_method"))
    assert field.choices[0] == ("", "---------")
    radio = _formfield(Meeting._meta.get_field("voting_method"), widget=forms.RadioSelect)
    assert radio.choices == list(VotingMethod.choices)
