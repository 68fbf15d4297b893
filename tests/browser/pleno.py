"""Deciding in the browser: an event on an assessment plan (every event the factories plan) is decided in a pleno,
on the pleno's page (the participant page offers the pleno page instead of the decision buttons)."""

from assessments.events.models import Participant
from tests.assessments.factories import pleno_for


def decide_in_pleno(page, participant: Participant, decision: str, *, admin) -> None:
    """``admin`` (logged in on ``page``) records ``decision`` (K or BK) for ``participant`` in the event's open
    pleno (recorded as set-up when there is none), pressing its button and accepting the question it asks."""
    pleno = pleno_for(participant.event, admin=admin)
    page.goto(f"/asesmen/pleno/{pleno.pk}/")
    button = f"#awaiting-{participant.pk} .decide-{decision.lower()}"
    page.once("dialog", lambda d: d.accept())  # it asks first (an act that decides)
    with page.expect_navigation():
        page.click(button)
