"""A paginator for lists too long to count on every page view (the audit trail holds tens of millions of rows).

It counts at most ``cap + 1`` rows (``SELECT count(*) FROM (... LIMIT cap + 1)``, a bounded index walk), so the
page costs the same on a thousand rows and on ten million; beyond the cap the page says "more than N" and asks to
narrow the search, and only the first ``cap / per_page`` pages are offered (deep OFFSETs would be slow anyway).
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

CAP = 1000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int = CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _bounded(self) -> int:
        # one bounded query answers both questions; unordered, as a count needs no order: the database may stop at
        # the cap's row on any path instead of sorting every row first (an agency's certificates at a million
        # applications: 70 ms sorted, 7 unordered; issue 47)
        rows = self.object_list.order_by() if hasattr(self.object_list, "order_by") else self.object_list
        return rows[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._bounded, self.cap)

    @cached_property
    def capped(self) -> bool:
        """True when there are more rows than the pages offer."""
        return self._bounded > self.cap
