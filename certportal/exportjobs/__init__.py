"""Background exports (issue 17): a large export runs as a Celery job with progress; the file is offered when done.

Apps register sources with :func:`register_source`; views call :func:`needs_background` and :func:`export_start`.
Heavy documents (a PDF or ZIP that may take more than a second) are registered with :func:`register_document`;
their views call ``documents.document_start`` and show the job's page.
"""


def register_source(name, build) -> None:
    from .services import register_source as register

    register(name, build)


def register_document(name, **options) -> None:
    from .documents import register_document as register

    register(name, **options)
