"""The queue's search by name from the start of any word (:mod:`applicants.search`): the SQL function that gives a
name from its n-th word, and a B-tree index of it for each of the first six words, compared byte-wise
(``text_pattern_ops``) so that a term is a range of it whatever the database's collation. PostgreSQL only; SQLite
gets the same function in Python on each connection and needs no index."""

from django.db import migrations

# The function is inlined by the planner (a single SELECT, not STRICT): a row it must check (the queue's order walked
# with the search as a filter) costs the expression itself, about 7 us, not a call of the SQL function (20 us).
# As written on this day (applicants.search.WORDS and SQL_FUNCTION may change later; a later migration follows).
WORDS = 6
SQL_FUNCTION = r"""
CREATE OR REPLACE FUNCTION app_name_from_word(name text, n integer) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT nullif(array_to_string((regexp_split_to_array(upper(btrim(name)), '\s+'))[n:], ' '), '') $$"""


# Each index carries what a search reads of a match (INCLUDE): the counts per status, the page's order and the
# columns its rows show come off the index alone (an index-only scan: 0.15 ms for 600 matches at a million applications, against 4 ms
# reading 600 rows scattered over the table), wherever the table's pages are all-visible (autovacuum keeps the
# years of closed records so; a dossier changed since is read from the table). The name is included for the
# planner, which offers an index-only scan only when the columns under the expression are in the index.
INCLUDE = "INCLUDE (id, status, deadline, submitted_at, applicant_name, nip, org_unit, scheme_id)"
WHOLE = 2  # the first two word positions: nearly every name has them; the later ones hold a few names only


def _index(n: int) -> str:
    expression = f"app_name_from_word(applicant_name, {n})"
    # The later positions are partial (their NULLs would still carry the included columns); the planner takes no
    # statistics from a partial index, so they have statistics of their own: without any it guessed 5,000 rows
    # for each position (a parallel plan, 10 ms more, for a term that matches none past the second word).
    partial = f" WHERE {expression} IS NOT NULL" if n > WHOLE else ""
    return (f"CREATE INDEX IF NOT EXISTS app_name_word{n}_idx ON applicants_application "
            f"({expression} text_pattern_ops) {INCLUDE}{partial}")


def _statistics(n: int) -> str:
    return (f"CREATE STATISTICS IF NOT EXISTS app_name_word{n}_stats ON (app_name_from_word(applicant_name, {n})) "
            f"FROM applicants_application")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(SQL_FUNCTION)
    for n in range(1, WORDS + 1):
        schema_editor.execute(_index(n))
        if n > WHOLE:
            schema_editor.execute(_statistics(n))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for n in range(1, WORDS + 1):
        schema_editor.execute(f"DROP INDEX IF EXISTS app_name_word{n}_idx")
        schema_editor.execute(f"DROP STATISTICS IF EXISTS app_name_word{n}_stats")
    schema_editor.execute("DROP FUNCTION IF EXISTS app_name_from_word(text, integer)")


class Migration(migrations.Migration):
    dependencies = [("applicants", "0013_scale_needs_action_by_scheme_and_unit")]
    operations = [migrations.RunPython(create, drop)]
