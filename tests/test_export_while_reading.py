"""The portal keeps serving reads while a long .xlsx export of the registration list is in progress.

The export runs in its own thread (its own database connection, as under a threaded server) and is held in the
middle of its rows, its query still being read, until the main thread has read the list page and an entry page.
The hold is an event, not a delay: nothing here depends on how fast anything runs.
"""

import io
import threading

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from registry.models import Registration, Status
from registry.views import lists
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)

LIST = reverse("registry:registration-list")
EXPORT = reverse("registry:registration-export")
# More rows than one chunk the export reads at a time (lists.registration_export, chunk_size=2000), held in the
# first chunk: the rest is read from the database only after the reads below.
ROWS = 2_500
HOLD_AT_ROW = 1_000
WAIT_SECONDS = 120  # a bound so that a broken export fails the test instead of hanging it; never a measured time


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    pass


@pytest.fixture
def many_registrations(chi_bo, year) -> list[str]:
    """ROWS registrations of the Chi bộ Phòng Nghiệp vụ Y; their titles."""
    model = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Mô hình mẫu số 0")
    copied = {
        field.attname: getattr(model, field.attname)
        for field in Registration._meta.concrete_fields
        if not field.primary_key and field.attname != "title"
    }
    Registration.objects.bulk_create(
        (Registration(**copied, title=f"Mô hình mẫu số {n}") for n in range(1, ROWS)), batch_size=500
    )
    return [f"Mô hình mẫu số {n}" for n in range(ROWS)]


class HeldExport:
    """The export of the list, run in a thread by its own client and held at row ``HOLD_AT_ROW`` until released."""

    def __init__(self, user, monkeypatch):
        self.client = Client()
        self.client.force_login(user)  # before the export starts: logging in writes the session
        self.holding = threading.Event()
        self.release = threading.Event()
        self.outcome: dict = {}
        real_row = lists._export_row

        def row_then_hold(number, reg):
            if number == HOLD_AT_ROW:
                self.holding.set()
                self.release.wait(timeout=WAIT_SECONDS)
            return real_row(number, reg)

        monkeypatch.setattr(lists, "_export_row", row_then_hold)
        self.thread = threading.Thread(target=self._run, name="export")

    def _run(self) -> None:
        try:
            response = self.client.get(EXPORT)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            self.outcome["response"] = (response.status_code, body)
        except Exception as exc:  # the test reports it; nothing is swallowed
            self.outcome["error"] = exc
            self.holding.set()  # never leave the main thread waiting for a hold that will not come
        finally:
            connection.close()  # this thread's own connection; PostgreSQL cannot drop the test database while open

    def start_and_wait_for_the_hold(self) -> None:
        self.thread.start()
        assert self.holding.wait(timeout=WAIT_SECONDS), "the export never reached its held row"
        assert "error" not in self.outcome, self.outcome

    def finish(self) -> tuple[int, bytes]:
        self.release.set()
        self.thread.join(timeout=WAIT_SECONDS)
        assert not self.thread.is_alive(), "the export did not finish once released"
        assert "error" not in self.outcome, self.outcome
        return self.outcome["response"]


@pytest.fixture
def held_export(viewer, monkeypatch):
    export = HeldExport(viewer, monkeypatch)
    yield export
    export.release.set()  # a failed assertion must not leave the export thread waiting
    export.thread.join(timeout=WAIT_SECONDS)


def exported_rows(body: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_list_page_is_served_while_an_export_is_held_mid_rows(client, viewer, many_registrations, held_export):
    client.force_login(viewer)
    held_export.start_and_wait_for_the_hold()

    response = client.get(LIST)

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == ROWS
    assert len(response.context["page_obj"].object_list) == lists.PAGE_SIZE
    assert held_export.thread.is_alive()  # the reading happened while the export was still running


def test_entry_page_is_served_while_an_export_is_held_mid_rows(client, viewer, many_registrations, held_export):
    client.force_login(viewer)
    entry = Registration.objects.get(title="Mô hình mẫu số 1234")
    held_export.start_and_wait_for_the_hold()

    response = client.get(reverse("registry:registration-detail", args=[entry.pk]))

    assert response.status_code == 200
    assert "Mô hình mẫu số 1234" in response.content.decode()
    assert held_export.thread.is_alive()


def test_export_held_while_pages_are_read_still_has_every_row(client, viewer, many_registrations, held_export):
    client.force_login(viewer)
    held_export.start_and_wait_for_the_hold()
    assert client.get(LIST).status_code == 200

    status, body = held_export.finish()

    assert status == 200
    rows = exported_rows(body)
    assert [row[0] for row in rows] == list(range(1, ROWS + 1))
    assert sorted(row[1] for row in rows) == sorted(many_registrations)
