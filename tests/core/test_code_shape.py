"""The house stays small-roomed and one-way: no module of the product or of the benchmarks over 500 lines, no
function over 50, and the layers that ``pyproject.toml`` declares for import-linter hold (an import that runs back
up fails the build). docs/architecture.md draws the layers."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("certportal", "schemes", "applicants", "assessments", "complaints", "agencies", "quality", "scripts")
CHECKED = (*PRODUCT, "bench")  # the benchmarks are held to the same shape (a long script rots like long code)
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 50


def _modules(roots=CHECKED, base: Path = ROOT):
    for name in roots:
        for path in sorted((base / name).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def too_long(paths) -> tuple[list[str], list[str]]:
    """(modules over the limit, functions over the limit), each as "path: lines"."""
    modules, functions = [], []
    for path in paths:
        text = path.read_text()
        rel = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        if (n := len(text.splitlines())) > MAX_MODULE_LINES:
            modules.append(f"{rel}: {n} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    functions.append(f"{rel}:{node.lineno} {node.name}(): {length} lines")
    return modules, functions


def test_no_module_over_500_lines_and_no_function_over_50():
    modules, functions = too_long(_modules())
    assert not modules, f"split these modules by what they hold: {modules}"
    assert not functions, f"split these functions: {functions}"


def test_the_size_check_finds_a_long_module_and_a_long_function(tmp_path):
    (tmp_path / "pkg").mkdir()
    body = "\n".join(f"    x{i} = {i}" for i in range(60))
    (tmp_path / "pkg" / "long.py").write_text("def f():\n" + body + "\n" + "\n" * 450)
    modules, functions = too_long(_modules(("pkg",), tmp_path))
    assert len(modules) == 1 and "long.py" in modules[0]
    assert functions == [f"{tmp_path / 'pkg' / 'long.py'}:1 f(): 61 lines"]


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "lint-imports"
    return subprocess.run([str(exe), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_layers_hold():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "BROKEN" not in result.stdout and " KEPT" in result.stdout


def test_an_import_that_runs_back_up_breaks_the_layers(tmp_path):
    """A copy of the code where the test event imports the certificates (a room above it) fails the check."""
    import shutil

    for name in (*PRODUCT, "pyproject.toml"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "locale"))
        else:
            shutil.copy(source, tmp_path / name)
    models = tmp_path / "assessments" / "events" / "models" / "participants.py"
    models.write_text(models.read_text() + "\nfrom assessments.certificates.models import Certificate  # noqa\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "assessments.events.models.participants -> assessments.certificates.models" in result.stdout
