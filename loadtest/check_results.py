"""Before and after a load test: note what the database holds, then compare what the locust users were told with what
the database holds afterwards, print a summary, exit 1 on any mismatch or failure.

    .venv/bin/python loadtest/check_results.py RUN_DIR --baseline     (after seeding: writes RUN_DIR/baseline.json)
    .venv/bin/python loadtest/check_results.py RUN_DIR [--users 100]  (after the run)

RUN_DIR also holds ``results.json``, written by ``loadtest/locustfile.py`` when locust exits: what each user did and
locust's final statistics. Checked, on the registrations of the load test's own Đảng bộ Khối
(``seed_load_users.ROOT_CODE``):

- no HTTP failure, no user stopped by an exception, no failed login attempt recorded by django-axes, every user
  logged in;
- the registrations added during the run are exactly the drafts the users saved (nothing lost, nothing extra), and
  those seeded before it are all still there;
- for each action (submit, receive, return) the ``StatusChange`` rows added during the run are exactly the transitions
  the users were told succeeded, registration by registration; no other action happened;
- every registration's history is a valid chain from draft to its current status, which is one the journeys can
  reach, and a registration sent at least once has ``submitted_at``.
"""

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACTIONS = ("submit", "receive", "return")
REACHABLE = {"draft", "submitted", "active", "returned"}


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    import django

    django.setup()


# --- the summary ------------------------------------------------------------------------------------------------------


def summary(results: dict) -> str:
    """Markdown tables for docs/benchmarks.md: the whole run, then each request; then what the users did."""
    stats = results["stats"]
    total = stats["total"]

    def ms(value) -> str:
        return f"{value:,.0f} ms" if value is not None else "–"

    lines = [
        "| Requests | Failures | req/s | p50 | p95 | p99 | max |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {total['requests']:,} | {total['failures']} | {total['rps']:.1f} | {ms(total['p50'])} | {ms(total['p95'])} "
        f"| {ms(total['p99'])} | {ms(total['max'])} |",
        "",
        "| Request | Count | Failures | p50 | p95 | max |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in stats["requests"]:
        lines.append(
            f"| {r['name']} | {r['requests']:,} | {r['failures']} | {ms(r['p50'])} | {ms(r['p95'])} | {ms(r['max'])} |"
        )
    done = {kind: len(results.get(kind, [])) for kind in ("logins", "created", *ACTIONS, "already_handled")}
    last_login = max(results.get("logged_in_after", []), default=0)
    lines += [
        "",
        f"Done: {done['logins']} logins (the last {last_login:.0f} s after the start), {done['created']} drafts saved, "
        f"{done['submit']} sent (re-sends included), {done['receive']} received, {done['return']} returned; "
        f"{done['already_handled']} times an approver found the entry already handled by the other approver of the "
        "đảng bộ.",
    ]
    return "\n".join(lines)


# --- the database -----------------------------------------------------------------------------------------------------


def load_registrations():
    from registry.management.commands.seed_load_users import ROOT_CODE
    from registry.models import Registration, Unit

    root = Unit.objects.get(code=ROOT_CODE)
    return Registration.objects.filter(unit__path__startswith=root.path)


def write_baseline(path: Path) -> None:
    from registry.models import StatusChange

    regs = load_registrations()
    baseline = {
        "registrations": sorted(regs.values_list("pk", flat=True)),
        "last_change": StatusChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
    }
    path.write_text(json.dumps(baseline), encoding="utf-8")


def problems_with_logins(results: dict, expected_users: int | None) -> list[str]:
    from axes.models import AccessAttempt, AccessFailureLog

    problems = []
    logins = set(results.get("logins", []))
    if expected_users is not None and len(logins) != expected_users:
        problems.append(f"{len(logins)} users logged in, {expected_users} expected")
    failed_logins = AccessFailureLog.objects.count() + AccessAttempt.objects.count()
    if failed_logins:
        problems.append(f"django-axes recorded {failed_logins} failed login rows")
    return problems


def problems_with_registrations(results: dict, baseline: dict, regs: dict) -> list[str]:
    problems = []
    created = results.get("created", [])
    if len(created) != len(set(created)):
        problems.append("the same registration id was reported as created twice")
    seeded = set(baseline["registrations"])
    added = set(regs) - seeded
    lost = set(created) - added
    extra = added - set(created)
    if lost:
        problems.append(f"{len(lost)} saved drafts are not in the database: {sorted(lost)[:10]}")
    if extra:
        problems.append(f"{len(extra)} registrations in the database were never reported saved: {sorted(extra)[:10]}")
    if seeded - set(regs):
        problems.append(f"{len(seeded - set(regs))} registrations seeded before the run are gone")
    return problems


def problems_with_transitions(results: dict, baseline: dict, changes: list) -> list[str]:
    problems = []
    during_run = [c for c in changes if c.pk > baseline["last_change"]]
    for action in ACTIONS:
        told = Counter(results.get(action, []))
        stored = Counter(c.registration_id for c in during_run if c.action == action)
        if told != stored:
            differing = sorted(((told - stored) + (stored - told)).keys())
            problems.append(
                f"“{action}”: users were told {sum(told.values())} succeeded, the database has "
                f"{sum(stored.values())} (differing on registrations {differing[:10]})"
            )
    other = Counter(c.action for c in during_run if c.action not in ACTIONS)
    if other:
        problems.append(f"unexpected actions in the audit trail: {dict(other)}")
    return problems


def problems_with_histories(regs: dict, changes: list) -> list[str]:
    problems = []
    history: dict[int, list] = {pk: [] for pk in regs}
    for change in changes:
        history[change.registration_id].append(change)
    for pk, reg in regs.items():
        status = "draft"
        for change in history[pk]:
            if change.from_status != status:
                problems.append(f"registration {pk}: “{change.action}” from {change.from_status}, but it was {status}")
            status = change.to_status
        if status != reg.status:
            problems.append(f"registration {pk}: status {reg.status}, its history ends at {status}")
        if reg.status not in REACHABLE:
            problems.append(f"registration {pk}: status {reg.status} cannot be reached by these journeys")
        if history[pk] and reg.submitted_at is None:
            problems.append(f"registration {pk}: sent but has no submitted_at")
    return problems


def problems_in_database(results: dict, baseline: dict, expected_users: int | None) -> list[str]:
    from registry.models import StatusChange

    regs = {r.pk: r for r in load_registrations()}
    changes = list(StatusChange.objects.filter(registration_id__in=regs).order_by("registration_id", "pk"))
    return (
        problems_with_logins(results, expected_users)
        + problems_with_registrations(results, baseline, regs)
        + problems_with_transitions(results, baseline, changes)
        + problems_with_histories(regs, changes)
    )


# --- main -------------------------------------------------------------------------------------------------------------


def problems_in_stats(stats: dict) -> list[str]:
    problems = []
    if stats["total"]["requests"] == 0:
        problems.append("no request was made")
    if stats["total"]["failures"]:
        problems.append(f"{stats['total']['failures']} requests failed: " + "; ".join(stats["errors"][:10]))
    if stats["exceptions"]:
        problems.append("users stopped on an exception: " + "; ".join(stats["exceptions"][:10]))
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--baseline", action="store_true", help="before the run: note what the database holds")
    parser.add_argument("--users", type=int, help="how many users must have logged in")
    args = parser.parse_args()
    setup_django()
    if args.baseline:
        write_baseline(args.run_dir / "baseline.json")
        return 0

    results = json.loads((args.run_dir / "results.json").read_text(encoding="utf-8"))
    baseline = json.loads((args.run_dir / "baseline.json").read_text(encoding="utf-8"))
    print(summary(results))
    problems = problems_in_stats(results["stats"]) + problems_in_database(results, baseline, args.users)
    if problems:
        print("\nFAILED:\n- " + "\n- ".join(problems))
        return 1
    print("\nOK: no HTTP failure; the database holds exactly what the users did.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
