"""Running several actions at the same moment, each in its own thread and so its own database connection.

``run_at_once`` releases every callable together behind a barrier and returns, per name, ``OK`` or the exception it
raised: the test then asserts who won and what exactly the others got. Nothing is swallowed silently: an exception
is an outcome the test has to look at, and a thread that never ends fails the run.
"""

import threading
from collections.abc import Callable, Mapping

from django.db import connection

OK = "ok"
BARRIER_TIMEOUT = 30  # seconds for every thread to reach the start line; a hang fails instead of blocking the suite
JOIN_TIMEOUT = 60


def _run(name: str, call: Callable[[], object], barrier: threading.Barrier, outcomes: dict) -> None:
    try:
        barrier.wait(timeout=BARRIER_TIMEOUT)
        call()
        outcomes[name] = OK
    except Exception as exc:  # the test asserts which exception it was; nothing is swallowed
        outcomes[name] = exc
    finally:
        # Each thread opened its own connection; close it so the test database can be dropped afterwards.
        connection.close()


def run_at_once(calls: Mapping[str, Callable[[], object]]) -> dict[str, object]:
    """Start every callable at the same moment in its own thread; return name → ``OK`` or the exception raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: dict[str, object] = {}
    threads = [
        threading.Thread(target=_run, args=(name, call, barrier, outcomes), name=f"concurrent-{name}")
        for name, call in calls.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert not stuck, f"threads still running: {stuck}"
    return outcomes


def winners(outcomes: Mapping[str, object]) -> list[str]:
    """The names whose action went through."""
    return [name for name, outcome in outcomes.items() if outcome is OK]


def refusals(outcomes: Mapping[str, object]) -> list[Exception]:
    """The exceptions of the actions that did not go through."""
    return [outcome for outcome in outcomes.values() if isinstance(outcome, Exception)]
