"""Appraisal and ranking at Khối level (Mẫu 7, 7a): the appraiser's list, the scoring sheet, finishing an
appraisal, the ranking page with its .xlsx export, and the two printed documents.

Entries are fetched through ``Registration.objects.visible_to(user)`` (a registration outside the user's branch is
a 404); appraising is for ``permissions.can_appraise`` (403 otherwise); the rules live in ``registry.appraisals``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from registry import appraisals, permissions, xlsx
from registry.appraisal_forms import AppraisalForm, PrintForm, YearForm
from registry.models import Registration, Status
from registry.papers import appraisals as pdf_context
from registry.papers import catalogue
from registry.templatetags.registry_tags import person_name, status_badge, vn_datetime
from registry.terms import lazy_text
from registry.views.documents import issue_url
from registry.views.links import registration_urls

# Sortable columns of the ranking page, in display order: (key of appraisals.SORT_KEYS, label).
SORT_COLUMNS = [
    ("hang", "Xếp hạng"),
    ("ten", "Tên điển hình"),
    ("don_vi", "Đơn vị đề nghị"),
    ("diem", "Điểm bình quân"),
    ("tieu_chi", "Tiêu chí đạt"),
    ("chenh_lech", "Chênh lệch"),
]
STATUS_OF_OWN = {None: "Chưa chấm", False: "Bản nháp", True: "Đã nộp"}
# Rows of the ranking page: a Khối may rank thousands of entries a year, and a page reads only the rows it shows.
RANKING_PAGE_SIZE = 50


def _year_form(request) -> tuple[YearForm, object]:
    form = YearForm(request.GET if "nam" in request.GET else None)
    return form, form.year()


def _entry(request, pk: int) -> Registration:
    reg = get_object_or_404(
        Registration.objects.visible_to(request.user).select_related(
            "year", "field", "unit", "subject_unit", "subject_person__work_unit"
        ),
        pk=pk,
    )
    if not permissions.can_appraise(request.user, reg):
        raise PermissionDenied(appraisals.NOT_ALLOWED)
    return reg


@login_required
def appraisal_list(request):
    """The entries proposed to the appraiser's Khối for a year, with the appraiser's own progress on each. The menu's
    "Thẩm định, xếp hạng" opens this page: Khối members who do not appraise (leaders, the standing committee) are
    sent on to the ranking, which they may read."""
    khois = appraisals.appraiser_khois(request.user)
    if not khois:
        if appraisals.khoi_roots_of(request.user):
            return redirect(f"{reverse('registry:ranking')}?{request.GET.urlencode()}".rstrip("?"))
        raise PermissionDenied(appraisals.NOT_ALLOWED)
    form, year = _year_form(request)
    rows = []
    if year is not None:
        entries = list(appraisals.entries_for(request.user, year.year, khois=khois).prefetch_related("appraisals"))
        unit_names = appraisals.proposing_unit_names(entries)
        submitted = permissions.submitted_by(request.user, entries)
        for reg in entries:
            own = next((a for a in reg.appraisals.all() if a.appraiser_id == request.user.pk), None)
            rows.append(
                {
                    "registration": reg,
                    "unit": unit_names[reg.pk],
                    "own": STATUS_OF_OWN[None if own is None else own.submitted_at is not None],
                    "submitted_count": sum(1 for a in reg.appraisals.all() if a.submitted_at),
                    "can_score": appraisals.can_score(request.user, reg, own, submitted),
                }
            )
    return render(request, "registry/appraisal_list.html", {"form": form, "year": year, "rows": rows})


@login_required
def appraisal_score(request, pk: int):
    """The appraiser's scoring sheet of one entry: save a draft, or submit (then read-only, others' scores shown)."""
    reg = _entry(request, pk)
    if reg.status not in appraisals.LISTED_STATUSES:
        messages.error(request, "Hồ sơ này không ở trạng thái đề nghị thẩm định.")
        return redirect(reg)
    criteria = appraisals.criteria_of(reg)
    own = appraisals.appraisal_of(reg, request.user)
    editable = appraisals.can_score(request.user, reg, own)
    form = AppraisalForm(request.POST if request.method == "POST" else None, criteria=criteria, instance=own)
    if request.method == "POST":
        if not editable:
            messages.error(request, appraisals.score_refusal(request.user, reg, own))
            return redirect("registry:appraisal-score", pk=reg.pk)
        if form.is_valid():
            try:
                appraisals.appraisal_save(
                    registration=reg,
                    appraiser=request.user,
                    file_complete=form.cleaned_data["file_complete"],
                    comment=form.cleaned_data["comment"],
                    scores=form.scores,
                    submit=form.submitting,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.error_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    messages.error(request, error.messages[0])
                    return redirect("registry:appraisal-score", pk=reg.pk)
            else:
                messages.success(request, "Đã nộp phiếu thẩm định." if form.submitting else "Đã lưu bản nháp.")
                return redirect("registry:appraisal-score", pk=reg.pk)
    visible = appraisals.others_visible(reg, request.user, own)
    others = appraisals.submitted_appraisals(reg, exclude_user=request.user) if visible else []
    submitted_count = reg.appraisals.filter(submitted_at__isnull=False).count()
    own_scores = {s.criterion_id: s for s in own.scores.all()} if own else {}
    context = {
        "registration": reg,
        "unit_name": appraisals.proposing_unit_name(
            appraisals.with_proposal(Registration.objects.filter(pk=reg.pk)).get()
        ),
        "criteria": criteria,
        "form": form,
        "own": own,
        "own_rows": [{"criterion": c, "score": own_scores.get(c.pk)} for c in criteria],
        "editable": editable,
        "others_visible": visible,
        "others": others,
        "submitted_count": submitted_count,
        "can_finish": reg.status == Status.PROPOSED_KHOI and submitted_count > 0,
    }
    return render(request, "registry/appraisal_form.html", context)


@login_required
@require_POST
def appraisal_finish(request, pk: int):
    """Close the appraisal of an entry (→ Đã thẩm định); appraisers only, once a score has been submitted."""
    reg = _entry(request, pk)
    try:
        appraisals.appraisal_finish(reg, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Đã hoàn thành thẩm định hồ sơ.")
    return redirect("registry:appraisal-score", pk=reg.pk)


def _ranking_access(request):
    khois = appraisals.khoi_roots_of(request.user)
    if not khois:
        raise PermissionDenied(lazy_text("Trang xếp hạng dành cho {appraising_body} và lãnh đạo {top_committee}."))
    return khois


def _printable_ids(entries) -> list[int]:
    """The entries that ``pdf_context.printable`` would print (finished, not hidden), without ranking them again:
    ``printable`` gives them their ranks among themselves, and the page shows the ranks over all entries."""
    finished = pdf_context.FINISHED_STATUSES
    return [e.registration.pk for e in entries if not e.hidden and e.registration.status in finished]


def _table_rows(entries, printable_ids: set[int]) -> list[dict]:
    """The ranking table's rows as plain values, each worked out once here: through the template, every cell walked
    three or four attributes (and ``reverse``, the badge's tag) per row, half of the page's CPU (issue 17). Numbers
    stay numbers, so that the template writes them in Vietnamese (a decimal comma)."""
    url_of = registration_urls()
    rows = []
    for e in entries:
        reg = e.registration
        row = {
            "pk": reg.pk,
            "url": url_of(reg.pk),
            "title": reg.title,
            "unit": e.proposing_unit,
            "hidden": e.hidden,
            "subject": reg.subject_name,
            "field": reg.field.name,
            "status": status_badge(reg.status),
            "count": e.submitted_count,
            "printable": reg.pk in printable_ids,
        }
        if not e.hidden:
            row |= {
                "rank": e.rank,
                "mean": e.mean,
                "criteria": e.criteria_mean,
                "criteria_total": e.criteria_total,
                "spread": e.spread,
                "disagreement": e.disagreement,
            }
        rows.append(row)
    return rows


@login_required
def ranking(request):
    """The ranking of a year's entries (GET ``nam``, ``sap_xep``, ``page``), with the export and the print form.

    Every entry is ranked and sorted from narrow rows; only the page shown reads its registrations."""
    khois = _ranking_access(request)
    form, year = _year_form(request)
    page, sort = None, "hang"
    print_form = None
    printable_ids, any_printable = [], False
    if year is not None:
        sort = request.GET.get("sap_xep") or "hang"
        if sort.removeprefix("-") not in appraisals.SORT_KEYS:
            sort = "hang"
        if sort == "hang":
            # The default order: ranked and paged by the database, the page builds and loads its 50 lines only.
            page = appraisals.ranking_page(
                request.user, year.year, khois=khois, number=request.GET.get("page"), per_page=RANKING_PAGE_SIZE
            )
            # Printable entries are finished ones, which are never blind (``_printable_ids``): counted with the page.
            any_printable = page.finished_count > 0
        else:
            entries = appraisals.ranking_lines(request.user, year.year, khois=khois)
            any_printable = bool(_printable_ids(entries))
            entries, sort = appraisals.sort_ranking(entries, sort)
            page = Paginator(entries, RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
            appraisals.load_entries(request.user, page.object_list)
        # The boxes of this page; the print views check the choice again against every printable entry.
        printable_ids = _printable_ids(page.object_list)
        print_form = PrintForm(initial={"nam": year.year}, entry_ids=printable_ids)
    context = {
        "form": form,
        "year": year,
        "entries": _table_rows(page.object_list, set(printable_ids)) if page else [],
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number) if page else [],
        "sort": sort,
        "sort_columns": SORT_COLUMNS,
        "any_printable": any_printable,
        "print_form": print_form,
        "can_print": bool(appraisals.appraiser_khois(request.user)),
        "disagreement_points": appraisals.DISAGREEMENT_POINTS,
        "year_query": urlencode({"nam": year.year}) if year else "",
    }
    return render(request, "registry/ranking.html", context)


@login_required
def ranking_xlsx(request):
    """The ranking as .xlsx: every submitted appraisal's scores per criterion and totals, one row per appraisal."""
    khois = _ranking_access(request)
    form, year = _year_form(request)
    if year is None:
        messages.error(request, "Vui lòng chọn năm.")
        return redirect("registry:ranking")
    entries = appraisals.ranking(request.user, year.year, khois=khois)
    width = max((e.criteria_total for e in entries), default=5)
    headers = [
        "Xếp hạng", "Tên điển hình", "Tập thể / cá nhân", "Đơn vị đề nghị", "Lĩnh vực", "Trạng thái",
        "Điểm bình quân", "Tiêu chí đạt (bình quân)", "Chênh lệch > 20 điểm", "Người thẩm định", "Hồ sơ",
        *[f"Tiêu chí {n} (điểm / đạt)" for n in range(1, width + 1)],
        "Tổng điểm", "Số tiêu chí đạt", "Nộp phiếu lúc", "Nhận xét",
    ]  # fmt: skip
    rows = []
    for e in entries:
        reg = e.registration
        head = [reg.title, reg.subject_name, e.proposing_unit, reg.field.name, reg.get_status_display()]
        if e.hidden:
            rows.append(["", *head, "Chưa hiển thị: bạn chưa nộp phiếu thẩm định hồ sơ này."])
            continue
        summary = [float(e.mean), float(e.criteria_mean), "Có" if e.disagreement else "Không"]
        for a in e.appraisals:
            scores = {s.criterion.number: s for s in a.scores.all()}
            cells = [
                f"{scores[n].score} / {'đạt' if scores[n].met else 'không đạt'}" if n in scores else ""
                for n in range(1, width + 1)
            ]
            rows.append(
                [e.rank, *head, *summary, person_name(a.appraiser), "Đầy đủ" if a.file_complete else "Thiếu", *cells,
                 a.total_score, a.criteria_met, vn_datetime(a.submitted_at), a.comment]
            )  # fmt: skip
    widths = [9, 40, 30, 30, 24, 18, 12, 12, 12, 24, 10, *[14] * width, 10, 10, 18, 40]
    return xlsx.workbook_response(
        f"xep-hang-tham-dinh-{year.year}.xlsx", f"Xếp hạng {year.year}", headers, rows, widths
    )


def _print(request, form_code: str):
    """The Mẫu 7 / 7a of the appraiser's Khối and year with the entries chosen on the ranking page: the paper in
    force, or its issue page (number, date, signer) when it has not been issued with this choice."""
    khois = appraisals.appraiser_khois(request.user)
    if not khois:
        raise PermissionDenied(appraisals.NOT_ALLOWED)
    year_form, year = _year_form(request)
    if year is None:
        messages.error(request, "Vui lòng chọn năm.")
        return redirect("registry:ranking")
    entries = appraisals.ranking(request.user, year.year, khois=[khois[0]])
    printable = pdf_context.printable(entries)
    back = f"{reverse('registry:ranking')}?{urlencode({'nam': year.year})}"
    if not printable:
        messages.error(request, f"Năm {year.year} chưa có hồ sơ nào hoàn thành thẩm định để in.")
        return redirect(back)
    form = PrintForm(request.GET, entry_ids=[e.registration.pk for e in printable])
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(back)
    params = {"nam": str(year.year), "chon": [str(pk) for pk in sorted(form.chosen(printable))]}
    subject = catalogue.subject_from(form_code, QueryDict(urlencode(params, doseq=True)), request.user)
    return redirect(issue_url(subject))


@login_required
def appraisal_report_pdf(request):
    """Mẫu 7a – BÁO CÁO thẩm định hồ sơ (GET: nam, de_xuat / diem_toi_thieu)."""
    return _print(request, "mau_7a")


@login_required
def submission_pdf(request):
    """Mẫu 7 – TỜ TRÌNH đề nghị xác nhận điển hình cấp Đảng bộ Khối (same parameters as Mẫu 7a)."""
    return _print(request, "mau_7")
