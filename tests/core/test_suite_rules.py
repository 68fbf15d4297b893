"""The tests' own rules: no test depends on the day or hour of the machine it runs on, and none waits a fixed time.

The portal's day is Jakarta's (``timezone.localdate()``; ``TIME_ZONE = "Asia/Jakarta"``): the host's ``date.today()``
or a naive ``datetime.now()`` gives yesterday's date on a machine in UTC between midnight and 07:00 WIB. A browser
test waits for a state (a selector, a dialog, a request, the network gone quiet), never ``wait_for_timeout``; a pause
of a second or more (``time.sleep(1)`` and up) is a wait for something that can be waited for.
"""

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
RULES = {
    "the host's date: use timezone.localdate() (the portal's Jakarta day)": re.compile(
        r"(?<![\w.])(?:datetime\.)?date\.today\(\)|datetime\.(?:today|utcnow)\(\)|datetime\.now\(\)"),
    "a fixed pause in a browser test: wait for a state": re.compile(r"\.wait_for_timeout\("),
    "a fixed pause of a second or more: wait for a state": re.compile(r"\btime\.sleep\(\s*(?:[1-9]|\d{2,})"),
}


def _lines():
    for path in sorted(TESTS.rglob("*.py")):
        if "node_modules" in path.parts or path == Path(__file__).resolve():
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            yield f"{path.relative_to(TESTS)}:{number}", line


def test_no_test_reads_the_hosts_date_or_waits_a_fixed_time():
    found = [f"{where}: {why}: {line.strip()}" for where, line in _lines()
             for why, rule in RULES.items() if rule.search(line)]
    assert found == [], "\n".join(found)


CLOCK_CALLS = {"localdate", "localtime", "now", "today"}


def _read_at_import(tree: ast.AST) -> list[ast.Call]:
    """The clock calls evaluated when the module is imported (its body, a class body, a decorator such as
    ``parametrize``, a default argument), not when a test runs: a function's or a lambda's body is left alone."""
    found: list[ast.Call] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for outer in [*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d)]:
                visit(outer)
            return
        if isinstance(node, ast.Lambda):
            return
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in CLOCK_CALLS:
                found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_no_test_reckons_the_day_when_it_is_collected():
    """A date read at import (``parametrize([... timezone.localdate() + 1 day ...])``) is the day the run started:
    a run that crosses midnight in Jakarta then tests "tomorrow" on the day itself (seen in CI on a run that began at
    23:42 WIB)."""
    found = [f"{path.relative_to(TESTS)}:{call.lineno}: {ast.unparse(call)}"
             for path in sorted(TESTS.rglob("*.py")) if "node_modules" not in path.parts
             for call in _read_at_import(ast.parse(path.read_text()))]
    assert found == [], "read the clock inside the test (a function or a lambda):\n" + "\n".join(found)


def test_the_collection_rule_sees_a_date_in_a_decorator_and_not_in_a_test():
    source = ("@pytest.mark.parametrize('d', [timezone.localdate()])\ndef test_a(d):\n    timezone.now()\n"
              "X = [lambda: timezone.now()]\nTODAY = date.today()\n")
    assert [ast.unparse(c) for c in _read_at_import(ast.parse(source))] == ["timezone.localdate()", "date.today()"]
