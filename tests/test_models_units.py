"""The unit tree (registry/models/units.py): subtree and scope queries, ancestry helpers and moves."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from treebeard.exceptions import InvalidMoveToDescendant

from registry.models import Registration, Role, SubjectKind, Unit, UnitKind
from registry.models.units import GRASSROOTS_KINDS
from tests.factories import MembershipFactory, RegistrationFactory, UnitFactory, UserFactory


def fresh(unit: Unit) -> Unit:
    # Adding a unit whose name sorts first renumbers its siblings' paths (node_order_by), so fixtures held in memory
    # may carry an old path; compare against the tree as stored.
    return Unit.objects.get(pk=unit.pk)


# Treebeard accepts only sorted positions while Unit.node_order_by is set.
INTO = "sorted-child" if Unit.node_order_by else "last-child"


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def tree(khoi, dang_bo, chi_bo, agency, doan_the, other_dang_bo, other_chi_bo):
    """The whole conftest tree, created before the test body so that no later insert renumbers it."""
    return {
        name: fresh(unit)
        for name, unit in {
            "khoi": khoi,
            "dang_bo": dang_bo,
            "chi_bo": chi_bo,
            "agency": agency,
            "doan_the": doan_the,
            "other_dang_bo": other_dang_bo,
            "other_chi_bo": other_chi_bo,
        }.items()
    }


def test_subtree_of_is_the_unit_and_everything_below_it(tree):
    t = tree
    assert pks(Unit.objects.subtree_of(t["dang_bo"])) == {
        t["dang_bo"].pk,
        t["chi_bo"].pk,
        t["agency"].pk,
        t["doan_the"].pk,
    }


def test_subtree_of_several_units_is_their_union(tree):
    t = tree
    assert pks(Unit.objects.subtree_of(t["agency"], t["other_dang_bo"])) == {
        t["agency"].pk,
        t["doan_the"].pk,
        t["other_dang_bo"].pk,
        t["other_chi_bo"].pk,
    }


def test_subtree_of_no_unit_is_empty(tree):
    assert not Unit.objects.subtree_of().exists()


def test_scope_of_user_without_membership_is_empty(tree):
    assert not Unit.objects.scope_of(UserFactory(username="khongvaitro")).exists()


def test_scope_of_anonymous_user_is_empty(tree):
    assert not Unit.objects.scope_of(AnonymousUser()).exists()


def test_scope_of_membership_reaches_its_unit_and_below(tree, secretary):
    assert pks(Unit.objects.scope_of(secretary)) == {tree["chi_bo"].pk}


def test_scope_of_memberships_in_two_branches_is_their_union(tree):
    t = tree
    user = UserFactory(username="haicho")
    MembershipFactory(user=user, unit=t["agency"], role=Role.EDITOR)
    MembershipFactory(user=user, unit=t["other_dang_bo"], role=Role.VIEWER)
    assert pks(Unit.objects.scope_of(user)) == {
        t["agency"].pk,
        t["doan_the"].pk,
        t["other_dang_bo"].pk,
        t["other_chi_bo"].pk,
    }


def test_is_within_holds_for_the_unit_itself_and_every_unit_above(tree):
    t = tree
    assert t["doan_the"].is_within(t["doan_the"])
    assert t["doan_the"].is_within(t["agency"])
    assert t["doan_the"].is_within(t["dang_bo"])
    assert t["doan_the"].is_within(t["khoi"])


def test_is_within_fails_for_units_below_or_in_another_branch(tree):
    t = tree
    assert not t["dang_bo"].is_within(t["chi_bo"])
    assert not t["chi_bo"].is_within(t["other_dang_bo"])
    assert not t["other_chi_bo"].is_within(t["dang_bo"])


def test_ancestors_and_self_runs_from_the_root_down_in_one_query(tree, django_assert_num_queries):
    t = tree
    with django_assert_num_queries(1):
        chain = t["doan_the"].ancestors_and_self()
    assert chain == [t["khoi"], t["dang_bo"], t["agency"], t["doan_the"]]


def test_nearest_finds_the_closest_unit_above_of_a_kind(tree):
    assert tree["doan_the"].nearest(GRASSROOTS_KINDS) == tree["dang_bo"]


def test_nearest_is_the_unit_itself_when_its_kind_matches(tree):
    assert tree["agency"].nearest({UnitKind.CO_QUAN}) == tree["agency"]


def test_nearest_is_none_when_no_unit_above_has_the_kind(tree):
    assert tree["dang_bo"].nearest({UnitKind.CHI_BO}) is None


def test_khoi_is_the_root_of_the_units_own_tree(tree):
    second_khoi = UnitFactory(code="DUK2", name="Đảng bộ Khối Doanh nghiệp tỉnh", kind=UnitKind.KHOI)
    second_dang_bo = UnitFactory(parent=second_khoi, code="CTY-DB", name="Đảng bộ Công ty Than", kind="dang_bo_co_so")
    assert fresh(tree["doan_the"]).khoi() == tree["khoi"]
    assert fresh(second_dang_bo).khoi() == second_khoi


def test_moving_a_unit_carries_its_subtree(tree):
    t = tree
    Unit.objects.move(t["agency"], t["other_dang_bo"], INTO)

    agency, doan_the = fresh(t["agency"]), fresh(t["doan_the"])
    assert Unit.objects.get_parent(agency) == t["other_dang_bo"]
    assert Unit.objects.get_parent(doan_the) == agency
    assert doan_the.depth == 4
    assert doan_the.is_within(fresh(t["other_dang_bo"]))
    assert pks(Unit.objects.subtree_of(fresh(t["dang_bo"]))) == {t["dang_bo"].pk, t["chi_bo"].pk}
    assert fresh(t["dang_bo"]).numchild == 1


def test_moving_a_unit_under_its_own_descendant_is_refused_and_changes_nothing(tree):
    before = dict(Unit.objects.values_list("pk", "path"))

    with pytest.raises(InvalidMoveToDescendant):
        Unit.objects.move(tree["dang_bo"], tree["doan_the"], INTO)

    assert dict(Unit.objects.values_list("pk", "path")) == before


@pytest.fixture
def big_tree(khoi):
    """20 đảng bộ cơ sở of 99 chi bộ each (2,000 units) under the Khối, and a second Khối that must stay out."""
    other_khoi = UnitFactory(code="DUK-KHAC", name="Đảng bộ Khối khác", kind=UnitKind.KHOI)
    UnitFactory(parent=other_khoi, code="KHAC-DB", name="Đảng bộ ngoài Khối", kind=UnitKind.DANG_BO_CO_SO)
    data = [
        {
            "data": {"code": f"DB{i:02d}", "name": f"Đảng bộ số {i:02d}", "kind": UnitKind.DANG_BO_CO_SO},
            "children": [
                {"data": {"code": f"DB{i:02d}-CB{j:02d}", "name": f"Chi bộ số {j:02d}", "kind": UnitKind.CHI_BO}}
                for j in range(99)
            ],
        }
        for i in range(20)
    ]
    Unit.objects.load_bulk(data, parent=fresh(khoi), bulk_create=True)
    return fresh(khoi)


def test_subtree_query_over_two_thousand_units_counts_exactly(big_tree):
    branch = Unit.objects.get(code="DB07")
    conftest_tree = 7  # the Khối and its six units from tests/conftest.py
    assert Unit.objects.count() == conftest_tree + 2000 + 2
    assert Unit.objects.subtree_of(big_tree).count() == conftest_tree + 2000
    assert Unit.objects.subtree_of(branch).count() == 100
    assert Unit.objects.subtree_of(branch, Unit.objects.get(code="DB12")).count() == 200


def test_subtree_query_is_a_like_on_path_not_a_recursive_walk(big_tree, django_assert_num_queries):
    qs = Unit.objects.subtree_of(Unit.objects.get(code="DB07"))
    sql = str(qs.query)
    assert re.search(r'"registry_unit"\."path"(::text)? LIKE', sql)
    assert "RECURSIVE" not in sql.upper()
    with django_assert_num_queries(1):
        assert len(list(qs)) == 100


def test_registrations_stay_visible_to_their_approver_after_a_unit_is_added_before_theirs(khoi, chi_bo, year, approver):
    reg = RegistrationFactory(subject_kind=SubjectKind.PARTY_ORG, subject_unit=fresh(chi_bo), year=year)
    assert list(Registration.objects.visible_to(approver)) == [reg]

    # "Đảng bộ Sở Công thương" sorts before "Đảng bộ Sở Y tế": treebeard renumbers the Sở Y tế branch.
    UnitFactory(parent=khoi, code="SCT-DB", name="Đảng bộ Sở Công thương", kind=UnitKind.DANG_BO_CO_SO)

    # The approver's next request: memberships (and their units' paths) are read once per request.
    next_request_user = type(approver).objects.get(pk=approver.pk)
    assert list(Registration.objects.visible_to(next_request_user)) == [reg]


def test_registrations_know_their_khoi(tree, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.AGENCY, subject_unit=tree["agency"], year=year)

    assert reg.khoi == tree["khoi"]


def test_registrations_follow_their_unit_into_another_khoi(tree, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.AGENCY, subject_unit=tree["agency"], year=year)
    other_khoi = UnitFactory(parent=None, code="KHOI-2", name="Đảng bộ Khối Doanh nghiệp", kind=UnitKind.KHOI)
    viewer_of_other = UserFactory(username="khoidoanhnghiep")
    MembershipFactory(user=viewer_of_other, unit=other_khoi, role=Role.VIEWER)

    Unit.objects.move(tree["agency"], other_khoi, INTO)

    reg.refresh_from_db()
    assert reg.khoi == other_khoi
    assert list(Registration.objects.visible_to(viewer_of_other)) == [reg]
    assert list(Registration.objects.within(fresh(tree["khoi"]))) == []


def test_khoi_scope_matches_the_path_scope(tree, year):
    for unit in ("chi_bo", "agency", "other_chi_bo"):
        RegistrationFactory(
            subject_kind=SubjectKind.AGENCY if unit == "agency" else SubjectKind.PARTY_ORG,
            subject_unit=tree[unit],
            year=year,
        )
    khoi = tree["khoi"]

    by_khoi = set(Registration.objects.within(khoi).values_list("pk", flat=True))
    by_path = set(Registration.objects.filter(unit__path__startswith=khoi.path).values_list("pk", flat=True))
    assert by_khoi == by_path and len(by_khoi) == 3


def test_registrations_follow_their_unit_when_it_is_moved(tree, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.AGENCY, subject_unit=tree["agency"], year=year)
    new_approver = UserFactory(username="danguytaichinh")
    MembershipFactory(user=new_approver, unit=tree["other_dang_bo"], role=Role.APPROVER)

    Unit.objects.move(tree["agency"], tree["other_dang_bo"], INTO)

    assert list(Registration.objects.visible_to(new_approver)) == [reg]


def test_a_save_that_keeps_the_unit_keeps_the_stored_khoi(tree, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.AGENCY, subject_unit=tree["agency"], year=year)
    other_khoi = UnitFactory(parent=None, code="KHOI-3", name="Đảng bộ Khối Doanh nghiệp", kind=UnitKind.KHOI)
    # A move committed meanwhile set the registration's Khối; this instance read its unit before that.
    Registration.objects.filter(pk=reg.pk).update(khoi=other_khoi)
    stale = Registration.objects.select_related("unit").get(pk=reg.pk)

    stale.save(update_fields=["status"])

    assert Registration.objects.get(pk=reg.pk).khoi == other_khoi


def test_a_registration_moved_to_a_unit_of_another_khoi_takes_that_khoi(tree, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.AGENCY, subject_unit=tree["agency"], year=year)
    other_khoi = UnitFactory(parent=None, code="KHOI-4", name="Đảng bộ Khối Doanh nghiệp", kind=UnitKind.KHOI)
    elsewhere = UnitFactory(parent=other_khoi, code="CQ-9", name="Cơ quan khác", kind=UnitKind.CO_QUAN)
    reg = Registration.objects.get(pk=reg.pk)

    reg.unit = elsewhere
    reg.save(update_fields=["unit"])

    assert Registration.objects.get(pk=reg.pk).khoi == other_khoi
