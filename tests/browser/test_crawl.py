"""Every link a role is shown opens for it, in both languages and on a phone: a crawl of the demo data.

For every role of the demo data and the public, in Indonesian and in English, the role's home and every page it
links to, at 1280 px and 390 px; in English also the pages those link to. Forms are not submitted (the logout and
language forms are left alone); downloads are fetched and their content type checked. A page fails on: a shown link
answering 4xx or 5xx (or sending the role to the login page), a JavaScript error or a Content Security Policy
violation, a page wider than the screen, not exactly one ``h1``, a page not in the language asked for, and a control
(button, label, table header, menu, heading) whose text is an interface string of the other language. Data written
in the other language (a requirement's name, a qualification's title) is marked with its ``lang`` attribute and is
not interface text, and a sentence ending in a doubled full stop after a title ("S.Sos.."). Prints the pages
crawled per role and language. tests/browser/crawl.py holds the checks. ``CRAWL_ROLES`` (comma-separated role names,
e.g. ``agency_officer,agency_head,regional_secretary``) crawls only those roles; the agency roles' acts, which the
crawl never submits, are tests/browser/test_agency_acts.py's."""

from __future__ import annotations

import collections
import functools
import os
import time

import pytest
import requests

from certportal.accounts.models import User
from tests.browser import a11y, conftest, crawl
from tests.browser.conftest import ui_login
from tests.browser.crawl import Answer, Words, crawlable, download_problem, open_in_tab, page_findings, shape

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Demo-Portal-2026"  # noqa: S105 (the demo accounts' documented password)
ROLES = {"public": None, **a11y.DEMO_USERS, "participant": "asesi.lestari@demo.go.id"}
# CRAWL_ROLES=agency_officer,agency_head,regional_secretary crawls only those (the whole crawl takes a while)
CHOSEN = [r for r in os.environ.get("CRAWL_ROLES", "").replace(" ", "").split(",") if r] or list(ROLES)
DEEPER_IN = "en"  # the language in which the pages a role's pages link to are crawled too


class RoleCrawl:
    """One role's walk: one browser tab and one ``requests`` session, both logged in as the role."""

    def __init__(self, browser, base: str, role: str, words: Words):
        self.base, self.role, self.words = base, role, words
        self.context = browser.new_context(base_url=base, locale="id-ID", reduced_motion="reduce",
                                           viewport=crawl.viewport(crawl.WIDTHS[0]))
        self.page = self.context.new_page()
        self.session = requests.Session()
        self.asked: dict[str, Answer] = {}  # each link's answer, asked once per role
        self.opened = {"id": collections.Counter(), "en": collections.Counter()}  # pages opened per URL shape
        self.asked_deeper: collections.Counter = collections.Counter()
        self.findings: list[str] = []
        self.crawled: dict[str, int] = {}
        if ROLES[role]:
            ui_login(self.page, ROLES[role], DEMO_PASSWORD)
            for c in self.context.cookies():
                self.session.cookies.set(c["name"], c["value"])

    def speak(self, language: str) -> None:
        if ROLES[self.role]:
            User.objects.filter(email=ROLES[self.role]).update(preferred_language=language)
        self.context.add_cookies([{"name": "django_language", "value": language, "url": self.base}])
        self.session.cookies.set("django_language", language)

    def ask(self, url: str) -> Answer:
        """The link's answer under the role's session, without a browser (a download is read whole)."""
        r = self.session.get(url, timeout=120, stream=True)
        answer = Answer(r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.url)
        if r.status_code < 400 and not answer.html:
            r.content  # noqa: B018 (the whole download is fetched)
        r.close()
        return answer

    def judge(self, url: str, source: str, answer: Answer) -> None:
        login = bool(ROLES[self.role]) and "/akun/masuk/" in answer.url and "/akun/masuk/" not in url
        if answer.status >= 400 or login:
            what = "sends the role to the login page" if login else f"answers {answer.status}"
            self.findings.append(f"[{self.role}] {source} links {url}, which {what}")
        elif not answer.html and (problem := download_problem(url, answer.headers)):
            self.findings.append(f"[{self.role}] {problem} (linked from {source})")

    def visit(self, url: str, source: str, language: str, depth: int, deepest: int) -> list[tuple[str, str]]:
        """Open the link in the tab (at the deeper level only if its shape is new here, else ask for its answer);
        the links of its page."""
        key = shape(url)
        if depth >= 2 and self.opened[language][key] >= crawl.SAME_SHAPE_OPENED:
            if url not in self.asked and self.asked_deeper[key] < crawl.SAME_SHAPE_ASKED_DEEPER:
                self.asked_deeper[key] += 1
                self.asked[url] = self.ask(url)
                self.judge(url, source, self.asked[url])
            return []
        self.opened[language][key] += 1
        del conftest._seen["problems"][:]
        self.page.set_viewport_size(crawl.viewport(crawl.WIDTHS[0]))
        answer = self.asked[url] = open_in_tab(self.page, url)
        self.judge(url, source, answer)
        if answer.status >= 400 or not answer.html:
            self.findings += [f"[{self.role} {language}] {url}: {p}" for p in dict.fromkeys(conftest._seen["problems"])]
            del conftest._seen["problems"][:]
            return []
        found = page_findings(self.page, language, self.words, conftest._seen["problems"])
        self.findings += [f"[{self.role} {language}] {self.page.url}: {f}" for f in found]
        if depth >= deepest:
            return []
        return [(u, self.page.url) for u in (crawlable(h, self.base) for h in self.page.evaluate(crawl.LINKS_JS)) if u]

    def walk(self, language: str) -> None:
        self.speak(language)
        deepest = 2 if language == DEEPER_IN else 1
        frontier, seen = [(self.base + ("/beranda/" if ROLES[self.role] else "/"), "home")], set()
        for depth in range(deepest + 1):
            following = []
            for url, source in frontier:
                if url not in seen:
                    seen.add(url)
                    following += self.visit(url, source, language, depth, deepest)
            frontier = following
        self.crawled[language] = sum(self.opened[language].values())


@functools.cache
def _words() -> Words:
    return Words.from_catalogs()


@pytest.mark.parametrize("role", CHOSEN)
def test_every_link_each_role_is_shown_opens_for_it_in_both_languages_and_on_a_phone(browser, live_server, capsys,
                                                                                       demo_committed, role):
    """One role a test (so that the crawl is spread over the test processes), both languages."""
    assert role in ROLES, f"CRAWL_ROLES names no role of the demo: {role}"
    started = time.monotonic()
    walk = RoleCrawl(browser, live_server.url, role, _words())
    for language in ("id", "en"):
        walk.walk(language)
    walk.context.close()
    report = (f"{role}: " + ", ".join(f"{n} pages in {lang}" for lang, n in walk.crawled.items())
              + f"; {len(walk.asked)} links asked")
    with capsys.disabled():
        print(f"\nCrawl ({time.monotonic() - started:.0f} s): {report}")
    assert not walk.findings, f"{len(walk.findings)} findings:\n" + "\n".join(dict.fromkeys(walk.findings))
