"""`make run` loads reference and demo data every time: a second run must change nothing."""

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()
            if m._meta.app_label not in {"sessions", "axes", "audit", "notifications"}}


def test_loading_reference_and_demo_data_twice_changes_nothing_and_gives_back_the_default_language(capsys):
    """A second `make run` adds no row; and since the README describes the demo in Indonesian, English chosen while
    trying it (saved on the account) does not outlive it. One test, as each load of the demo takes seconds."""
    from certportal.accounts.models import User

    def demo_languages() -> set[str]:
        return set(User.objects.filter(email__endswith="@demo.go.id").values_list("preferred_language", flat=True))

    call_command("load_reference")
    call_command("load_demo")
    first = row_counts()
    out = capsys.readouterr().out
    assert "pemohon@demo.go.id" in out and "Demo-Portal-2026" in out
    assert demo_languages() == {"id"}
    tried = User.objects.filter(email__in=["pemohon@demo.go.id", "asesi.fajar@demo.go.id"])
    assert tried.update(preferred_language="en") == 2
    call_command("load_reference")
    call_command("load_demo")
    assert row_counts() == first
    assert demo_languages() == {"id"}


def test_demo_has_one_account_per_role():
    from certportal.accounts.models import Role, User

    call_command("load_demo")
    for role in Role:
        assert User.objects.with_role(role).exists(), role
