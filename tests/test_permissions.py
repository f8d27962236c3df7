"""Who may do what (registry.permissions), tried with personas in both branches of the tree."""

import pytest

from registry import permissions, workflow
from registry.models import Registration, Role, Status, SubjectKind
from tests.factories import MembershipFactory, RegistrationFactory, UserFactory


@pytest.fixture
def draft(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year)


@pytest.fixture
def submitted(draft, secretary):
    return workflow.apply(draft, "submit", actor=secretary)


@pytest.fixture
def dang_bo_editor(dang_bo):
    user = UserFactory(username="vanphong")
    MembershipFactory(user=user, unit=dang_bo, role=Role.EDITOR)
    return user


def fresh(user):
    """The same account without the memberships cached on the instance by an earlier check."""
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("secretary", True), ("approver", True), ("viewer", True), ("appraiser", True), ("outsider", False)],
)
def test_can_view_follows_the_unit_tree(request, draft, persona, expected):
    user = request.getfixturevalue(persona)
    assert permissions.can_view(user, draft) is expected
    assert Registration.objects.visible_to(user).filter(pk=draft.pk).exists() is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("secretary", True),
        ("dang_bo_editor", True),
        ("approver", False),
        ("chi_bo_approver", False),
        ("viewer", False),
        ("outsider", False),
    ],
)
def test_only_editors_over_the_owning_unit_edit_a_draft(request, draft, persona, expected):
    assert permissions.can_edit(request.getfixturevalue(persona), draft) is expected


def test_nobody_edits_a_submitted_registration(secretary, dang_bo_editor, submitted):
    assert permissions.can_edit(secretary, submitted) is False
    assert permissions.can_edit(dang_bo_editor, submitted) is False
    assert permissions.can_manage_attachments(secretary, submitted) is False


def test_returned_registration_is_editable_again(secretary, approver, submitted):
    returned = workflow.apply(submitted, "return", actor=approver, reason="Bổ sung")
    assert permissions.can_edit(fresh(secretary), returned) is True
    assert permissions.can_submit(fresh(secretary), returned) is True


def test_withdraw_is_for_the_editor_of_a_submitted_registration(secretary, approver, draft):
    assert permissions.can_withdraw(secretary, draft) is False
    submitted = workflow.apply(draft, "submit", actor=secretary)
    assert permissions.can_withdraw(secretary, submitted) is True
    assert permissions.can_withdraw(approver, submitted) is False
    active = workflow.apply(submitted, "receive", actor=approver)
    assert permissions.can_withdraw(secretary, active) is False


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("approver", True),  # Đảng ủy Sở Y tế: the receiving unit of its chi bộ
        ("khoi_approver", True),  # a unit above the receiving unit
        ("chi_bo_approver", False),  # a chi bộ never confirms its own registration
        ("secretary", False),
        ("viewer", False),
        ("appraiser", False),
        ("outsider", False),
    ],
)
def test_approvers_of_the_receiving_unit_or_above_receive(request, submitted, persona, expected):
    user = request.getfixturevalue(persona)
    assert permissions.can_receive(user, submitted) is expected
    assert permissions.can_stop(user, submitted) is expected


def test_member_registration_is_received_by_the_chi_bo_approver(chi_bo_approver, member, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)
    assert permissions.can_receive(chi_bo_approver, reg) is True


@pytest.mark.parametrize(
    ("persona", "unit", "expected"),
    [
        ("secretary", "chi_bo", True),
        ("secretary", "dang_bo", False),
        ("secretary", "agency", False),
        ("dang_bo_editor", "agency", True),
        ("dang_bo_editor", "doan_the", True),
        ("dang_bo_editor", "other_chi_bo", False),
        ("approver", "chi_bo", False),
        ("outsider", "chi_bo", False),
    ],
)
def test_can_create_for_units_within_the_editor_scope(request, persona, unit, expected):
    user, unit = request.getfixturevalue(persona), request.getfixturevalue(unit)
    assert permissions.can_create_for(user, unit) is expected


def test_roles_reach_down_the_tree(approver, chi_bo, doan_the, other_chi_bo):
    assert permissions.roles_over(approver, chi_bo) == {Role.APPROVER}
    assert permissions.roles_over(approver, doan_the) == {Role.APPROVER}
    assert permissions.roles_over(approver, other_chi_bo) == set()


def test_memberships_are_fetched_once_per_user_object(secretary, chi_bo, django_assert_num_queries):
    user = fresh(secretary)
    with django_assert_num_queries(1):
        permissions.roles_over(user, chi_bo)
        permissions.can_create_for(user, chi_bo)
        permissions.editor_units(user)


def test_anonymous_user_has_no_role(chi_bo):
    from django.contrib.auth.models import AnonymousUser

    assert permissions.memberships_of(AnonymousUser()) == []
    assert permissions.roles_over(AnonymousUser(), chi_bo) == set()


def test_editor_and_approver_units_list_the_roots_of_each_role(outsider, other_chi_bo, other_dang_bo):
    assert permissions.editor_units(outsider) == [other_chi_bo]
    assert permissions.approver_units(outsider) == [other_dang_bo]


def test_stop_is_offered_only_for_an_active_registration(approver, submitted):
    assert [name for name, _ in workflow.available_actions(approver, submitted)] == ["receive", "return"]
    active = workflow.apply(submitted, "receive", actor=approver)
    assert [name for name, _ in workflow.available_actions(approver, active)] == ["stop"]
    assert active.status == Status.ACTIVE


def test_a_user_approving_nothing_over_the_entry_is_refused_without_looking_up_its_grassroots_unit(
    draft, secretary, django_assert_num_queries
):
    reg = Registration.objects.select_related("unit", "khoi").get(pk=draft.pk)
    permissions.memberships_of(secretary)
    with django_assert_num_queries(0):
        assert not permissions.can_propose_khoi(secretary, reg)
        assert not permissions.can_decide_exemplar_base(secretary, reg)


def test_an_approver_above_the_entry_may_propose_it_through_its_grassroots_unit(draft, approver):
    # The đảng bộ cơ sở's approver holds the role over the grassroots unit above the chi bộ's entry.
    assert permissions.can_propose_khoi(approver, Registration.objects.get(pk=draft.pk))
