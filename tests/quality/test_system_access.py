"""Issue 30 item 2: who may open the management system's pages (another role, another user, anonymous), the
buttons shown are the acts the views accept, the list pages run a constant number of queries, both languages."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certportal.accounts.models import Role
from quality.system import services
from tests.factories import UserFactory

from .system_helpers import analyse, audit, finding, pdf

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 20, 3, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def records(lina, quinn):
    review = audit(lina)
    action = finding(review, lina, quinn).action
    doc = services.document_create(actor=quinn, code="SOP-01", title="Prosedur Asesmen", kind="procedure")
    version = services.version_upload(doc, actor=quinn, label="Rev. 0", effective_on=datetime.date(2026, 1, 5),
                                      upload=pdf())
    services.evidence_add(action, actor=quinn, upload=pdf())
    analyse(action)
    return {"review": review, "action": action, "doc": doc, "version": version,
            "evidence": action.evidence.get()}


def _reader_pages(r) -> list[str]:
    return [reverse("quality:system-home"), reverse("quality:system-review", args=[r["review"].pk]),
            reverse("quality:system-actions"), reverse("quality:system-documents"),
            reverse("quality:system-document", args=[r["doc"].pk]),
            reverse("quality:system-version-file", args=[r["version"].pk])]


def _admin_pages(r) -> list[str]:
    return [reverse("quality:system-review-create"), reverse("quality:system-finding-add", args=[r["review"].pk])]


def _action_pages(r) -> list[str]:
    return [reverse("quality:system-action", args=[r["action"].pk]),
            reverse("quality:system-evidence-file", args=[r["action"].pk, r["evidence"].pk])]


def test_anonymous_visitors_are_sent_to_log_in(records, client):
    for url in [*_reader_pages(records), *_admin_pages(records), reverse("quality:system-my-actions")]:
        response = client.get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response.url, url
    for url in _action_pages(records):
        assert client.get(url).status_code in (302, 403), url


def test_readers_read_and_only_the_lsp_admin_records(records, lina, sofia, quinn, login):
    for user in (lina, sofia, quinn):
        for url in [*_reader_pages(records), *_action_pages(records)]:
            assert login(user).get(url).status_code == 200, (user, url)
    for url in _admin_pages(records):
        assert login(lina).get(url).status_code == 200
        assert login(sofia).get(url).status_code == 403
        assert login(quinn).get(url).status_code == 403
    assert login(sofia).get(reverse("quality:system-document-create")).status_code == 403


def test_other_roles_and_other_users_get_403(records, victor, asa, alice, tono, login):
    for user in (victor, asa, tono):  # staff of other roles, who do not own the action
        for url in [*_reader_pages(records), *_admin_pages(records), *_action_pages(records)]:
            assert login(user).get(url).status_code == 403, (user, url)
        assert login(user).get(reverse("quality:system-my-actions")).status_code == 200  # their own (empty) list
    for url in [*_reader_pages(records), *_action_pages(records), reverse("quality:system-my-actions")]:
        assert login(alice).get(url).status_code == 403, url
    posts = [reverse("quality:system-action-complete", args=[records["action"].pk]),
             reverse("quality:system-action-close", args=[records["action"].pk]),
             reverse("quality:system-version-approve", args=[records["version"].pk])]
    for url in posts:
        assert login(victor).post(url).status_code == 403
    records["action"].refresh_from_db()
    assert records["action"].status == "open"


def test_an_owner_of_another_role_sees_and_works_on_their_own_action_only(lina, tono, login):
    mine = finding(audit(lina), lina, tono).action
    other = finding(audit(lina), lina, lina, "Lain").action
    c = login(tono)
    assert c.get(mine.get_absolute_url()).status_code == 200
    assert c.get(other.get_absolute_url()).status_code == 403
    assert c.post(reverse("quality:system-action-evidence", args=[other.pk]), {"file": pdf()}).status_code == 403
    page = c.get(reverse("quality:system-my-actions")).content.decode()
    assert mine.get_absolute_url() in page and other.get_absolute_url() not in page


def test_the_buttons_shown_are_the_acts_accepted(records, lina, quinn, login):
    action = records["action"]
    owner_page = login(quinn).get(action.get_absolute_url()).content.decode()
    admin_page = login(lina).get(action.get_absolute_url()).content.decode()
    assert 'data-action="quality.correctiveaction.completed"' in owner_page
    assert 'data-action="quality.correctiveaction.completed"' not in admin_page
    login(lina).post(reverse("quality:system-action-complete", args=[action.pk]))
    action.refresh_from_db()
    assert action.status == "open"  # refused for the admin, as the page said
    login(quinn).post(reverse("quality:system-action-complete", args=[action.pk]))
    action.refresh_from_db()
    assert action.status == "completed"


def test_pages_in_both_languages(records, lina, login):
    c = login(lina)
    indonesian = c.get(reverse("quality:system-actions")).content.decode()
    assert "Tindakan korektif" in indonesian
    lina.preferred_language = "en"
    lina.save()
    c.cookies["django_language"] = "en"
    english = c.get(reverse("quality:system-actions"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Corrective actions" in english
    # the filter too (its choices were translated once, at import, in the default language: issue 43 item 10)
    shown = english.split('id="state"')[1].split("</select>")[0]
    assert ">Not closed<" in shown and ">Overdue<" in shown and ">All<" in shown, shown
    assert "Belum" not in shown and "Semua" not in shown


def _queries(client, url: str) -> int:
    """The queries of a view after the first (the header's unread count is kept from the first on)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_run_a_constant_number_of_queries(lina, login, settings):
    settings.REPORT_FIGURES_CACHE_SECONDS = 0  # drawn on every view: the drawing is measured, not a kept copy
    owners = [UserFactory(roles=[Role.QUALITY]) for _ in range(3)]
    c = login(lina)
    urls = [reverse("quality:system-home"), reverse("quality:system-actions") + "?state=all",
            reverse("quality:system-documents")]

    def make(n: int, start: int) -> None:
        for i in range(start, start + n):
            review = audit(lina)
            finding(review, lina, owners[i % 3], f"Temuan {i}")
            doc = services.document_create(actor=lina, code=f"DOC-{i}", title=f"Dokumen {i}", kind="form")
            services.version_upload(doc, actor=lina, label="Rev. 0", effective_on=datetime.date(2026, 1, 5),
                                    upload=pdf())

    make(2, 0)
    few = [_queries(c, url) for url in urls]
    make(8, 2)
    assert [_queries(c, url) for url in urls] == few
    mine = login(owners[0])
    first = _queries(mine, reverse("quality:system-my-actions"))
    make(3, 10)
    assert _queries(mine, reverse("quality:system-my-actions")) == first
