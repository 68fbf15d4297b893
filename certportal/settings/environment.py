"""The settings' environment: variables from the process, then from the settings file (``.env`` or ENV_FILE), an
empty variable meaning its default. Read by :mod:`certportal.settings.base` and the settings modules beside it."""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class Env(environ.Env):
    """An empty variable means its default: ``.env.example`` lists every variable as ``NAME=``, and docker compose
    passes such lines on as empty strings (which would otherwise turn SECURE_SSL_REDIRECT off and fail int())."""

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        if default is not self.NOTSET and self.ENVIRON.get(f"{self.prefix}{var}") == "":
            return self.parse_value(default, cast) if parse_default and default is not None else default
        return super().get_value(var, cast=cast, default=default, parse_default=parse_default)


env = Env()
# The settings file: .env in the project folder, or ENV_FILE (set in the environment, e.g. /etc/certportal/env).
# A variable already in the environment wins. deploy/dotenv.py gives the start scripts the same file the same way.
ENV_FILE = os.environ.get("ENV_FILE", "").strip() or str(BASE_DIR / ".env")
environ.Env.read_env(ENV_FILE, overwrite=False)
# An empty PROMETHEUS_MULTIPROC_DIR (a copied .env.example) means unset: prometheus_client takes the variable's mere
# presence for its multiprocess mode and would write its files into the current folder (certportal/metrics.py).
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip():
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
