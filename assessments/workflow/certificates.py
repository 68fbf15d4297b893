"""State machines of the assessments app: certificates."""


def machines() -> list:
    return []
