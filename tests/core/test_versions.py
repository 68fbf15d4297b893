"""The version numbers kept in the cache (``certportal.versions``) that the work queues, the homes' lists, the
unread count, the report figures and the SLA dashboard keep their values under: a value kept under a version is
never read back once the version moved, was evicted, or moved again when the writer's transaction committed."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from certportal import figures, versions


@pytest.fixture
def kept_a_minute(settings):
    settings.REPORT_FIGURES_CACHE_SECONDS = 60  # kept, as in production
    cache.clear()


def test_an_evicted_version_never_reads_back_what_was_kept_before(kept_a_minute):
    """Figures restarted at version 1 after an eviction, and read back what was kept under 1 (for its minute)."""
    assert figures.kept("test-ns", "k", lambda: "kept first") == "kept first"
    cache.delete("figures:test-ns:version")  # evicted, the kept figure still there
    assert figures.kept("test-ns", "k", lambda: "counted again") == "counted again"


def test_a_figure_read_before_the_writer_commits_is_not_kept_past_the_commit(
        db, kept_a_minute, django_capture_on_commit_callbacks):
    assert figures.kept("test-ns", "k", lambda: "before") == "before"
    with django_capture_on_commit_callbacks(execute=True):
        figures.forget("test-ns")  # the writer's save, its transaction still open
        # another page, drawn before the commit, reads the rows as they were and keeps what it read
        assert figures.kept("test-ns", "k", lambda: "read before the commit") == "read before the commit"
    assert figures.kept("test-ns", "k", lambda: "after") == "after"


def test_versions_start_apart_and_move_at_once(kept_a_minute):
    first = versions.current(["test:a", "test:b"])
    assert first["test:a"] != first["test:b"] and versions.current(["test:a"]) == {"test:a": first["test:a"]}
    versions.move_now("test:a")
    assert versions.current(["test:a", "test:b"]) == {"test:a": first["test:a"] + 1, "test:b": first["test:b"]}
