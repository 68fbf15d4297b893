"""Loaded into the fault suite's shared worker (``celery worker --include``): the test database is emptied between
tests, its content types made again under new ids, so each task starts with the caches a fresh worker would have
(a pool process kept from an earlier test would otherwise look up ids that are gone)."""

from celery.signals import task_prerun


@task_prerun.connect
def forget_the_previous_tests_caches(**_kwargs) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    ContentType.objects.clear_cache()
    cache.clear()  # the worker's own (locmem) cache, as each test's process clears its own
