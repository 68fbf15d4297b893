"""Reads about test events: which events, participants, appeals and assessors a user may see. Views take objects
only from these querysets."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from applicants.models import Application
from applicants.models import Status as AppStatus
from applicants.search import condition as search_condition
from assessments.events.models import LOCKED_STATUSES, Appeal, Assessor, Event, EventAssessor, Participant
from certportal.accounts.models import Role

SEE_ALL = (Role.LSP_ADMIN, Role.QUALITY, Role.SUPERVISOR)
COUNT_FIGURES = "assessments.events.count"  # the staff list's kept counts (certportal.figures; wiring forgets them)


def events_counted(user, visible: QuerySet[Event], status: str) -> int:
    """How many events the list holds: for a reader who sees them all, counted once a minute per status filter
    and forgotten when an event is saved or deleted (a COUNT(*) of every event on each view read the whole index:
    68,700 entries at the national size); an assessor's or a TUK head's own events are counted on each view."""
    from certportal import figures

    if _active(user) and user.has_role(*SEE_ALL):
        return figures.kept(COUNT_FIGURES, status, visible.count)
    return visible.count()



def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)



def events_visible_to(user) -> QuerySet[Event]:
    """Every event for the LSP admin, quality and the supervisor; an assessor's own events and a Kepala TUK's
    site's. Filtered by ``EXISTS``, not a join made distinct: a ``DISTINCT`` over a list's columns made PostgreSQL
    count the participants of every event of the reader's history before the page was cut (issue 47)."""
    qs = Event.objects.select_related("scheme", "test_site")
    if not _active(user):
        return qs.none()
    if user.has_role(*SEE_ALL):
        return qs
    mine = Q(pk__in=[])
    if user.has_role(Role.ASSESSOR):
        mine |= Q(Exists(EventAssessor.objects.filter(event=OuterRef("pk"), assessor__user=user)))
    if user.has_role(Role.TUK_HEAD):
        mine |= Q(test_site__head=user)
    return qs.filter(mine)



def events_assessed_by(user) -> QuerySet[Event]:
    """The events ``user`` is an assessor of (their own page), among those they may see: for an assessor who holds
    no other role these are all they see, so the condition is not asked twice."""
    visible = events_visible_to(user)
    if user.has_role(*SEE_ALL, Role.TUK_HEAD):
        return visible.filter(Exists(EventAssessor.objects.filter(event=OuterRef("pk"), assessor__user=user)))
    return visible



def staff_participants_visible_to(user) -> QuerySet[Participant]:
    """Participants a staff member may see: an assessor only those of their own events."""
    qs = Participant.objects.select_related("event__scheme", "event__test_site", "application__applicant",
                                            "application__scheme", "assessor__user")
    if not _active(user):
        return qs.none()
    if user.has_role(*SEE_ALL):
        return qs
    return qs.filter(event__in=events_visible_to(user))



def my_participations(user) -> QuerySet[Participant]:
    return Participant.objects.filter(application__applicant=user).select_related(
        "event__scheme", "event__test_site", "application__scheme")



def participants_visible_to(user) -> QuerySet[Participant]:
    return (staff_participants_visible_to(user) | my_participations(user)).distinct() if _active(user) else \
        Participant.objects.none()



def appeals_visible_to(user) -> QuerySet[Appeal]:
    qs = Appeal.objects.select_related("participant__application", "participant__event__scheme",
                                       "participant__assessor__user", "decided_by")
    if not _active(user):
        return qs.none()
    if user.has_role(Role.LSP_ADMIN, Role.QUALITY, Role.SUPERVISOR):
        return qs
    return qs.filter(participant__application__applicant=user)



def _open_links() -> QuerySet[EventAssessor]:
    return (EventAssessor.objects.exclude(event__status__in=LOCKED_STATUSES)
            .select_related("event__scheme", "event__test_site").order_by("event__starts_at", "event_id"))



def assessors_for_admin() -> QuerySet[Assessor]:
    """The LSP admin's list: each assessor with their schemes and their open events, in a fixed number of
    queries (``assessor_open_events`` reads the prefetched links)."""
    return (Assessor.objects.select_related("user")
            .prefetch_related("schemes", Prefetch("event_links", queryset=_open_links(), to_attr="open_links"))
            .order_by("user__full_name", "pk"))



def assessor_open_events(assessor: Assessor) -> list[Event]:
    """Events this assessor is on whose official report is not signed yet (upcoming, or held and still open
    for results), earliest first."""
    links = getattr(assessor, "open_links", None)
    if links is None:
        links = _open_links().filter(assessor=assessor)
    return [link.event for link in links]



def events_to_reassign() -> list[Event]:
    """Open events with a deactivated assessor on them, for the LSP admin to add another assessor and move the
    participants; each event carries ``inactive`` (the deactivated assessors) and ``stranded`` (how many
    participants are still assigned to them). An event leaves the list once nobody is left with them and an
    active assessor is on it."""
    links = list(_open_links().filter(assessor__is_active=False).select_related("assessor__user"))
    events: dict[int, Event] = {}
    for link in links:
        event = events.setdefault(link.event_id, link.event)
        event.__dict__.setdefault("inactive", []).append(link.assessor)
    rows = []
    for event in events.values():
        event.stranded = event.participants.filter(assessor__in=event.inactive).count()
        event.has_active = event.event_assessors.filter(assessor__is_active=True).exists()
        if event.stranded or not event.has_active:
            rows.append(event)
    return rows



CANDIDATES_SHOWN = 50  # an event page lists this many candidates at once (a room holds about 20); a search finds others
CANDIDATES_COUNTED = 1000  # counted up to this many ("more than 1,000" beyond: the count stays a bounded read)
CANDIDATE_SEARCH_MAX = 100  # characters of a candidate search kept


@dataclass(frozen=True)
class Candidates:
    """The applications the LSP admin may add to an event, as its page lists them."""

    shown: list  # re-assessments ordered on appeal first, then the named participants named longest ago
    matching: int  # how many match the search (or wait, without one), counted up to CANDIDATES_COUNTED + 1
    search: str

    @property
    def more(self) -> bool:
        return self.matching > len(self.shown)

    @property
    def counted_all(self) -> bool:
        return self.matching <= CANDIDATES_COUNTED

    @property
    def limit(self) -> str:
        from django.utils.formats import number_format

        return number_format(CANDIDATES_COUNTED, force_grouping=True)


def event_candidates(event: Event, search: str = "") -> Candidates:
    """Who may be added to ``event``: the named participants of its scheme (any version of its code) and the
    applicants whose appeal ordered a re-assessment, none already in it. At a province's or the nation's size a
    scheme has thousands waiting: the page lists the first :data:`CANDIDATES_SHOWN` (re-assessments first, then
    those named longest ago, read off ``app_candidates_idx``), counts the rest up to :data:`CANDIDATES_COUNTED`, and
    ``search`` (the start of a NIP, or part of a name) finds anyone else among them."""
    search = " ".join(search.split())[:CANDIDATE_SEARCH_MAX]
    base = Application.objects.filter(scheme__code=event.scheme.code).exclude(participations__event=event)
    if search:  # the queue's rule (applicants.search), anywhere in the name: the page has no second box for it
        base = base.filter(search_condition(search, inside=True))
    reassess = (base.filter(status=AppStatus.APPEALED, participations__appeals__outcome="reassess").distinct()
                .order_by("applicant_name", "pk"))
    named = base.filter(status=AppStatus.PARTICIPANT).order_by(F("named_at").asc(nulls_last=True), "pk")
    first = list(reassess[:CANDIDATES_SHOWN])
    shown = first + list(named[:CANDIDATES_SHOWN - len(first)])
    # counted whether or not the list is cut: the page asks the same queries however many wait
    matching = reassess[:CANDIDATES_COUNTED + 1].count() + named[:CANDIDATES_COUNTED + 1].count()
    return Candidates(shown, min(matching, CANDIDATES_COUNTED + 1), search)


def get_or_403(queryset: QuerySet, **lookup):
    """The object if this user may see it; otherwise 403 (also for ids that do not exist: nothing leaks). Looked up
    by its key, the row is read without the model's ordering (a participant's joins its event and application:
    most of the lookup's cost, for one row)."""
    found = queryset.filter(**lookup)
    obj = (found.order_by()[:1] or [None])[0] if set(lookup) == {"pk"} else found.first()
    if obj is None:
        raise PermissionDenied
    return obj



def assessor_visibility(user, queryset):
    """applicants.selectors hook: an assessor sees the applications of participants in their own events."""
    return queryset.filter(participations__event__event_assessors__assessor__user=user).distinct()

