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


def _index(n: int) -> str:
    # Whole indexes, not partial ones (WHERE ... IS NOT NULL) though most names have two to four words: the
    # planner takes an expression's statistics from whole indexes only, and without them it guessed 5,000 rows
    # for each word position (a parallel plan, 10 ms more, for a term that matches none past the second word).
    # A NULL costs a few bytes in a deduplicated B-tree (each index: 7 MB at a million applications).
    return (f"CREATE INDEX IF NOT EXISTS app_name_word{n}_idx ON applicants_application "
            f"(app_name_from_word(applicant_name, {n}) text_pattern_ops)")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(SQL_FUNCTION)
    for n in range(1, WORDS + 1):
        schema_editor.execute(_index(n))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for n in range(1, WORDS + 1):
        schema_editor.execute(f"DROP INDEX IF EXISTS app_name_word{n}_idx")
    schema_editor.execute("DROP FUNCTION IF EXISTS app_name_from_word(text, integer)")


class Migration(migrations.Migration):
    dependencies = [("applicants", "0013_scale_needs_action_by_scheme_and_unit")]
    operations = [migrations.RunPython(create, drop)]
