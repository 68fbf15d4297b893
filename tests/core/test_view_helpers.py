"""One base error class, one view helper (issue 13): a refusal (a ``PortalError``) is shown by
``certportal.workflow.views`` (run_action, run_form, run_service) and nowhere else.

The guard reads every views module of every app (``views.py`` or a ``views/`` package) and fails, naming file and
line, where a view catches ``PortalError``, one of its subclasses (found by reading every class of the project), or
a ``ValidationError`` (a service's refusal is a ``PortalError``; a form validates its own fields). The helpers then
show the refusal in one way: on the form for a page with a form, as a message for a button.
"""

import ast
import pathlib

import pytest
from django.contrib.messages import get_messages
from django.test import RequestFactory

from certportal.errors import PortalError
from certportal.workflow.views import run_action, run_form, run_service

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = ("certportal", "applicants", "assessments", "complaints", "schemes", "agencies", "quality")
HELPER = ROOT / "certportal" / "workflow" / "views.py"  # the one place that catches a refusal

# path relative to ROOT -> (caught name, why that view may catch it itself). Empty: every view uses the helper.
ALLOWED: dict[str, tuple[str, str]] = {
    # no signing key configured (or DIDKit failing): not a person's act refused but the service unable to sign; the
    # public JSON (status lists, keys) answers 503 with the reason, the holder's download a page saying why (409)
    "assessments/certificates/credentials/views.py": ("CredentialError", "the credential service cannot sign"),
}


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _views_modules():
    for path in _sources():
        if path != HELPER and (path.name == "views.py" or path.parent.name == "views"):
            yield path


def refusal_classes() -> set[str]:
    """PortalError and every class of the project that derives from it, by name (read from the source, so a
    module no test imports counts too)."""
    bases: dict[str, set[str]] = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(_name(b) for b in node.bases)
    found = {"PortalError"}
    while grown := {name for name, parents in bases.items() if parents & found} - found:
        found |= grown
    return found


def _name(node) -> str:
    """``services.AssessmentError`` -> "AssessmentError"; ``PortalError`` -> "PortalError"."""
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def _caught(handler: ast.ExceptHandler) -> list[str]:
    if handler.type is None:
        return []
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return [_name(t) for t in types]


def test_the_project_s_refusal_classes_are_found():
    names = refusal_classes()
    assert {"TransitionRefused", "ApplicationError", "AssessmentError", "AssessorChangeAffectsEvents",
            "ComplaintError", "SchemeError", "EvaluationError", "LspProfileError", "SlaError", "AccountError"} <= names


def test_no_view_catches_a_refusal_itself():
    """A view that catches a refusal by hand shows it its own way (a flash here, a form error there, input lost
    on a redirect): it goes through run_action / run_form / run_service instead."""
    flagged = refusal_classes() | {"ValidationError"}
    found = []
    for path in _views_modules():
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler):
                for name in _caught(node):
                    if name in flagged and ALLOWED.get(rel, ("", ""))[0] != name:
                        found.append(f"{rel}:{node.lineno} catches {name}")
    assert not found, ("Views catch a refusal themselves; use certportal.workflow.views.run_form (a page with "
                       "a form), run_action (a button) or run_service:\n" + "\n".join(found))


def test_every_views_module_is_read():
    read = {p.relative_to(ROOT).as_posix() for p in _views_modules()}
    assert {"applicants/views/verifier.py", "assessments/events/views/events.py", "schemes/views/manage.py",
            "complaints/views/public.py", "certportal/lsp/views.py", "certportal/sla/views.py",
            "certportal/accounts/views.py"} <= read


# --- the helper itself: what a person sees ----------------------------------------------------------------------

class Refused(PortalError):
    pass


def _post(data):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().post("/somewhere/", data)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _form(data):
    from django import forms

    class NameForm(forms.Form):
        name = forms.CharField(max_length=20)

    return NameForm(data)


def test_run_form_shows_a_refusal_on_the_form_and_keeps_what_was_typed(db):
    request = _post({"name": "Dinas Kesehatan"})

    def refuse(data):
        raise Refused(f"“{data['name']}” is already on the list.")

    response = run_form(request, _form(request.POST), refuse, success="Saved.", redirect_to="/done/",
                        template="core/form_page.html", context=lambda: {"title": "Agency"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "“Dinas Kesehatan” is already on the list." in page and 'value="Dinas Kesehatan"' in page
    assert not list(get_messages(request))  # on the form, not a flash that leaves the form behind


def test_run_form_on_success_shows_the_message_and_redirects_by_the_result(db):
    request = _post({"name": "Dinas Kesehatan"})
    response = run_form(request, _form(request.POST), lambda data: data["name"].upper(),
                        success=lambda name: f"{name} saved.", redirect_to=lambda name: f"/done/{len(name)}/",
                        template="core/form_page.html")
    assert response.status_code == 302 and response["Location"] == "/done/15/"
    assert [str(m) for m in get_messages(request)] == ["DINAS KESEHATAN saved."]


def test_run_form_does_not_call_the_service_for_an_invalid_form(db):
    request = _post({"name": "x" * 21})
    calls = []
    response = run_form(request, _form(request.POST), calls.append, success="Saved.", redirect_to="/done/",
                        template="core/form_page.html")
    assert response.status_code == 200 and calls == [] and "x" * 21 in response.content.decode()


def test_run_action_and_run_service_show_a_refusal_as_a_message():
    request = _post({})

    def refuse(*args):
        raise Refused("Not now.")

    response = run_action(request, refuse, success="Done.", redirect_to="/event/", error_redirect="/back/")
    assert response["Location"] == "/back/"
    noted = []
    assert run_service(request, refuse, refused=noted.append) is False and str(noted[0]) == "Not now."
    assert run_service(request, lambda: 3, success=lambda n: f"{n} added.") is True
    assert [str(m) for m in get_messages(request)] == ["Not now.", "3 added."]


@pytest.mark.parametrize("source", ["try:\n    x()\nexcept services.AssessmentError as exc:\n    pass\n",
                                    "try:\n    x()\nexcept (KeyError, PortalError):\n    pass\n"])
def test_the_guard_sees_a_caught_refusal(source):
    handlers = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ExceptHandler)]
    assert set(_caught(handlers[0])) & refusal_classes()
