"""The documentation holds together: the front page and every page under docs/ link only to files and headings that
exist (GitHub's anchors), headings say what a section is about rather than an issue number, and every setting the
portal reads from the environment is listed in `.env.example` and in the configuration guide."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"(?<!!)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|^\s*\[[^\]]+\]:\s*(\S+)", re.M)
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)


def prose(text: str) -> str:
    """The page without its code blocks and code spans (a path in code is not a link)."""
    return CODE.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: link texts kept, lower case, punctuation dropped, each space a hyphen."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for _, title in HEADING.findall(FENCE.sub("", page.read_text())):
        base = slug(title)
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


def links(page: Path) -> list[str]:
    return [a or b for a, b in LINK.findall(prose(page.read_text()))]


def broken_links(page: Path) -> list[str]:
    broken = []
    for target in links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: …: not a file of ours
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if ROOT not in dest.parents and dest != ROOT:
            broken.append(f"{target}: outside the repository")
        elif not dest.exists():
            broken.append(f"{target}: no such file")
        elif anchor and (dest.suffix != ".md" or anchor not in anchors(dest)):
            broken.append(f"{target}: no heading #{anchor}")
    return broken


def test_every_relative_link_in_the_readme_and_docs_resolves_to_a_file_and_heading():
    assert len(PAGES) > 10, "the documentation lives in README.md and docs/"
    problems = {str(p.relative_to(ROOT)): b for p in PAGES if (b := broken_links(p))}
    assert problems == {}


def test_the_link_check_finds_a_missing_file_a_missing_heading_and_a_path_outside(tmp_path, monkeypatch):
    page = ROOT / "docs" / "security.md"
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: (
        "# Title\n\n## Sessions and accounts (OWASP ASVS L2)\n\nSee [a](roles/nobody.md), [b](architecture.md#nowhere), "
        "[c](#sessions-and-accounts-owasp-asvs-l2), [d](../../elsewhere.md), `[e](not/a/link.md)`, "
        "[f](https://example.org/x.md).\n") if self == page else Path.open(self).read())
    assert broken_links(page) == ["roles/nobody.md: no such file", "architecture.md#nowhere: no heading #nowhere",
                                  "../../elsewhere.md: outside the repository"]


def test_github_anchors_are_computed_as_github_does():
    assert slug("Personal data (UU 27/2022)") == "personal-data-uu-272022"
    assert slug("The workflow core (`certportal/workflow/`)") == "the-workflow-core-certportalworkflow"
    assert slug("The SOP's eight steps") == "the-sops-eight-steps"
    assert slug("Seed 000 — Skema (SS-02/LSP-BPSDM DKI/2017)") == "seed-000--skema-ss-02lsp-bpsdm-dki2017"


def test_headings_say_what_a_section_is_about_not_an_issue_number():
    numbered = [f"{p.relative_to(ROOT)}: {t}" for p in PAGES for _, t in HEADING.findall(FENCE.sub("", p.read_text()))
                if re.search(r"\bissue\s*#?\d+", t, re.I)]
    assert numbered == []


def test_the_front_page_links_every_page_of_the_docs_folder_through_the_map():
    front, docs_map = links(ROOT / "README.md"), links(ROOT / "docs" / "README.md")
    assert "docs/README.md" in front
    for page in (ROOT / "docs").rglob("*.md"):
        if page.name != "README.md":
            assert page.relative_to(ROOT / "docs").as_posix() in docs_map, page


def environment_variables() -> set[str]:
    """Every variable the settings and the gunicorn configuration read from the environment."""
    names = set()
    for source in [*(ROOT / "certportal" / "settings").glob("*.py"), ROOT / "deploy" / "gunicorn.conf.py"]:
        names |= set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", source.read_text()))
        names |= set(re.findall(r"""environ\.get\(\s*["']([A-Z][A-Z0-9_]+)["']""", source.read_text()))
    return names


def test_every_environment_variable_is_in_env_example_and_the_configuration_guide():
    names = environment_variables()
    assert {"DATABASE_URL", "SECRET_KEY", "WEB_BIND", "EXPORT_BACKGROUND_ROWS"} <= names
    example = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    guide = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (ROOT / "docs" / "operations" / "configuration.md").read_text()))
    assert sorted(names - example) == []
    assert sorted(names - guide) == []


def test_the_readme_names_the_demo_login_of_every_role():
    """The front page's table of demo logins names each role's demo account (issue 43: the agency roles' accounts
    were only in the printout and the agencies' guide, so a newcomer reading the README never met those roles)."""
    from certportal.management.commands.load_demo import DEMO_ACCOUNTS

    readme = (ROOT / "README.md").read_text()
    table = readme.split("Demo logins")[1].split("\n\n")[1]
    assert table.startswith("| role | e-mail |"), table[:80]
    listed = set(re.findall(r"[\w.]+@demo\.go\.id", table))
    missing = [(email, roles) for email, _name, roles in DEMO_ACCOUNTS if email not in listed]
    assert not missing, f"not in the README's demo logins: {missing}"
    for other in ("pengelola.disdik@demo.go.id", "kepala.disdik@demo.go.id"):  # the second agency's, to compare
        assert other in listed
