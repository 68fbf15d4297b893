"""Comparing checked roster rows with the roster, and writing them: by NIP, in bulk, with each person's history.

:func:`compare` counts what an import would do (the preview); :func:`write` does it, inside the caller's
transaction: new NIPs are added, a NIP whose data differs is updated (its agency, rank, position, unit, titles,
education, standing), and, for the whole province's roster, an active person missing from the file is marked as
no longer on it (status "left": they are nobody's staff any more, ``agencies.roster``). Each of these writes one
:class:`~agencies.models.RosterChange` naming the fields before and after. An unchanged row writes nothing: running
the same file again changes nothing.
"""

from __future__ import annotations

from django.utils import timezone

from applicants.models import Agency

from .models import RosterChange, RosterEntry, RosterStatus
from .roster import restamp

TRACKED = ("name", "front_title", "back_title", "agency_id", "rank", "position", "unit", "government", "education",
           "education_name", "standing", "status")
BATCH = 2_000


def _wanted(row) -> dict:
    v = row.values
    return {"name": v["name"], "front_title": v["front_title"], "back_title": v["back_title"],
            "agency_id": row.agency_id, "rank": v["rank"], "position": v["position"], "unit": v["unit"],
            "government": v["government"], "education": v["education"], "education_name": v["education_name"],
            "standing": v["standing"], "status": v["status"]}


def _existing() -> dict[str, RosterEntry]:
    return {e.nip: e for e in RosterEntry.objects.only("pk", "nip", *TRACKED).iterator(chunk_size=BATCH)}


def _diff(entry: RosterEntry, wanted: dict) -> dict:
    return {name: [getattr(entry, name), value] for name, value in wanted.items() if getattr(entry, name) != value}


def _restamp(nips: list[str]) -> None:
    """The bulk writes send no signal: the applications of the people written follow the roster here
    (``agencies.roster.restamp``), a batch of NIPs at a time."""
    for start in range(0, len(nips), BATCH):
        restamp(nips=nips[start:start + BATCH])


def _absent(existing: dict, nips: set[str]) -> list[RosterEntry]:
    return [e for nip, e in existing.items() if nip not in nips and e.status == RosterStatus.ACTIVE]


def compare(rows: list, *, whole: bool) -> dict:
    """How many of ``rows`` (checked, without problems) are new, changed, unchanged; and how many active people
    the roster has that the file lacks (counted only for ``whole``)."""
    existing = _existing()
    counts = {"added": 0, "changed": 0, "unchanged": 0, "left": 0}
    for row in rows:
        entry = existing.get(row.values["nip"])
        if entry is None:
            counts["added"] += 1
        else:
            counts["changed" if _diff(entry, _wanted(row)) else "unchanged"] += 1
    if whole:
        counts["left"] = len(_absent(existing, {r.values["nip"] for r in rows}))
    return counts


def _readable(changes: dict, names: dict[int, str]) -> dict:
    """The agency by name in the history (its id means nothing to a reader)."""
    if "agency_id" in changes:
        before, after = changes.pop("agency_id")
        changes["agency"] = [names.get(before, ""), names.get(after, "")]
    return changes


def write(rows: list, *, job, whole: bool, source: str) -> dict:
    """Write ``rows`` (checked, none faulty) to the roster; the caller holds the transaction. Returns the counts."""
    now, names = timezone.now(), dict(Agency.objects.values_list("pk", "name"))
    existing = _existing()
    added, changed, history = [], [], []
    counts = {"added": 0, "changed": 0, "unchanged": 0, "left": 0}
    for row in rows:
        wanted, entry = _wanted(row), existing.get(row.values["nip"])
        if entry is None:
            added.append(RosterEntry(nip=row.values["nip"], source=source, **wanted))
            continue
        changes = _diff(entry, wanted)
        if not changes:
            counts["unchanged"] += 1
            continue
        for name, (_before, after) in changes.items():
            setattr(entry, name, after)
        entry.source, entry.updated_at = source, now
        changed.append(entry)
        history.append(RosterChange(entry=entry, job=job, kind=RosterChange.Kind.CHANGED, at=now,
                                    changes=_readable(changes, names)))
    left = _absent(existing, {r.values["nip"] for r in rows}) if whole else []
    for entry in left:
        entry.status, entry.updated_at = RosterStatus.LEFT, now
        history.append(RosterChange(entry=entry, job=job, kind=RosterChange.Kind.LEFT, at=now,
                                    changes={"status": [RosterStatus.ACTIVE, RosterStatus.LEFT]}))
    created = RosterEntry.objects.bulk_create(added, batch_size=BATCH)  # with their ids (PostgreSQL, SQLite)
    history.extend(RosterChange(entry=e, job=job, kind=RosterChange.Kind.ADDED, at=now,
                                changes={"agency": ["", names.get(e.agency_id, "")]}) for e in created)
    RosterEntry.objects.bulk_update(changed + left, [*TRACKED, "source", "updated_at"], batch_size=BATCH)
    RosterChange.objects.bulk_create(history, batch_size=BATCH)
    _restamp([e.nip for e in [*added, *changed, *left]])
    counts.update(added=len(added), changed=len(changed), left=len(left))
    return counts
