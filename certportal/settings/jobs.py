"""The import jobs' settings: how long each kind may wait or run without a sign of life before the one sweep
(``certportal.jobs.tasks.sweep``) fails it, the roster's largest file, and SIASN's web service. Star-imported by
:mod:`certportal.settings.base`."""

from .environment import env

# A decree import still queued or parsing without a sign of life after this many minutes is failed by the sweep.
SCHEMES_IMPORT_QUEUED_MINUTES = env.int("SCHEMES_IMPORT_QUEUED_MINUTES", default=30)
SCHEMES_IMPORT_RUNNING_MINUTES = env.int("SCHEMES_IMPORT_RUNNING_MINUTES", default=15)
# An import of the LSP's certificate register being read (the one job sweep fails it after these minutes).
ASSESSMENT_REGISTER_QUEUED_MINUTES = env.int("ASSESSMENT_REGISTER_QUEUED_MINUTES", default=30)
ASSESSMENT_REGISTER_RUNNING_MINUTES = env.int("ASSESSMENT_REGISTER_RUNNING_MINUTES", default=15)
# The province's roster (agencies.roster_jobs): the largest file taken, and the sweep's minutes for its job.
ROSTER_IMPORT_MAX_MB = env.float("ROSTER_IMPORT_MAX_MB", default=25)
ROSTER_IMPORT_QUEUED_MINUTES = env.int("ROSTER_IMPORT_QUEUED_MINUTES", default=30)
ROSTER_IMPORT_RUNNING_MINUTES = env.int("ROSTER_IMPORT_RUNNING_MINUTES", default=15)
# BKN's SIASN web service (agencies.siasn): one civil servant fetched by NIP. No address, no fetch.
SIASN_API_URL = env.str("SIASN_API_URL", default="")
SIASN_API_KEY = env.str("SIASN_API_KEY", default="")  # the API gateway's token (Authorization: Bearer)
SIASN_API_TOKEN = env.str("SIASN_API_TOKEN", default="")  # the SSO token (Auth: bearer)
