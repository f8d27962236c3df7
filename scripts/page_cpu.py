#!/usr/bin/env python
"""CPU per request of the list and detail pages beside a minimal Django view on the same rows (issue 17).

Not a test: nothing is asserted. A request loop through the Django test client in one process (the whole middleware
stack, no network), on a database made by ``manage.py generate_scale_data``; CPU time (``time.process_time``) is the
figure that holds on a shared machine, where wall time depends on the other jobs. The minimal view signs in the same
way and prints the same 25 rows of the same scoped, ordered query in a bare table::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_scale DJANGO_DEBUG=True \\
        .venv/bin/python scripts/page_cpu.py --n 200

``--profile LABEL`` prints the CPU profile of that page instead (the 40 functions with the most time of their own).
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402

from registry.filters import LIST_FIELDS, LIST_RELATED  # noqa: E402
from registry.models import Membership, Registration, Role, Status, UnitKind  # noqa: E402

MINIMAL = engines["django"].from_string(
    '<!doctype html><title>Danh sách</title><table>{% for r in rows %}<tr><td><a href="/dang-ky/{{ r.pk }}/">'
    "{{ r.title }}</a></td><td>{{ r.subject_name }}</td><td>{{ r.unit.name }}</td><td>{{ r.field.name }}</td>"
    "<td>{{ r.year.year }}</td><td>{{ r.status }}</td></tr>{% endfor %}</table>"
)


def minimal_view(columns: bool):
    @login_required
    def view(request):
        # The list page takes the year and lĩnh vực from memory; this bare view joins them.
        rows = Registration.objects.visible_to(request.user).select_related("year", "field", *LIST_RELATED)
        if columns:  # the columns the list page reads now; without, whole rows, as the page read them before
            rows = rows.only(*LIST_FIELDS, "year__year", "field__name")
        rows = rows.order_by("-created_at", "-pk")[:25]
        return HttpResponse(MINIMAL.render({"rows": rows}, request))

    return view


class urls:  # noqa: N801 - a URLconf module stand-in: the project's URLs plus the minimal views
    urlpatterns = [
        path("_minimal/", minimal_view(columns=True)),
        path("_minimal_whole_rows/", minimal_view(columns=False)),
        path("", include(django.conf.settings.ROOT_URLCONF)),
    ]


def people():
    viewer = Membership.objects.filter(role=Role.VIEWER, unit__depth=1).select_related("user", "unit").first()
    secretary = (
        Membership.objects.filter(role=Role.EDITOR, unit__kind=UnitKind.CHI_BO, unit__path__startswith=viewer.unit.path)
        .select_related("user", "unit")
        .first()
    )
    if not (viewer and secretary):
        sys.exit("No Khối viewer or chi bộ secretary: run manage.py generate_scale_data first.")
    return viewer.user, secretary.user


def one_request(client: Client, url: str) -> tuple[float, float]:
    c0, w0 = time.process_time(), time.perf_counter()
    client.get(url)
    return (time.process_time() - c0) * 1000, (time.perf_counter() - w0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--profile", default="")
    args = parser.parse_args()
    viewer, secretary = people()
    reg = Registration.objects.visible_to(secretary).exclude(status=Status.DRAFT).order_by("pk").first()
    lst = reverse("registry:registration-list")
    detail = reverse("registry:registration-detail", args=[reg.pk])
    pages = [
        ("Minimal view, whole rows – chi bộ secretary", secretary, "/_minimal_whole_rows/"),
        ("Minimal view, whole rows – Khối viewer", viewer, "/_minimal_whole_rows/"),
        ("Minimal view, same rows – chi bộ secretary", secretary, "/_minimal/"),
        ("List – chi bộ secretary", secretary, lst),
        ("Minimal view, same rows – Khối viewer", viewer, "/_minimal/"),
        ("List, unfiltered – Khối viewer", viewer, lst),
        ("Detail – chi bộ secretary", secretary, detail),
    ]
    clients = {}
    for _label, user, _url in pages:
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
    print(f"load average {os.getloadavg()[0]:.1f}, {Registration.objects.count():,} registrations", flush=True)
    # DEBUG off as in production; the test client asks for "testserver", which DEBUG alone let in.
    with override_settings(ROOT_URLCONF=urls, DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        if args.profile:
            for label, user, url in pages:
                if args.profile.lower() in label.lower():
                    client = clients[user.pk]
                    profiler = cProfile.Profile(time.process_time)  # CPU only, not the wait for the database
                    profiler.enable()
                    for _ in range(args.n):
                        client.get(url)
                    profiler.disable()
                    pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
            return
        for label, user, url in pages:
            for _ in range(3):  # warm-up: connections, templates, the options kept in memory
                assert clients[user.pk].get(url).status_code == 200, label
        # Rounds of 10 requests a page, one page after the other, so that a change of load on a shared machine
        # touches every page alike and the ratios hold; the medians are over all rounds.
        cpu = {label: [] for label, _user, _url in pages}
        wall = {label: [] for label, _user, _url in pages}
        for _round in range(max(1, args.n // 10)):
            for label, user, url in pages:
                for _ in range(10):
                    c, w = one_request(clients[user.pk], url)
                    cpu[label].append(c)
                    wall[label].append(w)
        minimal = {}
        for label, user, url in pages:
            with CaptureQueriesContext(connection) as ctx:
                clients[user.pk].get(url)
            median = sorted(cpu[label])[len(cpu[label]) // 2]
            ratio = ""
            who = label.rsplit("–", 1)[-1]
            if label.startswith("Minimal view, same"):
                minimal[who] = median
            elif who in minimal and label.startswith("List"):
                ratio = f", {minimal[who] / median:.2f} of the minimal view"
            print(
                f"{label}: {median:.1f} ms CPU, {sorted(wall[label])[len(wall[label]) // 2]:.1f} ms wall, "
                f"{len(ctx.captured_queries)} queries{ratio}",
                flush=True,
            )


if __name__ == "__main__":
    main()
