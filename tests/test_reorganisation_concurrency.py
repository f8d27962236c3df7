"""Two reorganisations of the same units at the same moment on PostgreSQL, each in its own connection: the units
are locked in one order, so exactly one goes through and the other is refused with its Vietnamese message."""

import contextlib
import datetime
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from registry import reorganisation
from registry.models import Reorganisation, Unit
from tests.concurrency_utils import OK, run_at_once
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (SELECT … FOR UPDATE)"),
    pytest.mark.django_db(transaction=True),
]

JULY_2025 = datetime.date(2025, 7, 1)


def test_merging_two_units_into_each_other_at_once_merges_once(dang_bo, other_dang_bo):
    actor = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    outcomes = run_at_once(
        {
            "a-into-b": lambda: reorganisation.merge(dang_bo, other_dang_bo, effective_on=JULY_2025, actor=actor),
            "b-into-a": lambda: reorganisation.merge(other_dang_bo, dang_bo, effective_on=JULY_2025, actor=actor),
        }
    )
    assert sorted(o is OK for o in outcomes.values()) == [False, True]
    refused = next(o for o in outcomes.values() if o is not OK)
    assert isinstance(refused, ValidationError)
    assert refused.message_dict["target"][0] in (reorganisation.ALREADY_MERGED, reorganisation.MERGE_INACTIVE)
    assert Reorganisation.objects.count() == 1
    assert Unit.objects.filter(pk__in=[dang_bo.pk, other_dang_bo.pk], is_active=True).count() == 1


def test_renaming_two_siblings_to_the_same_name_at_once_renames_one(dang_bo, other_dang_bo):
    actor = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    name = "Đảng bộ Sở Tài chính và Y tế"
    checked = threading.Barrier(2)
    real_check = reorganisation.rename_errors

    def check_then_wait_for_the_other(*args):
        # Without a shared lock both checks would pass before either rename is saved: wait here for the other
        # thread's check. With the parent locked the other thread cannot reach its check, so the wait gives up.
        errors = real_check(*args)
        with contextlib.suppress(threading.BrokenBarrierError):
            checked.wait(timeout=2)
        return errors

    with mock.patch.object(reorganisation, "rename_errors", check_then_wait_for_the_other):
        outcomes = run_at_once(
            {
                unit.code: (
                    lambda unit=unit: reorganisation.rename(unit, name=name, effective_on=JULY_2025, actor=actor)
                )
                for unit in (dang_bo, other_dang_bo)
            }
        )
    assert list(outcomes.values()).count(OK) == 1
    refused = next(o for o in outcomes.values() if o is not OK)
    assert refused.message_dict["name"][0].startswith("Đã có đơn vị cùng cấp tên")
    assert Unit.objects.filter(name=name).count() == 1
