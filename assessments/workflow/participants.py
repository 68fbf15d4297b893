"""State machines of the assessments app: participants."""


def machines() -> list:
    return []
