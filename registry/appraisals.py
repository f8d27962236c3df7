"""Appraisal and ranking of the proposals to the Khối by the Ban Tuyên giáo (domain.md §8, Mẫu 7a).

Promises:
- an appraiser scores an entry proposed to their Khối (status ``proposed_khoi``) once: a draft they may edit, then a
  submitted appraisal that never changes (``submitted_at``, ``total_score`` and ``criteria_met`` stored);
- every save locks the registration row and re-checks its status, so a score is never added to an entry whose
  appraisal was finished at the same moment; a save writes all its scores or none;
- an appraiser sees the others' scores of an entry only after submitting their own (``others_visible``);
- the ranking orders entries by mean total, then mean criteria met, then earlier submission; equal on all three
  share a rank; a spread of more than 20 points between appraisers is flagged;
- blind ranking: for an appraiser who has not submitted their own score of a running entry, that entry carries no
  scores and no rank, comes after the ranked ones, and the others are ranked 1..n among themselves, so no gap in the
  ranks reveals where it stands;
- the cost of a ranking page does not grow with the Khối's registrations: every entry is ranked from the narrow
  ``RankingRow`` of its (Khối, proposal year), kept by ``refresh_ranking`` in the transaction that submits an
  appraisal or creates / sends a proposal, its status copy kept by ``workflow.apply`` (``ranking_lines``); the page
  in rank order is read by the database off the index that holds the (Khối, year) in rank order, up to the page's
  last row (``ranking_page``); only the page's registrations are read (``load_entries``); the proposing units of
  entries without a proposal are found together, in one query.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from operator import itemgetter
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Rank
from django.db.models.lookups import IsNull
from django.utils import timezone

from registry import permissions, unit_tree, workflow
from registry.models import (
    Appraisal,
    AppraisalScore,
    Criterion,
    KhoiProposalEntry,
    RankingRow,
    Registration,
    Status,
    Unit,
)
from registry.models.registrations import COLLECTIVE_SUBJECTS
from registry.models.units import GRASSROOTS_KINDS

DISAGREEMENT_POINTS = 20
APPRAISABLE = Status.PROPOSED_KHOI
# Entries an appraiser lists: those waiting for appraisal, and those already appraised (read-only).
LISTED_STATUSES = (Status.PROPOSED_KHOI, Status.APPRAISED)

ALREADY_SUBMITTED = "Bạn đã nộp phiếu thẩm định cho hồ sơ này."
FINISHED = "Hồ sơ đã kết thúc thẩm định; không thể nộp thêm phiếu."
NOT_ALLOWED = "Bạn không có quyền thẩm định hồ sơ này."
NO_SUBMITTED = "Chưa có phiếu thẩm định nào được nộp; chưa thể hoàn thành thẩm định."
WRONG_GROUP = "Tiêu chí không thuộc bộ tiêu chí của hồ sơ này."
MISSING_SCORE = "Vui lòng đánh giá đạt / không đạt và cho điểm tiêu chí này."
NEGATIVE_SCORE = "Điểm không được âm."


def max_score_message(max_score: int) -> str:
    return f"Điểm không được vượt quá {max_score} (điểm tối đa của tiêu chí này)."


# --- who and which entries --------------------------------------------------------------------------------------


appraiser_khois = permissions.appraiser_khois


def khoi_roots_of(user) -> list[Unit]:
    """The Khối roots where the user holds any role: who may read the ranking of that Khối."""
    seen: dict[int, Unit] = {}
    for m in permissions.memberships_of(user):
        if m.unit.depth == 1:
            seen.setdefault(m.unit.pk, m.unit)
    return list(seen.values())


def with_proposal(qs: QuerySet) -> QuerySet:
    """Annotate each registration with its latest proposal to the Khối: ``proposal_year`` (the registration's
    year when it was never proposed), ``proposal_sent_at`` and ``proposal_unit_name``."""
    latest = KhoiProposalEntry.objects.filter(registration=OuterRef("pk")).order_by(
        F("proposal__sent_at").desc(nulls_last=True), "-proposal__pk"
    )
    return qs.annotate(
        proposal_year=Coalesce(Subquery(latest.values("proposal__year__year")[:1]), F("year__year")),
        proposal_sent_at=Subquery(latest.values("proposal__sent_at")[:1]),
        proposal_unit_name=Coalesce(Subquery(latest.values("proposal__unit__name")[:1]), Value("")),
    )


def entries_for(user, year: int, *, statuses=LISTED_STATUSES, khois: list[Unit] | None = None) -> QuerySet:
    """Registrations of the user's Khối proposed for ``year`` (the proposal's year), in the given statuses.

    ``khois`` defaults to the Khối where the user appraises; the ranking passes every Khối the user belongs to.
    """
    khois = appraiser_khois(user) if khois is None else khois
    # ``within`` matches a Khối on the registration's indexed ``khoi`` column, not on its units' paths.
    qs = Registration.objects.visible_to(user).within(*khois).filter(status__in=statuses)
    return (
        with_proposal(qs)
        .filter(proposal_year=year)
        .select_related("year", "field", "unit", "khoi", "subject_unit", "subject_person__work_unit")
        .order_by("proposal_sent_at", "submitted_at", "pk")
    )


def proposing_unit_name(reg: Registration) -> str:
    """The unit that proposed the entry: the proposal's unit, else the grassroots unit above the registration."""
    name = getattr(reg, "proposal_unit_name", "")
    return name or permissions.grassroots_unit_of(reg).name


def proposing_unit_names(regs: Iterable[Registration]) -> dict[int, str]:
    """Registration pk → ``proposing_unit_name`` of each (annotated by ``with_proposal``), in at most one query.

    An entry listed in no proposal (proposed before proposals were recorded, or generated data) falls back to its
    grassroots unit; those of all such entries are read together rather than one ancestor query per entry."""
    regs = list(regs)
    names = {reg.pk: getattr(reg, "proposal_unit_name", "") for reg in regs}
    orphans = {reg.pk: reg.unit.path for reg in regs if not names[reg.pk] and not isinstance(reg, RegistrationLine)}
    lines = [reg.pk for reg in regs if not names[reg.pk] and isinstance(reg, RegistrationLine)]
    if lines:
        # A ranking line does not carry its unit's path (the ranking reads no unit): read the few needed at once.
        orphans.update(Registration.objects.filter(pk__in=lines).values_list("pk", "unit__path"))
    grassroots = unit_tree.nearest_units(orphans.values(), GRASSROOTS_KINDS)
    for pk, path in orphans.items():
        names[pk] = grassroots[path].name
    return names


def criteria_of(reg: Registration) -> list[Criterion]:
    """The criteria of the entry's group under its year's guidance: 5 for a collective, 3 for an individual, in
    number order. A submitted score keeps pointing at the row it was given for."""
    return Criterion.for_year(reg.year_id, reg.criteria_group)


def appraisal_of(reg: Registration, user) -> Appraisal | None:
    """The user's own appraisal of the entry, with its scores, or None."""
    if not user.is_authenticated:
        return None
    return Appraisal.objects.filter(registration=reg, appraiser=user).prefetch_related("scores").first()


def can_score(user, reg: Registration, own: Appraisal | None, submitted: set[int] | None = None) -> bool:
    """The user may still write their appraisal of the entry: an appraiser of its Khối, the entry being appraised,
    their own appraisal (``own``, as given by ``appraisal_of``) not yet submitted, and not their own unit's entry
    (``permissions.appraisal_conflict``; ``submitted`` as given by ``permissions.submitted_by`` for a list)."""
    if reg.status != APPRAISABLE or (own is not None and own.submitted_at is not None):
        return False
    return permissions.can_appraise(user, reg) and permissions.appraisal_conflict(user, reg, submitted) is None


def score_refusal(user, reg: Registration, own: Appraisal | None) -> str:
    """Why ``can_score`` said no, in the words shown to the appraiser."""
    if own is not None and own.submitted_at is not None:
        return ALREADY_SUBMITTED
    if reg.status != APPRAISABLE:
        return FINISHED
    return permissions.appraisal_conflict(user, reg) or NOT_ALLOWED


def others_visible(reg: Registration, user, own: Appraisal | None) -> bool:
    """Blind appraisal: an appraiser sees the others' scores only after submitting their own. Once the appraisal is
    finished (no more scores can come) and for non-appraisers in scope, the submitted scores are visible."""
    if own is not None and own.submitted_at is not None:
        return True
    if reg.status != APPRAISABLE:
        return True
    return not permissions.can_appraise(user, reg)


def panel_appraisals(
    reg: Registration, user, *, with_line: bool = False
) -> "tuple[list[Appraisal], RankedEntry | None]":
    """What the registration page's panel shows, in one query: the entry's submitted appraisals and ``user``'s own
    (submitted or not), with their appraisers and without their scores, in submission order (a draft last); with
    ``with_line``, the entry's line of its year's ranking as ``ranking_lines`` gives it to ``user`` (or None), read
    on the same rows (the ``RankingRow`` joined, the rank counted by a subquery)."""
    mine = Q(appraiser=user) if user.is_authenticated else Q(pk__in=[])
    qs = Appraisal.objects.filter(Q(submitted_at__isnull=False) | mine, registration=reg).select_related("appraiser")
    if with_line:
        qs = qs.annotate(**_line_annotations(user, reg))
    rows = list(qs.order_by(F("submitted_at").asc(nulls_last=True), "pk"))
    line = None
    if with_line and rows:
        first = rows[0]
        roots = {k.pk for k in khoi_roots_of(user)}
        ranked = (*LISTED_STATUSES, Status.EXEMPLAR_KHOI, Status.EXEMPLAR_BASE)
        # The conditions ``_ranking_rows`` puts on the entry's own row, asked of the row read.
        if (
            first.line_year is not None
            and first.line_khoi_id in roots
            and reg.status in ranked
            and reg.year.year <= first.line_year
        ):
            row = (reg.pk, reg.status, reg.subject_kind, reg.title, reg.field.order, reg.submitted_at,
                   *(getattr(first, f"line_{name}") for name in LINE_COLUMNS[6:]))  # fmt: skip
            line = _line_entry(row, hidden=False, rank=first.line_rank)
    return rows, line


def _line_annotations(user, reg: Registration) -> dict:
    """The entry's ``RankingRow`` (``line_<column>`` for ``LINE_COLUMNS`` from the proposal on, ``line_year``) and
    its rank among the rows of its ranking that ``user`` sees (``line_rank``): one more than the visible rows ahead of
    it by ``RankedEntry.tie_key`` (competition ranking, as ``rank_entries`` and ``ranking_page`` rank). Only for an
    entry no longer being appraised: its own row is never blind."""
    row = "registration__ranking_row__"
    columns = {f"line_{name}": F(row + name) for name in LINE_COLUMNS[6:]}
    others = _ranking_rows(user, OuterRef(row + "year"), khois=[reg.khoi])
    appraiser_khoi_ids = [k.pk for k in appraiser_khois(user)]
    if appraiser_khoi_ids:
        # Blind rows have no place among the others (``ranking_lines``).
        own = Appraisal.objects.filter(
            registration=OuterRef("registration_id"), appraiser=user, submitted_at__isnull=False
        )
        others = others.exclude(Q(status=APPRAISABLE, khoi__in=appraiser_khoi_ids) & ~Exists(own))
    # The key ``ranking_page`` ranks by (``RankedEntry.tie_key``'s floats and time, stored by ``refresh_ranking``),
    # a row without a time after those with one.
    own_mean, own_criteria, own_when = (OuterRef(row + name) for name in ("mean_score", "criteria_score", "ranked_at"))
    earlier = Q(ranked_at__isnull=False) & (Q(ranked_at__lt=own_when) | Q(IsNull(own_when, True)))
    ahead = (
        Q(mean_score__gt=own_mean)
        | Q(mean_score=own_mean, criteria_score__gt=own_criteria)
        | (Q(mean_score=own_mean, criteria_score=own_criteria) & earlier)
    )
    # A constant grouping key is no GROUP BY: one row, its count zero when no row is ahead.
    count = others.filter(ahead).order_by().values(one=Value(1)).annotate(n=Count("pk")).values("n")[:1]
    return {
        **columns,
        "line_year": F(row + "year"),
        "line_rank": Coalesce(Subquery(count), 0) + 1,
    }


def submitted_appraisals(reg: Registration, *, exclude_user=None) -> list[Appraisal]:
    qs = (
        Appraisal.objects.filter(registration=reg, submitted_at__isnull=False)
        .select_related("appraiser")
        .prefetch_related(Prefetch("scores", queryset=AppraisalScore.objects.select_related("criterion")))
        .order_by("submitted_at", "pk")
    )
    if exclude_user is not None:
        qs = qs.exclude(appraiser=exclude_user)
    return list(qs)


# --- scoring ----------------------------------------------------------------------------------------------------


def _check_scores(reg: Registration, scores: Mapping[int, tuple[bool | None, int | None]], *, submit: bool) -> dict:
    """Criterion pk → (met, score) of the entry's group; ValidationError keyed ``score_<pk>`` / ``met_<pk>``."""
    criteria = {c.pk: c for c in criteria_of(reg)}
    errors: dict[str, list[str]] = {}
    foreign = [pk for pk in scores if pk not in criteria]
    if foreign:
        errors["__all__"] = [WRONG_GROUP]
    clean = {}
    for pk, criterion in criteria.items():
        met, score = scores.get(pk, (None, None))
        if score is not None and score > criterion.max_score:
            errors[f"score_{pk}"] = [max_score_message(criterion.max_score)]
            continue
        if score is not None and score < 0:
            errors[f"score_{pk}"] = [NEGATIVE_SCORE]
            continue
        if submit and (met is None or score is None):
            errors[f"score_{pk}" if score is None else f"met_{pk}"] = [MISSING_SCORE]
            continue
        if met is not None or score is not None:
            clean[pk] = (met, score)
    if errors:
        raise ValidationError(errors)
    return clean


def appraisal_save(
    *,
    registration: Registration,
    appraiser,
    file_complete: bool,
    comment: str = "",
    scores: Mapping[int, tuple[bool | None, int | None]],
    submit: bool = False,
) -> Appraisal:
    """Save the appraiser's draft of the entry (``submit=True``: and submit it).

    Under the registration's row lock: refuses (ValidationError) when the entry is no longer being appraised, when
    the appraiser already submitted, for a criterion outside the entry's group or a score above its maximum, and on
    submit for a criterion left without a score. Raises PermissionDenied for someone who may not appraise it.
    Nothing is written unless everything is valid.
    """
    with transaction.atomic():
        reg = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("unit", "subject_unit", "subject_person")
            .get(pk=registration.pk)
        )
        if not permissions.can_appraise(appraiser, reg):
            raise PermissionDenied(NOT_ALLOWED)
        if problem := permissions.appraisal_conflict(appraiser, reg):
            raise ValidationError(problem, code="separation_of_duties")
        if reg.status != APPRAISABLE:
            raise ValidationError(FINISHED, code="finished")
        appraisal = Appraisal.objects.filter(registration=reg, appraiser=appraiser).first()
        if appraisal is not None and appraisal.submitted_at is not None:
            raise ValidationError(ALREADY_SUBMITTED, code="already_submitted")
        clean = _check_scores(reg, scores, submit=submit)
        if appraisal is None:
            appraisal = Appraisal(registration=reg, appraiser=appraiser)
        appraisal.file_complete = bool(file_complete)
        appraisal.comment = (comment or "").strip()
        if submit:
            appraisal.total_score = sum(score for _met, score in clean.values())
            appraisal.criteria_met = sum(1 for met, _score in clean.values() if met)
            appraisal.submitted_at = timezone.now()
        appraisal.save()
        appraisal.scores.all().delete()
        AppraisalScore.objects.bulk_create(
            AppraisalScore(appraisal=appraisal, criterion_id=pk, met=bool(met), score=score or 0)
            for pk, (met, score) in clean.items()
        )
        if submit:
            refresh_ranking([reg.pk])
    return appraisal


def appraisal_submit(**kwargs) -> Appraisal:
    """Save and submit in one step: see ``appraisal_save``."""
    return appraisal_save(submit=True, **kwargs)


def appraisal_finish(registration: Registration, *, actor) -> Registration:
    """Close the appraisal of an entry (→ ``appraised``) once at least one appraisal was submitted."""
    with transaction.atomic():
        reg = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
        if reg.status == APPRAISABLE and not reg.appraisals.filter(submitted_at__isnull=False).exists():
            raise ValidationError(NO_SUBMITTED, code="no_submitted")
        return workflow.apply(reg, "finish_appraisal", actor=actor, via="appraisal")


# --- the ranking table ------------------------------------------------------------------------------------------


def refresh_ranking(registration_ids: Iterable[int]) -> None:
    """Write again the ``RankingRow`` of each registration from its submitted appraisals and its latest proposal
    (``with_proposal``); a registration without a submitted appraisal has none. Called inside the transaction that
    changed them: ``appraisal_save`` on submit, ``proposals.proposal_create`` and ``proposal_send``. Three queries."""
    ids = list(registration_ids)
    if not ids:
        return
    tallies = {
        row["registration_id"]: row
        for row in Appraisal.objects.filter(registration_id__in=ids, submitted_at__isnull=False)
        .order_by()
        .values("registration_id")
        .annotate(
            n=Count("pk"),
            total=Sum("total_score"),
            criteria=Sum("criteria_met"),
            low=Min("total_score"),
            high=Max("total_score"),
            complete=Count("pk", filter=Q(file_complete=True)),
        )
    }
    RankingRow.objects.filter(registration_id__in=ids).delete()
    if not tallies:
        return
    regs = with_proposal(Registration.objects.filter(pk__in=list(tallies)).order_by()).values_list(
        *("pk", "khoi_id", "proposal_year", "proposal_sent_at", "proposal_unit_name"),
        *("status", "year__year", "submitted_at"),  # the registration's, copied (RankingRow)
    )
    RankingRow.objects.bulk_create(
        RankingRow(
            registration_id=pk,
            khoi_id=khoi_id,
            year=year,
            proposal_sent_at=sent_at,
            proposal_unit_name=unit_name,
            appraisal_count=tallies[pk]["n"],
            total_sum=tallies[pk]["total"],
            criteria_sum=tallies[pk]["criteria"],
            min_total=tallies[pk]["low"],
            max_total=tallies[pk]["high"],
            complete_count=tallies[pk]["complete"],
            status=status,
            registration_year=registration_year,
            submitted_at=submitted_at,
            # The same floats as ``RankedEntry.tie_key`` (int / int is correctly rounded).
            mean_score=tallies[pk]["total"] / tallies[pk]["n"],
            criteria_score=tallies[pk]["criteria"] / tallies[pk]["n"],
            ranked_at=sent_at or submitted_at,
        )
        for pk, khoi_id, year, sent_at, unit_name, status, registration_year, submitted_at in regs
    )


def rebuild_ranking(chunk: int = 5000) -> int:
    """Every ``RankingRow`` written again from the appraisals (data written without the services: the generated
    data, the migration that created the table, the demo). Returns the number of rows."""
    ids = list(
        Appraisal.objects.filter(submitted_at__isnull=False)
        .order_by("registration_id")
        .values_list("registration_id", flat=True)
        .distinct()
    )
    with transaction.atomic():
        RankingRow.objects.all().delete()
        for start in range(0, len(ids), chunk):
            refresh_ranking(ids[start : start + chunk])
    return len(ids)


# --- ranking ----------------------------------------------------------------------------------------------------


def _two_places(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class RankedEntry:
    """One line of the ranking. A ``hidden`` line (blind appraisal) carries no appraisals, no means and no rank: only
    the number of submitted appraisals, which the viewer may know. From ``ranking_lines`` it holds a
    ``RegistrationLine`` and no appraisals but their ``tally`` until ``load_entries`` replaces them by the objects."""

    registration: "Registration | RegistrationLine"
    appraisals: "list[Appraisal]"
    mean_exact: Fraction | None
    criteria_exact: Fraction | None
    submitted: datetime | None
    rank: int | None = 0
    hidden: bool = False  # blind: the viewing appraiser has not submitted their own score of this entry
    submitted_count: int | None = None
    extra: dict = field(default_factory=dict)
    unit_name: str | None = None  # the proposing unit, when the ranking resolved it together with the others
    tally: "Tally | None" = None  # the sums of the submitted appraisals, from ``RankingRow`` (``ranking_lines``)

    def __post_init__(self):
        if self.submitted_count is None:
            self.submitted_count = self.tally.count if self.tally else len(self.appraisals)

    @property
    def mean(self) -> Decimal | None:
        return None if self.mean_exact is None else _two_places(self.mean_exact)

    @property
    def criteria_mean(self) -> Decimal | None:
        return None if self.criteria_exact is None else _two_places(self.criteria_exact)

    @property
    def criteria_total(self) -> int:
        return 5 if self.registration.is_collective else 3

    @property
    def spread(self) -> int | None:
        if self.tally is not None:
            return self.tally.high - self.tally.low
        totals = [a.total_score for a in self.appraisals]
        return max(totals) - min(totals) if totals else None

    @property
    def disagreement(self) -> bool:
        spread = self.spread
        return spread is not None and spread > DISAGREEMENT_POINTS

    @property
    def file_complete(self) -> bool:
        """The file counts as complete when most appraisers found it so (ties: complete)."""
        if self.tally is not None:
            return self.tally.complete * 2 >= self.tally.count
        complete = sum(1 for a in self.appraisals if a.file_complete)
        return complete * 2 >= len(self.appraisals)

    @property
    def proposing_unit(self) -> str:
        if self.unit_name is None:
            self.unit_name = proposing_unit_names([self.registration])[self.registration.pk]
        return self.unit_name

    def tie_key(self) -> tuple:
        # The means are quotients of small integers: as floats they order and tie exactly as the fractions do, and
        # thousands of entries sort without building fractions. Earlier submission first; an entry without any
        # submission time goes after those with one.
        when = self.submitted
        if self.tally is not None:
            # The same floats straight from the sums (int / int is correctly rounded, as float(Fraction) is): a
            # ranking of 5,000 entries spent most of its Python time converting fractions.
            mean, criteria = self.tally.total / self.tally.count, self.tally.criteria / self.tally.count
        else:
            mean, criteria = float(self.mean_exact), float(self.criteria_exact)
        return (-mean, -criteria, when is None, when.timestamp() if when else 0.0)


def rank_entries(entries: list[RankedEntry]) -> list[RankedEntry]:
    """Sort by mean total, then mean criteria met, then earlier submission; equal on all three share a rank
    (competition ranking: 1, 1, 3)."""
    keyed = sorted(((entry.tie_key(), entry) for entry in entries), key=itemgetter(0))
    previous = None
    for position, (key, entry) in enumerate(keyed, start=1):
        entry.rank = previous[1] if previous and previous[0] == key else position
        previous = (key, entry.rank)
    return [entry for _key, entry in keyed]


class Tally(NamedTuple):
    """The submitted appraisals of an entry as the ranking reads them (``RankingRow``): count, sums, lowest and
    highest total, how many found the file complete."""

    count: int
    total: int
    criteria: int
    low: int
    high: int
    complete: int


class FieldLine(NamedTuple):
    order: int


class RegistrationLine(NamedTuple):
    """A registration as the ranking ranks and sorts it, before a page reads the registrations it shows."""

    pk: int
    status: str
    subject_kind: str
    title: str
    field: FieldLine
    submitted_at: datetime | None
    proposal_sent_at: datetime | None
    proposal_unit_name: str

    @property
    def is_collective(self) -> bool:
        return self.subject_kind in COLLECTIVE_SUBJECTS


# ``status`` and ``submitted_at`` are the row's copies of the registration's (``RankingRow``); the title, kind and
# field are the registration's own, joined only by ``ranking_lines`` (a sort by name or field needs them all).
# The sums a ``RankingRow`` keeps of an entry's submitted appraisals, in ``Tally``'s order.
TALLY_COLUMNS = ("appraisal_count", "total_sum", "criteria_sum", "min_total", "max_total", "complete_count")


LINE_COLUMNS = (
    "registration_id",
    "status",
    "registration__subject_kind",
    "registration__title",
    "registration__field__order",
    "submitted_at",
    "proposal_sent_at",
    "proposal_unit_name",
    "khoi_id",
    *TALLY_COLUMNS,
)


def _hidden_entry(reg, count: int) -> RankedEntry:
    return RankedEntry(
        registration=reg,
        appraisals=[],
        mean_exact=None,
        criteria_exact=None,
        submitted=reg.proposal_sent_at or reg.submitted_at,
        rank=None,
        hidden=True,
        submitted_count=count,
    )


def _ranking_rows(user, year: int, *, khois: list[Unit] | None = None, statuses=None) -> QuerySet:
    """The ``RankingRow`` of ``year`` in the given Khối (default: every Khối where the user holds a role)."""
    # A Khối where the user holds a role sees every registration of it (``visible_to``): nothing wider.
    roots = {k.pk for k in khoi_roots_of(user)}
    khoi_ids = [k.pk for k in (khoi_roots_of(user) if khois is None else khois) if k.pk in roots]
    statuses = statuses or (*LISTED_STATUSES, Status.EXEMPLAR_KHOI, Status.EXEMPLAR_BASE)
    # The row's own copies of the registration's status and year: the (Khối, year) rows off one index, no join.
    return RankingRow.objects.filter(
        khoi__in=khoi_ids,
        year=year,
        status__in=statuses,
        # A proposal of ``year`` lists exemplars registered in ``year`` or before (proposals.eligible_exemplars).
        registration_year__lte=year,
    )


def _line_entry(row, *, hidden: bool, rank: int | None = 0) -> RankedEntry:
    """A ``RankedEntry`` of one row of ``LINE_COLUMNS``."""
    pk, status, kind, title, order, submitted_at, sent_at, unit_name, _khoi_id, *sums = row
    reg = RegistrationLine(pk, status, kind, title, FieldLine(order), submitted_at, sent_at, unit_name)
    return _entry(reg, Tally(*sums), hidden=hidden, rank=rank)


def _entry(reg: "RegistrationLine", tally: Tally, *, hidden: bool, rank: int | None = 0) -> RankedEntry:
    """The line of one registration from its ``RankingRow`` sums: blind (``_hidden_entry``) or with its means."""
    if hidden:
        return _hidden_entry(reg, tally.count)
    return RankedEntry(
        registration=reg,
        appraisals=[],
        mean_exact=Fraction(tally.total, tally.count),
        criteria_exact=Fraction(tally.criteria, tally.count),
        submitted=reg.proposal_sent_at or reg.submitted_at,
        tally=tally,
        rank=rank,
    )


# What ``ranking_page`` ranks and pages by: the ``RankingRow`` alone, none of the registration's columns.
PAGE_COLUMNS = (
    "registration_id",
    "status",
    "submitted_at",
    "proposal_sent_at",
    "proposal_unit_name",
    *TALLY_COLUMNS,
)


def _count(rows: QuerySet) -> Subquery:
    """The number of ``rows`` as a subquery of another query's row (computed once: it refers to no outer row)."""
    return Subquery(rows.order_by().annotate(n=Func(Value(1), function="COUNT")).values("n"), IntegerField())


def ranking_page(user, year: int, *, khois: list[Unit] | None = None, number=1, per_page: int = 50) -> Page:
    """One page of ``ranking_lines`` in its own order (by rank, the blind rows last in proposal order), ranked by
    the database off the ``RankingRow`` of the (Khối, year), so that a page reads and builds its own lines only,
    whatever the number of entries: the rows the viewer may see are read in rank order straight off the index that
    holds them so (``RANK()`` over the rows up to the page's last), the blind ones in proposal order after them.
    Its ``object_list`` holds the ``RankedEntry`` lines of the page with their registrations loaded
    (``load_entries``); its ``finished_count`` is the number of entries whose appraisal is closed (what the printed
    forms may list: the statuses past ``APPRAISABLE``). One query for a page of ranked
    rows (the numbers of rows come with it), one more for a page that reaches the blind rows, plus those of
    ``load_entries``."""
    rows = _ranking_rows(user, year, khois=khois)
    appraiser_khoi_ids = [k.pk for k in appraiser_khois(user)]
    if appraiser_khoi_ids:
        own = Appraisal.objects.filter(
            registration=OuterRef("registration_id"), appraiser=user, submitted_at__isnull=False
        )
        blind = Q(status=APPRAISABLE, khoi__in=appraiser_khoi_ids) & ~Exists(own)
        visible, hidden, blind_count = rows.exclude(blind), rows.filter(blind), _count(rows.filter(blind))
    else:
        blind = None
        visible, hidden, blind_count = rows, rows.none(), Value(0)
    # The key of ``RankedEntry.tie_key`` (``mean_score``, ``criteria_score``, ``ranked_at``: the same floats and time,
    # stored by ``refresh_ranking``), ties in proposal order: the order of the index, so that the database reads the
    # rows up to the page's last instead of sorting the Khối's thousands.
    key = [F("mean_score").desc(), F("criteria_score").desc(), F("ranked_at").asc(nulls_last=True)]
    visible = (
        visible.annotate(
            rank=Window(Rank(), order_by=key),
            total=_count(rows),
            blind=blind_count,
            finished=_count(rows.exclude(status=APPRAISABLE)),
        )
        .order_by(*key, "proposal_sent_at", "submitted_at", "registration_id")
        .values_list(*PAGE_COLUMNS, "rank", "total", "blind", "finished")
    )
    # Blind rows keep proposal order: ordering them by their rank would tell their scores.
    hidden = hidden.order_by("proposal_sent_at", "submitted_at", "registration_id").values_list(*PAGE_COLUMNS)
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    found = list(visible[(number - 1) * per_page : number * per_page])
    if found:
        total, blind_total, finished = found[0][-3:]
    else:  # a page past the ranked rows: blind rows only, or past the last page (then the last one)
        blind_count = {"blind": Count("pk", filter=blind)} if blind is not None else {}
        counts = rows.aggregate(total=Count("pk"), finished=Count("pk", filter=~Q(status=APPRAISABLE)), **blind_count)
        total, blind_total, finished = counts["total"], counts.get("blind", 0), counts["finished"]
    ranked = total - blind_total
    page = Paginator(range(total), per_page).get_page(number)
    start, stop = (page.number - 1) * per_page, page.number * per_page
    if page.number != number and start < ranked:
        found = list(visible[start:stop])
    lines = [(*row[:-4], False, row[-4]) for row in found]
    if stop > ranked and total > ranked:
        lines += [(*row, True, None) for row in hidden[max(start - ranked, 0) : stop - ranked]]
    entries = []
    for pk, status, submitted_at, sent_at, unit_name, *rest in lines:
        *sums, hidden_row, rank = rest
        # The title, kind and field come with the registration that ``load_entries`` reads for the page's lines.
        reg = RegistrationLine(pk, status, "", "", FieldLine(0), submitted_at, sent_at, unit_name)
        entries.append(_entry(reg, Tally(*sums), hidden=hidden_row, rank=rank))
    page.object_list = load_entries(user, entries)
    page.finished_count = finished
    return page


def ranking_lines(user, year: int, *, khois: list[Unit] | None = None, statuses=None) -> list[RankedEntry]:
    """The ranking of ``year`` (see ``ranking``) from the ``RankingRow`` of the Khối and year, whatever the number of
    the Khối's registrations: each entry's ``registration`` is a ``RegistrationLine`` and its ``tally`` the sums of
    its submitted appraisals; ``load_entries`` reads the real ones for the entries shown. Two queries at most (the
    rows; the entries the viewing appraiser has scored)."""
    rows = _ranking_rows(user, year, khois=khois, statuses=statuses)
    # Proposal order, as ``entries_for`` lists them: the order hidden rows keep after the ranked ones.
    rows = rows.order_by("proposal_sent_at", "submitted_at", "registration_id").values_list(*LINE_COLUMNS)
    rows = list(rows)
    appraiser_khoi_ids = {k.pk for k in appraiser_khois(user)}
    # Entries still being appraised in a Khối where the user appraises: blind unless the user submitted theirs,
    # asked of those entries only (the (Khối, year) rows again), not of every appraisal the user ever submitted:
    # asked through the same ranking rows rather than with their ids (a list of a thousand ids costs more to build).
    own_submitted = set()
    if any(row[1] == APPRAISABLE and row[8] in appraiser_khoi_ids for row in rows):
        own_submitted = set(
            Appraisal.objects.filter(
                appraiser=user,
                submitted_at__isnull=False,
                registration__ranking_row__status=APPRAISABLE,
                registration__ranking_row__khoi__in=appraiser_khoi_ids,
                registration__ranking_row__year=year,
            ).values_list("registration_id", flat=True)
        )
    entries, hidden = [], []
    for row in rows:
        pk, status, khoi_id = row[0], row[1], row[8]
        # Blind: neither the scores nor a place among the others; ranking it would leave a gap that tells.
        blind = status == APPRAISABLE and khoi_id in appraiser_khoi_ids and pk not in own_submitted
        entry = _line_entry(row, hidden=blind)
        (hidden if blind else entries).append(entry)
    return rank_entries(entries) + hidden


def name_proposing_units(entries: list[RankedEntry]) -> None:
    """Give every entry its proposing unit (``unit_name``) at once: at most one query for all of them."""
    names = proposing_unit_names(e.registration for e in entries if e.unit_name is None)
    for entry in entries:
        if entry.unit_name is None:
            entry.unit_name = names[entry.registration.pk]


# The long texts of a registration (its plan, Mẫu 1 / 2), which no line of the ranking page shows.
LONG_TEXTS = (
    *("situation", "objectives", "indicators", "content", "beneficiaries", "partners", "resources"),
    *("milestones", "expected_results", "sustainability", "search_text"),
)


def load_entries(user, entries: list[RankedEntry], *, with_appraisals: bool = False) -> list[RankedEntry]:
    """Replace the ``RegistrationLine`` of each of ``entries`` (from ``ranking_lines``) by the registration, and name
    their proposing units: two queries at most, for the page shown. ``with_appraisals=True`` (the export and the
    printed forms) also gives them their submitted appraisals with appraisers, scores and
    criteria, two queries more."""
    # No order: the lines keep the entries' order (the registrations' default order was a sort of its own).
    regs = Registration.objects.visible_to(user).filter(pk__in=[e.registration.pk for e in entries]).order_by()
    if not with_appraisals:
        # A page's lines: their title, subject, field and status; not the long texts a printed form quotes.
        regs = regs.select_related("field", "unit", "subject_unit", "subject_person").defer(*LONG_TEXTS)
    else:
        regs = regs.select_related("year", "field", "unit", "subject_unit", "subject_person__work_unit")
    if with_appraisals:
        scores = AppraisalScore.objects.select_related("criterion")
        submitted = (
            Appraisal.objects.filter(submitted_at__isnull=False)
            .select_related("appraiser")
            .prefetch_related(Prefetch("scores", queryset=scores))
            .order_by("pk")
        )
        regs = regs.prefetch_related(Prefetch("appraisals", queryset=submitted, to_attr="submitted_appraisals"))
    by_pk = {reg.pk: reg for reg in regs}
    for entry in entries:
        line, reg = entry.registration, by_pk[entry.registration.pk]
        # What ``with_proposal`` annotates, so that a loaded registration reads like one from ``entries_for``.
        reg.proposal_sent_at, reg.proposal_unit_name = line.proposal_sent_at, line.proposal_unit_name
        entry.registration = reg
        if with_appraisals and not entry.hidden:
            entry.appraisals = reg.submitted_appraisals
    name_proposing_units(entries)
    return entries


def ranking(user, year: int, *, khois: list[Unit] | None = None, statuses=None) -> list[RankedEntry]:
    """The entries of ``year`` with at least one submitted appraisal, ranked, every one loaded with its scores.

    Rows the viewing appraiser may not see yet (their own score of a running appraisal not submitted) come back with
    ``hidden=True``, without scores or rank, after the ranked rows (in proposal order); the visible rows are ranked
    among themselves only, so their ranks say nothing about the hidden ones."""
    entries = ranking_lines(user, year, khois=khois, statuses=statuses)
    return load_entries(user, entries, with_appraisals=True)


# Columns the ranking page may sort by (GET ``sap_xep``; a leading "-" reverses): never a raw field name.
SORT_KEYS = {
    "hang": lambda e: e.rank,
    "diem": lambda e: e.mean_exact,
    "tieu_chi": lambda e: e.criteria_exact,
    "ten": lambda e: e.registration.title.lower(),
    "don_vi": lambda e: e.proposing_unit.lower(),
    "linh_vuc": lambda e: e.registration.field.order,
    "chenh_lech": lambda e: e.spread,
}


def sort_ranking(entries: list[RankedEntry], sort: str | None) -> tuple[list[RankedEntry], str]:
    """The entries in the order asked for (an unknown key means by rank) and the key actually used."""
    sort = sort or "hang"
    name = sort.removeprefix("-")
    if name not in SORT_KEYS:
        return entries, "hang"
    if name == "don_vi":
        name_proposing_units(entries)
    key = SORT_KEYS[name]
    if name in ("diem", "tieu_chi", "chenh_lech", "hang"):
        # Hidden rows have no score nor rank to sort by, and their place must not reveal one: they go last, as given.
        visible = sorted((e for e in entries if not e.hidden), key=lambda e: (key(e), e.rank))
        if sort.startswith("-"):
            visible.reverse()
        return visible + [e for e in entries if e.hidden], sort
    return sorted(entries, key=key, reverse=sort.startswith("-")), sort
