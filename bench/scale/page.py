"""What a measured page is (its own module: the lists of pages in pages.py, homes.py and desks.py all use it)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """A measured page: who asks, the path of each request (a new search term each time), the path of the
    second query count (another page or filter of the same list) and the answers that are not errors.

    A POST (an API call) also gives ``body``, the JSON of each request (new each time), ``other_body`` for the
    second path, and its ``headers``. ``per_request`` is what one answer checks (an API batch: 100 certificates)
    and ``against`` names the page its pace is compared with (the same thing checked one at a time) instead of the
    bare list: the ratio is then what both check per second, this page's over that page's."""

    label: str
    role: str
    make: Callable[[random.Random], str]
    other: str | Callable[[], str]  # a path, or what finds it in the database (a record of a given state)
    answers: tuple[int, ...] = (200,)
    body: Callable[[random.Random], str] | None = None
    other_body: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    per_request: int = 1
    against: str = ""
    # a page measured to show a cost, not held to the goal (its query counts and plans still are)
    diagnostic: bool = False
    # a kept page (certportal.kept_pages): every path ``make`` draws from, asked of the server before the rounds
    # so that they time what a reader's second view finds (a first view is measured as its own, diagnostic page)
    every: Callable[[], list[str]] | None = None

    @property
    def other_path(self) -> str:
        return self.other() if callable(self.other) else self.other

    @property
    def method(self) -> str:
        return "GET" if self.body is None else "POST"
