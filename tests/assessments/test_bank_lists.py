"""The plans' and question banks' lists at scale (issue 28): a unit's items of an instrument come 50 a page (hundreds
are kept per unit and instrument) and every one is still reached, in order and numbered; the bank's home and the
plans' list come 30 schemes a page; each list costs the same queries for one row and for many; the counts of the
scheme's grid are kept a minute and a change is counted at once; the rows drawn in Python still say what the
reader needs (the key and the expected answer only to whoever holds the keys) and a text typed with markup stays
text."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.instruments.models import AssessmentPlan
from assessments.instruments.models.plans import BankItem, BankKeeper, Instrument
from assessments.instruments.services import bank
from schemes.models import PerformanceCriterion, UnitElement

from .factories import SchemeFactory, scheme_with_units

pytestmark = pytest.mark.django_db

HOSTILE = 'Dewi <b>"Ayu"</b> & Co'
SHOWN = "Dewi &lt;b&gt;&quot;Ayu&quot;&lt;/b&gt; &amp; Co"  # as text, never as markup


@pytest.fixture
def unit(scheme):
    return scheme.scheme_units.order_by("position").first().unit


def items_url(scheme, unit, code="IA.05"):
    return reverse("assessments:bank-items", args=[scheme.pk, unit.pk, code])


def make_items(unit, lina, count: int, *, start: int = 1, instrument=Instrument.IA05) -> list[BankItem]:
    """``count`` multiple-choice items in the unit's bank, in order (the import's pace: rows, not forms)."""
    return BankItem.objects.bulk_create(BankItem(
        unit=unit, instrument=instrument, position=n, text=f"Soal nomor {n}", options=[f"A{n}", f"B{n}"], key=0,
        created_by=lina) for n in range(start, start + count))


def shown_items(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-item="(\d+)"', page)]


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_units_items_come_fifty_a_page_and_every_one_is_reached_in_order(login, lina, scheme, unit):
    made = make_items(unit, lina, 120)
    BankItem.objects.filter(pk=made[4].pk).update(is_active=False)
    client = login(lina)
    first = client.get(items_url(scheme, unit)).content.decode()
    assert "119 butir" in first and "Halaman 1 dari 3" in first and 'start="1"' in first
    assert "counter-reset" not in first  # the first page numbers from 1, as the list always did
    seen = shown_items(first)
    for number in (2, 3):
        page = client.get(items_url(scheme, unit) + f"?page={number}").content.decode()
        assert f"Halaman {number} dari 3" in page
        seen += shown_items(page)
    second = client.get(items_url(scheme, unit) + "?page=2").content.decode()
    assert 'start="51"' in second and "#bank-items { counter-reset: section 50; }" in second  # numbered on from 51
    assert seen == [item.pk for item in made if item.pk != made[4].pk]  # each once, in the bank's order
    every = client.get(items_url(scheme, unit) + "?semua=1").content.decode()
    assert "120 butir" in every and 'href="?semua=1&page=2"' in every  # the filter is kept from page to page
    assert made[4].pk in shown_items(every) and "bg-body-secondary" in every


def test_the_items_page_costs_the_same_queries_for_one_item_and_a_hundred(login, lina, scheme, unit):
    make_items(unit, lina, 1)
    client = login(lina)
    client.get(items_url(scheme, unit))  # the counts of the scheme kept (as a reader's second view finds them)
    one = queries(client, items_url(scheme, unit))
    make_items(unit, lina, 120, start=2)
    client.get(items_url(scheme, unit))
    assert queries(client, items_url(scheme, unit)) == one
    assert queries(client, items_url(scheme, unit) + "?page=3") == one
    assert queries(client, items_url(scheme, unit) + "?semua=1&page=2") == one


def test_the_scheme_grid_counts_are_kept_and_a_change_is_counted_at_once(login, lina, scheme, unit):
    BankKeeper.objects.create(scheme=scheme, user=lina, assigned_by=lina)
    made = make_items(unit, lina, 3)
    client = login(lina)
    grid = reverse("assessments:bank-scheme", args=[scheme.pk])
    cell = f'aria-label="{unit.code} FR.IA.05: {{}}">{{}}</a>'
    assert cell.format(3, 3) in client.get(grid).content.decode()
    client.post(items_url(scheme, unit), {"text": "Soal baru", "option_a": "Ya", "option_b": "Tidak", "key": "A"})
    assert cell.format(4, 4) in client.get(grid).content.decode()
    client.post(reverse("assessments:bank-item-deactivate", args=[scheme.pk, made[0].pk]))
    page = client.get(grid).content.decode()
    assert cell.format(3, 3) + ' <span class="text-muted small">(1)</span>' in page
    assert "3 butir" in client.get(items_url(scheme, unit)).content.decode()
    larger = reverse("assessments:bank-scheme", args=[scheme_with_units(8).pk])
    client.get(larger)  # its counts kept, as the first scheme's are
    assert queries(client, grid) == queries(client, larger)


def test_a_keeper_reads_the_key_the_answer_the_kuk_and_acts_from_the_list(login, lina, asa, assessor, scheme, unit):
    element = UnitElement.objects.create(unit=unit, position=1, title="Menyiapkan layanan")
    kuk = PerformanceCriterion.objects.create(element=element, position="1.1", text="Standar layanan diidentifikasi")
    question = bank.bank_item_save(unit, actor=lina, instrument=Instrument.IA05, data=bank.ItemData(
        text=f"{HOSTILE}\nbaris kedua", options=["Maklumat", HOSTILE], key=1, criterion_id=kuk.pk))
    task = bank.bank_item_save(unit, actor=lina, instrument=Instrument.IA02, data=bank.ItemData(
        text="Susun jadwal layanan", expected="Jadwal\nlengkap", tools="Komputer <ATK>", minutes=45))
    BankKeeper.objects.create(scheme=scheme, user=lina, assigned_by=lina)
    client = login(lina)
    page = client.get(items_url(scheme, unit)).content.decode()
    item = page[page.index(f'id="item-{question.pk}"'):page.index("</li>", page.index("bank-key"))]
    assert f'<div class="bank-text">{SHOWN}<br>baris kedua</div>' in item
    assert f'<li class="fw-semibold text-success bank-key">{SHOWN} <i class="bi bi-check-lg"' in item
    assert "<li>Maklumat</li>" in item
    assert '<span class="text-muted">KUK</span> 1.1 Standar layanan diidentifikasi' in page
    tasks = client.get(items_url(scheme, unit, "IA.02")).content.decode()
    assert '<span class="text-muted">Yang diharapkan:</span> Jadwal<br>lengkap' in tasks
    assert "Komputer &lt;ATK&gt;" in tasks and "45 menit" in tasks
    assert reverse("assessments:bank-item", args=[scheme.pk, task.pk]) in tasks
    form = re.search(r'<form method="post" action="([^"]+)"><input type="hidden" name="csrfmiddlewaretoken" '
                     r'value="([^"]+)"><button class="btn btn-sm btn-outline-secondary bank-deactivate">', page)
    assert form and form.group(1) == reverse("assessments:bank-item-deactivate", args=[scheme.pk, question.pk])
    client.post(form.group(1))
    question.refresh_from_db()
    assert not question.is_active
    # an assessor in the scheme's scope reads the questions, never the key, the answer or the buttons
    reader = login(asa).get(items_url(scheme, unit, "IA.02")).content.decode()
    assert "Susun jadwal layanan" in reader and "Jadwal<br>lengkap" not in reader and "bank-deactivate" not in reader
    assert "bank-key" not in login(asa).get(items_url(scheme, unit) + "?semua=1").content.decode()


def test_the_bank_home_lists_thirty_schemes_a_page_names_as_text(login, lina):
    hostile = SchemeFactory(name=HOSTILE, code="AAA-HOSTILE")
    older = SchemeFactory(code="AAA-HOSTILE", version=2, is_current=False)
    SchemeFactory.create_batch(33)
    client = login(lina)
    home = reverse("assessments:bank")
    first = client.get(home).content.decode()
    assert f'href="{reverse("assessments:bank-scheme", args=[hostile.pk])}" data-scheme="{hostile.pk}">' in first
    assert f'<span class="fw-semibold">{SHOWN}</span>' in first
    assert "AAA-HOSTILE · versi 2 · bukan versi terkini" in first
    second = client.get(home + "?page=2").content.decode()
    assert len(re.findall(r"data-scheme=", first)) == 30 and len(re.findall(r"data-scheme=", second)) == 5
    assert older.pk in [int(x) for x in re.findall(r'data-scheme="(\d+)"', first)]
    assert queries(client, home) == queries(client, home + "?page=2")


def test_the_plans_list_shows_the_plan_in_force_and_drafts_in_constant_queries(login, lina, asa, scheme):
    scheme.name = HOSTILE
    scheme.save()
    for number, status in ((1, "superseded"), (2, "validated"), (3, "draft"), (4, "draft")):
        AssessmentPlan.objects.create(scheme=scheme, number=number, status=status, made_by=asa,
                                      validated_by=asa if status != "draft" else None,
                                      validated_at="2026-03-02T03:00:00Z" if status != "draft" else None)
    client = login(lina)
    plans = reverse("assessments:plans")
    page = client.get(plans).content.decode()
    entry = page[page.index(f'data-scheme="{scheme.code}"'):]
    entry = entry[:entry.index("</a>")]
    assert f'<div class="fw-semibold">{SHOWN}</div>' in entry
    assert "versi 2, divalidasi oleh Asa Assessor pada 2 Maret 2026" in entry
    assert "konsep versi 4" in entry and "konsep versi 3" in entry and "versi 1," not in entry  # superseded
    alone = queries(client, plans)
    for n in range(35):
        other = SchemeFactory(code=f"ZZ-{n:02d}")
        for number in range(1, 6):
            AssessmentPlan.objects.create(scheme=other, number=number, made_by=asa,
                                          status="superseded" if number < 4 else "validated" if number == 4 else "draft")
    assert queries(client, plans) == alone == queries(client, plans + "?page=2")
    assert "Halaman 2 dari 2" in client.get(plans + "?page=2").content.decode()
