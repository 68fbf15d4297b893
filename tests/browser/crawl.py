"""The crawl of the whole portal (tests/browser/test_crawl.py): what it visits and what it checks on each page.

A page is opened in one Chromium tab per role (a download is fetched by the browser and its answer read from the
response); a link that needs no browser is asked with ``requests`` under the role's own session. A page that
answers HTML is checked at 390 px, then the tab is
widened to 1280 px and checked again (the layout follows the width without a reload). The home and every page it
links to are opened in both languages; at the deeper level a page of a new shape (the same URL but for its numbers:
one participant page or another) is opened, and up to three links of a shape already seen are asked for their
answer without a browser.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = (390, 1280)  # opened on the phone, then widened (a chart sized for 1280 px never lingers at 390)
SAME_SHAPE_OPENED = 1  # pages of one URL shape opened in the browser per role and language
SAME_SHAPE_ASKED_DEEPER = 3  # links of one URL shape asked for their answer per role at the deeper level
LEFT_ALONE = ("/akun/keluar/", "/akun/bahasa/", "/admin/logout/")  # the logout and language forms' targets, never followed
# what a download may be: its URL's ending or its Content-Disposition name decides which type it must carry
DOWNLOAD_TYPES = {
    ".pdf": "application/pdf", ".csv": "text/csv", ".xlsx": "application/vnd.openxmlformats-officedocument",
    ".zip": "application/zip", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml", ".txt": "text/plain",
}

# The page's links, as the browser resolved them.
LINKS_JS = "() => [...document.querySelectorAll('a[href]')].map(a => a.href)"

# The interface text of the page's controls (buttons, labels, table headers, the menu, headings, legends), without
# what is marked as written in another language (data: a requirement's name, a qualification's title).
CONTROLS_JS = """() => {
  const lang = document.documentElement.lang;
  const sel = 'button, input[type=submit], label, th, nav a, .navbar a, .dropdown-item, h1, h2, h3, h4, h5, h6,'
            + ' legend, summary, .btn';
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    const own = el.closest('[lang]');
    if (own && own.getAttribute('lang') !== lang) continue;
    const copy = el.cloneNode(true);
    copy.querySelectorAll('[lang]').forEach(x => { if (x.getAttribute('lang') !== lang) x.remove(); });
    copy.querySelectorAll('.visually-hidden, .badge, script, style').forEach(x => x.remove());
    const text = el.tagName === 'INPUT' ? el.value : copy.textContent;
    for (const part of text.split(/\\n|·|\\||:/)) {
      const t = part.replace(/\\s+/g, ' ').replace(/[\\s*()\\d.,]+$/, '').trim();
      if (t.length > 2) out.push([el.tagName.toLowerCase(), t]);
    }
  }
  return out;
}"""


def viewport(width: int) -> dict:
    return {"width": width, "height": 844 if width < 500 else 900}


MEASURE_JS = """() => ({width: document.documentElement.scrollWidth, h1: document.querySelectorAll('h1').length,
                        lang: document.documentElement.lang})"""
# laid out anew at the tab's new width, then the page's width there
WIDE_JS = """async () => { await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
                           return document.documentElement.scrollWidth; }"""

# A sentence ending on a name whose title ends with its own full stop, the sentence's added ("Andi Saputra,
# S.Sos..": certportal.sentences.one_full_stop); an ellipsis is not one.
DOUBLE_STOP_JS = r"""() => [...(document.querySelector('main') || document.body).innerText
                            .matchAll(/\S{0,30}\w\.\.(?!\.)\S{0,10}/g)].map(m => m[0])"""

# What the crawl reads of a page as it opens, in one round trip to the browser (each one costs 10 to 20 ms of a busy
# 2-core machine's time, and the crawl opens about 900 pages): its measure, its controls' text, its doubled full stops
# and its links (the same whatever the width: the layout changes, not the document).
SEEN_JS = f"""() => ({{...({MEASURE_JS})(), controls: ({CONTROLS_JS})(), doubled: ({DOUBLE_STOP_JS})(),
                      links: ({LINKS_JS})()}})"""


def _catalog_pairs() -> list[tuple[str, str]]:
    """(English source, Indonesian translation) of every interface string of the portal's catalogs."""
    pairs = []
    for mo in sorted(ROOT.glob("**/locale/id/LC_MESSAGES/django.mo")):
        if ".venv" in mo.parts or "node_modules" in mo.parts:
            continue
        with mo.open("rb") as fh:
            catalog = gettext.GNUTranslations(fh)._catalog  # noqa: SLF001 (the compiled catalog, read as data)
        for msgid, msgstr in catalog.items():
            if isinstance(msgid, tuple):
                msgid = msgid[0]
            if isinstance(msgid, str) and msgid and isinstance(msgstr, str) and msgstr:
                pairs.append((msgid, msgstr))
    return pairs


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(":").strip().casefold()


@dataclass
class Words:
    """Interface strings that belong to one language only: an Indonesian translation that is not also an English
    source string, and an English source string whose translation differs and that no translation also reads."""

    only_id: set[str] = field(default_factory=set)
    only_en: set[str] = field(default_factory=set)

    @classmethod
    def from_catalogs(cls) -> Words:
        pairs = [(_norm(en), _norm(id_)) for en, id_ in _catalog_pairs() if "%" not in en and "{" not in en]
        english, indonesian = {en for en, _ in pairs}, {id_ for _, id_ in pairs}
        return cls(only_id={id_ for en, id_ in pairs if id_ != en and id_ not in english and len(id_) > 3},
                   only_en={en for en, id_ in pairs if id_ != en and en not in indonesian and len(en) > 3})

    def foreign(self, language: str, controls: list[list[str]]) -> list[str]:
        other = self.only_id if language == "en" else self.only_en
        return sorted({f"<{tag}> {text!r}" for tag, text in controls if _norm(text) in other})


def shape(url: str) -> str:
    """The URL with its numbers and codes replaced: pages of one shape show one template."""
    path = urlsplit(url).path
    return re.sub(r"/[0-9a-f]{8,}[^/]*|/\d+", "/N", path)


def crawlable(href: str, base: str) -> str | None:
    """The portal URL a link leads to, or None for what the crawl leaves alone (other sites, anchors, mail, the
    logout and language forms' targets)."""
    url, _ = urldefrag(urljoin(base, href))
    if not url.startswith(base) or any(urlsplit(url).path.startswith(p) for p in LEFT_ALONE):
        return None
    return url


def download_problem(url: str, headers: dict) -> str | None:
    """A download must carry the content type its name says (a PDF is application/pdf, a CSV text/csv...).
    ``headers``: the response's headers, names in lower case."""
    ctype = headers.get("content-type", "").split(";")[0].strip()
    name = re.search(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)', headers.get("content-disposition", ""))
    ending = Path((name.group(1) if name else urlsplit(url).path).lower()).suffix
    expected = DOWNLOAD_TYPES.get(ending)
    if not ctype or ctype == "application/octet-stream" and expected:
        return f"download {url} has no content type of its own ({ctype or 'none'})"
    if expected and not ctype.startswith(expected):
        return f"download {url} ({ending}) answered {ctype}"
    return None


@dataclass
class Answer:
    status: int
    headers: dict  # names in lower case
    url: str  # where it ended, after redirects

    @property
    def html(self) -> bool:
        return "text/html" in self.headers.get("content-type", "")


def open_in_tab(page, url: str) -> Answer:
    """Navigate the tab to ``url``; a download is fetched by the browser (its answer is read from the response)."""
    from playwright.sync_api import Error as PlaywrightError

    seen: list = []

    def document(resp):
        if resp.request.resource_type == "document" and resp.frame == page.main_frame:
            seen.append(resp)

    page.on("response", document)
    try:
        resp = page.goto(url, wait_until="load")
    except PlaywrightError as exc:
        if "Download is starting" not in str(exc) or not seen:
            raise
        resp = seen[-1]
    finally:
        page.remove_listener("response", document)
    return Answer(resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.url)


def page_findings(page, language: str, words: Words, problems: list[str],
                  at_width: Callable[[int], None] | None = None, links: list[str] | None = None) -> list[str]:
    """Check the page open in the tab at each width; what is wrong with it (and what its pages reported).
    ``at_width``: called with each width once the page is laid out at it (the accessibility walk's axe run);
    ``links``: given a list, the page's links are added to it."""
    found: list[str] = []
    seen = page.evaluate(SEEN_JS)
    if seen["h1"] != 1:
        found.append(f"{seen['h1']} h1 elements (one wanted)")
    if seen["lang"] != language:
        found.append(f"shown in {seen['lang']!r}, not {language!r}")
    found += [f"{'English' if language == 'id' else 'Indonesian'} interface text in {c}"
              for c in words.foreign(language, seen["controls"])]
    found += [f"a doubled full stop: {text!r}" for text in dict.fromkeys(seen["doubled"])]
    if links is not None:
        links += seen["links"]
    for width in WIDTHS:
        if page.viewport_size["width"] != width:
            page.set_viewport_size(viewport(width))
            wide = page.evaluate(WIDE_JS)
        else:  # measured as it opened, at this width
            wide = seen["width"]
        if wide > width:
            found.append(f"{wide} px wide at {width} px")
        if at_width is not None:
            at_width(width)
    found += list(dict.fromkeys(problems))
    del problems[:]  # reported here, with the page: not again by the console guard at the end of the test
    return found
