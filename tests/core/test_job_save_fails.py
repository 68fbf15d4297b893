"""A job whose own last save is refused by PostgreSQL (a decree's parse the database will not store) ends failed with
the reason, not "running" for ever: the job machinery fails it (certportal.jobs)."""

import pytest
from django.db import connection

from certportal.audit.models import AuditEntry

from ..schemes.conftest import KKNI_FILE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql("a trigger refuses the save")]


@pytest.fixture
def refusing_database():
    """PostgreSQL refuses to store any decree's parse (as it refuses a value it cannot store)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE FUNCTION refuse_parse() RETURNS trigger AS $$ BEGIN
              RAISE EXCEPTION 'unsupported Unicode escape sequence' USING ERRCODE = '22P05'; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER refuse_parse BEFORE UPDATE ON schemes_importjob FOR EACH ROW
              WHEN (NEW.parsed IS NOT NULL) EXECUTE FUNCTION refuse_parse();""")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER refuse_parse ON schemes_importjob; DROP FUNCTION refuse_parse();")


def test_a_decree_whose_parse_the_database_refuses_ends_failed_with_the_reason(refusing_database, lina, login,
                                                                             django_capture_on_commit_callbacks):
    from schemes.importers import jobs

    with django_capture_on_commit_callbacks(execute=True):  # the reading task runs (eagerly) after the commit
        job = jobs.import_start(kind="kkni", data=KKNI_FILE.read_bytes(), filename=KKNI_FILE.name, actor=lina)
    job.refresh_from_db()
    assert job.status == "failed", job.status
    assert "unsupported Unicode escape sequence" in job.error
    actions = list(AuditEntry.objects.filter(object_id=str(job.pk), action__startswith="schemes.importjob.")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["schemes.importjob.uploaded", "schemes.importjob.started", "schemes.importjob.failed"]
    page = login(lina).get(job.get_absolute_url())
    assert "unsupported Unicode escape sequence" in page.text
