"""A costly set-up built once per module and test process, each test in a savepoint of it.

Many tests of a module start from the same state that only the services can build: an event taken through its SOP
steps, results recorded, decided, certificates issued (a second or two of services, hundreds of queries, each time).
A module whose tests all start there builds it once with :func:`build`, in a transaction kept open while the
module's tests run and rolled back after the last (Django's ``TestCase.setUpTestData``, as
``tests/conftest.py``'s ``_demo_loaded_once`` does for the demo); pytest-django runs each test in a savepoint of it,
so each finds the state as built and none sees what another changed. Its private files (the papers the services
stored) are written to a folder of the module's and copied into each test's own (:func:`World.enter`); a test gets
its objects read again from the database (:meth:`World.fresh`), never an instance another test changed in memory.

Not for a transactional or live-server test: its commits and flush would land inside the transaction. pytest-django
runs those apart, after the tests that roll back, so a module's world is closed by then; should the order change, such a test of a
module whose world is open fails at once (``pytest_runtest_setup`` in tests/conftest.py, through :data:`OPEN`). A
module's tests dealt to both test processes build it once in each.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.test.utils import override_settings
from django.utils import translation

OPEN: list = []  # the transaction of the world built, while the module's tests run


@dataclass
class World:
    objects: dict[str, Any]  # what the build returned, by name: model instances, or dicts and lists of them
    media: Path  # the private files stored while it was built

    def enter(self, settings) -> World:
        """Copy the build's private files into the test's folder (``settings.PRIVATE_MEDIA_ROOT``)."""
        shutil.copytree(self.media, settings.PRIVATE_MEDIA_ROOT, dirs_exist_ok=True)
        return self

    def fresh(self, name: str):
        """The object ``name`` of the build, read again from the database (a dict or list of them, each read)."""
        return _fresh(self.objects[name])


def _fresh(value):
    if isinstance(value, models.Model):
        return type(value)._default_manager.get(pk=value.pk)
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_fresh(v) for v in value)
    return value


@contextlib.contextmanager
def held_transaction(django_db_blocker, opened: list) -> Iterator[None]:
    """A transaction kept open around what runs inside (tests in savepoints of it), listed in ``opened`` while it is,
    then rolled back: a module's world here, the demo loaded once in tests/conftest.py."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        opened.append(outer)
        try:
            yield
        finally:
            opened.clear()
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def build(django_db_blocker, tmp_path_factory, make: Callable[[], dict[str, Any]], *,
          language: str | None = None) -> Iterator[World]:
    """For a module-scoped fixture (``yield from``): ``make()`` run once inside a transaction that stays open until
    the module's last test has run, then is rolled back; ``language``: the one active while it runs (as the
    module's autouse fixture makes it for its tests, e.g. ``"en"``)."""
    media = tmp_path_factory.mktemp("module-world")
    with held_transaction(django_db_blocker, OPEN):
        with override_settings(PRIVATE_MEDIA_ROOT=media, MEDIA_ROOT=media), \
                translation.override(language or translation.get_language()):
            objects = make()
        yield World(objects, media)


def shared(make: Callable[[], dict[str, Any]], *names: str, language: str | None = None) -> dict[str, Any]:
    """The fixtures of a module's world, for its globals: ``make`` built once (:func:`build`, module-scoped), the
    ``world`` fixture that hands it to a test with its private files, and one fixture per name of ``names`` giving
    that object of it (:func:`fixtures`)."""
    import pytest

    @pytest.fixture(scope="module", name="_world_built")
    def built(django_db_setup, django_db_blocker, tmp_path_factory):
        yield from build(django_db_blocker, tmp_path_factory, make, language=language)

    @pytest.fixture(name="world")
    def world(_world_built: World, _private_media, settings) -> World:
        return _world_built.enter(settings)

    return {"_world_built_fixture": built, "_world_fixture": world, **fixtures(*names)}


def fixtures(*names: str) -> dict[str, Any]:
    """Function-scoped fixtures, one per name, each giving that object of the module's ``world`` fixture read
    again (:meth:`World.fresh`); a module adds them to its globals, in place of the fixtures of those names that
    would make a second one."""
    import pytest

    def one(name: str):
        def fixture(world: World):
            return world.fresh(name)
        fixture.__name__ = f"_world_{name}"
        return pytest.fixture(name=name)(fixture)

    return {f"_world_{name}": one(name) for name in names}
