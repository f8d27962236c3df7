#!/usr/bin/env python
"""Benchmark of the portal on generated data (``manage.py generate_scale_data``); not a test, nothing is asserted.

Run against the scale database, e.g.::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_scale DJANGO_DEBUG=True \\
        .venv/bin/python scripts/benchmark.py --n 30 --renders 1000 --wrk

It measures, and prints as a Markdown table (also written to ``docs/benchmarks.md`` with ``--out``):

- server time p50/p95 and queries per request of the pages (Django test client, ``CaptureQueriesContext``), logged
  in as a Khối viewer, a chi bộ secretary, a Khối appraiser and a superuser (admin change lists);
- one form's PDF (warm), a 300-row Mẫu 3 PDF, an .xlsx export of 10,000 rows;
- a Mẫu 3 of about 300 rows as an editable Word file (.docx), end to end;
- the process's resident memory over ``--renders`` form PDFs;
- with ``--wrk`` (and ``wrk`` installed): requests per second of the list page under gunicorn on loopback.

The script writes a few rows to the scale database (the documents it prints, a superuser ``scale.admin`` with an
unusable password); never run it on real data.
"""

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from registry import documents, xlsx  # noqa: E402
from registry.filters import filtered_registrations  # noqa: E402
from registry.models import Membership, Registration, Role, Status, Unit, UnitKind, Year  # noqa: E402
from registry.papers import catalogue  # noqa: E402
from registry.papers import registrations as pdf_context  # noqa: E402
from registry.views.lists import EXPORT_HEADERS, EXPORT_WIDTHS, _export_row  # noqa: E402

PAGE_P95_MS = 100
PAGE_MAX_QUERIES = 12
FORM_PDF_MS = 100
MAU3_PDF_S = 2.0
MAU3_DOCX_S = 2.0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rss_mb() -> float:
    """Current resident set size of this process (not the peak), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Bench:
    def __init__(self, n: int, budget: float = 10.0, only: tuple[str, ...] = ()):
        self.n = n
        self.budget = budget
        self.only = only  # measure only the pages whose label contains one of these (while tuning one page)
        self.rows: list[dict] = []
        self.clients: dict[str, Client] = {}

    def client(self, user) -> Client:
        if user.username not in self.clients:
            c = Client()
            c.force_login(user)
            self.clients[user.username] = c
        return self.clients[user.username]

    def page(self, label: str, user, url: str, note: str = "") -> None:
        if self.only and not any(part.lower() in label.lower() for part in self.only):
            return
        c = self.client(user)
        for _ in range(2):  # warm caches and connections
            response = c.get(url)
        times = []
        deadline = time.perf_counter() + self.budget
        # N requests, but a page that takes seconds stops after the time budget (at least 5 requests).
        while len(times) < self.n and (len(times) < 5 or time.perf_counter() < deadline):
            start = time.perf_counter()
            response = c.get(url)
            times.append((time.perf_counter() - start) * 1000)
        if len(times) < self.n:
            note = (note + "; " if note else "") + f"only {len(times)} requests (time budget)"
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(url)
        p50, p95, queries = pct(times, 0.5), pct(times, 0.95), len(ctx.captured_queries)
        missed = []
        if response.status_code != 200:
            missed.append(f"HTTP {response.status_code}")
        if p95 > PAGE_P95_MS:
            missed.append(f"p95 > {PAGE_P95_MS} ms")
        if queries > PAGE_MAX_QUERIES:
            missed.append(f"> {PAGE_MAX_QUERIES} queries")
        slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]), default=None)
        if missed and slowest:
            note = (
                (note + "; " if note else "")
                + f"slowest query {float(slowest['time']) * 1000:.0f} ms: "
                + (slowest["sql"][:90].replace("|", "\\|") + "…")
            )
        self.add(label, f"{p50:.1f} ms", f"{p95:.1f} ms", str(queries), "p95 ≤ 100 ms, ≤ 12 queries", missed, note)
        print(f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, {queries} queries {missed or ''}", flush=True)

    def add(self, label, p50, p95, queries, target, missed, note=""):
        verdict = "✅" if not missed else "❌ " + ", ".join(missed)
        self.rows.append(
            {"label": label, "p50": p50, "p95": p95, "q": queries, "target": target, "ok": verdict, "note": note}
        )

    def timed(self, label: str, fn, runs: int, target: str, limit_ms: float | None, note: str = "") -> list[float]:
        fn()  # warm
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        p50, p95 = pct(times, 0.5), pct(times, 0.95)
        missed = [f"p95 > {limit_ms:g} ms"] if limit_ms is not None and p95 > limit_ms else []
        self.add(label, f"{p50:.0f} ms", f"{p95:.0f} ms", "–", target, missed, note)
        print(f"{label}: p50 {p50:.0f} ms, p95 {p95:.0f} ms {missed or ''}", flush=True)
        return times


def find_people():
    User = get_user_model()
    viewer = Membership.objects.filter(role=Role.VIEWER, unit__depth=1).select_related("user", "unit").first()
    # A secretary inside the viewer's Khối, so that both may open the same registration.
    secretary = (
        Membership.objects.filter(role=Role.EDITOR, unit__kind=UnitKind.CHI_BO, unit__path__startswith=viewer.unit.path)
        .select_related("user", "unit")
        .first()
    )
    appraiser = Membership.objects.filter(role=Role.APPRAISER, unit__depth=1).select_related("user", "unit").first()
    admin, created = User.objects.get_or_create(
        username="scale.admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_unusable_password()
        admin.save()
    if not (viewer and secretary and appraiser):
        sys.exit("No Khối viewer, chi bộ secretary or appraiser: run manage.py generate_scale_data first.")
    return viewer, secretary, appraiser, admin


def bench_pages(b: Bench, viewer, secretary, appraiser, admin, year: Year) -> None:
    lst = reverse("registry:registration-list")
    visible = Registration.objects.visible_to(viewer.user)
    total = visible.count()
    deep = max(1, total // 25 // 2)
    reg = Registration.objects.visible_to(secretary.user).exclude(status=Status.DRAFT).first()
    if reg is None:
        reg = visible.first()
    b.page("Home inbox – Khối viewer", viewer.user, reverse("registry:home"))
    b.page("Home inbox – chi bộ secretary", secretary.user, reverse("registry:home"))
    b.page("List, unfiltered – Khối viewer", viewer.user, lst, f"{total:,} rows in scope")
    b.page("List, year + status – Khối viewer", viewer.user, f"{lst}?nam={year.year}&trang_thai=confirmed")
    grassroots = Unit.objects.filter(path__startswith=viewer.unit.path, kind=UnitKind.DANG_BO_CO_SO).first()
    b.page("List, one đảng bộ + year – Khối viewer", viewer.user, f"{lst}?don_vi={grassroots.pk}&nam={year.year}")
    b.page("List, search “dan van kheo” – Khối viewer", viewer.user, f"{lst}?q=dan+van+kheo")
    b.page("List, search, sorted by name – Khối viewer", viewer.user, f"{lst}?q=nong+dan&sap_xep=ten")
    b.page(f"List, deep page {deep:,} – Khối viewer", viewer.user, f"{lst}?page={deep}", "OFFSET pagination")
    b.page("List – chi bộ secretary", secretary.user, lst)
    b.page("Detail – chi bộ secretary", secretary.user, reverse("registry:registration-detail", args=[reg.pk]))
    b.page("Detail – Khối viewer", viewer.user, reverse("registry:registration-detail", args=[reg.pk]))
    b.page("Dashboard – Khối viewer", viewer.user, reverse("registry:dashboard"))
    b.page("Ranking – Khối appraiser", appraiser.user, f"{reverse('registry:ranking')}?nam={year.year - 1}")
    for model in ("registration", "statuschange", "unit", "person", "document", "meeting", "appraisal"):
        b.page(f"Admin change list: {model}", admin, f"/admin/registry/{model}/")
    b.page("Admin change list: registration, search", admin, "/admin/registry/registration/?q=dan+van+kheo")
    b.page("Admin change list: registration, page 100", admin, "/admin/registry/registration/?p=100")


def _registration_subject(viewer, offset: int = 0):
    reg = (
        Registration.objects.exclude(status__in=[Status.DRAFT, Status.RETURNED])
        .select_related(*pdf_context.REGISTRATION_RELATED)
        .order_by("pk")[offset]
    )
    return catalogue.registration_subject(reg, viewer.user)


def bench_pdfs(b: Bench, viewer, runs: int) -> None:
    """A form's PDF as its issue renders it (``documents.draft_pdf``: the record's context, then WeasyPrint), and
    the 300-row Mẫu 3. A reprint of an issued paper serves its stored bytes and renders nothing."""
    subject = _registration_subject(viewer)
    b.timed(f"PDF: one form ({subject.form.label}), warm", lambda: documents.draft_pdf(subject), runs,
            "≤ 100 ms warm", FORM_PDF_MS, "context + render")  # fmt: skip
    found = _mau_3_near_300(viewer)
    if found is not None:
        mau3, rows = found
        b.timed(f"PDF: Mẫu 3, {rows} rows", lambda: documents.draft_pdf(mau3), 3, "≤ 2 s", MAU3_PDF_S * 1000,
                "query + context + render")  # fmt: skip


def _mau_3_near_300(viewer):
    """(subject, rows) of the grassroots unit's Mẫu 3 whose list is nearest 300 rows, or None."""
    year = Year.objects.order_by("-year")[1] if Year.objects.count() > 1 else Year.objects.first()
    scope = Registration.objects.visible_to(viewer.user)
    best = None
    for unit in Unit.objects.filter(kind__in=[UnitKind.DANG_BO_CO_SO, UnitKind.CHI_BO_CO_SO]).order_by("pk")[:2000]:
        rows = pdf_context.mau_3_queryset(scope, unit=unit, year=year)[:1001].count()
        if rows and (best is None or abs(rows - 300) < abs(best[1] - 300)):
            best = (unit, rows)
    if best is None:
        return None
    unit, rows = best
    return catalogue.unit_year_subject("mau_3", unit, year, viewer.user), rows


def bench_docx(b: Bench, viewer) -> None:
    """The Word copy of the party unit's Mẫu 3 whose list is nearest 300 rows: ``documents.draft_docx``, end to end
    (the list's query, the context and the writer), as the "Bản nháp (Word)" link serves it."""
    found = _mau_3_near_300(viewer)
    if found is None:
        return
    subject, rows = found
    b.timed(f"Word (.docx): Mẫu 3, {rows} rows", lambda: documents.draft_docx(subject), 3, "≤ 2 s",
            MAU3_DOCX_S * 1000, "query + context + writer (documents.draft_docx)")  # fmt: skip


def bench_xlsx(b: Bench, viewer) -> None:
    _form, qs = filtered_registrations(viewer.user, {}, export=True)

    def export():
        rows = (_export_row(i, reg) for i, reg in enumerate(qs[:10_000].iterator(chunk_size=2000), start=1))
        return xlsx.write_workbook("Danh sách mô hình", EXPORT_HEADERS, rows, EXPORT_WIDTHS)

    b.timed(".xlsx export, 10,000 rows (query + write_workbook)", export, 3, "–", None)


def bench_memory(b: Bench, viewer, renders: int) -> None:
    subject = _registration_subject(viewer, offset=1)
    for _ in range(20):
        documents.draft_pdf(subject)
    warm = rss_mb()
    marks = {}
    for i in range(1, renders + 1):
        documents.draft_pdf(subject)
        if i in (renders // 4, renders // 2, renders):
            marks[i] = rss_mb()
    growth = marks[renders] - marks[renders // 4]
    missed = [f"grew {growth:.1f} MB"] if growth > 10 else []
    trail = ", ".join(f"{k}: {v:.0f} MB" for k, v in marks.items())
    b.add(f"Memory over {renders:,} form PDFs (RSS)", f"{warm:.0f} MB after warm-up", f"{marks[renders]:.0f} MB",
          "–", "no growth after warm-up", missed, trail)  # fmt: skip
    print(f"memory: warm {warm:.0f} MB, {trail}", flush=True)


def bench_wrk(b: Bench, viewer, seconds: int) -> None:
    if not shutil.which("wrk"):
        b.add("List page under gunicorn + wrk", "–", "–", "–", "req/s", [], "not run: wrk is not installed")
        return
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    user = viewer.user
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    # Production settings over plain HTTP on loopback; static files without the collectstatic manifest; no log line
    # per request on the benchmark's terminal.
    env = {**os.environ, "DJANGO_DEBUG": "False", "DJANGO_SECURE_SSL_REDIRECT": "False",
           "DJANGO_SECURE_COOKIES": "False", "DJANGO_STATIC_MANIFEST": "False",
           "DJANGO_SECRET_KEY": settings.SECRET_KEY, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
           "DJANGO_LOG_LEVEL": "WARNING"}  # fmt: skip
    port = "8765"
    for workers in (1, 2):
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "danvan.wsgi", "-b", f"127.0.0.1:{port}", "-w",
             str(workers), "--max-requests", "5000", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        try:
            time.sleep(4)
            url = f"http://127.0.0.1:{port}{reverse('registry:registration-list')}"
            cookie = f"Cookie: {settings.SESSION_COOKIE_NAME}={session.session_key}"
            subprocess.run(["wrk", "-t1", "-c4", "-d3s", "-H", cookie, url], capture_output=True, check=False)
            out = subprocess.run(
                ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", "-H", cookie, url],
                capture_output=True, text=True, check=False,
            ).stdout  # fmt: skip
        finally:
            server.terminate()
            server.wait(10)
        rps = next((line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")), "?")
        p50 = next((line.split()[1] for line in out.splitlines() if line.strip().startswith("50%")), "?")
        non2xx = next((line.strip() for line in out.splitlines() if "Non-2xx" in line), "")
        b.add(f"Chi bộ list page, gunicorn {workers} sync worker(s), wrk -c8 on loopback", f"{p50} (latency)", "–", "–",
              "req/s", [non2xx] if non2xx else [], f"**{rps} req/s**; wrk on the same 2 cores")  # fmt: skip
        print(f"wrk {workers} worker(s): {rps} req/s, p50 {p50} {non2xx}", flush=True)


def data_size() -> str:
    from registry.models import Appraisal, Document, Meeting, MeetingEntry, Person, StatusChange, YearlyReview

    parts = [(m._meta.verbose_name_plural, m.objects.count()) for m in (Unit, Person, Registration)]
    counts = {m.__name__: m.objects.count() for m in (StatusChange, YearlyReview, Meeting, MeetingEntry, Appraisal,
                                                     Document)}  # fmt: skip
    years = ", ".join(str(y.year) for y in Year.objects.order_by("year"))
    return f"{parts[0][1]:,} units, {parts[1][1]:,} people, {parts[2][1]:,} registrations over {years}; " + ", ".join(
        f"{v:,} {k}" for k, v in counts.items()
    )


def markdown(b: Bench, args, size: str) -> str:
    vendor = connection.vendor
    version = connection.cursor().connection.server_version if vendor == "postgresql" else ""
    lines = [
        f"Run on {timezone.localdate():%d/%m/%Y}, {platform.node()} ({os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}), {vendor} {version}.",
        "",
        f"Data: {size}.",
        "",
        f"Pages: {args.n} requests each after 2 warm-up requests, through the Django test client in one process "
        "(server time, no network); queries counted on one more request.",
        "",
        "| Measure | p50 | p95 / value | Queries | Target | Met? | Note |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in b.rows:
        lines.append(
            f"| {row['label']} | {row['p50']} | {row['p95']} | {row['q']} | {row['target']} | {row['ok']} | "
            f"{row['note']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument("--renders", type=int, default=1000, help="form PDFs for the memory check (default 1000)")
    parser.add_argument("--pdf-runs", type=int, default=30, help="timed renders of one form (default 30)")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per page before stopping early")
    parser.add_argument("--wrk", action="store_true", help="also run gunicorn + wrk on the list page")
    parser.add_argument("--wrk-seconds", type=int, default=15)
    parser.add_argument("--skip", default="", help="comma list of parts to skip: pages,pdf,docx,xlsx,memory")
    parser.add_argument("--pages", default="", help="comma list: measure only pages whose label contains one of these")
    parser.add_argument(
        "--out", help="write the table into this Markdown file, between its benchmark markers (docs/benchmarks.md)"
    )
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECURE_SSL_REDIRECT = False
    skip = set(filter(None, args.skip.split(",")))

    viewer, secretary, appraiser, admin = find_people()
    year = Year.objects.order_by("-year").first()
    b = Bench(args.n, args.budget, tuple(filter(None, args.pages.split(","))))
    if "pages" not in skip:
        bench_pages(b, viewer, secretary, appraiser, admin, year)
    if "pdf" not in skip:
        bench_pdfs(b, viewer, args.pdf_runs)
    if "docx" not in skip:
        bench_docx(b, viewer)
    if "xlsx" not in skip:
        bench_xlsx(b, viewer)
    if "memory" not in skip:
        bench_memory(b, viewer, args.renders)
    if args.wrk:
        bench_wrk(b, secretary, args.wrk_seconds)  # a chi bộ's own list: the page most people load
    table = markdown(b, args, data_size())
    print()
    print(table)
    if args.out:
        write_table(Path(args.out), table)


def write_table(path: Path, table: str) -> None:
    """Replace the text between the two markers of ``path`` (the analysis around them stays), or write the file."""
    start, end = "<!-- benchmark:start -->", "<!-- benchmark:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = f"{head}{start}\n{table}{end}{rest.split(end, 1)[1]}"
    else:
        text = f"# Benchmarks\n\n{start}\n{table}{end}\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
