"""The appraisal service: scoring rules and errors, one sheet per appraiser, blind visibility, finishing, and the
race between finishing an entry and submitting a score (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry import appraisals, terms, workflow
from registry import unit_tree as unit_tree_module
from registry.models import (
    Appraisal,
    AppraisalScore,
    Criterion,
    Registration,
    Status,
    StatusChange,
    SubjectGroup,
    SubjectKind,
    Unit,
    UnitKind,
)
from registry.models.units import GRASSROOTS_KINDS
from tests.appraisal_utils import collective, new_appraiser, propose, scores_for, submit
from tests.factories import RegistrationFactory, UnitFactory, YearFactory


@pytest.fixture
def entry(dang_bo, chi_bo, year):
    return propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Dân vận khéo trong tiếp dân")


@pytest.fixture
def person_entry(dang_bo, member, year):
    return propose(unit=dang_bo, year=year, subject_person=member, title="Nghe dân nói, làm dân tin")


def _draft(reg, user, values, **kw):
    return appraisals.appraisal_save(
        registration=reg, appraiser=user, file_complete=kw.get("file_complete", True), scores=scores_for(reg, values)
    )


# --- scoring ------------------------------------------------------------------------------------------------------


def test_submit_stores_total_criteria_met_and_time(entry, appraiser):
    appraisal = submit(entry, appraiser, collective([20, 18, 15, 10, 5], [True, True, True, False, False]))

    appraisal.refresh_from_db()
    assert appraisal.total_score == 68
    assert appraisal.criteria_met == 3
    assert appraisal.submitted_at is not None
    assert sorted(appraisal.scores.values_list("score", flat=True)) == [5, 10, 15, 18, 20]


def test_individual_entry_is_scored_on_its_three_criteria(person_entry, appraiser):
    appraisal = submit(person_entry, appraiser, [(True, 30), (True, 30), (False, 10)])

    assert appraisal.total_score == 70
    assert appraisal.criteria_met == 2
    groups = set(AppraisalScore.objects.filter(appraisal=appraisal).values_list("criterion__group", flat=True))
    assert groups == {SubjectGroup.INDIVIDUAL}


def test_draft_is_saved_unsubmitted_and_edited_in_place(entry, appraiser):
    _draft(entry, appraiser, collective([10, 10, 10, 10, 10]))
    _draft(entry, appraiser, collective([12, 10, 10, 10, 10]))

    appraisal = Appraisal.objects.get(registration=entry, appraiser=appraiser)
    assert appraisal.submitted_at is None
    assert appraisal.total_score == 0
    assert appraisal.scores.order_by("criterion__number").first().score == 12
    assert Appraisal.objects.filter(registration=entry).count() == 1


def test_draft_may_leave_criteria_blank(entry, appraiser):
    first = appraisals.criteria_of(entry)[0]
    appraisals.appraisal_save(
        registration=entry, appraiser=appraiser, file_complete=False, scores={first.pk: (True, 15)}
    )

    appraisal = Appraisal.objects.get(registration=entry, appraiser=appraiser)
    assert appraisal.file_complete is False
    assert list(appraisal.scores.values_list("score", flat=True)) == [15]


def test_submitting_after_a_draft_submits_the_same_sheet(entry, appraiser):
    _draft(entry, appraiser, collective([10, 10, 10, 10, 10]))
    submit(entry, appraiser, collective([20, 20, 20, 20, 20]))

    assert Appraisal.objects.filter(registration=entry, appraiser=appraiser).count() == 1
    assert Appraisal.objects.get(registration=entry, appraiser=appraiser).total_score == 100


def test_second_submission_is_refused_and_first_stays(entry, appraiser):
    submit(entry, appraiser, collective([20, 20, 20, 20, 20]))

    with pytest.raises(ValidationError) as exc:
        submit(entry, appraiser, collective([1, 1, 1, 1, 1]))

    assert exc.value.messages == ["Bạn đã nộp phiếu thẩm định cho hồ sơ này."]
    assert Appraisal.objects.get(registration=entry, appraiser=appraiser).total_score == 100


def test_database_allows_one_appraisal_per_appraiser_and_entry(entry, appraiser):
    Appraisal.objects.create(registration=entry, appraiser=appraiser)

    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        Appraisal.objects.create(registration=entry, appraiser=appraiser)

    assert "registry_appraisal_once_per_appraiser" in str(exc.value) or "UNIQUE" in str(exc.value)


def test_score_above_maximum_is_a_field_error_naming_the_maximum(entry, appraiser):
    first = appraisals.criteria_of(entry)[0]

    with pytest.raises(ValidationError) as exc:
        submit(entry, appraiser, collective([21, 20, 20, 20, 19]))

    assert exc.value.message_dict == {
        f"score_{first.pk}": ["Điểm không được vượt quá 20 (điểm tối đa của tiêu chí này)."]
    }
    assert not Appraisal.objects.exists()


def test_criterion_of_the_other_group_is_refused_and_nothing_saved(entry, appraiser):
    scores = scores_for(entry, collective([20, 20, 20, 20, 20]))
    individual = Criterion.objects.filter(group=SubjectGroup.INDIVIDUAL).first()
    scores[individual.pk] = (True, 10)

    with pytest.raises(ValidationError) as exc:
        appraisals.appraisal_submit(registration=entry, appraiser=appraiser, file_complete=True, scores=scores)

    assert exc.value.message_dict == {"__all__": ["Tiêu chí không thuộc bộ tiêu chí của hồ sơ này."]}
    assert not Appraisal.objects.exists()
    assert not AppraisalScore.objects.exists()


def test_submit_with_a_criterion_left_blank_is_refused(entry, appraiser):
    scores = scores_for(entry, collective([20, 20, 20, 20, 20]))
    last = appraisals.criteria_of(entry)[-1]
    scores[last.pk] = (True, None)

    with pytest.raises(ValidationError) as exc:
        appraisals.appraisal_submit(registration=entry, appraiser=appraiser, file_complete=True, scores=scores)

    assert exc.value.message_dict == {f"score_{last.pk}": [appraisals.MISSING_SCORE]}
    assert not Appraisal.objects.exists()


def test_refused_submission_keeps_the_earlier_draft_untouched(entry, appraiser):
    _draft(entry, appraiser, collective([10, 10, 10, 10, 10]))

    with pytest.raises(ValidationError):
        submit(entry, appraiser, collective([15, 15, 15, 15, 99]))

    appraisal = Appraisal.objects.get(registration=entry, appraiser=appraiser)
    assert appraisal.submitted_at is None
    assert sorted(appraisal.scores.values_list("score", flat=True)) == [10, 10, 10, 10, 10]


@pytest.mark.parametrize("persona", ["secretary", "approver", "chi_bo_approver", "khoi_approver", "viewer"])
def test_only_appraisers_of_the_khoi_may_score(request, entry, persona):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        submit(entry, user, collective([20, 20, 20, 20, 20]))

    assert not Appraisal.objects.exists()


def test_appraiser_of_another_khoi_may_not_score(entry):
    from tests.factories import UnitFactory

    other_khoi = UnitFactory(code="DUK2", name="Đảng bộ Khối doanh nghiệp tỉnh")
    stranger = new_appraiser(other_khoi, "btg-khac")

    with pytest.raises(PermissionDenied):
        submit(entry, stranger, collective([20, 20, 20, 20, 20]))


@pytest.mark.parametrize("status", [Status.APPRAISED, Status.EXEMPLAR_BASE, Status.EXEMPLAR_KHOI])
def test_scoring_is_refused_once_the_entry_left_appraisal(entry, appraiser, status):
    Registration.objects.filter(pk=entry.pk).update(status=status)

    with pytest.raises(ValidationError) as exc:
        submit(entry, appraiser, collective([20, 20, 20, 20, 20]))

    assert exc.value.messages == ["Hồ sơ đã kết thúc thẩm định; không thể nộp thêm phiếu."]
    assert not Appraisal.objects.exists()


# --- can_score: the one rule the sheet, the list and the panel ask ---------------------------------------------


def test_an_appraiser_can_score_an_entry_until_their_own_sheet_is_submitted(entry, appraiser):
    assert appraisals.can_score(appraiser, entry, None) is True
    draft = _draft(entry, appraiser, collective([10, 10, 10, 10, 10]))
    assert appraisals.can_score(appraiser, entry, draft) is True
    own = submit(entry, appraiser, collective([10, 10, 10, 10, 10]))
    assert appraisals.can_score(appraiser, entry, own) is False


@pytest.mark.parametrize("status", [Status.APPRAISED, Status.EXEMPLAR_BASE, Status.EXEMPLAR_KHOI])
def test_nobody_can_score_an_entry_that_left_appraisal(entry, appraiser, status):
    Registration.objects.filter(pk=entry.pk).update(status=status)
    entry.refresh_from_db()

    assert appraisals.can_score(appraiser, entry, None) is False


@pytest.mark.parametrize("persona", ["secretary", "approver", "chi_bo_approver", "khoi_approver", "viewer", "outsider"])
def test_only_appraisers_of_the_khoi_can_score(request, entry, persona):
    assert appraisals.can_score(request.getfixturevalue(persona), entry, None) is False


# --- blind visibility -------------------------------------------------------------------------------------------


def test_others_are_hidden_until_own_appraisal_is_submitted(entry, appraiser, khoi):
    colleague = new_appraiser(khoi, "btg2")
    submit(entry, colleague, collective([20, 20, 20, 20, 20]))

    assert appraisals.others_visible(entry, appraiser, None) is False
    draft = _draft(entry, appraiser, collective([10, 10, 10, 10, 10]))
    assert appraisals.others_visible(entry, appraiser, draft) is False
    own = submit(entry, appraiser, collective([10, 10, 10, 10, 10]))
    assert appraisals.others_visible(entry, appraiser, own) is True


def test_scores_are_visible_to_everyone_in_scope_once_the_appraisal_is_finished(entry, appraiser, khoi):
    colleague = new_appraiser(khoi, "btg2")
    submit(entry, colleague, collective([20, 20, 20, 20, 20]))
    appraisals.appraisal_finish(entry, actor=colleague)
    entry.refresh_from_db()

    assert appraisals.others_visible(entry, appraiser, None) is True


# --- finishing --------------------------------------------------------------------------------------------------


def test_finish_moves_the_entry_to_appraised_with_one_audit_row(entry, appraiser):
    submit(entry, appraiser, collective([20, 20, 20, 20, 20]))

    appraisals.appraisal_finish(entry, actor=appraiser)

    entry.refresh_from_db()
    assert entry.status == Status.APPRAISED
    change = StatusChange.objects.get(registration=entry)
    assert (change.action, change.from_status, change.to_status, change.actor) == (
        "finish_appraisal", Status.PROPOSED_KHOI, Status.APPRAISED, appraiser,
    )  # fmt: skip


def test_finish_without_a_submitted_appraisal_is_refused(entry, appraiser):
    _draft(entry, appraiser, collective([20, 20, 20, 20, 20]))

    with pytest.raises(ValidationError) as exc:
        appraisals.appraisal_finish(entry, actor=appraiser)

    assert exc.value.messages == ["Chưa có phiếu thẩm định nào được nộp; chưa thể hoàn thành thẩm định."]
    entry.refresh_from_db()
    assert entry.status == Status.PROPOSED_KHOI
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize("persona", ["khoi_approver", "approver", "secretary", "viewer"])
def test_finish_by_someone_who_is_not_an_appraiser_is_forbidden(request, entry, appraiser, persona):
    submit(entry, appraiser, collective([20, 20, 20, 20, 20]))

    with pytest.raises(PermissionDenied):
        appraisals.appraisal_finish(entry, actor=request.getfixturevalue(persona))

    entry.refresh_from_db()
    assert entry.status == Status.PROPOSED_KHOI


def test_finishing_an_entry_twice_is_refused(entry, appraiser):
    submit(entry, appraiser, collective([20, 20, 20, 20, 20]))
    appraisals.appraisal_finish(entry, actor=appraiser)

    with pytest.raises(workflow.TransitionError) as exc:
        appraisals.appraisal_finish(entry, actor=appraiser)

    assert exc.value.code == "invalid_transition"
    assert StatusChange.objects.filter(registration=entry).count() == 1


def test_finish_is_not_offered_as_a_page_button_nor_accepted_without_the_service(entry, appraiser):
    submit(entry, appraiser, collective([20, 20, 20, 20, 20]))

    assert "finish_appraisal" not in [name for name, _t in workflow.available_actions(appraiser, entry)]
    with pytest.raises(workflow.TransitionError):
        workflow.apply(entry, "finish_appraisal", actor=appraiser)


# --- which entries ----------------------------------------------------------------------------------------------


def test_entries_are_listed_in_the_year_of_their_proposal(dang_bo, chi_bo, appraiser):
    registered_2024 = YearFactory(year=2024)
    proposed_2025 = YearFactory(year=2025)
    reg = propose(unit=dang_bo, year=proposed_2025, subject_unit=chi_bo, registered=registered_2024)

    assert list(appraisals.entries_for(appraiser, 2025)) == [reg]
    assert list(appraisals.entries_for(appraiser, 2024)) == []


def test_entries_without_a_proposal_fall_back_to_the_registration_year(chi_bo, year, appraiser):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.PROPOSED_KHOI)

    assert list(appraisals.entries_for(appraiser, year.year)) == [reg]


def test_entries_list_proposed_and_appraised_only(dang_bo, chi_bo, year, appraiser):
    proposed = propose(unit=dang_bo, year=year, subject_unit=chi_bo)
    appraised = propose(unit=dang_bo, year=year, subject_unit=chi_bo, status=Status.APPRAISED)
    propose(unit=dang_bo, year=year, subject_unit=chi_bo, status=Status.EXEMPLAR_BASE)
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED)

    assert set(appraisals.entries_for(appraiser, year.year)) == {proposed, appraised}


def test_secretary_has_no_entries_to_appraise(entry, secretary):
    assert list(appraisals.entries_for(secretary, entry.year.year)) == []


# --- the proposing unit -----------------------------------------------------------------------------------------


def test_proposing_units_of_many_entries_match_the_one_by_one_answer(dang_bo, chi_bo, other_chi_bo, member, year):
    propose(unit=dang_bo, year=year, subject_unit=chi_bo)
    for subject in ({"subject_unit": chi_bo}, {"subject_unit": other_chi_bo}, {"subject_person": member}):
        kind = SubjectKind.PARTY_ORG if "subject_unit" in subject else SubjectKind.MEMBER
        RegistrationFactory(subject_kind=kind, year=year, status=Status.PROPOSED_KHOI, **subject)
    regs = list(appraisals.with_proposal(Registration.objects.select_related("unit")))

    assert appraisals.proposing_unit_names(regs) == {reg.pk: appraisals.proposing_unit_name(reg) for reg in regs}


def test_proposing_units_of_many_entries_take_one_query(dang_bo, chi_bo, other_chi_bo, year, django_assert_num_queries):
    for subject_unit in (chi_bo, other_chi_bo, chi_bo):
        RegistrationFactory(subject_unit=subject_unit, year=year, status=Status.PROPOSED_KHOI)
    regs = list(appraisals.with_proposal(Registration.objects.select_related("unit")))

    with django_assert_num_queries(1):
        appraisals.proposing_unit_names(regs)


def test_nearest_grassroots_units_match_grassroots_unit_of_for_every_unit(unit_tree, khoi):
    ban = UnitFactory(parent=khoi, code="BTG", name="Ban Tuyên giáo", kind=UnitKind.BAN)
    units = [*Unit.objects.all()]

    nearest = unit_tree_module.nearest_units([u.path for u in units], GRASSROOTS_KINDS)

    assert {u.pk: nearest[u.path] for u in units} == {u.pk: u.nearest(GRASSROOTS_KINDS) or u.khoi() for u in units}
    assert nearest[Unit.objects.get(pk=ban.pk).path] == khoi


def test_appraisal_list_runs_as_many_queries_for_twelve_entries_as_for_two(client, appraiser, dang_bo, chi_bo, year):
    def listed_queries(n):
        for _ in range(n):
            propose(unit=dang_bo, year=year, subject_unit=chi_bo)
        client.force_login(appraiser)
        terms.terms()  # the guidance's names are read once per process (registry.terms), as by any earlier page
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("registry:appraisal-list"), {"nam": year.year})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    few = listed_queries(2)

    assert listed_queries(10) == few


# --- concurrency ------------------------------------------------------------------------------------------------


def _run(target, barrier, outcomes, key):
    try:
        barrier.wait(timeout=30)
        target()
        outcomes[key] = "ok"
    except Exception as exc:  # the test asserts which exception it was
        outcomes[key] = exc
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (SELECT … FOR UPDATE)")
@pytest.mark.django_db(transaction=True)
def test_finishing_while_a_colleague_submits_gives_one_consistent_outcome(reference_data, dang_bo, chi_bo, year, khoi):
    first, second = new_appraiser(khoi, "btg-a"), new_appraiser(khoi, "btg-b")
    reg = propose(unit=dang_bo, year=year, subject_unit=chi_bo, submitted_at=None)
    submit(reg, first, collective([20, 20, 20, 20, 20]))
    scores = scores_for(reg, collective([10, 10, 10, 10, 10]))
    barrier = threading.Barrier(2)
    outcomes: dict = {}
    threads = [
        threading.Thread(
            target=_run,
            args=(lambda: appraisals.appraisal_finish(Registration.objects.get(pk=reg.pk), actor=first), barrier,
                  outcomes, "finish"),
        ),
        threading.Thread(
            target=_run,
            args=(lambda: appraisals.appraisal_submit(registration=Registration.objects.get(pk=reg.pk),
                                                      appraiser=second, file_complete=True, scores=scores),
                  barrier, outcomes, "submit"),
        ),
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    assert outcomes["finish"] == "ok", outcomes
    reg.refresh_from_db()
    assert reg.status == Status.APPRAISED
    assert list(StatusChange.objects.filter(registration=reg).values_list("action", flat=True)) == ["finish_appraisal"]
    late = Appraisal.objects.filter(registration=reg, appraiser=second).first()
    if outcomes["submit"] == "ok":
        # The submission took the lock first: it is complete and older than the transition.
        assert late.submitted_at is not None and late.total_score == 50
        assert late.submitted_at <= StatusChange.objects.get(registration=reg).at
    else:
        assert isinstance(outcomes["submit"], ValidationError)
        assert outcomes["submit"].messages == ["Hồ sơ đã kết thúc thẩm định; không thể nộp thêm phiếu."]
        assert late is None


@pytest.mark.django_db(transaction=True)
def test_submitting_after_the_entry_was_finished_from_a_stale_copy_is_refused(
    reference_data, dang_bo, chi_bo, year, khoi
):
    first, second = new_appraiser(khoi, "btg-a"), new_appraiser(khoi, "btg-b")
    reg = propose(unit=dang_bo, year=year, subject_unit=chi_bo)
    stale = Registration.objects.get(pk=reg.pk)
    submit(reg, first, collective([20, 20, 20, 20, 20]))
    appraisals.appraisal_finish(reg, actor=first)

    with pytest.raises(ValidationError) as exc:
        submit(stale, second, collective([10, 10, 10, 10, 10]))

    assert exc.value.messages == [appraisals.FINISHED]
    assert stale.status == Status.PROPOSED_KHOI  # the caller's copy was stale; the service read the row again
    assert not Appraisal.objects.filter(appraiser=second).exists()
