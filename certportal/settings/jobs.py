"""How long each kind of import job may wait or run without a sign of life before the one sweep
(``certportal.jobs.tasks.sweep``) fails it. Star-imported by :mod:`certportal.settings.base`."""

from .environment import env

# A decree import still queued or parsing without a sign of life after this many minutes is failed by the sweep.
SCHEMES_IMPORT_QUEUED_MINUTES = env.int("SCHEMES_IMPORT_QUEUED_MINUTES", default=30)
SCHEMES_IMPORT_RUNNING_MINUTES = env.int("SCHEMES_IMPORT_RUNNING_MINUTES", default=15)
# An import of the LSP's certificate register being read (the one job sweep fails it after these minutes).
ASSESSMENT_REGISTER_QUEUED_MINUTES = env.int("ASSESSMENT_REGISTER_QUEUED_MINUTES", default=30)
ASSESSMENT_REGISTER_RUNNING_MINUTES = env.int("ASSESSMENT_REGISTER_RUNNING_MINUTES", default=15)
