"""The portal's extension points (certportal.registry): each declared once with what it carries and whether a
provider is required; a second provider of a single point is refused; the portal does not start while a required
point has none (system check certportal.E001); and a guard asked without a provider refuses."""

import pytest
from django.core import checks as django_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from certportal import checks, registry
from certportal.registry import DuplicateProvider, ExtensionPoint, MissingProvider


@pytest.fixture
def declare():
    """Declare points for one test, forgotten after it."""
    made = []

    def make(name, carries="fn(x) -> str | None", **options):
        point = ExtensionPoint(name, carries, module="tests.lower_app", **options)
        made.append(point)
        return point

    yield make
    for point in made:
        registry.undeclare(point)


def first(x):
    return f"first {x}"


def second(x):
    return f"second {x}"


def test_a_single_point_refuses_a_second_provider_but_not_the_same_one_twice(declare):
    point = declare("test.single")
    point.provide(first)
    point.provide(first)  # ready() ran twice: harmless
    with pytest.raises(DuplicateProvider, match=r"test.single takes one provider: .*test_registry provides it"):
        point.provide(second)
    assert point.ask("x") == "first x"
    assert [p.module for p in point.provisions()] == [__name__]


def test_a_keyed_point_takes_one_provider_per_key_and_a_many_point_keeps_all_in_order(declare):
    keyed = declare("test.keyed", keyed=True)
    keyed.provide(first, key="a")
    keyed.provide(second, key="b")
    with pytest.raises(DuplicateProvider, match="for 'a'"):
        keyed.provide(second, key="a")
    with pytest.raises(TypeError, match="keyed"):
        keyed.provide(first)
    assert keyed.by_key() == {"a": first, "b": second} and keyed.get("c") is None
    many = declare("test.many", many=True, keyed=True)
    many.provide(first, key="a")
    many.provide(second, key="a")
    many.provide(first, key="a")
    assert many.all("a") == [first, second] and many.all("b") == []


def test_a_point_is_declared_once(declare):
    declare("test.twice")
    with pytest.raises(DuplicateProvider, match="declared twice"):
        ExtensionPoint("test.twice", "again")


def test_a_stand_in_replaces_the_provider_for_a_while(declare):
    point = declare("test.replaced")
    point.provide(first)
    with point.replaced(second):
        assert point.ask("x") == "second x"
    assert point.ask("x") == "first x"
    with point.withheld():
        assert not point.provided()
    assert point.provided()


def test_a_required_point_without_a_provider_refuses_when_asked(declare):
    plain = declare("test.required", required=True)
    with pytest.raises(MissingProvider, match="Nothing provides the extension point 'test.required'"):
        plain.ask("x")
    with pytest.raises(MissingProvider):
        plain.get()
    guard = declare("test.guard", required=True, refusal="Nobody keeps the register.")
    refusal = guard.ask("x")
    assert "Nobody keeps the register." in refusal and "test.guard" in refusal  # the act is blocked, and why


def test_the_system_check_refuses_a_required_point_without_a_provider(declare):
    empty = declare("test.unprovided", "fn(user) -> why not, or None", required=True)
    declare("test.optional")
    errors = checks.missing_providers()
    assert [(e.id, e.obj) for e in errors] == [("certportal.E001", "test.unprovided")]
    assert errors[0].level == django_checks.ERROR
    assert errors[0].msg == "The required extension point 'test.unprovided' has no provider."
    assert "fn(user) -> why not, or None" in errors[0].hint and "tests.lower_app" in errors[0].hint
    with pytest.raises(SystemCheckError, match="certportal.E001"):  # manage.py check (and runserver) stop here
        call_command("check")
    empty.provide(first)
    assert checks.missing_providers() == []


def test_every_required_point_is_provided_in_the_installed_portal():
    required = [p.name for p in registry.points() if p.required]
    assert {"events.declaration_missing", "events.interest_in", "events.consent_missing", "events.review_missing",
            "events.after_result_corrected", "core.personal_data_in_use"} <= set(required)
    assert registry.missing_required() == []
    assert checks.missing_providers() == []


def test_every_guard_of_the_test_event_refuses_without_its_provider():
    from assessments.events import hooks

    guards = {hooks.CONSENT_MISSING: ("participant",), hooks.DECLARATION_MISSING: ("user", None),
              hooks.REVIEW_MISSING: ("event",), hooks.INTEREST_IN: ("user", []), hooks.REPORT_MISSING: ("event",),
              hooks.REPORT_REFUSAL: ("event", "user")}
    for point, args in guards.items():
        with point.withheld():
            assert point.ask(*args), f"{point.name} let the act through without a provider"
    for point in (hooks.PLAN_IN_FORCE, hooks.EVIDENCE_STATE):
        with point.withheld(), pytest.raises(MissingProvider):
            point.ask("scheme", 1) if point is hooks.EVIDENCE_STATE else point.ask("scheme")
    with hooks.AFTER_RESULT_CORRECTED.withheld(), pytest.raises(MissingProvider):
        hooks.result_corrected("participant", actor=None, note="")


def test_retention_refuses_to_run_without_a_rule_of_accounts_in_use():
    from certportal import personal_data

    with personal_data.IN_USE.withheld(), pytest.raises(MissingProvider, match="core.personal_data_in_use"):
        personal_data.in_use_checks()


def test_the_extension_points_page_is_what_the_command_writes():
    """docs/extension-points.md lists every point, what it carries, whether it is required and who provides it;
    after a change, ``python manage.py extension_points`` writes it again."""
    from certportal import registry_page

    page = registry_page.path().read_text(encoding="utf-8")
    assert page == registry_page.render(), "docs/extension-points.md is out of date: run manage.py extension_points"
    for point in registry.points():
        assert f"### `{point.name}`" in page
    call_command("extension_points", "--check")
