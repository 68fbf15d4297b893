"""Every link a role is shown opens for it, in both languages and on a phone, and no page of it has a serious or
critical axe violation: one walk of the demo data per role that does both, opening each page once.

For every role of the demo data and the public, in Indonesian and in English, the role's home and every page it
links to, at 390 px and 1280 px; in English also the pages those link to. Forms are not submitted by the crawl (the
logout and language forms are left alone); downloads are fetched and their content type checked. A page fails on: a
shown link answering 4xx or 5xx (or sending the role to the login page), a JavaScript error or a Content Security
Policy violation, a page wider than the screen, not exactly one ``h1``, a page not in the language asked for, and a
control (button, label, table header, menu, heading) whose text is an interface string of the other language. Data
written in the other language (a requirement's name, a qualification's title) is marked with its ``lang`` attribute
and is not interface text, and a sentence ending in a doubled full stop after a title ("S.Sos..").
tests/browser/crawl.py holds these checks.

The accessibility walk (issue 20) rides on the crawl: the role's pages of tests/browser/a11y.py (``role_pages``,
``public_pages``) that the crawl opens get axe-core (WCAG 2.0/2.1 A and AA; serious and critical violations fail) at
both widths as the crawl lays them out, the duplicate-id check, the phone menu opened on the list's first page and a
form submitted empty where the list asks; the listed pages the crawl did not open in that language (and those reached
by an act first, ``before``) are then opened and checked the same way by ``a11y.check_page``. ``color-contrast``
runs in half of those axe runs: each state's colours once, in one language (``a11y.CONTRAST_STATES``). Prints the pages
crawled per role and language and the axe runs. ``CRAWL_ROLES`` (comma-separated role names, e.g.
``agency_officer,agency_head,regional_secretary``) walks only those roles; the agency roles' acts, which the crawl
never submits, are tests/browser/test_agency_acts.py's."""

from __future__ import annotations

import collections
import functools
import os
import time
from urllib.parse import urlsplit

import pytest
import requests

from certportal.accounts.models import User
from tests.browser import a11y, conftest, crawl
from tests.browser.conftest import ui_login
from tests.browser.crawl import Answer, Words, crawlable, download_problem, open_in_tab, page_findings, shape
from tests.conftest import require_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Demo-Portal-2026"  # noqa: S105 (the demo accounts' documented password)
ROLES = {"public": None, **a11y.DEMO_USERS, "participant": "asesi.lestari@demo.go.id"}
# CRAWL_ROLES=agency_officer,agency_head,regional_secretary crawls only those (the whole crawl takes a while)
CHOSEN = [r for r in os.environ.get("CRAWL_ROLES", "").replace(" ", "").split(",") if r] or list(ROLES)
AXE_ROLES = ("public", *a11y.DEMO_USERS)  # the roles with a page list of the accessibility walk (a11y.py)
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
        # the accessibility walk's pages of the role (none for the participant), by path and query
        pages = [] if role not in AXE_ROLES else a11y.public_pages() if role == "public" else a11y.role_pages(role)
        self.targets = {t.url: t for t in pages}
        self.menu_on = next(iter(self.targets), None)  # the page checked with the phone menu open
        self.axed: dict[str, list[str]] = {"id": [], "en": []}  # "url state" of each axe run per language
        self.axed_in_crawl = {"id": set(), "en": set()}  # the listed pages checked as the crawl opened them
        if ROLES[role]:
            ui_login(self.page, ROLES[role], DEMO_PASSWORD, land=True)
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
        target = self.targets.get(_path(url))
        if target is not None and target.before is not None:
            target = None  # reached by an act first: checked after the crawl
        at_width = functools.partial(self.axe, language, target.url) if target else None
        hrefs: list[str] = []
        found = page_findings(self.page, language, self.words, conftest._seen["problems"], at_width=at_width,
                              links=hrefs)
        self.findings += [f"[{self.role} {language}] {self.page.url}: {f}" for f in found]
        links = [] if depth >= deepest else [(u, self.page.url) for u in (crawlable(h, self.base) for h in hrefs) if u]
        if target is not None:
            self.axe_states(language, target)
        return links

    def axe(self, language: str, url: str, width: int | None = None, label: str | None = None) -> None:
        """axe on the page as the tab shows it now (at ``width``, once its wide tables have settled)."""
        if label is None:
            label = "" if width == a11y.DESKTOP["width"] else f" [{width}px]"
            self.page.wait_for_function(a11y.TABLES_SETTLED)
        state = label.strip(" []") if label else "desktop"
        state = "phone" if state.endswith("px") else state
        contrast = a11y.contrast_checked(language, state)
        self.axed[language].append(url + label)
        self.findings += [f"[{self.role} {language}] {line}"
                          for line in a11y.axe_lines(self.page, url, label, contrast=contrast)]

    def axe_states(self, language: str, target: a11y.Page) -> None:
        """The rest of the accessibility walk on a listed page the crawl has just checked at both widths: its ids,
        the phone menu opened (on the list's first page), its form submitted empty (where the list asks)."""
        self.axed_in_crawl[language].add(target.url)
        lines = a11y.page_lines(self.page, target.url, language)
        if target.url == self.menu_on:
            a11y.resize(self.page, a11y.PHONE)
            a11y.open_phone_menu(self.page)
            self.axe(language, target.url, label=" [menu open]")
        if target.submit_empty:
            a11y.resize(self.page, a11y.DESKTOP)
            if target.url == self.menu_on:
                self.page.goto(target.url)
            a11y.submit_empty(self.page)
            self.axe(language, target.url, label=" [submitted empty]")
            lines += a11y.page_lines(self.page, target.url, language)
        self.findings += [f"[{self.role} {language}] {line}" for line in dict.fromkeys(lines)]
        self._reported(language, target.url)

    def _reported(self, language: str, url: str) -> None:
        """What the browser reported on the page since the crawl's checks, with the page."""
        self.findings += [f"[{self.role} {language}] {url}: {p}" for p in dict.fromkeys(conftest._seen["problems"])]
        del conftest._seen["problems"][:]

    def check_the_rest(self, language: str) -> None:
        """The listed pages the crawl did not open in ``language`` (and those an act reaches first), each opened
        at 1280 px and checked there and at 390 px, with the phone menu and the empty form as on the crawl's pages."""
        for target in self.targets.values():
            if target.url in self.axed_in_crawl[language]:
                continue
            self.page.set_viewport_size(a11y.DESKTOP)
            lines = a11y.check_page(self.page, target, phone=a11y.PHONE, open_menu=target.url == self.menu_on,
                                    submit=target.submit_empty, language=language)
            self.axed[language] += [target.url, f"{target.url} [{a11y.PHONE['width']}px]"]
            self.axed[language] += [target.url + s for s, on in ((" [menu open]", target.url == self.menu_on),
                                                                (" [submitted empty]", target.submit_empty)) if on]
            lines += a11y.page_lines(self.page, target.url, language)
            self.findings += [f"[{self.role} {language}] {line}" for line in lines]
            self._reported(language, target.url)

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
        self.check_the_rest(language)


def _path(url: str) -> str:
    """The URL's path and query, as the accessibility walk's pages are listed."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@functools.cache
def _words() -> Words:
    return Words.from_catalogs()


@pytest.mark.parametrize("role", CHOSEN)
def test_every_page_each_role_is_shown_opens_for_it_without_axe_violations_in_both_languages_and_on_a_phone(
        browser, live_server, capsys, demo_committed, role):
    """One role a test (so that the walk is spread over the test processes), both languages."""
    assert role in ROLES, f"CRAWL_ROLES names no role of the demo: {role}"
    if role in AXE_ROLES and not a11y.AXE_JS.exists():
        require_service("axe-core", "cd tests/a11y && npm ci")
    started = time.monotonic()
    walk = RoleCrawl(browser, live_server.url, role, _words())
    assert bool(walk.targets) == (role in AXE_ROLES)
    for language in ("id", "en"):
        walk.walk(language)
    walk.context.close()
    report = (f"{role}: " + ", ".join(f"{n} pages in {lang}" for lang, n in walk.crawled.items())
              + f"; {len(walk.asked)} links asked; axe: " + ", ".join(
                  f"{len(walk.axed[lang])} runs on {len(walk.targets)} pages in {lang} "
                  f"({len(walk.targets) - len(walk.axed_in_crawl[lang])} opened for it alone)" for lang in walk.axed))
    with capsys.disabled():
        print(f"\nWalk ({time.monotonic() - started:.0f} s): {report}")
    assert not walk.findings, f"{len(walk.findings)} findings:\n" + "\n".join(dict.fromkeys(walk.findings))
