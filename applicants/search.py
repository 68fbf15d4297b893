"""The queue's search by name: from the start of any word of the name, read off B-tree indexes.

A name typed in the queue ("Wulan Mahen") is matched against the name from its first word ("WULAN MAHENDRA"),
from its second word ("MAHENDRA"), and so on up to :data:`WORDS`: each is an expression index on
``app_name_from_word(applicant_name, n)`` (migration ``0014_name_word_search``), and the term is a range of it.
At a million applications such a match reads only the matching index entries (about 0.05 ms for 600 matches)
where the trigram index of ``icontains`` intersects the long posting lists of common trigrams (4-5 ms whatever
the answer); the range needs no recheck of the name, so no row's name is split again.

What it does not find: a fragment inside a word ("ulan" in Wulan) and a word past the sixth. For those the queue's
box "also inside words" searches the name anywhere (the trigram index, slower: :mod:`applicants.queue`), and a
search that finds nothing says so.

The SQL function is the same on every database: PostgreSQL's is created by the migration, SQLite's (``make run``)
is this module's :func:`from_word`, registered on each new connection (no index: a demo of a few hundred rows).
"""

from __future__ import annotations

import re

from django.db.models import BooleanField, Expression, F, Q

WORDS = 6  # the word positions indexed: "Ni Luh Putu Ayu Kartika Dewi" is found by each of its six words
SPACE = re.compile(r"[ \t\n\r\f\v]+")  # PostgreSQL's \s
# Greater than any character that can follow the term in a name (the last code point): the end of the range of
# names that start with the term, compared byte by byte as PostgreSQL's text_pattern_ops and SQLite do.
LAST = "\U0010ffff"


class _Position:
    """A word position left as a parameter (:data:`AT`): the SQL of one position compiled once and given each
    position's number in turn (the queue's search, :class:`applicants.queue._Words`)."""

    def __repr__(self) -> str:
        return "AT"


AT = _Position()


def from_word(name: str | None, n: int) -> str | None:
    """The name in capitals from its ``n``-th word (1 = the whole name), words one space apart; None past its
    last word. The same as the SQL function."""
    if name is None:
        return None
    words = SPACE.split(name.strip(" ").upper())  # btrim() trims spaces only
    rest = " ".join(words[n - 1:]) if n >= 1 else " ".join(words)
    return rest or None


def condition(text: str, *, inside: bool = False) -> Q | Expression:
    """What a search for ``text`` asks of an application, wherever applications are searched (the queue's box, an
    open event's candidates): digits, spaces aside, are the start of a NIP; a name is matched from the start of any
    of its words (:class:`NameStartsWith`), or anywhere in it when ``inside`` asks (the trigram index of
    ``icontains``: "ulan" finds Wulan)."""
    digits = text.replace(" ", "")
    if digits.isdigit():
        return Q(nip__startswith=digits)
    if inside:
        return Q(applicant_name__icontains=text.strip())
    return NameStartsWith(text)


def normal_term(text: str) -> str:
    """The term as the index holds names: capitals, words one space apart."""
    return " ".join(SPACE.split(text.strip().upper()))


class NameStartsWith(Expression):
    """True for a name in which a word starts the term (the term's words following it). One node rendered as
    the ranges the indexes hold (``app_name_from_word(name, n) ~>=~ term AND ... ~<~ term || LAST`` for each
    word position), not six functions and twelve look-ups for the ORM to compile on every search."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, text: str, name: str = "applicant_name", positions: tuple = ()) -> None:
        super().__init__()
        self.term, self.name = normal_term(text), F(name)
        self.positions = positions or tuple(range(1, WORDS + 1))

    def get_source_expressions(self):
        return [self.name]

    def set_source_expressions(self, exprs):
        (self.name,) = exprs

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.name)
        gte, lt = ("~>=~", "~<~") if connection.vendor == "postgresql" else (">=", "<")
        ranges, values = [], []
        for n in self.positions:
            at, at_params = ("%s", [AT]) if n is AT else (str(n), [])
            ranges.append(f"(app_name_from_word({column}, {at}) {gte} %s AND app_name_from_word({column}, {at}) {lt} %s)")
            values += [*params, *at_params, self.term, *params, *at_params, self.term + LAST]
        return "(" + " OR ".join(ranges) + ")", values


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: the SQL function on SQLite (PostgreSQL's comes with the migration)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("app_name_from_word", 2, from_word, deterministic=True)
