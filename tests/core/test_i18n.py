import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


def test_every_string_is_in_both_catalogs_and_translated_to_indonesian():
    if not shutil.which("xgettext"):
        require_service("gettext", "sudo apt-get install gettext")
    result = subprocess.run([sys.executable, "scripts/i18n.py", "--check"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
