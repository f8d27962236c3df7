"""Pagination of lists that can hold hundreds of thousands of rows (a Khối's registrations, the admin's).

Django's ``Paginator`` counts every matching row on every page view: ``COUNT(*)`` over 200,000 rows of a Khối took
most of the list page's 2 s at national scale (docs/benchmarks.md). ``CappedPaginator`` counts at most ``cap + 1``
rows, so the cost of a page no longer grows with the data: past the cap the page says "hơn 10.000" and offers the
first ``cap`` rows only, which is also where OFFSET pagination stops being cheap. Nobody reads page 4,000 of a list;
the filters narrow it instead.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

DEFAULT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator whose ``count`` stops at ``cap``; ``is_capped`` tells that more rows match."""

    # The admin's ChangeList passes orphans and allow_empty_first_page by position.
    def __init__(
        self,
        object_list,
        per_page,
        orphans=0,
        allow_empty_first_page=True,
        *,
        cap: int | None = None,
        ids_first: bool = False,
        counted=None,
    ):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.cap = cap or DEFAULT_CAP
        # Read the first page's ids before its rows, as for a deeper page: a search walking an index that holds the
        # searched text finds its page's ids there, without fetching every skipped row (filters.is_common_search).
        self.ids_first = ids_first
        # The same rows as ``object_list`` selected another way, cheaper to count (a common search sorted by name:
        # filters.filtered_registrations); None counts ``object_list``.
        self.counted = counted

    @cached_property
    def _bounded_count(self) -> int:
        # COUNT over a sliced queryset: SELECT COUNT(*) FROM (SELECT … LIMIT cap + 1), which stops early; without
        # the ORDER BY, which a count does not need and which would make PostgreSQL read rows in that order.
        object_list = self.object_list if self.counted is None else self.counted
        if hasattr(object_list, "count") and hasattr(object_list, "query"):
            return object_list.order_by()[: self.cap + 1].count()
        return len(object_list[: self.cap + 1])

    @cached_property
    def is_capped(self) -> bool:
        return self._bounded_count > self.cap

    @cached_property
    def count(self) -> int:
        """The number of rows offered: the real count up to ``cap``, ``cap`` beyond."""
        return min(self._bounded_count, self.cap)

    def validate_number(self, number):
        # The first page always exists (an empty list shows an empty first page): no count needed to say so.
        if self.allow_empty_first_page and str(number).strip() == "1":
            return 1
        return super().validate_number(number)

    def page(self, number):
        """As Django's, but the first page's rows are read before the count: when they are fewer than a page they are
        every row, and the count is known without its query (a chi bộ's list, most filtered lists)."""
        number = self.validate_number(number)
        if number != 1 or self.orphans or "_bounded_count" in self.__dict__ or not hasattr(self.object_list, "query"):
            return super().page(number)
        if self.ids_first:
            ids = list(self.object_list.values_list("pk", flat=True)[: self.per_page])
            if len(ids) < self.per_page:
                self.__dict__["_bounded_count"] = len(ids)
            return self._get_page(self.object_list.filter(pk__in=ids), 1, self)
        rows = self.object_list[: self.per_page]
        if len(rows) < self.per_page:  # len() reads the rows into the queryset, which stays one (the admin annotates)
            self.__dict__["_bounded_count"] = len(rows)
        return self._get_page(rows, 1, self)

    def _get_page(self, object_list, number, paginator):
        # A deep page (OFFSET 9,975) of full rows made PostgreSQL fetch and throw away every skipped row with its
        # joins. Its ids are read first, off the index that serves the order, then the page's rows by id. The first
        # page skips nothing: its rows are read at once (one query less on the page most people see).
        if hasattr(object_list, "query") and object_list.query.is_sliced and object_list.query.low_mark > 0:
            # Still a queryset, in the same order (every order here ends on the primary key): the admin's tree view
            # annotates the page.
            ids = list(object_list.values_list("pk", flat=True))
            object_list = self.object_list.filter(pk__in=ids)
        return super()._get_page(object_list, number, paginator)
