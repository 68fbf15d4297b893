"""State machines of the assessments app: events."""


def machines() -> list:
    return []
