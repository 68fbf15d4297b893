"""The tests' own rules: no test depends on the day or hour of the machine it runs on, and none waits a fixed time.

The portal's day is Jakarta's (``timezone.localdate()``; ``TIME_ZONE = "Asia/Jakarta"``): the host's ``date.today()``
or a naive ``datetime.now()`` gives yesterday's date on a machine in UTC between midnight and 07:00 WIB. A browser
test waits for a state (a selector, a dialog, a request, the network gone quiet), never ``wait_for_timeout``; a pause
of a second or more (``time.sleep(1)`` and up) is a wait for something that can be waited for.
"""

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
