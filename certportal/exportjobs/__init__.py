"""Background exports (issue 17): a large export runs as a Celery job with progress; the file is offered when done.

Apps register sources with :func:`register_source`; views call :func:`needs_background` and :func:`export_start`.
"""


def register_source(name, build) -> None:
    from .services import register_source as register

    register(name, build)
