"""Issue 43 item 2: every act that touches more than one record, or cannot be undone, asks first and says what it
will touch, in both languages.

The acts are named in one place (:mod:`certportal.confirmations`); this test reads every template of the repository:
each POST form (and each workflow action button) of a confirmed act carries ``data-confirm``, and each form whose
act's name looks final (sign, withdraw, approve, delete, revoke, reject, close, issue, send...) is either confirmed
or says why it need not be, so a new one without the question fails. Then the demo's pages are rendered as the
people who act: the Kepala PD's and the Sekretaris Daerah's letters say how many people and dossiers they touch,
the officer's proposal withdrawal names the person, the quality reviewer's approval names the version it replaces.
"""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import Cohort, ProposalStatus
from certportal.accounts.models import User
from certportal.confirmations import CONFIRMED, LOOKS_FINAL, NOT_FINAL
from certportal.workflow.registry import machines

ROOT = Path(__file__).resolve().parent.parent.parent
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
BUTTON = re.compile(r"{%\s*action_button\s+([\w.]+)\s+(\S+)((?:\s+\S+)*?)\s*%}")


def _templates() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "*.html"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [p for p in listed.stdout.split() if "/templates/" in f"/{p}" and "node_modules" not in p]


def _act(tag: str) -> str:
    """The act a form takes, from its ``data-action`` (``{{ actions.verified.code }}`` -> ``verified``)."""
    found = re.search(r'data-action="{{\s*([\w.]+?)(?:\.code)?\s*}}"', tag)
    return found.group(1).split(".")[-1] if found else ""


def _forms() -> list[tuple[str, str, bool]]:
    """(path, act key, asks first) of every POST form written in a template."""
    found = []
    for path in _templates():
        text = (ROOT / path).read_text()
        for match in FORM.finditer(text):
            tag, body = match.group(1), match.group(2)
            if 'method="post"' not in tag:
                continue
            url = re.search(r"action=\"{% url '([^']+)'([^%]*)%}[^\"]*\"", tag)
            act = _act(tag)
            if url:
                # a URL taking several acts names them by its argument (``'applied'``) or by data-action
                literal = re.search(r"'(\w+)'\s*$", url.group(2).strip())
                act = act or (literal.group(1) if literal else "")
                key = url.group(1)
                keys = [f"{key}#{act}", key] if act else [key]
            elif "action=" not in tag.replace("data-action=", ""):
                keys = [f"template:{path}#{act}"]
            else:
                continue  # posts to a URL the view computes: the view's own tests ask it (the event's step forms:
                # tests/assessments/test_event_workflow.py)
            asks = "data-confirm" in tag or "data-confirm" in body
            found.append((path, keys, asks))
    return found


def _registered(keys: list[str], names) -> str | None:
    return next((k for k in keys if k in names), None)


def test_every_form_of_a_final_act_asks_first_and_the_registry_names_only_real_forms():
    forms = _forms()
    assert len(forms) > 60
    missing, unclassified, seen = [], [], set()
    for path, keys, asks in forms:
        confirmed = _registered(keys, CONFIRMED)
        seen.update(k for k in keys if k in CONFIRMED or k in NOT_FINAL)
        if confirmed and not asks:
            missing.append((path, confirmed))
        elif not confirmed and not _registered(keys, NOT_FINAL) and LOOKS_FINAL.search(keys[0]) and not asks:
            unclassified.append((path, keys[0]))
    assert not missing, f"these acts must ask first (data-confirm): {missing}"
    assert not unclassified, f"final-looking acts neither confirmed nor in NOT_FINAL with a reason: {unclassified}"
    buttons = _button_acts()
    stale = sorted(set(CONFIRMED) - seen - set(buttons))
    assert not stale, f"confirmed acts no template posts to: {stale}"


def _button_acts() -> dict[str, list[tuple[str, bool]]]:
    """URL name -> (template, asks first) of each ``{% action_button %}``: the transition's URL, found by its
    name among the machines (a name several machines share gives each of their URLs)."""
    urls: dict[str, list[str]] = {}
    for machine in machines():
        for t in machine.transitions:
            if t.url_name:
                urls.setdefault(t.name, []).append(t.url_name)
    found: dict[str, list[tuple[str, bool]]] = {}
    for path in _templates():
        for match in BUTTON.finditer((ROOT / path).read_text()):
            name, extra = match.group(1).split(".")[-1], match.group(3).split()
            for url in urls.get(name, []):
                found.setdefault(url, []).append((path, len(extra) >= 2))
    return found


def test_every_workflow_button_of_a_confirmed_act_passes_its_question():
    buttons = _button_acts()
    for url, uses in buttons.items():
        if url not in CONFIRMED:
            continue
        app = url.split(":")[0]
        for path, asks in uses:
            if path.startswith(app) or f"/{app}/" in path:
                assert asks, f"{path}: the action button for {url} must pass its question (4th argument)"


# --- the questions, rendered for the people who act ---------------------------------------------------------


@pytest.fixture
def demo(demo_data):
    """The demo as ``make run`` loads it (once per test process, rolled back after each test)."""


def _page(email: str, url: str, language: str = "id") -> str:
    user = User.objects.get(email=email)
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return unescape(response.content.decode())


def _question(html: str, action: str) -> str:
    form = re.search(r'<form[^>]*action="' + re.escape(action) + r'"[^>]*data-confirm="([^"]*)"', html)
    assert form, f"no question on the form posting to {action}"
    return form.group(1)


def test_the_letters_ask_with_the_number_of_people_and_dossiers_in_both_languages(demo):
    cohort = Cohort.objects.get(agency__name="Dinas Pendidikan")
    people = cohort.proposals.exclude(status=ProposalStatus.WITHDRAWN).count()
    sign = reverse("agencies:letter-sign", args=[cohort.pk, "secretary_recommendation"])
    question = _question(_page("sekda@demo.go.id", cohort.get_absolute_url()), sign)
    assert f"untuk {people} orang" in question and f"{people} berkas" in question, question
    english = _question(_page("sekda@demo.go.id", cohort.get_absolute_url(), "en"), sign)
    assert f"for {people} people?" in english and f"each of their {people} dossiers" in english, english
    # the head of the agency withdrawing a letter: how many dossiers it leaves
    letter = cohort.letters.get(kind="head_recommendation")
    withdraw = reverse("agencies:letter-withdraw", args=[letter.pk])
    dossiers = letter.copies.values("file__document__application").distinct().count()
    english = _question(_page("kepala.disdik@demo.go.id", cohort.get_absolute_url(), "en"), withdraw)
    assert english.startswith("Withdraw “") and f" {dossiers} dossier" in english, english
    assert f" {dossiers} berkas" in _question(_page("kepala.disdik@demo.go.id", cohort.get_absolute_url()), withdraw)


def test_the_officer_s_withdrawal_names_the_person_and_the_approval_names_the_version(demo):
    cohort = Cohort.objects.get(agency__name="Dinas Pendidikan")
    proposal = cohort.proposals.exclude(status=ProposalStatus.WITHDRAWN).order_by("name").first()
    action = reverse("agencies:proposal-withdraw", args=[proposal.pk])
    english = _question(_page("pengelola.disdik@demo.go.id", cohort.get_absolute_url(), "en"), action)
    assert english.startswith(f"Withdraw the proposal of {proposal.name}?") and "cannot be restored" in english
    assert proposal.name in _question(_page("pengelola.disdik@demo.go.id", cohort.get_absolute_url()), action)
    from quality.system.models import DocumentVersion, VersionStatus

    draft = DocumentVersion.objects.filter(status=VersionStatus.DRAFT).select_related("document").first()
    assert draft is not None, "the demo keeps a version awaiting approval"
    approve = reverse("quality:system-version-approve", args=[draft.pk])
    reviewer = next(email for email in ("mutu@demo.go.id", "admin.lsp@demo.go.id")
                    if User.objects.get(email=email) != draft.uploaded_by)
    english = _question(_page(reviewer, draft.document.get_absolute_url(), "en"), approve)
    assert english.startswith(f"Approve version {draft.label} of {draft.document.code}?"), english
    assert "cannot be taken back" in english
