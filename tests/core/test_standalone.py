"""The repository stands alone: a fresh clone with nothing beside it runs, tests and documents the portal.

No tracked file (tests, demo, scripts, docs, Makefile, bench, deploy) may name a folder outside the repository: not
the project's shared notes beside it, not an absolute path of the machine it was written on, and no Python or shell
path that climbs above the repository root (``Path(__file__).parents[N]`` one level too far, ``ROOT / ".."``,
``$(dirname "$0")/../..``). What a test needs lives in ``fixtures/``.
"""

import ast
import re
import subprocess
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = ("static/vendor/",)  # third-party files, kept as published
# Built from pieces so that this file does not name what it looks for.
SHARED, WORK = "shared", "work"
OUTSIDE = re.compile(
    r"\.\./+" + SHARED + r"\b"            # the shared folder beside the repository
    + r"|(?<![\w.~-])/" + WORK + "/"       # an absolute path of the machine the project was written on
    + r"|\b" + SHARED + r"/(?:samples|seeds)\b"
)
SHELL_CLIMB = re.compile(r"""dirname\s+"?\$(?:0|\{BASH_SOURCE\[0\]\}|BASH_SOURCE)"?\s*\)"?((?:/\.\.)+)""")


def tracked_files() -> list[str]:
    """The files a clone holds (git's list; the working tree minus the usual local folders without git)."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60)
        names = [n for n in out.stdout.decode().split("\0") if n]
    except (OSError, subprocess.SubprocessError):
        local = {".git", ".venv", "node_modules", "var", "staticfiles", "__pycache__", ".i18n"}
        names = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*")
                 if p.is_file() and not local & set(p.relative_to(ROOT).parts)]
    return [n for n in names if not n.startswith(SKIPPED) and (ROOT / n).is_file()]


def read_text(name: str) -> str | None:
    data = (ROOT / name).read_bytes()
    if b"\0" in data[:8192]:
        return None  # binary: PDFs, images, compiled catalogs
    return data.decode("utf-8", errors="replace")


# --- Python: follow path expressions built from __file__ and refuse any that climbs above the repository ---

class _PathWalker(ast.NodeVisitor):
    """Evaluates path expressions rooted at ``__file__`` to a list of folders relative to the repository root
    (``None`` when the expression is not such a path) and records every step that leaves the repository."""

    def __init__(self, name: str):
        self.file = list(PurePosixPath(name).parts)
        self.names: dict[str, list[str]] = {}
        self.escapes: list[str] = []

    def visit_Assign(self, node: ast.Assign) -> None:
        value = self.evaluate(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name) and value is not None:
                self.names[target.id] = value
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        self.evaluate(node.value)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        self.evaluate(node)
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        self.evaluate(node)
        self.generic_visit(node)

    def up(self, parts: list[str] | None, levels: int, node: ast.AST) -> list[str] | None:
        if parts is None:
            return None
        if levels > len(parts):
            found = f"line {node.lineno}: {ast.unparse(node)}"
            if found not in self.escapes:  # an expression is met again inside the statement that holds it
                self.escapes.append(found)
            return []
        return parts[: len(parts) - levels]

    def join(self, parts: list[str] | None, segment: ast.AST, node: ast.AST) -> list[str] | None:
        if parts is None or not (isinstance(segment, ast.Constant) and isinstance(segment.value, str)):
            return None
        for piece in segment.value.split("/"):
            if piece == "..":
                parts = self.up(parts, 1, node)
            elif piece not in ("", "."):
                parts = [*parts, piece]
        return parts

    def evaluate(self, node: ast.AST) -> list[str] | None:  # noqa: C901 - one case per way of writing a path
        if isinstance(node, ast.Name):
            return list(self.file) if node.id == "__file__" else self.names.get(node.id)
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            return self.up(self.evaluate(node.value), 1, node)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) \
                and node.value.attr == "parents" and isinstance(node.slice, ast.Constant):
            return self.up(self.evaluate(node.value.value), int(node.slice.value) + 1, node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return self.join(self.evaluate(node.left), node.right, node)
        if not isinstance(node, ast.Call):
            return None
        func = ast.unparse(node.func)
        first = self.evaluate(node.args[0]) if node.args else None
        if func in ("Path", "pathlib.Path", "os.path.abspath", "os.path.realpath", "os.path.normpath") \
                or func.endswith((".resolve", ".absolute")):
            return first if node.args else self.evaluate(node.func.value) if isinstance(node.func, ast.Attribute) \
                else None
        if func == "os.path.dirname":
            return self.up(first, 1, node)
        if func == "os.path.join" or func.endswith(".joinpath"):
            parts = first if func == "os.path.join" else self.evaluate(node.func.value)
            for arg in node.args[1:] if func == "os.path.join" else node.args:
                parts = self.join(parts, arg, node)
            return parts
        return None


def python_escapes(name: str, source: str) -> list[str]:
    walker = _PathWalker(name)
    walker.visit(ast.parse(source))
    return walker.escapes


def shell_escapes(name: str, source: str) -> list[str]:
    depth = len(PurePosixPath(name).parts) - 1  # folders between the repository root and the script
    return [f"{m.group(0)}" for m in SHELL_CLIMB.finditer(source) if m.group(1).count("..") > depth]


def outside_references(name: str, text: str) -> list[str]:
    found = [f"line {text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}" for m in OUTSIDE.finditer(text)]
    if name.endswith(".py") and "__file__" in text:  # every path the walker follows starts at __file__
        found += python_escapes(name, text)
    if text.startswith("#!") and ("sh" in text.splitlines()[0]):
        found += shell_escapes(name, text)
    return found


def test_no_tracked_file_reads_a_path_outside_the_repository():
    problems = {}
    for name in tracked_files():
        text = read_text(name)
        if text is not None and (found := outside_references(name, text)):
            problems[name] = found
    assert problems == {}, f"paths outside the repository (keep what is needed in fixtures/): {problems}"


def test_the_decree_import_browser_test_reads_its_decrees_from_fixtures():
    source = (ROOT / "tests/browser/test_decree_import.py").read_text()
    assert 'parents[2] / "fixtures" / "skkni"' in source
    for decree in re.findall(r'sample="([^"]+)"', source):
        assert (ROOT / "fixtures" / "skkni" / decree).is_file(), decree


def test_the_check_finds_each_way_of_leaving_the_repository():
    """The check itself: each of these would pass unnoticed on a machine that has the folder beside the clone."""
    climb = "parents[3] / " + repr(SHARED) + ' / "samples"'
    assert python_escapes("tests/browser/test_x.py", f"from pathlib import Path\nS = Path(__file__).resolve().{climb}")
    assert not python_escapes("tests/browser/test_x.py", 'S = Path(__file__).resolve().parents[2] / "fixtures"')
    assert python_escapes("tests/deploy/x.py", "ROOT = Path(__file__).parent.parent.parent.parent")
    assert not python_escapes("tests/deploy/x.py", "ROOT = Path(__file__).parent.parent.parent")
    assert python_escapes("bench/b.py", 'ROOT = Path(__file__).resolve().parent.parent\nX = ROOT / ".." / "data"')
    assert python_escapes("bench/b.py", 'X = os.path.join(os.path.dirname(__file__), "../../data")')
    assert python_escapes("scripts/s.py", 'X = Path(__file__).parent.joinpath("..", "..", "elsewhere")')
    assert shell_escapes("deploy/web", 'cd "$(dirname "$0")/../.."')
    assert not shell_escapes("deploy/web", 'cd "$(dirname "$0")/.."')
    assert outside_references("docs/x.md", "see `../" + SHARED + "/seeds/`")
    assert outside_references("Makefile", f"cp /{WORK}/main/db.sqlite3 .")
    assert not outside_references("README.md", "`assessments/events/workflow/events.py` and /tenggat/ and ~/work/x")
