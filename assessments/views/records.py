"""Issue 19: pages for records (see the module's service). ``urls`` is included by assessments/urls.py; the
``*_context`` functions add this area's part to the event, participant and applicant pages."""

urls: list = []


def event_context(user, event) -> dict:
    return {}


def participant_context(user, participant) -> dict:
    return {}


def my_context(user, participant) -> dict:
    return {}
