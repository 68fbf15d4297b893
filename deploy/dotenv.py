"""Print the settings of the project's ``.env`` as shell ``export`` lines, for the start scripts in deploy/.

The portal's settings read ``.env`` with django-environ, a variable already in the process environment winning
(certportal/settings/base.py). The start scripts need some of the same variables before Django starts (WEB_BIND,
WEB_WORKERS, WORKER_CONCURRENCY, BEAT_SCHEDULE_FILE, LOG_LEVEL, DJANGO_SETTINGS_MODULE ...), so they read the same
file the same way (``.env`` in the project folder, or the file ENV_FILE names):
``exports=$(python deploy/dotenv.py) && eval "$exports"``. A variable set in the environment
is left alone; an empty one in ``.env`` means its default, as in the settings, and is not exported.
"""

import os
import re
import shlex
import sys
from pathlib import Path

import environ

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def exports(path: Path) -> list[str]:
    before = dict(os.environ)
    environ.Env.read_env(path, overwrite=False)
    return [f"export {name}={shlex.quote(value)}" for name, value in sorted(os.environ.items())
            if name not in before and value != "" and NAME.match(name)]


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent / ".env"  # the settings' BASE_DIR / ".env"
    sys.stdout.write("".join(line + "\n" for line in exports(Path(os.environ.get("ENV_FILE", "").strip() or default))))
